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
// Every statement runs on one connection, so transactions serialize.
type DB struct {
	path   string // The file, as Open was given it.
	sql    *sql.DB
	insert *sql.Stmt // The prepared statement that inserts one journal row; reused by every Append.

	// The prepared statements that insert one archived payment and one of
	// its keys (archive.go).
	insertArchived, insertKey *sql.Stmt
	archivedKey               *sql.Stmt // And the one that reads a key, for every submission.
	insertBookRun             *sql.Stmt // The one that inserts one run of book entries (books.go).

	journal Journal
	mark    *markFile // How far the journal was acknowledged, beside the store (mark.go).

	// keys tells which keys the archive surely does not hold (keyfilter.go),
	// once the scan that fills it, begun at the first ArchivedKey, is done.
	keys     *keyFilter
	scanMu   sync.Mutex
	scanDone chan struct{} // Of the last scan begun, closed when it ends; nil before the first.
	scanLast time.Time     // When the last scan began: a failed one is begun again no sooner than keyScanRetry after.
	scanEnd  bool          // The store closes: no scan begins.
	scanCtx  context.Context
	stopScan context.CancelFunc

	// Timing, when set, is told of every journal batch written: its entries,
	// the whole append (begin, inserts, commit) and the commit alone, which
	// with synchronous=FULL is the WAL's fsync. Set it before the first
	// Append; it runs on the appender's goroutine and must not block.
	Timing func(entries int, appendDur, fsyncDur time.Duration)

	closeOnce sync.Once
	closeErr  error
}

// Open opens the store at path, creating the file if needed. It refuses a
// store it could not write (CheckWritable) before it reads anything. It sets the
// PRAGMAs (journal_mode=WAL, synchronous=FULL, foreign_keys=ON, busy_timeout)
// on the connection, checks that they took effect, applies the schema
// migrations and reads the journal's last seq and hash. It returns an error
// wrapping ErrCorrupt if the last entry does not match its hash.
func Open(ctx context.Context, path string) (*DB, error) {
	if _, err := dataSourceName(path); err != nil {
		return nil, err
	}
	if err := CheckWritable(path); err != nil {
		return nil, err
	}
	sdb, err := openSQL(path)
	if err != nil {
		return nil, err
	}
	db := newDB(path, sdb)
	if err := db.init(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open store %s: %w", path, err), db.Close())
	}
	return db, nil
}

// newDB is the store on the connection pool sdb to the file at path,
// neither initialised nor checked.
func newDB(path string, sdb *sql.DB) *DB {
	db := &DB{path: path, sql: sdb, keys: newKeyFilter()}
	db.scanCtx, db.stopScan = context.WithCancel(context.Background())
	db.journal.db = db
	return db
}

// openSQL opens the file at path through one connection: write
// transactions serialize without SQLITE_BUSY, and each statement runs with
// the PRAGMAs the DSN applies to it.
func openSQL(path string) (*sql.DB, error) {
	dsn, err := dataSourceName(path)
	if err != nil {
		return nil, err
	}
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	sdb.SetMaxOpenConns(1)
	sdb.SetMaxIdleConns(1)
	sdb.SetConnMaxLifetime(0)
	return sdb, nil
}

// dataSourceName returns the modernc.org/sqlite DSN for path. The PRAGMAs go
// in the DSN, not in an Exec after Open, so that the driver applies them to
// every connection it opens, including one that replaces a broken one.
func dataSourceName(path string) (string, error) {
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
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate") // BEGIN IMMEDIATE: take the write lock up front.
	q.Set("_pragma", fmt.Sprintf("cache_size(-%d)", PageCacheBytes>>10))
	return path + "?" + q.Encode(), nil
}

// PageCacheBytes is the SQLite page cache of the store's connection.
// SQLite's default, 2 MB, holds the archive's key and UETR indexes for the
// first minutes of a busy day only: each key goes in at a random place, and
// past that nearly every insert read its page from the file again (10% of
// the hub's CPU after 8 minutes at 700 payments/s, against 5% after 2). The
// cache is outside Go's heap, allocated as pages are read, and bounded.
const PageCacheBytes = 64 << 20

// init checks the connection's durability, migrates the schema, prepares the
// insert statements and loads the journal's last entry.
func (db *DB) init(ctx context.Context) error {
	if err := checkDurability(ctx, db.sql); err != nil {
		return err
	}
	if err := migrate(ctx, db.sql); err != nil {
		return err
	}
	for _, p := range []struct {
		stmt      **sql.Stmt
		sql, what string
	}{
		{&db.insert, insertEntrySQL, "journal insert"},
		{&db.insertArchived, insertArchivedSQL, "archived payment insert"},
		{&db.insertKey, insertKeySQL, "archived key insert"},
		{&db.archivedKey, archivedKeySQL, "archived key read"},
		{&db.insertBookRun, insertBookRunSQL, "book run insert"},
	} {
		stmt, err := db.sql.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("prepare %s: %w", p.what, err)
		}
		*p.stmt = stmt
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

// checkDurability returns an error unless the connection is in WAL mode with
// synchronous=FULL. SQLite answers a journal_mode it cannot apply (on some
// network file systems, say) with the mode it kept, not with an error.
func checkDurability(ctx context.Context, sdb *sql.DB) error {
	var mode string
	if err := sdb.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal_mode: %w", err)
	}
	if !strings.EqualFold(mode, walJournalMode) {
		return fmt.Errorf("journal_mode is %q, want %q", mode, walJournalMode)
	}
	var synchronous int
	if err := sdb.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&synchronous); err != nil {
		return fmt.Errorf("read synchronous: %w", err)
	}
	if synchronous != fullSynchronous {
		return fmt.Errorf("synchronous is %d, want %d (FULL)", synchronous, fullSynchronous)
	}
	return nil
}

// Journal returns the journal view of the store.
func (db *DB) Journal() *Journal { return &db.journal }

// Close closes the store. It is safe to call more than once, and through
// Journal.Close; later calls return the first call's result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.endKeyScan()
		var errs []error
		for _, stmt := range []*sql.Stmt{db.insert, db.insertArchived, db.insertKey, db.archivedKey, db.insertBookRun} {
			if stmt != nil {
				errs = append(errs, stmt.Close())
			}
		}
		errs = append(errs, db.sql.Close(), db.mark.close())
		db.closeErr = errors.Join(errs...)
		if db.closeErr != nil {
			db.closeErr = fmt.Errorf("close store: %w", db.closeErr)
		}
	})
	return db.closeErr
}
