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

// Stats returns the store's connection pool statistics.
func Stats(db *DB) sql.DBStats { return db.sql.Stats() }
