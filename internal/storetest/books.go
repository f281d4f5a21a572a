package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
)

// Of the benchmarks' book entries: a record about the size of a posting as
// the hub encodes it for its statements, and the settlement accounts they
// are spread over, as a hub's batch spreads its postings over the accounts
// of the banks that pay in it.
const (
	BenchBookRecordBytes = 150
	BenchBookAccounts    = 8
	BenchBookRecordCount = 1024 // Records BookEach takes in turn (BenchBookRecords).
)

// Booked is entry n of account, with a record that names it.
func Booked(account string, n uint64) corridor.BookEntry {
	return corridor.BookEntry{Account: account, N: n, Record: fmt.Appendf(nil, "entry %d of %s", n, account)}
}

// BookAccount is the suite's settlement account number i.
func BookAccount(i int) string { return fmt.Sprintf("PART%04dXXX/EUR", i) }

// BenchBookRecords returns n records of recordBytes random bytes each,
// the same on every call, for BookEach: a benchmark makes them once, so
// that it times the append and not the making of records.
func BenchBookRecords(n, recordBytes int) [][]byte {
	rng := rand.New(rand.NewPCG(1, uint64(recordBytes)))
	pool := make([]byte, n*recordBytes)
	for i := range pool {
		pool[i] = byte(rng.Uint32())
	}
	records := make([][]byte, n)
	for i := range records {
		records[i] = pool[i*recordBytes : (i+1)*recordBytes : (i+1)*recordBytes]
	}
	return records
}

// BookEach gives each of entries two book entries, on two of accounts
// settlement accounts (BookAccount), about what the hub posts per payment:
// a debit and a credit. The postings go to the accounts in turn, so that
// each account is numbered 1, 2, 3 … without a gap across the batches of a
// journal that starts empty, and the two of one entry are on different
// accounts when accounts is 2 or more. They take records in turn too: with
// BenchBookRecords' random ones, more of them than a batch posts on one
// account, a store that compresses what it writes (PostgreSQL's TOAST) is
// measured writing what it cannot shrink, as records that differ in their
// amounts, references and times mostly are.
func BookEach(entries []corridor.JournalEntry, accounts int, records [][]byte) {
	for i := range entries {
		e := &entries[i]
		e.Booked = make([]corridor.BookEntry, 2)
		for side := range e.Booked {
			p := 2*(e.Seq-1) + uint64(side) // The posting's place in the whole journal.
			e.Booked[side] = corridor.BookEntry{
				Account: BookAccount(int(p % uint64(accounts))),
				N:       p/uint64(accounts) + 1,
				Record:  records[p%uint64(len(records))],
			}
		}
	}
}

func testBooks(t *testing.T, h Harness) {
	t.Run("ReadBack", func(t *testing.T) { testBooksReadBack(t, h) })
	t.Run("AtTheBounds", func(t *testing.T) { testBooksAtTheBounds(t, h) })
	t.Run("ReadLimits", func(t *testing.T) { testBooksReadLimits(t, h) })
	t.Run("ErrAppend", func(t *testing.T) { testBooksErrAppend(t, h) })
	t.Run("AppendOnly", func(t *testing.T) { testBooksAppendOnly(t, h) })
	t.Run("Corrupt", func(t *testing.T) { testBooksCorrupt(t, h) })
	t.Run("Runs", func(t *testing.T) { testBooksRuns(t, h) })
}

// appendBooked appends n entries with payloads of payloadBytes continuing
// j's chain, book setting the book entries they carry, and returns them.
func appendBooked(tb testing.TB, j Journal, n, payloadBytes int, book func(batch []corridor.JournalEntry)) []corridor.JournalEntry {
	tb.Helper()
	seq, hash := j.LastSeq()
	batch := Chain(seq, hash, n, payloadBytes)
	book(batch)
	if err := j.Append(context.Background(), batch); err != nil {
		tb.Fatalf("Append(%d..%d) with book entries: %v", seq+1, seq+uint64(n), err)
	}
	return batch
}

