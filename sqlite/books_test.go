package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
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
	j := mustBackupRestored(t, dir, 2)
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

// TestBooksCorrupt alters a run of book entries behind the store's back,
// past the CHECK constraints only SQLite lets a client switch off, and
// with bytes that SQL of both stores cannot spell: reading it back is
// ErrCorrupt naming the account and the entry, not an entry Append could
// not have written. (The contract suite alters runs in SQL both stores
// speak.)
func TestBooksCorrupt(t *testing.T) {
	ctx := context.Background()
	for name, tt := range map[string]struct{ set, want string }{
		"EmptyRecords":    {`records = x''`, "book entry 1 of " + bookAccount + ": not in its run's records"},
		"FirstZero":       {`first_n = 0`, "book entries 0 to 2 of " + bookAccount + ": not a run of numbers"},
		"LastBeforeFirst": {`first_n = 3`, "book entries 3 to 2 of " + bookAccount + ": not a run of numbers"},
		"RecordEmpty":     {`records = x'0000'`, "book entry 1 of " + bookAccount + ": a record of 0 bytes"},
		"Record4KiBPlus1": {`records = unhex('1001' || hex(zeroblob(4097)) || '000172')`,
			fmt.Sprintf("book entry 1 of %s: a record of %d bytes", bookAccount, corridor.MaxBookRecord+1)},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "corridor.db")
			db := MustOpen(t, path)
			mustAppendBooked(t, db.Journal(), storetest.Booked(bookAccount, 1), storetest.Booked(bookAccount, 2))
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			mustExec(t, path, `DROP TRIGGER book_run_no_update`, `PRAGMA ignore_check_constraints = ON`,
				`UPDATE book_run SET `+tt.set)
			j := MustOpen(t, path).Journal()
			_, err := j.BookEntries(ctx, bookAccount, 0, 10)
			if !errors.Is(err, sqlite.ErrCorrupt) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("BookEntries = %v; want ErrCorrupt with %q", err, tt.want)
			}
		})
	}
}

// bookRow is a row of book_run, its records left out.
type bookRow struct {
	Account     string
	First, Last uint64
	Seq         uint64
	Bytes       int // Of its records.
}

