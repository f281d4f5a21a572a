// Package sqlite is the embedded store: one SQLite file, in WAL mode with
// synchronous=FULL, that holds the hub's durable journal. It implements
// corridor.Journal on modernc.org/sqlite, a SQLite that needs no cgo.
//
// The sequencer hands Append a batch of entries (group commit); the batch is
// written in one transaction and Append returns once the WAL is fsynced.
// Every entry is checked against the SHA-256 hash chain before it is written
// and again when it is read back, so an altered file is detected on replay.
//
// Beside the journal the file keeps the archive (corridor.Archive): the
// payments the hub let go of from memory, written by Append in the
// transaction of the entry that let them go. And it keeps the books
// (corridor.Books): the entries posted on settlement accounts, written by
// Append in the transaction of the entry that posted them and read by
// account and number.
//
// Append writes on the store's one writer connection. The reads that run
// beside it (the archive's and the books') have connections of their own,
// which in WAL mode see the last committed transaction and never wait for
// the writer; and the WAL is checkpointed into the file off the append
// path, by a goroutine of the store's on a connection of its own (wal.go).
//
// The file is an ordinary SQLite database that the sqlite3 shell can inspect:
//
//	sqlite3 corridor.db 'SELECT seq, kind, hex(hash) FROM journal ORDER BY seq DESC LIMIT 5'
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	_ "modernc.org/sqlite" // Registers the "sqlite" database/sql driver.
)

// BusyTimeout is how long a statement waits for a lock held by another
// process, such as the sqlite3 shell, before it fails with SQLITE_BUSY.
const BusyTimeout = 5 * time.Second

// ReadConns is how many connections the store keeps for the reads that run
// beside an Append: the front end's archive reads and the books' readers.
const ReadConns = 4

// walJournalMode and fullSynchronous are what PRAGMA journal_mode and PRAGMA
// synchronous must report: a commit is durable once the WAL is fsynced.
const (
	walJournalMode  = "wal"
	fullSynchronous = 2
)

// ErrCorrupt reports that the journal in the file does not match its hash
// chain: an entry was altered, removed or reordered outside the hub.
var ErrCorrupt = corridor.ErrJournalCorrupt

// DB is the embedded store: one SQLite file in WAL mode with synchronous=FULL.
// Every write runs on one connection, so transactions serialize; the reads
// that run beside an Append have ReadConns connections of their own, and the
// WAL's checkpoints one more (wal.go).
type DB struct {
	path   string    // The file, as Open was given it.
	sql    *sql.DB   // The writer: one connection, for every write and the reads that go with them (Replay, the snapshots).
	read   *sql.DB   // The readers: ReadConns connections with query_only, for the archive's and the books' reads.
	insert *sql.Stmt // The prepared statement that inserts one journal row; reused by every Append.

	// The prepared statements that insert one archived payment and one of
	// its keys (archive.go).
	insertArchived, insertKey *sql.Stmt
	archivedKey               *sql.Stmt // And the one that reads a key, for every submission; on the readers.
	insertBookRun             *sql.Stmt // The one that inserts one run of book entries (books.go).

	journal Journal
	mark    *markFile        // How far the journal was acknowledged, beside the store (mark.go).
	wal     *walCheckpointer // Checkpoints the WAL off the append path (wal.go).

	// Timing, when set, is told of every journal batch written: its entries,
	// the whole append (begin, inserts, commit) and the commit alone, which
	// with synchronous=FULL is the WAL's fsync. Set it before the first
	// Append; it runs on the appender's goroutine and must not block.
	Timing func(entries int, appendDur, fsyncDur time.Duration)

	beforeCommit func() // Tests only (export_test.go): runs in Append's transaction, before its commit.

	closeOnce sync.Once
	closeErr  error
}