// readBooks returns account's entries from from on, read a page of limit
// at a time up to the first short page, and fails tb if a page is out of
// order, longer than limit, or starts before the number it was asked for.
func readBooks(tb testing.TB, j Journal, account string, from uint64, limit int) []corridor.BookEntry {
	tb.Helper()
	var all []corridor.BookEntry
	for {
		page, err := j.BookEntries(context.Background(), account, from, limit)
		if err != nil {
			tb.Fatalf("BookEntries(%q, %d, %d): %v", account, from, limit, err)
		}
		if len(page) > limit {
			tb.Fatalf("BookEntries(%q, %d, %d) gave %d entries", account, from, limit, len(page))
		}
		for _, b := range page {
			if b.N < from {
				tb.Fatalf("BookEntries(%q, %d, %d) gave entry %d, out of order or before %d", account, from, limit, b.N, from)
			}
			from = b.N + 1
		}
		all = append(all, page...)
		if len(page) < limit {
			return all
		}
	}
}

// checkBooks fails tb unless j holds exactly want of account (in order),
// read in pages of each size.
func checkBooks(tb testing.TB, j Journal, account string, want []corridor.BookEntry) {
	tb.Helper()
	for _, limit := range []int{1, 2, 5, len(want), corridor.MaxBookEntriesRead} {
		if limit < 1 {
			continue
		}
		if diff := cmp.Diff(want, readBooks(tb, j, account, 0, limit)); diff != "" {
			tb.Errorf("BookEntries(%q) in pages of %d mismatch (-want +got):\n%s", account, limit, diff)
		}
	}
}

func testBooksReadBack(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.Fresh(t)
	j := MustOpen(t, s)
	a, b := "BANKDEFFXXX/EUR", "BANKFRPPXXX/EUR"
	// Accounts that a careless query would mix up with a: a prefix of it,
	// it with a byte more, and it in lower case.
	prefix, longer, lower := a[:len(a)-1], a+"X", strings.ToLower(a)
	var wantA, wantB []corridor.BookEntry
	for n := uint64(1); n <= 13; n++ { // Past 9, so an order by text would show.
		wantA = append(wantA, Booked(a, n))
	}
	for n := uint64(1); n <= 3; n++ {
		wantB = append(wantB, Booked(b, n))
	}
	others := []corridor.BookEntry{Booked(prefix, 1), Booked(longer, 1), Booked(lower, 1)}
	// Two batches; entries 2 and 6 post nothing, entry 3 posts a's 3
	// before its 2, and entry 5 posts on four accounts.
	entries := appendBooked(t, j, 4, 16, func(e []corridor.JournalEntry) {
		e[0].Booked = []corridor.BookEntry{wantA[0], wantB[0]}
		e[2].Booked = []corridor.BookEntry{wantA[2], wantA[1], wantB[1], others[0]}
		e[3].Booked = []corridor.BookEntry{wantA[3]}
	})
	entries = append(entries, appendBooked(t, j, 3, 16, func(e []corridor.JournalEntry) {
		e[0].Booked = append([]corridor.BookEntry{wantB[2], others[1], others[2]}, wantA[4:12]...)
		e[2].Booked = wantA[12:]
	})...)
	checkBooks(t, j, a, wantA)
	checkBooks(t, j, b, wantB)
	for _, o := range others {
		checkBooks(t, j, o.Account, []corridor.BookEntry{o})
	}
	if got, err := j.BookEntries(ctx, a, 5, 3); err != nil || !cmp.Equal(got, wantA[4:7]) {
		t.Errorf("BookEntries(%q, 5, 3) = %v, %v; want entries 5 to 7", a, got, err)
	}
	checkReplay(t, j, entries)
	MustAppend(t, j, 2, 16) // An entry without book entries is written as it was before.
	mustClose(t, j)

	j = MustOpen(t, s)
	checkBooks(t, j, a, wantA)
	checkBooks(t, j, b, wantB)
	if got, err := ReplayAll(t, j, 0); err != nil || len(got) != 9 {
		t.Errorf("Replay(0) after reopening = %d entries, %v; want 9", len(got), err)
	}
}

