package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/pgtest"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/postgres"
)

// TestBooksFenced checks that book entries are written under the lease's
// fence, with their entries: a deposed leader writes none, and a standby,
// which holds no lease, reads those the leader wrote.
func TestBooksFenced(t *testing.T) {
	ctx := context.Background()
	const account = "BANKDEFFXXX/EUR"
	url := pgtest.New(t)
	a, _ := mustLead(t, url, nodeA, shortTTL)
	written := []corridor.BookEntry{storetest.Booked(account, 1), storetest.Booked(account, 2)}
	seq, hash := a.LastSeq()
	batch := storetest.Chain(seq, hash, 2, 16)
	batch[1].Booked = written
	if err := a.Append(ctx, batch); err != nil {
		t.Fatalf("Append: %v", err)
	}

	b := mustOpen(t, url).Journal()
	if got, err := b.BookEntries(ctx, account, 1, 10); err != nil || !cmp.Equal(got, written) {
		t.Errorf("standby's BookEntries = %v, %v; want the leader's", got, err)
	}
	waitExpired(t, url)
	if _, err := b.Acquire(ctx, nodeB, longTTL); err != nil {
		t.Fatalf("Acquire after expiry: %v", err)
	}

	seq, hash = a.LastSeq()
	batch = storetest.Chain(seq, hash, 2, 16)
	batch[0].Booked = []corridor.BookEntry{storetest.Booked(account, 3)}
	batch[1].Booked = []corridor.BookEntry{storetest.Booked(account, 4), storetest.Booked("BANKFRPPXXX/EUR", 1)}
	if err := a.Append(ctx, batch); !errors.Is(err, postgres.ErrFenced) {
		t.Errorf("deposed Append with book entries = %v; want ErrFenced", err)
	}
	for table, want := range map[string]int{"journal": 2, "book_run": 1} {
		if n := count(t, url, table); n != want {
			t.Errorf("%s rows after the deposed Append = %d; want %d", table, n, want)
		}
	}
	if err := b.Append(ctx, batch); err != nil {
		t.Errorf("new leader's Append of the same batch = %v", err)
	}
	want := append(written, batch[0].Booked[0], batch[1].Booked[0])
	if got, err := a.BookEntries(ctx, account, 1, 10); err != nil || !cmp.Equal(got, want) {
		t.Errorf("deposed node's BookEntries after the new leader's Append = %v, %v; want entries 1 to 4", got, err)
	}
}

// TestBooksMigration opens a database of schema version 5, from before the
// books: Open adds them, and the journal is as it was.
func TestBooksMigration(t *testing.T) {
	ctx := context.Background()
	const account = "BANKDEFFXXX/EUR"
	url := pgtest.New(t)
	j, _ := mustLead(t, url, nodeA, longTTL)
	want := storetest.MustAppend(t, j, 3, 16)
	if err := j.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	conn := mustConnect(t, url)
	for _, stmt := range []string{`DROP TABLE book_run`, `DROP FUNCTION book_run_disjoint`, `DELETE FROM schema_migration WHERE version = 6`} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}

	j, _ = mustLead(t, url, nodeA, longTTL)
	if n := count(t, url, "schema_migration"); n != postgres.SchemaVersion {
		t.Errorf("schema_migration rows after the migration = %d; want %d", n, postgres.SchemaVersion)
	}
	if seq, _ := j.LastSeq(); seq != want[len(want)-1].Seq {
		t.Errorf("LastSeq() after the migration = %d; want %d", seq, want[len(want)-1].Seq)
	}
	seq, hash := j.LastSeq()
	batch := storetest.Chain(seq, hash, 1, 16)
	batch[0].Booked = []corridor.BookEntry{storetest.Booked(account, 1)}
	if err := j.Append(ctx, batch); err != nil {
		t.Fatalf("Append with a book entry after the migration: %v", err)
	}
	if got, err := j.BookEntries(ctx, account, 1, 10); err != nil || !cmp.Equal(got, batch[0].Booked) {
		t.Errorf("BookEntries after the migration = %v, %v; want entry 1", got, err)
	}
}

// bookRow is a row of book_run, its records left out.
type bookRow struct {
	Account     string
	First, Last int64
	Seq         int64
	Bytes       int // Of its records.
}