// Open opens the store at path, creating the file if needed. It refuses a
// store it could not write (CheckWritable) before it reads anything. It sets the
// PRAGMAs (journal_mode=WAL, synchronous=FULL, foreign_keys=ON, busy_timeout,
// wal_autocheckpoint=0 and journal_size_limit; query_only on the readers)
// on the connections, checks that they took effect, applies the schema
// migrations, reads the journal's last seq and hash and starts the WAL's
// checkpoints. It returns an error wrapping ErrCorrupt if the last entry
// does not match its hash.
func Open(ctx context.Context, path string) (*DB, error) {
	if _, err := dataSourceName(path, writer); err != nil {
		return nil, err
	}
	if err := CheckWritable(path); err != nil {
		return nil, err
	}
	sdb, err := openSQL(path)
	if err != nil {
		return nil, err
	}
	db := &DB{path: path, sql: sdb}
	db.journal.db = db
	if err := db.init(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open store %s: %w", path, err), db.Close())
	}
	db.wal.start(ctx)
	return db, nil
}

// openSQL opens the file at path through one connection: write
// transactions serialize without SQLITE_BUSY, and each statement runs with
// the PRAGMAs the DSN applies to it.
func openSQL(path string) (*sql.DB, error) {
	return openPool(path, writer, 1)
}

// openPool opens n connections of role to the file at path, kept open
// between statements.
func openPool(path string, role connRole, n int) (*sql.DB, error) {
	dsn, err := dataSourceName(path, role)
	if err != nil {
		return nil, err
	}
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	sdb.SetMaxOpenConns(n)
	sdb.SetMaxIdleConns(n)
	sdb.SetConnMaxLifetime(0)
	return sdb, nil
}

// connRole is what a connection is for, which decides its PRAGMAs.
type connRole int

const (
	writer connRole = iota // Writes, and checkpoints: durable commits, no automatic checkpoint.
	reader                 // Reads only: query_only.
)

// dataSourceName returns the modernc.org/sqlite DSN for path. The PRAGMAs go
// in the DSN, not in an Exec after Open, so that the driver applies them to
// every connection it opens, including one that replaces a broken one.
func dataSourceName(path string, role connRole) (string, error) {
	if path == "" {
		return "", errors.New("open store: empty path")
	}
	if strings.Contains(path, "?") || strings.HasPrefix(path, "file:") {
		// The driver would read these as a URI or as DSN parameters.
		return "", fmt.Errorf("open store %s: path is a URI or contains '?'", path)
	}
	q := url.Values{}
	q.Set("_busy_timeout", strconv.FormatInt(BusyTimeout.Milliseconds(), 10))
	q.Set("_foreign_keys", "on")
	switch role {
	case writer:
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "FULL")
		q.Set("_txlock", "immediate") // BEGIN IMMEDIATE: take the write lock up front.
		// The store checkpoints the WAL itself, off the commit (wal.go);
		// SQLite's own would run inside a commit, on the appender's time.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walSizeLimitBytes))
	case reader:
		q.Set("_query_only", "1")
	}
	return path + "?" + q.Encode(), nil
}

// init checks the connections' PRAGMAs, migrates the schema, prepares the
// statements and loads the journal's last entry.
func (db *DB) init(ctx context.Context) error {
	if err := checkDurability(ctx, db.sql); err != nil {
		return err
	}
	if err := migrate(ctx, db.sql); err != nil {
		return err
	}
	read, err := openPool(db.path, reader, ReadConns)
	if err != nil {
		return err
	}
	db.read = read
	if err := checkReader(ctx, db.read); err != nil {
		return err
	}
	ckpt, err := openSQL(db.path)
	if err != nil {
		return err
	}
	db.wal = newWALCheckpointer(db.path, ckpt)
	if err := checkDurability(ctx, ckpt); err != nil {
		return fmt.Errorf("checkpoint connection: %w", err)
	}
	if err := db.prepare(ctx); err != nil {
		return err
	}
	last, err := readLast(ctx, db.sql)
	if err != nil {
		return err
	}
	db.journal.lastSeq, db.journal.lastHash = last.Seq, last.Hash
	mf, m, _, err := openMark(db.path)
	if err != nil {
		return err
	}
	db.mark = mf
	return db.checkMark(ctx, m)
}

