package sqlite_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/sqlite"
)

// TestBackup copies a store while a writer appends to it, and checks that
// the copy is a whole prefix of the journal, 0600, left unchanged by an
// audit, and restorable once only.
func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := MustOpen(t, filepath.Join(dir, "corridor.db"))
	MustAppend(t, db.Journal(), 100, 200)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // The writer the backup must not stop or see half of.
		defer wg.Done()
		for range 50 {
			MustAppend(t, db.Journal(), 10, 200)
		}
	}()
	out := filepath.Join(dir, "backup.db")
	err := sqlite.Backup(ctx, filepath.Join(dir, "corridor.db"), out)
	wg.Wait()
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != sqlite.BackupFileMode {
		t.Errorf("backup file: %v, %v; want mode %o", fi.Mode(), err, sqlite.BackupFileMode)
	}
	before := mustSum(t, out)
	r, err := sqlite.Audit(ctx, out, func(corridor.Checkpoint) error { return nil })
	if err != nil || r.Entries < 100 || r.Entries > 600 {
		t.Fatalf("Audit(backup) = %+v, %v; want an intact journal of 100 to 600 entries", r, err)
	}
	if after := mustSum(t, out); after != before {
		t.Errorf("the audit changed the backup file")
	}
	t.Run("ErrExists", func(t *testing.T) {
		if err := sqlite.Backup(ctx, filepath.Join(dir, "corridor.db"), out); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Errorf("Backup onto an existing file: %v; want a refusal", err)
		}
	})
	t.Run("Restore", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "corridor.db")
		if err := sqlite.Restore(out, path); err != nil {
			t.Fatal(err)
		}
		restored := MustOpen(t, path)
		if seq, hash := restored.Journal().LastSeq(); seq != r.Entries || hash != r.Head {
			t.Errorf("restored journal ends at %d %x; want %d %x", seq, hash[:4], r.Entries, r.Head[:4])
		}
		if err := sqlite.Restore(out, path); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Errorf("Restore onto a store: %v; want a refusal", err)
		}
	})
	if err := sqlite.Backup(ctx, filepath.Join(dir, "missing.db"), filepath.Join(dir, "b2.db")); err == nil {
		t.Errorf("Backup of no store succeeded")
	} else if _, serr := os.Stat(filepath.Join(dir, "b2.db")); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("a failed backup left %s: %v", "b2.db", serr)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a backup of no store made one: %v", err)
	}
}

// mustSum is the SHA-256 of the file at path.
func mustSum(tb testing.TB, path string) [32]byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return sha256.Sum256(b)
}
