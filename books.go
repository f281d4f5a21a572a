package corridor

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Bounds of the book entries a store keeps and reads.
const (
	MaxBookAccountBytes = 64      // Bytes of a book entry's account name.
	MaxBookRecord       = 4 << 10 // Bytes of one book entry's record.
	MaxBookEntriesRead  = 5_000   // Entries one BookEntries call returns at most.
)

// BookEntry is one posting on a settlement account as its statements show
// it, which the hub keeps in the store rather than in memory (with
// retention): written with the journal entry whose command posted it, and
// read back for camt.053 statements and camt.052 reports.
type BookEntry struct {
	Account string // The settlement account, as ledger.AccountID.String writes it.
	N       uint64 // Its place on the account: 1, 2, 3 … in posting order, never reused.
	Record  []byte // The entry, in the hub's own encoding.
}

// Check reports the first way b is out of bounds, or nil.
func (b *BookEntry) Check() error {
	switch {
	case b.Account == "" || len(b.Account) > MaxBookAccountBytes:
		return fmt.Errorf("book entry: an account of %d bytes, not 1 to %d", len(b.Account), MaxBookAccountBytes)
	case b.N == 0:
		return fmt.Errorf("book entry of %.64s: number 0", b.Account)
	case b.N > math.MaxInt64: // Past what the stores' signed integers hold.
		return fmt.Errorf("book entry %d of %.64s: a number past %d", b.N, b.Account, int64(math.MaxInt64))
	case len(b.Record) == 0 || len(b.Record) > MaxBookRecord:
		return fmt.Errorf("book entry %d of %.64s: a record of %d bytes, not 1 to %d", b.N, b.Account, len(b.Record), MaxBookRecord)
	}
	return nil
}

// Books is the part of a store that keeps the entries of settlement
// accounts. Rows are written by Journal.Append, in the same transaction as
// the journal entry that carries them (JournalEntry.Booked), and never
// changed; an account's entry number is written once.
type Books interface {
	// BookEntries returns account's entries numbered from from on, in
	// order, at most limit of them (at most MaxBookEntriesRead).
	BookEntries(ctx context.Context, account string, from uint64, limit int) ([]BookEntry, error)
}

// The stores keep book entries as runs: the entries of one append on one
// account with consecutive numbers, in one row (BookRun). An append
// normally posts one run per account, so a batch writes a row per account
// it touched rather than one per entry.
const (
	// MaxBookRunBytes bounds the records of one row: a run is cut into
	// rows past it, because a read from inside a run reads the whole row.
	MaxBookRunBytes = 64 << 10
	// bookLenBytes is the length before each record in a run's records:
	// two bytes, big-endian, which hold any record in bounds.
	bookLenBytes = 2
)

const _ uint16 = MaxBookRecord

// MaxBookRunBytes holds at least one record of any size.
const _ uint = MaxBookRunBytes - (bookLenBytes + MaxBookRecord)

// BookRun is one stored row of book entries: entries First to Last of
// Account, written with the journal entry Seq (the one carrying entry
// Last), their records in order, each after its length.
type BookRun struct {
	Account     string
	First, Last uint64
	Seq         uint64
	Records     []byte
}

