package sqlite

import (
	"context"
	"database/sql"
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
// writer's and the readers'.
func OpenConnections(db *DB) int {
	return db.sql.Stats().OpenConnections + db.read.Stats().OpenConnections
}

// SetBeforeCommit makes every Append call fn in its transaction, its rows
// inserted, before it commits. Set it before the Appends it is for.
func SetBeforeCommit(db *DB, fn func()) { db.beforeCommit = fn }