// mustBookRows returns the rows of book_run of the store at path, in
// order of account and number.
func mustBookRows(tb testing.TB, path string) []bookRow {
	tb.Helper()
	rows, err := mustOpenRaw(tb, path).Query(`SELECT account, first_n, last_n, seq, length(records) FROM book_run ORDER BY account, last_n`)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = rows.Close() }() // Read only.
	var out []bookRow
	for rows.Next() {
		var r bookRow
		if err := rows.Scan(&r.Account, &r.First, &r.Last, &r.Seq, &r.Bytes); err != nil {
			tb.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// rowsOf returns the rows of the accounts among rows.
func rowsOf(rows []bookRow, accounts ...string) []bookRow {
	var out []bookRow
	for _, r := range rows {
		if slices.Contains(accounts, r.Account) {
			out = append(out, r)
		}
	}
	return out
}

// TestBooksRuns checks the rows Append writes: one per account for an
// append as the hub posts them, which carries the seq of the entry that
// posted the run's last entry; one per run of consecutive numbers
// otherwise; and another past MaxBookRunBytes, its first records in the
// row before.
func TestBooksRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corridor.db")
	j := MustOpen(t, path).Journal()
	ctx := context.Background()
	const a, b = "BANKDEFFXXX/EUR", "BANKFRPPXXX/EUR"
	records := storetest.BenchBookRecords(storetest.BenchBookRecordCount, storetest.BenchBookRecordBytes)
	seq, hash := j.LastSeq()
	batch := storetest.Chain(seq, hash, 8, 16)
	storetest.BookEach(batch, 2, records) // Entry k posts PART0000's k and PART0001's k.
	if err := j.Append(ctx, batch); err != nil {
		t.Fatal(err)
	}
	entry := 2 + storetest.BenchBookRecordBytes
	want := []bookRow{
		{storetest.BookAccount(0), 1, 8, 8, 8 * entry},
		{storetest.BookAccount(1), 1, 8, 8, 8 * entry},
	}
	if got := mustBookRows(t, path); !cmp.Equal(got, want) {
		t.Errorf("rows of an append posting on two accounts in turn = %+v; want %+v", got, want)
	}

	// Entry 9 posts a's 1, 2 and 6 and b's 7, entry 10 a's 4, 3 and 5:
	// a's 1 to 6 are one run, whose last entry entry 9 posted.
	seq, hash = j.LastSeq()
	batch = storetest.Chain(seq, hash, 2, 16)
	batch[0].Booked = []corridor.BookEntry{storetest.Booked(a, 1), storetest.Booked(a, 2), storetest.Booked(a, 6), storetest.Booked(b, 7)}
	batch[1].Booked = []corridor.BookEntry{storetest.Booked(a, 4), storetest.Booked(a, 3), storetest.Booked(a, 5)}
	if err := j.Append(ctx, batch); err != nil {
		t.Fatal(err)
	}
	// Entry 12 posts b's 9, 8 and 11: a run and one more.
	mustAppendBooked(t, j, storetest.Booked(b, 9), storetest.Booked(b, 8), storetest.Booked(b, 11))
	sized := func(account string, n ...uint64) int {
		size := 0
		for _, n := range n {
			size += 2 + len(storetest.Booked(account, n).Record)
		}
		return size
	}
	want = []bookRow{
		{a, 1, 6, 9, sized(a, 1, 2, 3, 4, 5, 6)},
		{b, 7, 7, 9, sized(b, 7)},
		{b, 8, 9, 12, sized(b, 8, 9)},
		{b, 11, 11, 12, sized(b, 11)},
	}
	if got := rowsOf(mustBookRows(t, path), a, b); !cmp.Equal(got, want) {
		t.Errorf("rows of appends out of order and with gaps = %+v; want %+v", got, want)
	}
	checkBooked(t, j, a, []corridor.BookEntry{storetest.Booked(a, 1), storetest.Booked(a, 2), storetest.Booked(a, 3),
		storetest.Booked(a, 4), storetest.Booked(a, 5), storetest.Booked(a, 6)})

	// 40 records of 4 KiB on one account: 16 of them fill MaxBookRunBytes
	// but for their lengths, so a row holds 15.
	big := make([]corridor.BookEntry, 40)
	for i := range big {
		big[i] = corridor.BookEntry{Account: "BIG", N: uint64(i + 1), Record: bytes.Repeat([]byte{byte(i)}, corridor.MaxBookRecord)}
	}
	mustAppendBooked(t, j, big...)
	perRow := corridor.MaxBookRunBytes / (2 + corridor.MaxBookRecord)
	rows := rowsOf(mustBookRows(t, path), "BIG")
	want = []bookRow{
		{"BIG", 1, uint64(perRow), 14, perRow * (2 + corridor.MaxBookRecord)},
		{"BIG", uint64(perRow + 1), uint64(2 * perRow), 14, perRow * (2 + corridor.MaxBookRecord)},
		{"BIG", uint64(2*perRow + 1), 40, 14, (40 - 2*perRow) * (2 + corridor.MaxBookRecord)},
	}
	if !cmp.Equal(rows, want) {
		t.Errorf("rows of 40 records of 4 KiB = %+v; want %+v", rows, want)
	}
	checkBooked(t, j, "BIG", big)
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
	mustExec(t, path, `DROP TABLE snapshot_file`, `DROP TABLE book_run`, `PRAGMA user_version = 5`)

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
// key's index, in its order: it reads no more runs than hold the entries
// it returns, and sorts none, however many entries the books hold.
func TestBooksQueryPlan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corridor.db")
	if err := MustOpen(t, path).Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := mustOpenRaw(t, path).Query(`EXPLAIN QUERY PLAN `+sqlite.BookRunsSQL, bookAccount, 1, 10)
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
	if len(plan) != 1 || !strings.HasPrefix(plan[0], "SEARCH book_run USING INDEX sqlite_autoindex_book_run_1 (account=? AND last_n>?)") {
		t.Errorf("query plan = %q; want one search of the primary key, and no sort", plan)
	}
}