// BookRuns returns the rows that write the book entries entries carry: for
// each account, its entries in order of number, one row for each run of
// consecutive numbers, and another once a row's records would pass
// MaxBookRunBytes. It returns an error naming the first book entry that is
// out of bounds (BookEntry.Check) or numbered twice for one account: the
// stores call it before an append writes anything.
func BookRuns(entries []JournalEntry) ([]BookRun, error) {
	type posting struct {
		b   *BookEntry
		seq uint64
	}
	var postings []posting
	size := 0
	for i := range entries {
		e := &entries[i]
		for k := range e.Booked {
			if err := e.Booked[k].Check(); err != nil {
				return nil, fmt.Errorf("entry %d: %w", e.Seq, err)
			}
			postings = append(postings, posting{&e.Booked[k], e.Seq})
			size += bookLenBytes + len(e.Booked[k].Record)
		}
	}
	slices.SortStableFunc(postings, func(x, y posting) int {
		return cmp.Or(strings.Compare(x.b.Account, y.b.Account), cmp.Compare(x.b.N, y.b.N))
	})
	// One buffer for all the rows' records: it never grows past size, so
	// the rows' slices of it stay valid.
	buf := make([]byte, 0, size)
	var runs []BookRun
	for i, p := range postings {
		if i > 0 && postings[i-1].b.Account == p.b.Account && postings[i-1].b.N == p.b.N {
			return nil, fmt.Errorf("entry %d: book entry %d of %s twice", p.seq, p.b.N, p.b.Account)
		}
		at := len(buf)
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(p.b.Record)))
		buf = append(buf, p.b.Record...)
		if k := len(runs) - 1; k >= 0 && runs[k].Account == p.b.Account && runs[k].Last+1 == p.b.N &&
			len(runs[k].Records)+len(buf)-at <= MaxBookRunBytes {
			r := &runs[k]
			r.Last, r.Seq, r.Records = p.b.N, p.seq, r.Records[:len(r.Records)+len(buf)-at]
			continue
		}
		runs = append(runs, BookRun{Account: p.b.Account, First: p.b.N, Last: p.b.N, Seq: p.seq, Records: buf[at:]})
	}
	return runs, nil
}

// ReadBookRun appends to out the entries numbered from from on, while out
// is shorter than limit, of account's stored run from first to last with
// records, read after a run that ended at prev (0 for none). It checks the
// whole row as BookRuns wrote it, and returns an error wrapping
// ErrJournalCorrupt naming the account and number if it is not: numbers
// that are not a run after prev, or records that do not split into
// exactly one in bounds for each.
func ReadBookRun(out []BookEntry, account string, prev, first, last int64, records []byte, from uint64, limit int) ([]BookEntry, error) {
	if first < 1 || last < first {
		return nil, fmt.Errorf("%w: book entries %d to %d of %s: not a run of numbers", ErrJournalCorrupt, first, last, account)
	}
	if first <= prev {
		return nil, fmt.Errorf("%w: book entry %d of %s: in two runs (to %d, and %d to %d)", ErrJournalCorrupt, first, account, prev, first, last)
	}
	rest := records
	for n := uint64(first); ; n++ {
		if len(rest) < bookLenBytes {
			return nil, fmt.Errorf("%w: book entry %d of %s: not in its run's records (%d to %d)", ErrJournalCorrupt, n, account, first, last)
		}
		size := int(binary.BigEndian.Uint16(rest))
		rest = rest[bookLenBytes:]
		if size > len(rest) {
			return nil, fmt.Errorf("%w: book entry %d of %s: a record of %d bytes past its run's end", ErrJournalCorrupt, n, account, size)
		}
		b := BookEntry{Account: account, N: n, Record: rest[:size:size]}
		if err := b.Check(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrJournalCorrupt, err)
		}
		rest = rest[size:]
		if n >= from && len(out) < limit {
			out = append(out, b)
		}
		if n == uint64(last) {
			break
		}
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("%w: book entries %d to %d of %s: %d bytes past entry %d", ErrJournalCorrupt, first, last, account, len(rest), last)
	}
	return out, nil
}

// BookRows is the rows of stored runs a store's query returns, by number,
// each (first_n, last_n, records): database/sql's and pgx's rows both are.
type BookRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ReadBookRuns reads account's entries numbered from from on, at most
// limit, from rows that start with the run holding from (or the first
// after it), checking every run as ReadBookRun does.
func ReadBookRuns(rows BookRows, account string, from uint64, limit int) ([]BookEntry, error) {
	var (
		out  []BookEntry
		prev int64 // The last number of the run read before.
	)
	for len(out) < limit && rows.Next() {
		var (
			first, last int64
			records     []byte
		)
		if err := rows.Scan(&first, &last, &records); err != nil {
			return nil, fmt.Errorf("read book entries of %s: %w", account, err)
		}
		var err error
		if out, err = ReadBookRun(out, account, prev, first, last, records, from, limit); err != nil {
			return nil, fmt.Errorf("read book entries of %s: %w", account, err)
		}
		prev = last
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read book entries of %s: %w", account, err)
	}
	return out, nil
}
