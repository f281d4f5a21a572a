package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// BookRunsSQL is BookEntries' query.
const BookRunsSQL = bookRunsSQL

// Pragma returns PRAGMA name as the store's own connection reports it.
func Pragma(ctx context.Context, db *DB, name string) (string, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// ReadPragma returns PRAGMA name as the store's readers report it.
func ReadPragma(ctx context.Context, db *DB, name string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// Stats returns the store's writer connection pool statistics.
func Stats(db *DB) sql.DBStats { return db.sql.Stats() }

// ReadStats returns the store's readers' pool statistics.
func ReadStats(db *DB) sql.DBStats { return db.read.Stats() }

// OpenConnections is how many connections the store holds open: the
// writer's, the readers' and the checkpointer's.
func OpenConnections(db *DB) int {
	return db.sql.Stats().OpenConnections + db.read.Stats().OpenConnections + db.wal.sql.Stats().OpenConnections
}

// SetBeforeCommit makes every Append call fn in its transaction, its rows
// inserted, before it commits. Set it before the Appends it is for.
func SetBeforeCommit(db *DB, fn func()) { db.beforeCommit = fn }

// CheckpointerDone is closed once the store's checkpoint goroutine (the
// one started last) has returned.
func CheckpointerDone(db *DB) <-chan struct{} {
	db.wal.runMu.Lock()
	defer db.wal.runMu.Unlock()
	return db.wal.done
}

// Checkpoints counts the WAL checkpoints run by the store's goroutine and
// by Appends themselves.
func Checkpoints(db *DB) (background, inline int64) {
	return db.wal.background.Load(), db.wal.inline.Load()
}

// SetWALPages lowers the WAL's bounds for a test: the checkpointer wakes
// after wake pages, an Append checkpoints itself past max pages, and the
// writer's connection cuts the WAL back to max pages (journal_size_limit).
// Call it before the first Append, with no other statement running.
func SetWALPages(ctx context.Context, db *DB, wake, max int) error {
	db.wal.wakePages, db.wal.maxBytes = int64(wake), walBytes(max)
	_, err := db.sql.ExecContext(ctx, fmt.Sprintf("PRAGMA journal_size_limit = %d", walBytes(max)))
	return err
}

// WALBytes is the size of a WAL file of pages pages.
func WALBytes(pages int) int64 { return walBytes(pages) }

// SetCheckpointErr makes err the last checkpoint's outcome, as if the
// checkpointer had met it.
func SetCheckpointErr(db *DB, err error) {
	db.wal.errMu.Lock()
	defer db.wal.errMu.Unlock()
	db.wal.err = err
}
