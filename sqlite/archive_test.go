package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/sqlite"
)

// mustAppendArchived appends two entries, the second archiving payments.
func mustAppendArchived(tb testing.TB, j *sqlite.Journal, payments ...corridor.ArchivedPayment) {
	tb.Helper()
	seq, hash := j.LastSeq()
	batch := storetest.Chain(seq, hash, 2, 16)
	batch[1].Archived = payments
	if err := j.Append(context.Background(), batch); err != nil {
		tb.Fatalf("Append(%d..%d) with archived payments: %v", seq+1, seq+2, err)
	}
}

// TestArchiveBackup checks that a backup holds the archive, audits as
// before, and restores with it.
func TestArchiveBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := MustOpen(t, filepath.Join(dir, "corridor.db"))
	want := storetest.Archived(1, storetest.UETROf(1), "msg 1", "e2e 1")
	mustAppendArchived(t, db.Journal(), want)
	j := mustBackupRestored(t, dir, 2)
	got, err := j.ArchivedByUETR(ctx, want.UETR)
	if diff := cmp.Diff([]corridor.ArchivedPayment{want}, got); err != nil || diff != "" {
		t.Errorf("restored ArchivedByUETR = %v, mismatch (-want +got):\n%s", err, diff)
	}
	if seq, ok, err := j.ArchivedKey(ctx, "e2e 1"); err != nil || !ok || seq != 1 {
		t.Errorf("restored ArchivedKey(e2e 1) = %d, %t, %v; want 1", seq, ok, err)
	}
}

// mustBackupRestored backs up the store in dir, checks that the backup
// audits intact with entries entries, restores it into a new directory and
// opens the restored journal.
func mustBackupRestored(t *testing.T, dir string, entries uint64) *sqlite.Journal {
	t.Helper()
	ctx := context.Background()
	out := filepath.Join(dir, "backup.db")
	if err := sqlite.Backup(ctx, filepath.Join(dir, "corridor.db"), out); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if r, err := sqlite.Audit(ctx, out, nil); err != nil || r.Entries != entries {
		t.Fatalf("Audit(backup) = %+v, %v; want an intact journal of %d entries", r, err, entries)
	}
	path := filepath.Join(t.TempDir(), "corridor.db")
	if err := sqlite.Restore(out, path); err != nil {
		t.Fatal(err)
	}
	return MustOpen(t, path).Journal()
}

// tooManyKeys is a keys column of corridor.MaxArchivedKeys+1 one-byte keys.
func tooManyKeys() string {
	var b strings.Builder
	b.WriteString("x'")
	for i := range corridor.MaxArchivedKeys + 1 {
		fmt.Fprintf(&b, "0001%02x", 'A'+i)
	}
	return b.String() + "'"
}

// TestArchiveCorrupt alters a payment's keys column behind the store's
// back: reading it back is ErrCorrupt, not a payment without its keys.
func TestArchiveCorrupt(t *testing.T) {
	ctx := context.Background()
	for name, keys := range map[string]string{
		"LengthCut": `x'00'`,
		"KeyCut":    `x'00ff41'`,
		"EmptyKey":  `x'0000'`,
		"TooMany":   tooManyKeys(), // One-byte keys, one more than a payment may have.
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "corridor.db")
			db := MustOpen(t, path)
			mustAppendArchived(t, db.Journal(), storetest.Archived(1, storetest.UETROf(1), "msg 1"))
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			mustExec(t, path, `DROP TRIGGER archived_payment_no_update`, `UPDATE archived_payment SET keys = `+keys)
			j := MustOpen(t, path).Journal()
			if _, _, err := j.ArchivedPayment(ctx, 1); !errors.Is(err, sqlite.ErrCorrupt) {
				t.Errorf("ArchivedPayment(1) = %v; want ErrCorrupt", err)
			}
			if _, err := j.ArchivedByUETR(ctx, storetest.UETROf(1)); !errors.Is(err, sqlite.ErrCorrupt) {
				t.Errorf("ArchivedByUETR = %v; want ErrCorrupt", err)
			}
		})
	}
}

// TestArchiveMigration opens a store of schema version 4, from before the
// archive: Open adds it, and the journal is as it was.
func TestArchiveMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	want := MustAppend(t, db.Journal(), 3, 16)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, path, `DROP TABLE book_run`, `DROP TABLE archived_key`, `DROP TABLE archived_payment`, `PRAGMA user_version = 4`)

	db = MustOpen(t, path)
	if v, err := sqlite.Pragma(ctx, db, "user_version"); err != nil || v != strconv.Itoa(sqlite.SchemaVersion) {
		t.Errorf("user_version = %q, %v; want %d", v, err, sqlite.SchemaVersion)
	}
	got, err := replayAll(t, db.Journal(), 0)
	if err != nil || len(got) != len(want) {
		t.Errorf("Replay(0) = %d entries, %v; want %d", len(got), err, len(want))
	}
	mustAppendArchived(t, db.Journal(), storetest.Archived(4, storetest.UETROf(4), "msg 4"))
	if seq, ok, err := db.Journal().ArchivedKey(ctx, "msg 4"); err != nil || !ok || seq != 4 {
		t.Errorf("ArchivedKey(msg 4) after the migration = %d, %t, %v; want 4", seq, ok, err)
	}
}

// TestArchiveReleased reads the archive while the store is released, as
// the hub may while its disk is in trouble: each read opens the file.
func TestArchiveReleased(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
	j := db.Journal()
	mustAppendArchived(t, j, storetest.Archived(1, storetest.UETROf(1), "msg 1"))
	if err := j.Release(ctx); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if seq, ok, err := j.ArchivedKey(ctx, "msg 1"); err != nil || !ok || seq != 1 {
		t.Errorf("ArchivedKey(msg 1) while released = %d, %t, %v; want 1", seq, ok, err)
	}
	if open := sqlite.Stats(db).OpenConnections; open != 0 {
		t.Errorf("%d connections open after a read while released; want 0", open)
	}
}
