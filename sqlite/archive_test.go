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
	mustExec(t, path, `DROP TABLE snapshot_file`, `DROP TABLE book_run`, `DROP TABLE archived_key`, `DROP TABLE archived_payment`, `PRAGMA user_version = 4`)

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
	sqlite.WaitKeyScan(db) // Its reads are statements too.
	if open := sqlite.Stats(db).OpenConnections; open != 0 {
		t.Errorf("%d connections open after a read while released; want 0", open)
	}
}

// TestArchiveKeyFilter reopens a store whose archive holds more keys than
// one page of the filter's scan: after the scan every key is found, a key
// never archived is answered from the filter, and a key archived after the
// scan is found too.
func TestArchiveKeyFilter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	var archived []string
	for range 2 {
		var payments []corridor.ArchivedPayment
		last, _ := db.Journal().LastSeq()
		for i := range 150 { // 16 keys each: 4,800 keys in all, past a page of 4,096.
			seq := last + 1 + uint64(i)
			keys := make([]string, corridor.MaxArchivedKeys)
			for k := range keys {
				keys[k] = fmt.Sprintf("msg %d/%d", seq, k)
			}
			payments = append(payments, storetest.Archived(seq, storetest.UETROf(seq), keys...))
			archived = append(archived, keys...)
		}
		mustAppendArchivedMany(t, db.Journal(), payments)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = MustOpen(t, path)
	j := db.Journal()
	if _, ok, err := j.ArchivedKey(ctx, "never"); err != nil || ok {
		t.Fatalf("ArchivedKey(never) = %t, %v; want not found", ok, err)
	}
	if !sqlite.WaitKeyScan(db) {
		t.Fatal("the key filter is not ready after its scan")
	}
	for _, k := range archived {
		if _, ok, err := j.ArchivedKey(ctx, k); err != nil || !ok {
			t.Fatalf("ArchivedKey(%q) = %t, %v; want found", k, ok, err)
		}
	}
	if sqlite.MayHoldKey(db, "uetr never archived") && sqlite.MayHoldKey(db, "msg never archived") {
		t.Error("the filter answers perhaps for two keys never archived")
	}
	seq, _ := j.LastSeq()
	mustAppendArchived(t, j, storetest.Archived(seq+1, storetest.UETROf(seq+1), "after the scan"))
	if got, ok, err := j.ArchivedKey(ctx, "after the scan"); err != nil || !ok || got != seq+1 {
		t.Errorf("ArchivedKey(after the scan) = %d, %t, %v; want %d", got, ok, err, seq+1)
	}
}

// mustAppendArchivedMany appends len(payments)+2 entries, the last
// archiving payments, whose seqs are among the entries before it.
func mustAppendArchivedMany(tb testing.TB, j *sqlite.Journal, payments []corridor.ArchivedPayment) {
	tb.Helper()
	seq, hash := j.LastSeq()
	batch := storetest.Chain(seq, hash, len(payments)+2, 16)
	batch[len(batch)-1].Archived = payments
	if err := j.Append(context.Background(), batch); err != nil {
		tb.Fatalf("Append(%d..) with %d archived payments: %v", seq+1, len(payments), err)
	}
}