// bookCase is an append that carries a book entry of its own beside the
// right ones, and what the store says of it.
type bookCase struct {
	name  string
	entry corridor.BookEntry
	want  string // The error Append returns mentions it; "" if it succeeds.
}

func testBooksAtTheBounds(t *testing.T, h Harness) {
	const a = "BANKDEFFXXX/EUR"
	long, tooLong := strings.Repeat("A", corridor.MaxBookAccountBytes), strings.Repeat("A", corridor.MaxBookAccountBytes+1)
	record := func(n int) []byte {
		r := make([]byte, n)
		for i := range r {
			r[i] = byte(i) // Any bytes: 0x00 and 0xff among them.
		}
		return r
	}
	tests := []bookCase{
		{"Account64", corridor.BookEntry{Account: long, N: 1, Record: []byte("r")}, ""},
		{"Record4KiB", corridor.BookEntry{Account: a, N: 3, Record: record(corridor.MaxBookRecord)}, ""},
		{"NMaxInt64", corridor.BookEntry{Account: a, N: math.MaxInt64, Record: []byte("r")}, ""},
		{"Account65", corridor.BookEntry{Account: tooLong, N: 1, Record: []byte("r")},
			fmt.Sprintf("an account of %d bytes", corridor.MaxBookAccountBytes+1)},
		{"AccountEmpty", corridor.BookEntry{N: 1, Record: []byte("r")}, "an account of 0 bytes"},
		{"Record4KiBPlus1", corridor.BookEntry{Account: a, N: 3, Record: record(corridor.MaxBookRecord + 1)},
			fmt.Sprintf("book entry 3 of %s: a record of %d bytes", a, corridor.MaxBookRecord+1)},
		{"RecordEmpty", corridor.BookEntry{Account: a, N: 3, Record: []byte{}}, "book entry 3 of " + a + ": a record of 0 bytes"},
		{"RecordNil", corridor.BookEntry{Account: a, N: 3}, "book entry 3 of " + a + ": a record of 0 bytes"},
		{"N0", corridor.BookEntry{Account: a, N: 0, Record: []byte("r")}, "book entry of " + a + ": number 0"},
		{"NPastInt64", corridor.BookEntry{Account: a, N: math.MaxInt64 + 1, Record: []byte("r")},
			fmt.Sprintf("book entry %d of %s", uint64(math.MaxInt64+1), a)},
		{"TwiceInAppend", Booked(a, 2), "book entry 2 of " + a + " twice"},
		{"StoredBefore", Booked(a, 1), "book entr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { testBookCase(t, h, tt) })
	}
}

// testBookCase appends entries 1 and 2, entry 2 posting a's 1, then
// entries 3 to 5, entry 3 posting a's 2 and b's 1 and entry 5 posting
// tt.entry. If the second append is refused, nothing of it is written, and
// it then goes in without tt.entry.
func testBookCase(t *testing.T, h Harness, tt bookCase) {
	ctx := context.Background()
	const a, b = "BANKDEFFXXX/EUR", "BANKFRPPXXX/EUR"
	j := MustOpen(t, h.Fresh(t))
	before := appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) { e[1].Booked = []corridor.BookEntry{Booked(a, 1)} })
	seq, hash := j.LastSeq()
	batch := Chain(seq, hash, 3, 16)
	good := []corridor.BookEntry{Booked(a, 2), Booked(b, 1)}
	batch[0].Booked = good
	batch[2].Booked = []corridor.BookEntry{tt.entry}
	err := j.Append(ctx, batch)
	if tt.want == "" {
		if err != nil {
			t.Fatalf("Append with %s: %v", tt.name, err)
		}
		checkBooks(t, j, tt.entry.Account, bookedOf(append(before, batch...), tt.entry.Account))
		return
	}
	if err == nil || !strings.Contains(err.Error(), "append journal batch 3..5: ") || !strings.Contains(err.Error(), tt.want) {
		t.Fatalf("Append = %v; want an error naming batch 3..5 and %q", err, tt.want)
	}
	if gotSeq, _ := j.LastSeq(); gotSeq != seq {
		t.Errorf("LastSeq() after the failed Append = %d; want %d", gotSeq, seq)
	}
	checkBooks(t, j, a, []corridor.BookEntry{Booked(a, 1)})
	checkBooks(t, j, b, nil)
	checkReplay(t, j, before)
	// Nothing is left locked or written: the batch goes in without it.
	batch[2].Booked = nil
	if err := j.Append(ctx, batch); err != nil {
		t.Fatalf("Append without %s: %v", tt.name, err)
	}
	checkBooks(t, j, a, []corridor.BookEntry{Booked(a, 1), Booked(a, 2)})
	checkBooks(t, j, b, good[1:])
}

