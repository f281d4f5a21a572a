package postgres

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/corridor-network/corridor"
)

// MaxBookRunBytes bounds the records of one book_run row: Append starts
// another row of the run past it, because a read from inside a run reads
// the whole row.
const MaxBookRunBytes = 64 << 10

// bookLenBytes is the length before each record in a run's records: two
// bytes, big-endian, which hold any record in bounds.
const bookLenBytes = 2

const _ uint16 = corridor.MaxBookRecord

// MaxBookRunBytes holds at least one record of any size.
const _ uint = MaxBookRunBytes - (bookLenBytes + corridor.MaxBookRecord)

// bookRunsSQL reads the runs of account $1 that hold its entries from $2
// on, in order, up to the run that holds the $3rd of them: the running
// count of the entries the runs before a run hold from $2 on (before)
// tells the server which to send, as a row holds many entries. It scans
// no more than $3 runs, since each holds an entry at least; a run's count
// is taken at most $3, which keeps the sum an integer's.
const bookRunsSQL = `SELECT first_n, last_n, records FROM (
		SELECT first_n, last_n, records, sum(held) OVER (ORDER BY last_n ROWS UNBOUNDED PRECEDING) - held AS before
		FROM (
			SELECT first_n, last_n, records, least(last_n - greatest(first_n, $2) + 1, $3)::integer AS held
			FROM book_run WHERE account = $1 AND last_n >= $2 ORDER BY last_n LIMIT $3
		) AS run
	) AS run WHERE before < $3 ORDER BY last_n`

// bookRunColumns are book_run's columns in the order bookRunRows gives
// them.
var bookRunColumns = []string{"account", "first_n", "last_n", "seq", "records"}

var _ corridor.Books = (*Journal)(nil)

// checkBookNumbers returns an error naming the first book entry of entries
// whose number PostgreSQL's BIGINT cannot hold. BookEntry.Check does not
// bound the number from above, and a number written as a negative one
// would sort before all the others.
func checkBookNumbers(entries []corridor.JournalEntry) error {
	for i := range entries {
		e := &entries[i]
		for k := range e.Booked {
			if b := &e.Booked[k]; b.N > math.MaxInt64 {
				return fmt.Errorf("entry %d: book entry %d of %.64s: a number past %d", e.Seq, b.N, b.Account, int64(math.MaxInt64))
			}
		}
	}
	return nil
}

// bookRun is one row of book_run: book entries of one append on one
// account with consecutive numbers.
type bookRun struct {
	account     string
	first, last uint64 // The numbers of its first and last entry.
	seq         uint64 // The journal entry that carries entry last.
	records     []byte // The entries' records in order, each after its length (bookLenBytes).
}

// bookRuns returns the rows that write the book entries entries carry: for
// each account, its entries in order of number, one row for each run of
// consecutive numbers, and another once a row's records would pass
// MaxBookRunBytes. An append normally posts one run per account. The
// entries have passed CheckBooked and checkBookNumbers: no account has a
// number twice, and none is past MaxInt64.
func bookRuns(entries []corridor.JournalEntry) []bookRun {
	type posting struct {
		b   *corridor.BookEntry
		seq uint64
	}
	count, size := 0, 0
	for i := range entries {
		for k := range entries[i].Booked {
			count++
			size += bookLenBytes + len(entries[i].Booked[k].Record)
		}
	}
	if count == 0 {
		return nil
	}
	postings := make([]posting, 0, count)
	for i := range entries {
		e := &entries[i]
		for k := range e.Booked {
			postings = append(postings, posting{&e.Booked[k], e.Seq})
		}
	}
	slices.SortFunc(postings, func(x, y posting) int {
		return cmp.Or(strings.Compare(x.b.Account, y.b.Account), cmp.Compare(x.b.N, y.b.N))
	})
	// One buffer for all the rows' records: it never grows past size, so
	// the rows' slices of it stay valid.
	buf := make([]byte, 0, size)
	var runs []bookRun
	for _, p := range postings {
		at := len(buf)
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(p.b.Record)))
		buf = append(buf, p.b.Record...)
		if k := len(runs) - 1; k >= 0 && runs[k].account == p.b.Account && runs[k].last+1 == p.b.N &&
			len(runs[k].records)+len(buf)-at <= MaxBookRunBytes {
			r := &runs[k]
			r.last, r.seq, r.records = p.b.N, p.seq, r.records[:len(r.records)+len(buf)-at]
			continue
		}
		runs = append(runs, bookRun{account: p.b.Account, first: p.b.N, last: p.b.N, seq: p.seq, records: buf[at:]})
	}
	return runs
}

