package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
	"github.com/corridor-network/corridor/sqlite"
)

// runAudit is `corridor audit verify --data DIR`: it walks the whole journal
// and says that it is intact, with its length and head hash, or names the
// first entry that does not match.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: corridor audit verify --data DIR")
		return errors.New("audit: the only subcommand is verify")
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "the hub's data directory")
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("audit verify: --data is required")
	}
	hubCert, err := pki.LoadHubCertificate(caDir(*data)) // Only the certificate: an auditor need not hold the hub's key.
	if err != nil {
		return fmt.Errorf("audit verify: the hub's certificate checks the checkpoints: %w", err)
	}
	verify := func(cp corridor.Checkpoint) error {
		return pki.Verify(hubCert, corridor.CheckpointMessage(cp.Seq, cp.Hash), cp.Signature)
	}
	r, err := sqlite.Audit(ctx, dbPath(*data), verify)
	if err != nil {
		fmt.Fprintf(stdout, "journal %s: ALTERED: %v\n", filepath.Clean(dbPath(*data)), err)
		return fmt.Errorf("audit verify: journal altered")
	}
	fmt.Fprintf(stdout, "journal %s: intact: %d entries, head %s, %d signed checkpoints (last at entry %d)\n",
		filepath.Clean(dbPath(*data)), r.Entries, hex.EncodeToString(r.Head[:]), r.Checkpoints, r.LastCheckpoint)
	return nil
}