// bookedOf returns the book entries of account that entries carry, in
// order of number.
func bookedOf(entries []corridor.JournalEntry, account string) []corridor.BookEntry {
	var out []corridor.BookEntry
	for _, e := range entries {
		for _, b := range e.Booked {
			if b.Account == account {
				out = append(out, b)
			}
		}
	}
	for i := 1; i < len(out); i++ { // Insertion sort: a handful of entries.
		for k := i; k > 0 && out[k].N < out[k-1].N; k-- {
			out[k], out[k-1] = out[k-1], out[k]
		}
	}
	return out
}

func testBooksReadLimits(t *testing.T, h Harness) {
	ctx := context.Background()
	const a = "BANKDEFFXXX/EUR"
	j := MustOpen(t, h.Fresh(t))
	total := corridor.MaxBookEntriesRead + 5
	appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) {
		for n := 1; n <= total; n++ {
			e[n%2].Booked = append(e[n%2].Booked, corridor.BookEntry{Account: a, N: uint64(n), Record: []byte{byte(n)}})
		}
	})
	tests := []struct {
		account     string
		from        uint64
		limit       int
		first, size int // The numbers wanted: first, first+1 … size of them.
	}{
		{a, 1, 0, 0, 0},
		{a, 1, -1, 0, 0},
		{a, 1, math.MinInt, 0, 0},
		{a, 0, 1, 1, 1},
		{a, 1, corridor.MaxBookEntriesRead + 1, 1, corridor.MaxBookEntriesRead},
		{a, 3, math.MaxInt, 3, corridor.MaxBookEntriesRead},
		{a, uint64(total) - 1, 10, total - 1, 2},
		{a, uint64(total), 1, total, 1},
		{a, uint64(total) + 1, 10, 0, 0}, // Past the end.
		{a, math.MaxInt64, 10, 0, 0},
		{a, math.MaxInt64 + 1, 10, 0, 0},
		{a, math.MaxUint64, 10, 0, 0},
		{"", 1, 10, 0, 0},
		{strings.Repeat("A", corridor.MaxBookAccountBytes+1), 1, 10, 0, 0},
		{"BANKFRPPXXX/EUR", 1, 10, 0, 0},
	}
	for _, tt := range tests {
		got, err := j.BookEntries(ctx, tt.account, tt.from, tt.limit)
		if err != nil || len(got) != tt.size {
			t.Errorf("BookEntries(%.16q, %d, %d) = %d entries, %v; want %d", tt.account, tt.from, tt.limit, len(got), err, tt.size)
			continue
		}
		for i, b := range got {
			if n := uint64(tt.first + i); b.N != n || b.Account != a || len(b.Record) != 1 || b.Record[0] != byte(n) {
				t.Errorf("BookEntries(%.16q, %d, %d)[%d] = entry %d of %s, record %x; want entry %d", tt.account, tt.from, tt.limit, i, b.N, b.Account, b.Record, n)
				break
			}
		}
	}
}