// prepare prepares the statements that every Append and every submission
// run: the inserts on the writer, the key read on the readers.
func (db *DB) prepare(ctx context.Context) error {
	for _, p := range []struct {
		stmt      **sql.Stmt
		on        *sql.DB
		sql, what string
	}{
		{&db.insert, db.sql, insertEntrySQL, "journal insert"},
		{&db.insertArchived, db.sql, insertArchivedSQL, "archived payment insert"},
		{&db.insertKey, db.sql, insertKeySQL, "archived key insert"},
		{&db.archivedKey, db.read, archivedKeySQL, "archived key read"},
		{&db.insertBookRun, db.sql, insertBookRunSQL, "book run insert"},
	} {
		stmt, err := p.on.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("prepare %s: %w", p.what, err)
		}
		*p.stmt = stmt
	}
	return nil
}

// checkDurability returns an error unless the connection is in WAL mode with
// synchronous=FULL, and leaves checkpoints to the store: wal_autocheckpoint
// 0 and the store's journal_size_limit. SQLite answers a journal_mode it
// cannot apply (on some network file systems, say) with the mode it kept,
// not with an error.
func checkDurability(ctx context.Context, sdb *sql.DB) error {
	var mode string
	if err := sdb.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal_mode: %w", err)
	}
	if !strings.EqualFold(mode, walJournalMode) {
		return fmt.Errorf("journal_mode is %q, want %q", mode, walJournalMode)
	}
	for _, p := range []struct {
		name string
		want int64
	}{
		{"synchronous", fullSynchronous}, // FULL.
		{"wal_autocheckpoint", 0},
		{"journal_size_limit", walSizeLimitBytes},
	} {
		if err := checkPragma(ctx, sdb, p.name, p.want); err != nil {
			return err
		}
	}
	return nil
}

// checkReader returns an error unless a reader connection is read-only
// (query_only) and waits for locks as long as the writer does.
func checkReader(ctx context.Context, sdb *sql.DB) error {
	if err := checkPragma(ctx, sdb, "query_only", 1); err != nil {
		return fmt.Errorf("reader: %w", err)
	}
	if err := checkPragma(ctx, sdb, "busy_timeout", BusyTimeout.Milliseconds()); err != nil {
		return fmt.Errorf("reader: %w", err)
	}
	return nil
}

// checkPragma returns an error unless PRAGMA name reports want.
func checkPragma(ctx context.Context, sdb *sql.DB, name string, want int64) error {
	var got int64
	if err := sdb.QueryRowContext(ctx, "PRAGMA "+name).Scan(&got); err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if got != want {
		return fmt.Errorf("%s is %d, want %d", name, got, want)
	}
	return nil
}

// Journal returns the journal view of the store.
func (db *DB) Journal() *Journal { return &db.journal }

// Close closes the store: it stops the WAL's checkpoints and closes every
// connection, the writer's last, so that SQLite checkpoints the WAL into
// the file and removes it as the last connection closes. It is safe to
// call more than once, and through Journal.Close; later calls return the
// first call's result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		var errs []error
		db.wal.stop()
		for _, stmt := range []*sql.Stmt{db.insert, db.insertArchived, db.insertKey, db.archivedKey, db.insertBookRun} {
			if stmt != nil {
				errs = append(errs, stmt.Close())
			}
		}
		errs = append(errs, db.wal.close())
		if db.read != nil {
			errs = append(errs, db.read.Close())
		}
		errs = append(errs, db.sql.Close(), db.mark.close())
		db.closeErr = errors.Join(errs...)
		if db.closeErr != nil {
			db.closeErr = fmt.Errorf("close store: %w", db.closeErr)
		}
	})
	return db.closeErr
}
