package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/corridor-network/corridor"
)

const (
	insertBookedSQL = `INSERT INTO book_entry (account, n, seq, record) VALUES (?, ?, ?, ?)`
	bookEntriesSQL  = `SELECT n, record FROM book_entry WHERE account = ? AND n >= ? ORDER BY n LIMIT ?`
)

var _ corridor.Books = (*Journal)(nil)

// checkBookNumbers returns an error naming the first book entry of entries
// whose number SQLite's INTEGER cannot hold. BookEntry.Check does not bound
// the number from above, and a number written as a negative one would sort
// before all the others.
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

// writeBooked writes the book entries that entries carry in tx. It binds
// the statement to tx at the first one, so that a batch without any costs
// nothing more. A number already stored for its account fails on the
// primary key, and the caller rolls the whole batch back.
func (db *DB) writeBooked(ctx context.Context, tx *sql.Tx, entries []corridor.JournalEntry) error {
	var stmt *sql.Stmt // Closed with tx.
	for i := range entries {
		e := &entries[i]
		for k := range e.Booked {
			if stmt == nil {
				stmt = tx.StmtContext(ctx, db.insertBooked)
			}
			b := &e.Booked[k]
			if _, err := stmt.ExecContext(ctx, b.Account, int64(b.N), int64(e.Seq), b.Record); err != nil {
				return fmt.Errorf("entry %d: insert book entry %d of %s: %w", e.Seq, b.N, b.Account, err)
			}
		}
	}
	return nil
}

// BookEntries returns account's entries numbered from from on, in order, at
// most limit of them and at most MaxBookEntriesRead. A limit below 1, or an
// account that no entry can have (empty, or longer than
// MaxBookAccountBytes), gives none. It returns an error wrapping ErrCorrupt
// if a stored row is not one that Append could have written. Like the
// archive's reads, it shares the store's one connection with Append.
func (j *Journal) BookEntries(ctx context.Context, account string, from uint64, limit int) ([]corridor.BookEntry, error) {
	if account == "" || len(account) > corridor.MaxBookAccountBytes || limit < 1 || from > math.MaxInt64 {
		return nil, nil
	}
	limit = min(limit, corridor.MaxBookEntriesRead)
	rows, err := j.db.sql.QueryContext(ctx, bookEntriesSQL, account, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("query book entries of %s: %w", account, err)
	}
	defer func() { _ = rows.Close() }() // rows.Err below reports what matters.
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
func scanBooked(row interface{ Scan(...any) error }, account string) (corridor.BookEntry, error) {
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
