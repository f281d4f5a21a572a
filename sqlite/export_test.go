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

// WaitKeyScan waits for the scan that fills the store's key filter, if one
// began, and reports whether the filter answers now.
func WaitKeyScan(db *DB) bool {
	db.scanMu.Lock()
	done := db.scanDone
	db.scanMu.Unlock()
	if done != nil {
		<-done
	}
	return db.keys.ready.Load()
}

// MayHoldKey is the key filter's answer for k.
func MayHoldKey(db *DB, k string) bool { return db.keys.mayHold(k) }

// SnapshotSyncBytes is how much of a snapshot file is written between two
// fsyncs.
const SnapshotSyncBytes = snapshotSyncBytes

// SnapshotDir is the directory of the snapshot files of the store at path.
func SnapshotDir(path string) string { return snapshotDir(path) }
