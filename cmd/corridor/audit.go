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
	"github.com/corridor-network/corridor/postgres"
	"github.com/corridor-network/corridor/sqlite"
)

// auditUsage is how audit verify is called: on a data directory, or on a
// backup file with the directory that holds the hub's certificate.
const auditUsage = "usage: corridor audit verify --data DIR | --db FILE (--ca DIR | --data DIR) [--receipts FILE] | --store postgres://… (--ca DIR | --data DIR)"

// runAudit is `corridor audit verify --data DIR`: it walks the whole journal
// and says that it is intact, with its length and head hash, or names the
// first entry that does not match. With --db it audits that file instead,
// a backup say, and --ca names the directory of the hub certificate that
// signed its checkpoints.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, auditUsage)
		return errors.New("audit: the only subcommand is verify")
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "the hub's data directory")
	db := fs.String("db", "", "audit this store file, a backup say, instead of DIR's (default DIR/corridor.db)")
	ca := fs.String("ca", "", "the directory of the hub certificate that signed the checkpoints (default DIR/ca)")
	receipts := fs.String("receipts", "", "also check a bank's receipts, one JSON object a line as the 202 answers carried them")
	store := fs.String("store", "", "audit the journal on PostgreSQL at this postgres:// URL instead of a file")
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return err
	}
	if *store != "" {
		return auditPostgres(ctx, *store, *data, *ca, *receipts, stdout)
	}
	if *data != "" && *db == "" {
		*db = dbPath(*data)
	}
	if *data != "" && *ca == "" {
		*ca = caDir(*data)
	}
	if *db == "" || *ca == "" {
		return errors.New("audit verify: " + auditUsage)
	}
	verify, err := checkpointVerifier(*ca)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	r, err := sqlite.Audit(ctx, *db, verify)
	if err != nil {
		fmt.Fprintf(stdout, "journal %s: ALTERED: %v\n", filepath.Clean(*db), err)
		return fmt.Errorf("audit verify: journal altered")
	}
	if *data != "" {
		if err := auditAgainstHead(ctx, *data, *db, r, verify); err != nil {
			fmt.Fprintf(stdout, "journal %s: ALTERED: %v\n", filepath.Clean(*db), err)
			return fmt.Errorf("audit verify: journal does not reach the head the hub signed")
		}
	}
	fmt.Fprintf(stdout, "journal %s: intact: %s\n", filepath.Clean(*db), auditSummary(r.Entries, r.Head, r.Checkpoints, r.LastCheckpoint))
	if *receipts == "" {
		return nil
	}
	hubCert, err := pki.LoadHubCertificate(*ca)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	n, err := auditReceipts(ctx, *receipts, *db, r.Entries, hubCert)
	if err != nil {
		fmt.Fprintf(stdout, "receipts %s: %d borne out, then: %v\n", filepath.Clean(*receipts), n, err)
		return fmt.Errorf("audit verify: a receipt is not borne out by the journal")
	}
	fmt.Fprintf(stdout, "receipts %s: all %d borne out by the journal\n", filepath.Clean(*receipts), n)
	return nil
}

// auditAgainstHead checks the journal against the head the hub last signed,
// kept outside it in data's journal.head: a journal that lost its tail (and
// the checkpoints in it) still fails here.
func auditAgainstHead(ctx context.Context, data, db string, r sqlite.AuditReport, verify func(corridor.Checkpoint) error) error {
	head, signed, err := readHead(data)
	if err != nil || !signed {
		return err
	}
	hashAt := func(seq uint64) ([32]byte, error) { return sqlite.EntryHash(ctx, db, seq) }
	return checkAgainstHead(head, r.Entries, hashAt, verify)
}

// checkpointVerifier checks a checkpoint's signature against the hub
// certificate in dir. Only the certificate: an auditor need not hold the
// hub's key.
func checkpointVerifier(dir string) (func(corridor.Checkpoint) error, error) {
	hubCert, err := pki.LoadHubCertificate(dir)
	if err != nil {
		return nil, fmt.Errorf("the hub's certificate checks the checkpoints: %w", err)
	}
	return verifyWith(hubCert), nil
}

// auditSummary says what an audit found: the journal's length and head and
// its signed checkpoints.
func auditSummary(entries uint64, head [32]byte, checkpoints int, last uint64) string {
	return fmt.Sprintf("%d entries, head %s, %d signed checkpoints (last at entry %d)",
		entries, hex.EncodeToString(head[:]), checkpoints, last)
}

// auditPostgres is audit verify of the journal on PostgreSQL at url, its
// checkpoints checked against the hub certificate in ca (or data's).
func auditPostgres(ctx context.Context, url, data, ca, receipts string, stdout io.Writer) error {
	if ca == "" && data != "" {
		ca = caDir(data)
	}
	if ca == "" || receipts != "" {
		return usageError{errors.New("audit verify --store: needs --ca DIR or --data DIR, and takes no --receipts (receipts are checked against a journal file)")}
	}
	verify, err := checkpointVerifier(ca)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	name := Config{Store: url}.storeName()
	r, err := postgres.Audit(ctx, url, verify)
	if err != nil {
		fmt.Fprintf(stdout, "journal %s: ALTERED: %v\n", name, err)
		return fmt.Errorf("audit verify: journal altered")
	}
	fmt.Fprintf(stdout, "journal %s: intact: %s\n", name, auditSummary(r.Entries, r.Head, r.Checkpoints, r.LastCheckpoint))
	return nil
}
