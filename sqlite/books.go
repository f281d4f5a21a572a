package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/corridor-network/corridor"
)

const (
	insertBookRunSQL = `INSERT INTO book_run (account, first_n, last_n, seq, records) VALUES (?, ?, ?, ?, ?)`
	bookRunsSQL      = `SELECT first_n, last_n, records FROM book_run WHERE account = ? AND last_n >= ? ORDER BY last_n LIMIT ?`
)

var _ corridor.Books = (*Journal)(nil)

// writeBooked writes runs, the book entries of an append (corridor.BookRuns), in tx. It binds the statement to tx at the first row, so that a
// batch without any costs nothing more. A number already stored for its
// account fails on book_run_disjoint, and the caller rolls the whole batch
// back.
func (db *DB) writeBooked(ctx context.Context, tx *sql.Tx, runs []corridor.BookRun) error {
	if len(runs) == 0 {
		return nil
	}
	stmt := tx.StmtContext(ctx, db.insertBookRun) // Closed with tx.
	for _, r := range runs {
		if _, err := stmt.ExecContext(ctx, r.Account, int64(r.First), int64(r.Last), int64(r.Seq), r.Records); err != nil {
			return fmt.Errorf("entry %d: insert book entries %d to %d of %s: %w", r.Seq, r.First, r.Last, r.Account, err)
		}
	}
	return nil
}

// BookEntries returns account's entries numbered from from on, in order, at
// most limit of them and at most MaxBookEntriesRead. A limit below 1, or an
// account that no entry can have (empty, or longer than
// MaxBookAccountBytes), gives none. It returns an error wrapping ErrCorrupt
// if a stored row is not one that Append could have written. Like the
// archive's reads, it shares the store's one connection with Append. It
// reads the runs from the one that holds from, or the first after it, and
// stops at the run that holds the last entry it returns: no more than
// limit runs, as each holds an entry at least.
func (j *Journal) BookEntries(ctx context.Context, account string, from uint64, limit int) ([]corridor.BookEntry, error) {
	if account == "" || len(account) > corridor.MaxBookAccountBytes || limit < 1 || from > math.MaxInt64 {
		return nil, nil
	}
	limit = min(limit, corridor.MaxBookEntriesRead)
	rows, err := j.db.sql.QueryContext(ctx, bookRunsSQL, account, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("query book entries of %s: %w", account, err)
	}
	defer func() { _ = rows.Close() }() // rows.Err below reports what matters.
	return corridor.ReadBookRuns(rows, account, from, limit)
}