// testBooksErrAppend checks that an Append that fails for a reason other
// than its book entries writes none of them either.
func testBooksErrAppend(t *testing.T, h Harness) {
	const a = "BANKDEFFXXX/EUR"
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	j := MustOpen(t, h.Fresh(t))
	before := appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) { e[1].Booked = []corridor.BookEntry{Booked(a, 1)} })
	seq, hash := j.LastSeq()
	batch := Chain(seq, hash, 3, 16)
	batch[0].Booked = []corridor.BookEntry{Booked(a, 2)}
	if err := j.Append(canceled, batch); !errors.Is(err, context.Canceled) {
		t.Errorf("Append(canceled) = %v; want context.Canceled", err)
	}
	gap := append([]corridor.JournalEntry(nil), batch...)
	gap[2] = rechain(gap[2], 1, gap[1].Hash)
	if got := appendPanic(j, gap); !strings.Contains(got, "entry 5 is missing, the next is entry 6") {
		t.Errorf("Append(a gap) panicked with %q; want the gap named", got)
	}
	if gotSeq, _ := j.LastSeq(); gotSeq != seq {
		t.Errorf("LastSeq() after the failed Appends = %d; want %d", gotSeq, seq)
	}
	checkBooks(t, j, a, before[1].Booked)
	checkReplay(t, j, before)
}

// testBooksAppendOnly checks that another client can neither change nor
// remove a stored run, nor add one that holds a number stored already.
func testBooksAppendOnly(t *testing.T, h Harness) {
	s := h.Fresh(t)
	j := MustOpen(t, s)
	want := bookRange("BANKDEFFXXX/EUR", 1, 3)
	appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) { e[1].Booked = want })
	for stmt, guard := range map[string]string{
		`UPDATE book_run SET records = records`:   "append-only",
		`UPDATE book_run SET last_n = last_n + 1`: "append-only",
		`DELETE FROM book_run`:                    "append-only",
		`INSERT INTO book_run (account, first_n, last_n, seq, records)
			SELECT account, last_n, last_n + 1, seq, records FROM book_run`: "stored already",
	} {
		if err := s.Exec(t, stmt); err == nil || !strings.Contains(err.Error(), guard) {
			t.Errorf("%s = %v; want the guard's error, with %q", stmt, err, guard)
		}
	}
	checkBooks(t, j, want[0].Account, want)
}

// bookRange is account's entries first to last (Booked).
func bookRange(account string, first, last uint64) []corridor.BookEntry {
	var out []corridor.BookEntry
	for n := first; n <= last; n++ {
		out = append(out, Booked(account, n))
	}
	return out
}

// testBooksCorrupt alters the middle one of three runs of an account
// behind the store's back, in ways Append would not write it: reading it
// is ErrCorrupt naming the account and an entry, and the runs before and
// after it read as before.
func testBooksCorrupt(t *testing.T, h Harness) {
	const a = "BANKDEFFXXX/EUR"
	for _, tt := range []struct {
		name, set, want string
	}{
		// A payload is no run's records: its first two bytes, "pa", are
		// the length of a record longer than the payload.
		{"Records", `records = (SELECT payload FROM journal WHERE journal.seq = 1)`, "book entry 4 of " + a + ": a record of 28769 bytes"},
		{"Truncated", `records = substr(records, 1, length(records) - 1)`, "book entry 6 of " + a + ": a record of"},
		{"Short", `last_n = last_n + 1`, "book entry 7 of " + a + ": not in its run's records"},
		{"Long", `first_n = first_n + 1`, "book entries 5 to 6 of " + a + ": "},
		{"Overlap", `first_n = first_n - 1`, "book entry 3 of " + a + ": in two runs"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := h.Fresh(t)
			j := MustOpen(t, s)
			for first := uint64(1); first <= 7; first += 3 {
				appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) { e[1].Booked = bookRange(a, first, first+2) })
			}
			mustClose(t, j)
			s.Tamper(t, `UPDATE book_run SET `+tt.set+` WHERE last_n = 6`)

			j = MustOpen(t, s)
			if _, err := j.BookEntries(ctx, a, 1, 10); !errors.Is(err, h.ErrCorrupt) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("BookEntries over the altered run = %v; want ErrCorrupt with %q", err, tt.want)
			}
			if got, err := j.BookEntries(ctx, a, 1, 3); err != nil || !cmp.Equal(got, bookRange(a, 1, 3)) {
				t.Errorf("BookEntries(%q, 1, 3) = %v, %v; want the run before the altered one", a, got, err)
			}
			// From 8, as the altered run may end at 7 now.
			if got, err := j.BookEntries(ctx, a, 8, 10); err != nil || !cmp.Equal(got, bookRange(a, 8, 9)) {
				t.Errorf("BookEntries(%q, 8, 10) = %v, %v; want the run after the altered one", a, got, err)
			}
		})
	}
}