// writeBooked writes the book entries that entries carry in tx, a row per
// run (bookRuns), by binary COPY: for the few rows of a batch (8 for 256
// entries on 8 accounts) as fast as one INSERT from arrays, within the
// noise of what was measured. A batch without any costs nothing more. A
// number already stored for its account fails on book_run_disjoint, and
// the caller rolls the whole batch back.
func writeBooked(ctx context.Context, tx pgx.Tx, entries []corridor.JournalEntry) error {
	runs := bookRuns(entries)
	if len(runs) == 0 {
		return nil
	}
	rows := pgx.CopyFromSlice(len(runs), func(i int) ([]any, error) {
		r := &runs[i]
		return []any{r.account, int64(r.first), int64(r.last), int64(r.seq), r.records}, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"book_run"}, bookRunColumns, rows); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Detail != "" {
			// The detail names the row, such as the run that holds the
			// numbers stored already, which the error's text leaves out.
			return fmt.Errorf("copy book entries: %w: %s", err, pgErr.Detail)
		}
		return fmt.Errorf("copy book entries: %w", err)
	}
	return nil
}

// BookEntries returns account's entries numbered from from on, in order, at
// most limit of them and at most MaxBookEntriesRead. A limit below 1, or an
// account that no entry can have (empty, or longer than
// MaxBookAccountBytes), gives none. It returns an error wrapping ErrCorrupt
// if a stored row is not one that Append could have written. A standby,
// which holds no lease, reads what the leader wrote.
func (j *Journal) BookEntries(ctx context.Context, account string, from uint64, limit int) ([]corridor.BookEntry, error) {
	if account == "" || len(account) > corridor.MaxBookAccountBytes || limit < 1 || from > math.MaxInt64 {
		return nil, nil
	}
	limit = min(limit, corridor.MaxBookEntriesRead)
	rows, err := j.db.pool.Query(ctx, bookRunsSQL, account, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("query book entries of %s: %w", account, err)
	}
	defer rows.Close()
	var (
		out  []corridor.BookEntry
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
		if out, err = readRun(out, account, prev, first, last, records, from, limit); err != nil {
			return nil, fmt.Errorf("read book entries of %s: %w", account, err)
		}
		prev = last
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read book entries of %s: %w", account, err)
	}
	return out, nil
}

// readRun appends to out the entries numbered from from on, while out is
// shorter than limit, of account's run from first to last with records,
// read after a run that ended at prev (0 for none). It checks the whole row
// as Append wrote it, and returns an error wrapping ErrCorrupt naming the
// account and number if it is not: numbers that are not a run after prev,
// or records that do not split into exactly one in bounds for each.
func readRun(out []corridor.BookEntry, account string, prev, first, last int64, records []byte, from uint64, limit int) ([]corridor.BookEntry, error) {
	if first < 1 || last < first {
		return nil, fmt.Errorf("%w: book entries %d to %d of %s: not a run of numbers", ErrCorrupt, first, last, account)
	}
	if first <= prev {
		return nil, fmt.Errorf("%w: book entry %d of %s: in two runs (to %d, and %d to %d)", ErrCorrupt, first, account, prev, first, last)
	}
	rest := records
	for n := uint64(first); ; n++ {
		if len(rest) < bookLenBytes {
			return nil, fmt.Errorf("%w: book entry %d of %s: not in its run's records (%d to %d)", ErrCorrupt, n, account, first, last)
		}
		size := int(binary.BigEndian.Uint16(rest))
		rest = rest[bookLenBytes:]
		if size > len(rest) {
			return nil, fmt.Errorf("%w: book entry %d of %s: a record of %d bytes past its run's end", ErrCorrupt, n, account, size)
		}
		b := corridor.BookEntry{Account: account, N: n, Record: rest[:size:size]}
		if err := b.Check(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
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
		return nil, fmt.Errorf("%w: book entries %d to %d of %s: %d bytes past entry %d", ErrCorrupt, first, last, account, len(rest), last)
	}
	return out, nil
}
