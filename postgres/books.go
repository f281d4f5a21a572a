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

// writeBooked writes runs, the book entries of an append, in tx, a row per
// run (corridor.BookRuns), by binary COPY: for the few rows of a batch (8 for 256
// entries on 8 accounts) as fast as one INSERT from arrays, within the
// noise of what was measured. A batch without any costs nothing more. A
// number already stored for its account fails on book_run_disjoint, and
// the caller rolls the whole batch back.
func writeBooked(ctx context.Context, tx pgx.Tx, runs []corridor.BookRun) error {
	if len(runs) == 0 {
		return nil
	}
	rows := pgx.CopyFromSlice(len(runs), func(i int) ([]any, error) {
		r := &runs[i]
		return []any{r.Account, int64(r.First), int64(r.Last), int64(r.Seq), r.Records}, nil
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
	return corridor.ReadBookRuns(rows, account, from, limit)
}