// mustBookRows returns the rows of book_run of the accounts, in order of
// account and number.
func mustBookRows(tb testing.TB, url string, accounts ...string) []bookRow {
	tb.Helper()
	rows, err := mustConnect(tb, url).Query(context.Background(),
		`SELECT account, first_n, last_n, seq, octet_length(records) FROM book_run WHERE account = ANY($1) ORDER BY account, last_n`, accounts)
	if err != nil {
		tb.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[bookRow])
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestBooksRuns checks the rows Append writes, as the sqlite store's test
// of the same name does: one per account for an append as the hub posts
// them, which carries the seq of the entry that posted the run's last
// entry; one per run of consecutive numbers otherwise; and another past
// MaxBookRunBytes.
func TestBooksRuns(t *testing.T) {
	ctx := context.Background()
	const a, b = "BANKDEFFXXX/EUR", "BANKFRPPXXX/EUR"
	url := pgtest.New(t)
	j, _ := mustLead(t, url, nodeA, longTTL)
	records := storetest.BenchBookRecords(storetest.BenchBookRecordCount, storetest.BenchBookRecordBytes)
	appendBatch := func(n int, book func([]corridor.JournalEntry)) {
		t.Helper()
		seq, hash := j.LastSeq()
		batch := storetest.Chain(seq, hash, n, 16)
		book(batch)
		if err := j.Append(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	appendBatch(8, func(e []corridor.JournalEntry) { storetest.BookEach(e, 2, records) })
	entry := 2 + storetest.BenchBookRecordBytes
	p0, p1 := storetest.BookAccount(0), storetest.BookAccount(1)
	if got, want := mustBookRows(t, url, p0, p1), []bookRow{{p0, 1, 8, 8, 8 * entry}, {p1, 1, 8, 8, 8 * entry}}; !cmp.Equal(got, want) {
		t.Errorf("rows of an append posting on two accounts in turn = %+v; want %+v", got, want)
	}

	// Entry 9 posts a's 1, 2 and 6 and b's 7, entry 10 a's 4, 3 and 5;
	// then entry 11 b's 9, 8 and 11.
	appendBatch(2, func(e []corridor.JournalEntry) {
		e[0].Booked = []corridor.BookEntry{storetest.Booked(a, 1), storetest.Booked(a, 2), storetest.Booked(a, 6), storetest.Booked(b, 7)}
		e[1].Booked = []corridor.BookEntry{storetest.Booked(a, 4), storetest.Booked(a, 3), storetest.Booked(a, 5)}
	})
	appendBatch(1, func(e []corridor.JournalEntry) {
		e[0].Booked = []corridor.BookEntry{storetest.Booked(b, 9), storetest.Booked(b, 8), storetest.Booked(b, 11)}
	})
	sized := func(account string, n ...uint64) int {
		size := 0
		for _, n := range n {
			size += 2 + len(storetest.Booked(account, n).Record)
		}
		return size
	}
	want := []bookRow{
		{a, 1, 6, 9, sized(a, 1, 2, 3, 4, 5, 6)},
		{b, 7, 7, 9, sized(b, 7)},
		{b, 8, 9, 11, sized(b, 8, 9)},
		{b, 11, 11, 11, sized(b, 11)},
	}
	if got := mustBookRows(t, url, a, b); !cmp.Equal(got, want) {
		t.Errorf("rows of appends out of order and with gaps = %+v; want %+v", got, want)
	}

	// 40 records of 4 KiB on one account: a row holds 15.
	big := make([]corridor.BookEntry, 40)
	for i := range big {
		big[i] = corridor.BookEntry{Account: "BIG", N: uint64(i + 1), Record: bytes.Repeat([]byte{byte(i)}, corridor.MaxBookRecord)}
	}
	appendBatch(1, func(e []corridor.JournalEntry) { e[0].Booked = big })
	perRow := corridor.MaxBookRunBytes / (2 + corridor.MaxBookRecord)
	want = []bookRow{
		{"BIG", 1, int64(perRow), 12, perRow * (2 + corridor.MaxBookRecord)},
		{"BIG", int64(perRow + 1), int64(2 * perRow), 12, perRow * (2 + corridor.MaxBookRecord)},
		{"BIG", int64(2*perRow + 1), 40, 12, (40 - 2*perRow) * (2 + corridor.MaxBookRecord)},
	}
	if got := mustBookRows(t, url, "BIG"); !cmp.Equal(got, want) {
		t.Errorf("rows of 40 records of 4 KiB = %+v; want %+v", got, want)
	}
	if got, err := j.BookEntries(ctx, "BIG", 1, 100); err != nil || !cmp.Equal(got, big) {
		t.Errorf("BookEntries(BIG) = %d entries, %v; want the 40", len(got), err)
	}
}
