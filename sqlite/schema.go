package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema's versions in order; PRAGMA user_version counts
// how many of them the file has. Only ever append a step: a released step is
// already in somebody's file.
var migrations = [...]string{
	// 1: the journal. Rows are never updated or deleted; the triggers make
	// that hold for the sqlite3 shell too. seq is the rowid, so a row is
	// found by seq without a separate index.
	`CREATE TABLE journal (
		seq       INTEGER PRIMARY KEY CHECK (seq > 0),
		time_ns   INTEGER NOT NULL,
		kind      TEXT    NOT NULL,
		payload   BLOB    NOT NULL,
		prev_hash BLOB    NOT NULL CHECK (length(prev_hash) = 32),
		hash      BLOB    NOT NULL CHECK (length(hash) = 32)
	);
	CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
	BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
	CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
	BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;`,
	// 2: signed checkpoints. The hub signs the head of the journal from time
	// to time, so that a journal rewritten from some entry on, hash chain and
	// all, no longer matches a signature only the hub's key could make.
	`CREATE TABLE checkpoint (
		seq       INTEGER PRIMARY KEY REFERENCES journal (seq),
		hash      BLOB    NOT NULL CHECK (length(hash) = 32),
		signature BLOB    NOT NULL,
		time_ns   INTEGER NOT NULL
	);
	CREATE TRIGGER checkpoint_no_update BEFORE UPDATE ON checkpoint
	BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
	CREATE TRIGGER checkpoint_no_delete BEFORE DELETE ON checkpoint
	BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;`,
	// 3: the write probe. While its journal cannot be written, the hub
	// replaces this one row to learn when writes work again, without
	// writing anything into the journal.
	`CREATE TABLE probe (
		id      INTEGER PRIMARY KEY CHECK (id = 1),
		time_ns INTEGER NOT NULL,
		filler  BLOB    NOT NULL
	);`,
	// 4: state snapshots. A snapshot's bytes are written in chunks, each in
	// its own transaction, so that the journal's appends, which share the
	// store's one connection, wait for one chunk at most and not for the
	// whole snapshot; its snapshot row is written last, so a row always
	// has all its chunks. The store keeps the last two (see SaveSnapshot).
	`CREATE TABLE snapshot (
		seq        INTEGER PRIMARY KEY REFERENCES journal (seq),
		entry_hash BLOB    NOT NULL CHECK (length(entry_hash) = 32),
		state_hash BLOB    NOT NULL CHECK (length(state_hash) = 32),
		bytes      INTEGER NOT NULL CHECK (bytes > 0),
		chunks     INTEGER NOT NULL CHECK (chunks > 0),
		time_ns    INTEGER NOT NULL
	);
	CREATE TABLE snapshot_chunk (
		seq  INTEGER NOT NULL,
		n    INTEGER NOT NULL CHECK (n >= 0),
		data BLOB    NOT NULL,
		PRIMARY KEY (seq, n)
	);`,
	// 5: the archive: payments the hub let go of from memory, each written
	// by Append in the transaction of the entry whose command let it go
	// (archived_at), and read by seq, by uetr (the tracker) and by key (the
	// duplicate check). keys holds the payment's own keys (encodeKeys);
	// archived_key is the index of them, where a key keeps the payment
	// that archived it first. Rows are never updated or deleted.
	`CREATE TABLE archived_payment (
		seq         INTEGER PRIMARY KEY CHECK (seq > 0),
		uetr        TEXT    NOT NULL,
		keys        BLOB    NOT NULL CHECK (length(keys) > 0),
		record      BLOB    NOT NULL CHECK (length(record) > 0),
		archived_at INTEGER NOT NULL REFERENCES journal (seq)
	);
	CREATE INDEX archived_payment_uetr ON archived_payment (uetr);
	CREATE TABLE archived_key (
		key BLOB    NOT NULL PRIMARY KEY,
		seq INTEGER NOT NULL REFERENCES archived_payment (seq)
	) WITHOUT ROWID;
	CREATE TRIGGER archived_payment_no_update BEFORE UPDATE ON archived_payment
	BEGIN SELECT RAISE(ABORT, 'archived payments are append-only'); END;
	CREATE TRIGGER archived_payment_no_delete BEFORE DELETE ON archived_payment
	BEGIN SELECT RAISE(ABORT, 'archived payments are append-only'); END;
	CREATE TRIGGER archived_key_no_update BEFORE UPDATE ON archived_key
	BEGIN SELECT RAISE(ABORT, 'archived keys are append-only'); END;
	CREATE TRIGGER archived_key_no_delete BEFORE DELETE ON archived_key
	BEGIN SELECT RAISE(ABORT, 'archived keys are append-only'); END;`,
	// 6: the books: entries posted on settlement accounts that the hub
	// keeps here rather than in memory, written by Append in the
	// transaction of the entries that posted them, and read by account from
	// a number on. A row is a run: the entries of one append on one account
	// with consecutive numbers first_n to last_n, their records in order in
	// records, each after its length (two bytes, big-endian), and seq the
	// journal entry that posted entry last_n. An append normally posts one
	// run per account: a row per entry had an append of 64 entries posting
	// two each on 8 accounts make 49,000 entries/s against 100,000 without
	// books, and a row per run makes 68,000 (BenchmarkAppend64Booked). Runs
	// are found through the primary key's index, by the last number: the
	// first run of an account that ends at or after a number holds it,
	// unless no run does. book_run_disjoint keeps an account's runs apart,
	// so that an account's number is written once: the run a new one would
	// overlap is the first that ends at or after the new one's first
	// number. Rows are never updated or deleted. It is a rowid table, not
	// WITHOUT ROWID: rows go in at the table's end, and only the index's
	// small entries beside each account's; WITHOUT ROWID measured slower
	// both for those appends (1.6 ms against 1.4) and for a read of 100
	// entries (68 µs against 58), its rows of a few KB splitting its pages.
	`CREATE TABLE book_run (
		account TEXT    NOT NULL CHECK (length(account) > 0),
		first_n INTEGER NOT NULL CHECK (first_n > 0),
		last_n  INTEGER NOT NULL CHECK (last_n >= first_n),
		seq     INTEGER NOT NULL REFERENCES journal (seq),
		records BLOB    NOT NULL CHECK (length(records) > 0),
		PRIMARY KEY (account, last_n)
	);
	CREATE TRIGGER book_run_disjoint BEFORE INSERT ON book_run
	WHEN NEW.last_n >= (SELECT first_n FROM book_run
		WHERE account = NEW.account AND last_n >= NEW.first_n ORDER BY last_n LIMIT 1)
	BEGIN SELECT RAISE(ABORT, 'book entries stored already'); END;
	CREATE TRIGGER book_run_no_update BEFORE UPDATE ON book_run
	BEGIN SELECT RAISE(ABORT, 'book entries are append-only'); END;
	CREATE TRIGGER book_run_no_delete BEFORE DELETE ON book_run
	BEGIN SELECT RAISE(ABORT, 'book entries are append-only'); END;`,
	// 7: snapshots in files. A snapshot's bytes go to a file of their own
	// beside the store (PATH-snapshots/SEQ.snap), written, fsynced and
	// renamed into place before its row here is committed, so that a row
	// always has its whole file. The bytes of migration 4's chunks went
	// through the store's one connection, where the journal's appends
	// waited behind them, and through the write-ahead log and its
	// checkpoint, written twice. data_hash is the file's SHA-256. Snapshots
	// of migration 4 are still read, and let go of as newer ones are saved.
	`CREATE TABLE snapshot_file (
		seq        INTEGER PRIMARY KEY REFERENCES journal (seq),
		entry_hash BLOB    NOT NULL CHECK (length(entry_hash) = 32),
		state_hash BLOB    NOT NULL CHECK (length(state_hash) = 32),
		bytes      INTEGER NOT NULL CHECK (bytes > 0),
		data_hash  BLOB    NOT NULL CHECK (length(data_hash) = 32),
		time_ns    INTEGER NOT NULL
	);`,
}

// SchemaVersion is the schema version this build writes: the file's PRAGMA
// user_version once Open has migrated it.
const SchemaVersion = len(migrations)

// migrate brings the file's schema up to SchemaVersion in one transaction,
// so a crash mid-way leaves the previous version intact. It refuses a file
// written by a newer build.
func migrate(ctx context.Context, sdb *sql.DB) error {
	tx, err := sdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin schema migration: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // After Commit it is a no-op; before, the cause is already returned.
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > SchemaVersion {
		return fmt.Errorf("schema version %d is newer than this build's %d", version, SchemaVersion)
	}
	if version == SchemaVersion {
		return nil
	}
	for v := version; v < SchemaVersion; v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
	}
	// PRAGMA takes no bound parameters; the value is an integer we control.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion)); err != nil {
		return fmt.Errorf("set schema version %d: %w", SchemaVersion, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit schema version %d: %w", SchemaVersion, err)
	}
	return nil
}