// testBooksRuns checks the books through the runs a store may keep them
// in, the entries of an append on one account with consecutive numbers:
// read from inside a run and across runs, an append with gaps in an
// account's numbers and one that fills them, and the numbers of a run
// refused whether a new run would hold them all, some or one.
func testBooksRuns(t *testing.T, h Harness) {
	t.Run("Inside", func(t *testing.T) { testBooksInsideRuns(t, h) })
	t.Run("Gaps", func(t *testing.T) { testBooksGaps(t, h) })
	t.Run("Overlap", func(t *testing.T) { testBooksOverlap(t, h) })
	t.Run("Large", func(t *testing.T) { testBooksLarge(t, h) })
}

// checkRead fails tb unless j gives want as account's entries from from,
// at most limit.
func checkRead(tb testing.TB, j Journal, account string, from uint64, limit int, want []corridor.BookEntry) {
	tb.Helper()
	got, err := j.BookEntries(context.Background(), account, from, limit)
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		tb.Errorf("BookEntries(%q, %d, %d) = %v, mismatch (-want +got):\n%s", account, from, limit, err, diff)
	}
}

func testBooksInsideRuns(t *testing.T, h Harness) {
	const a, b = "BANKDEFFXXX/EUR", "BANKFRPPXXX/EUR"
	j := MustOpen(t, h.Fresh(t))
	// Two appends of 10 entries each posting a's next entry and b's.
	for first := uint64(1); first <= 11; first += 10 {
		appendBooked(t, j, 10, 16, func(e []corridor.JournalEntry) {
			for i := range e {
				n := first + uint64(i)
				e[i].Booked = []corridor.BookEntry{Booked(a, n), Booked(b, n)}
			}
		})
	}
	for _, tt := range []struct {
		from        uint64
		limit       int
		first, last uint64 // The numbers wanted; none if last is 0.
	}{
		{4, 3, 4, 6},    // Inside the first run.
		{1, 10, 1, 10},  // The first run, no more.
		{9, 4, 9, 12},   // Across the two.
		{10, 1, 10, 10}, // The first run's last entry.
		{11, 1, 11, 11}, // The second run's first.
		{2, 100, 2, 20}, // From inside the first to the end.
		{20, 5, 20, 20},
		{21, 5, 0, 0},
	} {
		var want []corridor.BookEntry
		if tt.last != 0 {
			want = bookRange(a, tt.first, tt.last)
		}
		checkRead(t, j, a, tt.from, tt.limit, want)
	}
	checkBooks(t, j, a, bookRange(a, 1, 20))
	checkBooks(t, j, b, bookRange(b, 1, 20))
}

func testBooksGaps(t *testing.T, h Harness) {
	const a, b = "BANKDEFFXXX/EUR", "BANKFRPPXXX/EUR"
	s := h.Fresh(t)
	j := MustOpen(t, s)
	// One append posts a's 1 to 3, 7, 8 and 10, not in order, and b's 5:
	// runs of 3, of 2 and of 1.
	appendBooked(t, j, 3, 16, func(e []corridor.JournalEntry) {
		e[0].Booked = []corridor.BookEntry{Booked(a, 1), Booked(a, 7), Booked(b, 5)}
		e[1].Booked = []corridor.BookEntry{Booked(a, 3), Booked(a, 2), Booked(a, 10)}
		e[2].Booked = []corridor.BookEntry{Booked(a, 8)}
	})
	posted := []corridor.BookEntry{Booked(a, 1), Booked(a, 2), Booked(a, 3), Booked(a, 7), Booked(a, 8), Booked(a, 10)}
	checkBooks(t, j, a, posted)
	checkRead(t, j, a, 4, 10, posted[3:])
	checkRead(t, j, a, 2, 3, posted[1:4])
	checkRead(t, j, a, 9, 1, posted[5:])
	checkRead(t, j, a, 11, 1, nil)
	checkBooks(t, j, b, []corridor.BookEntry{Booked(b, 5)})
	// The next append fills the gaps: a's 4 to 6 and 9, and b's 1 to 4.
	appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) {
		e[0].Booked = append(bookRange(a, 4, 6), bookRange(b, 1, 2)...)
		e[1].Booked = append(bookRange(b, 3, 4), Booked(a, 9))
	})
	checkBooks(t, j, a, bookRange(a, 1, 10))
	checkBooks(t, j, b, bookRange(b, 1, 5))
	mustClose(t, j)
	j = MustOpen(t, s)
	checkBooks(t, j, a, bookRange(a, 1, 10))
	checkRead(t, j, a, 5, 4, bookRange(a, 5, 8))
}

