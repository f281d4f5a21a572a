package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/corridor-network/corridor"
)

const bookEntriesSQL = `SELECT n, record FROM book_entry WHERE account = $1 AND n >= $2 ORDER BY n LIMIT $3`

// bookedCopyColumns are book_entry's columns in the order bookedRows gives
// them.
var bookedCopyColumns = []string{"account", "n", "seq", "record"}

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

// writeBooked writes the book entries that entries carry in tx, by binary
// COPY: as fast as one INSERT from arrays for batches of 256 entries
// posting two each, and faster for batches of 16. A batch without any
// costs nothing more. A number already stored for its account fails on the
// primary key, and the caller rolls the whole batch back.
func writeBooked(ctx context.Context, tx pgx.Tx, entries []corridor.JournalEntry) error {
	rows := bookedRows(entries)
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"book_entry"}, bookedCopyColumns, pgx.CopyFromRows(rows)); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Detail != "" {
			// The detail names the row, such as the account and number
			// stored already, which the error's text leaves out.
			return fmt.Errorf("copy book entries: %w: %s", err, pgErr.Detail)
		}
		return fmt.Errorf("copy book entries: %w", err)
	}
	return nil
}

// bookedRows returns the book_entry rows of the book entries entries
// carry, in bookedCopyColumns' order.
func bookedRows(entries []corridor.JournalEntry) [][]any {
	var rows [][]any
	for i := range entries {
		e := &entries[i]
		for k := range e.Booked {
			b := &e.Booked[k]
			rows = append(rows, []any{b.Account, int64(b.N), int64(e.Seq), b.Record})
		}
	}
	return rows
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
	rows, err := j.db.pool.Query(ctx, bookEntriesSQL, account, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("query book entries of %s: %w", account, err)
	}
	defer rows.Close()
	var out []corridor.BookEntry
	for rows.Next() {
		b, err := scanBooked(rows, account)
		if err != nil {
			return nil, fmt.Errorf("read book entries of %s: %w", account, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read book entries of %s: %w", account, err)
	}
	return out, nil
}

// scanBooked reads one book_entry row of account and checks it as Append
// did before writing it.
func scanBooked(row pgx.Row, account string) (corridor.BookEntry, error) {
	var (
		n      int64
		record []byte
	)
	if err := row.Scan(&n, &record); err != nil {
		return corridor.BookEntry{}, err
	}
	// The query reads from a number of 0 or more, so n is not negative,
	// and Check refuses a 0.
	b := corridor.BookEntry{Account: account, N: uint64(n), Record: record}
	if err := b.Check(); err != nil {
		return corridor.BookEntry{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return b, nil
}
