package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/corridor-network/corridor/sqlite"
)

// runBackup is `corridor backup --data DIR --out FILE`: a consistent copy of
// DIR's journal store, made while the hub runs and without its lock, then
// audited against the hub's certificate. The backup is the store file
// alone, mode 0600; the CA directory, which holds the CA's and the hub's
// secret keys, is backed up separately (docs/backup.md).
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "the hub's data directory (the hub may be running)")
	out := fs.String("out", "", "the backup file to write; it must not exist")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *data == "" || *out == "" {
		return usageError{errors.New("backup: --data and --out are required")}
	}
	verify, err := checkpointVerifier(caDir(*data))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := sqlite.Backup(ctx, dbPath(*data), *out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	r, err := sqlite.Audit(ctx, *out, verify)
	if err != nil {
		return fmt.Errorf("backup: the copy in %s does not verify, do not keep it: %w", *out, err)
	}
	fmt.Fprintf(stdout, "backup %s: last seq %d, %s\n", filepath.Clean(*out), r.Entries, auditSummary(r.Entries, r.Head, r.Checkpoints, r.LastCheckpoint))
	fmt.Fprintf(stdout, "the CA directory %s is not in the backup: back it up separately, it holds secret keys\n", caDir(*data))
	return nil
}

// runRestore is `corridor restore --backup FILE --data DIR`: it audits the
// backup's hash chain (and its checkpoints, when DIR/ca holds the hub's
// certificate), then copies it into DIR, which must hold no journal yet and
// no running hub. Restore the CA directory into DIR/ca before starting the
// hub.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	backup := fs.String("backup", "", "the backup file written by 'corridor backup'")
	data := fs.String("data", "", "the data directory to restore into: new, or without a journal")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *backup == "" || *data == "" {
		return usageError{errors.New("restore: --backup and --data are required")}
	}
	if _, err := os.Stat(*backup); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	lock, err := lockDataDir(*data) // No hub may start on DIR while the store is copied in.
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	err = restore(ctx, *backup, *data, stdout)
	return errors.Join(err, lock.release())
}

// restore audits backup and copies it into data, whose lock the caller holds.
func restore(ctx context.Context, backup, data string, stdout io.Writer) error {
	verify, err := checkpointVerifier(caDir(data))
	if err != nil {
		fmt.Fprintf(stdout, "checking the hash chain only (%v): restore the CA directory and run 'corridor audit verify --data %s'\n", err, data)
		verify = nil
	}
	r, err := sqlite.Audit(ctx, backup, verify)
	if err != nil {
		return fmt.Errorf("restore: backup %s does not verify: %w", backup, err)
	}
	if err := sqlite.Restore(backup, dbPath(data)); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	db, err := sqlite.Open(ctx, dbPath(data))
	if err != nil {
		return fmt.Errorf("restore: open the restored store: %w", err)
	}
	seq, head := db.Journal().LastSeq()
	if err := db.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if seq != r.Entries || head != r.Head {
		return fmt.Errorf("restore: the restored store ends at entry %d, the backup at %d", seq, r.Entries)
	}
	fmt.Fprintf(stdout, "restored %s into %s: last seq %d, %s\n", filepath.Clean(backup), dbPath(data), r.Entries, auditSummary(r.Entries, r.Head, r.Checkpoints, r.LastCheckpoint))
	return nil
}