func testBooksOverlap(t *testing.T, h Harness) {
	ctx := context.Background()
	const a, b = "BANKDEFFXXX/EUR", "BANKFRPPXXX/EUR"
	j := MustOpen(t, h.Fresh(t))
	appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) { e[0].Booked = bookRange(a, 3, 5) })
	appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) { e[1].Booked = bookRange(a, 10, 12) })
	stored := append(bookRange(a, 3, 5), bookRange(a, 10, 12)...)
	for _, tt := range []struct {
		name   string
		posted []corridor.BookEntry
	}{
		{"Around", bookRange(a, 1, 6)},
		{"Start", bookRange(a, 1, 3)},
		{"End", bookRange(a, 5, 7)},
		{"Inside", bookRange(a, 4, 4)},
		{"InsideTheLast", bookRange(a, 11, 11)},
		{"Between", bookRange(a, 6, 10)},
		{"Both", bookRange(a, 2, 13)},
		{"Past", append(bookRange(a, 13, 14), Booked(a, 12))},
	} {
		seq, hash := j.LastSeq()
		batch := Chain(seq, hash, 2, 16)
		batch[0].Booked = []corridor.BookEntry{Booked(b, 1)}
		batch[1].Booked = tt.posted
		err := j.Append(ctx, batch)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("append journal batch %d..%d: ", seq+1, seq+2)) || !strings.Contains(err.Error(), a) {
			t.Errorf("%s: Append of %s's %d to %d over its 3 to 5 and 10 to 12 = %v; want an error naming the batch and the account",
				tt.name, a, tt.posted[0].N, tt.posted[len(tt.posted)-1].N, err)
		}
		if gotSeq, _ := j.LastSeq(); gotSeq != seq {
			t.Errorf("%s: LastSeq() after the failed Append = %d; want %d", tt.name, gotSeq, seq)
		}
		checkBooks(t, j, b, nil)
		checkBooks(t, j, a, stored)
	}
	// What no run holds goes in, beside the runs and between them.
	appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) { e[0].Booked = bookRange(a, 1, 2) })
	appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) { e[0].Booked = bookRange(a, 6, 9); e[1].Booked = bookRange(a, 13, 13) })
	checkBooks(t, j, a, bookRange(a, 1, 13))
}

// testBooksLarge appends one account's 40 records of MaxBookRecord, more
// than a store may keep in one row, and reads them back.
func testBooksLarge(t *testing.T, h Harness) {
	const a = "BANKDEFFXXX/EUR"
	j := MustOpen(t, h.Fresh(t))
	posted := make([]corridor.BookEntry, 40)
	for i := range posted {
		posted[i] = corridor.BookEntry{Account: a, N: uint64(i + 1), Record: bytes.Repeat([]byte{byte(i)}, corridor.MaxBookRecord)}
	}
	appendBooked(t, j, 2, 16, func(e []corridor.JournalEntry) { e[0].Booked = posted[:20]; e[1].Booked = posted[20:] })
	checkBooks(t, j, a, posted)
	checkRead(t, j, a, 14, 5, posted[13:18])
}
