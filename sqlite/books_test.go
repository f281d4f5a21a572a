package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/sqlite"
)

const bookAccount = "BANKDEFFXXX/EUR"

// mustAppendBooked appends two entries, the second posting entries.
func mustAppendBooked(tb testing.TB, j *sqlite.Journal, entries ...corridor.BookEntry) {
	tb.Helper()
	seq, hash := j.LastSeq()
	batch := storetest.Chain(seq, hash, 2, 16)
	batch[1].Booked = entries
	if err := j.Append(context.Background(), batch); err != nil {
		tb.Fatalf("Append(%d..%d) with book entries: %v", seq+1, seq+2, err)
	}
}

// checkBooked fails tb unless j gives want as account's entries.
func checkBooked(tb testing.TB, j *sqlite.Journal, account string, want []corridor.BookEntry) {
	tb.Helper()
	got, err := j.BookEntries(context.Background(), account, 1, corridor.MaxBookEntriesRead)
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		tb.Errorf("BookEntries(%q) = %v, mismatch (-want +got):\n%s", account, err, diff)
	}
}

// TestBooksBackup checks that a backup holds the books, audits as before,
// and restores with them.
func TestBooksBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := MustOpen(t, filepath.Join(dir, "corridor.db"))
	want := []corridor.BookEntry{storetest.Booked(bookAccount, 1), storetest.Booked(bookAccount, 2)}
	mustAppendBooked(t, db.Journal(), want...)
	out := filepath.Join(dir, "backup.db")
	if err := sqlite.Backup(ctx, filepath.Join(dir, "corridor.db"), out); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if r, err := sqlite.Audit(ctx, out, nil); err != nil || r.Entries != 2 {
		t.Fatalf("Audit(backup) = %+v, %v; want an intact journal of 2 entries", r, err)
	}
	path := filepath.Join(t.TempDir(), "corridor.db")
	if err := sqlite.Restore(out, path); err != nil {
		t.Fatal(err)
	}
	j := MustOpen(t, path).Journal()
	checkBooked(t, j, bookAccount, want)
	// The restored store goes on numbering where the backup ended, and
	// refuses a number the backup holds.
	mustAppendBooked(t, j, storetest.Booked(bookAccount, 3))
	seq, hash := j.LastSeq()
	batch := storetest.Chain(seq, hash, 1, 16)
	batch[0].Booked = []corridor.BookEntry{storetest.Booked(bookAccount, 2)}
	if err := j.Append(ctx, batch); err == nil {
		t.Errorf("Append of book entry 2 again after the restore = nil; want an error")
	}
	checkBooked(t, j, bookAccount, append(want, storetest.Booked(bookAccount, 3)))
}

// TestBooksCorrupt alters a book entry behind the store's back, past the
// CHECK constraints only SQLite lets a client switch off: reading it back
// is ErrCorrupt naming the entry, not an entry Append could not have
// written. (The contract suite alters a record within the constraints.)
func TestBooksCorrupt(t *testing.T) {
	ctx := context.Background()
	for name, tt := range map[string]struct{ set, want string }{
		"EmptyRecord": {`record = x''`, "book entry 2 of " + bookAccount + ": a record of 0 bytes"},
		"NumberZero":  {`n = 0`, "book entry of " + bookAccount + ": number 0"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "corridor.db")
			db := MustOpen(t, path)
			mustAppendBooked(t, db.Journal(), storetest.Booked(bookAccount, 1), storetest.Booked(bookAccount, 2))
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			mustExec(t, path, `DROP TRIGGER book_entry_no_update`, `PRAGMA ignore_check_constraints = ON`,
				`UPDATE book_entry SET `+tt.set+` WHERE n = 2`)
			j := MustOpen(t, path).Journal()
			_, err := j.BookEntries(ctx, bookAccount, 0, 10)
			if !errors.Is(err, sqlite.ErrCorrupt) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("BookEntries = %v; want ErrCorrupt with %q", err, tt.want)
			}
		})
	}
}

// TestBooksMigration opens a store of schema version 5, from before the
// books: Open adds them, and the journal and the archive are as they were.
func TestBooksMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	want := MustAppend(t, db.Journal(), 3, 16)
	mustAppendArchived(t, db.Journal(), storetest.Archived(4, storetest.UETROf(4), "msg 4"))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, path, `DROP TABLE book_entry`, `PRAGMA user_version = 5`)

	db = MustOpen(t, path)
	if v, err := sqlite.Pragma(ctx, db, "user_version"); err != nil || v != strconv.Itoa(sqlite.SchemaVersion) {
		t.Errorf("user_version = %q, %v; want %d", v, err, sqlite.SchemaVersion)
	}
	got, err := replayAll(t, db.Journal(), 0)
	if err != nil || len(got) != len(want)+2 {
		t.Errorf("Replay(0) = %d entries, %v; want %d", len(got), err, len(want)+2)
	}
	if seq, ok, err := db.Journal().ArchivedKey(ctx, "msg 4"); err != nil || !ok || seq != 4 {
		t.Errorf("ArchivedKey(msg 4) after the migration = %d, %t, %v; want 4", seq, ok, err)
	}
	checkBooked(t, db.Journal(), bookAccount, nil)
	mustAppendBooked(t, db.Journal(), storetest.Booked(bookAccount, 1))
	checkBooked(t, db.Journal(), bookAccount, []corridor.BookEntry{storetest.Booked(bookAccount, 1)})
}

// TestBooksReleased reads the books while the store is released, as the
// hub may while its disk is in trouble: each read opens the file.
func TestBooksReleased(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
	j := db.Journal()
	want := []corridor.BookEntry{storetest.Booked(bookAccount, 1)}
	mustAppendBooked(t, j, want...)
	if err := j.Release(ctx); err != nil {
		t.Fatalf("Release: %v", err)
	}
	checkBooked(t, j, bookAccount, want)
	if open := sqlite.Stats(db).OpenConnections; open != 0 {
		t.Errorf("%d connections open after a read while released; want 0", open)
	}
}

// TestBooksQueryPlan checks that BookEntries' query searches the primary
// key's index, in its order: it reads no more rows than it returns, and
// sorts none, however many entries the books hold.
func TestBooksQueryPlan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corridor.db")
	if err := MustOpen(t, path).Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := mustOpenRaw(t, path).Query(`EXPLAIN QUERY PLAN `+sqlite.BookEntriesSQL, bookAccount, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }() // Read only.
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || !strings.HasPrefix(plan[0], "SEARCH book_entry USING INDEX sqlite_autoindex_book_entry_1 (account=? AND n>?)") {
		t.Errorf("query plan = %q; want one search of the primary key, and no sort", plan)
	}
}
