// Package postgres is the shared store: the hub's durable journal in a
// PostgreSQL database that several hub nodes reach. It implements
// corridor.Journal on github.com/jackc/pgx/v5 with the same contract as the
// sqlite package (internal/storetest runs one suite over both), and adds
// what several nodes need: one writer at a time, fenced by a lease, and a
// way for standbys to tail the journal.
//
// # Writing
//
// Open connects, refuses a server that would acknowledge a commit before it
// is on disk (synchronous_commit or fsync off), creates or migrates the
// schema under an advisory lock, and reads the journal's last entry. A
// Journal appends only while it holds the lease:
//
//	db, err := postgres.Open(ctx, "postgres://corridor@db.example/corridor")
//	j := db.Journal()
//	lease, err := j.Acquire(ctx, postgres.Node{Name: "hub-a", Addr: "hub-a:8443"}, 10*time.Second)
//	// Replay from 0 (or a snapshot) to j.LastSeq(), then sequence:
//	err = j.Append(ctx, batch)        // One transaction; refused with ErrFenced once deposed.
//	lease, err = j.Renew(ctx, 10*time.Second) // Every ttl/3 or so, from the hub's lease goroutine.
//	err = db.Close()                  // Releases the lease, so a standby takes over at once.
//
// Each Append checks the lease inside its own transaction, in the database:
// the transaction locks the lease row, and is rolled back with an error
// wrapping ErrFenced unless the Journal's fencing token is still the current
// one and the lease has not expired by the database's clock. A node that
// paused past its lease, and was replaced, cannot write a single entry when
// it wakes. docs/postgres.md explains why the check cannot be anywhere else.
//
// # Standing by
//
// A standby opens the same database and follows the leader:
//
//	applied := uint64(0)
//	for {
//		last, err := j.Wait(ctx, applied)   // Blocks until an entry after applied is committed (LISTEN/NOTIFY).
//		err = j.Replay(ctx, applied, apply) // apply sets applied = e.Seq.
//		// Take over when the leader's lease lapses:
//		if lease, err := j.Acquire(ctx, me, ttl); err == nil { ... }
//	}
//
// Leader tells a standby who holds the lease and the address it registered,
// so that it can send clients there. Acquire succeeds only once the lease is
// free or expired by the database's clock; it gives a fencing token greater
// than every one before it and reloads LastSeq, after which no other node
// can append: the new leader replays from where it was to LastSeq and then
// sequences.
//
// A Journal that never acquires the lease reads only: Replay, Wait, Leader,
// LastCheckpoint, EntryHash, the archive's reads (corridor.Archive) and the
// books' (corridor.Books) work, Append and AppendCheckpoint are refused.
// Audit and EntryHash (the functions) read a database without migrating it.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	// MaxConns bounds the store's connections to the server: one appender,
	// its lease renewals, replays and checkpoint reads. Wait opens one more
	// of its own while it blocks.
	MaxConns = 8
	// IdleInTransactionTimeout is how long the server lets one of the
	// store's transactions sit idle before it ends the session. A writer
	// paused inside an append transaction holds the lease row, so this
	// bounds how long it can delay a standby's takeover; its transaction
	// is rolled back and nothing of it is written.
	IdleInTransactionTimeout = 10 * time.Second
	// StatementTimeout bounds one statement on the server.
	StatementTimeout = 60 * time.Second
	// cancelDeadlineDelay is how long a connection waits for the server to
	// honour a cancel request before it gives the connection up.
	cancelDeadlineDelay = time.Second
)

// ErrCorrupt reports that the journal in the database does not match its
// hash chain: an entry was altered, removed or reordered outside the hub.
var ErrCorrupt = corridor.ErrJournalCorrupt

// DB is the shared store: a pool of at most MaxConns connections to one
// PostgreSQL database.
type DB struct {
	pool    *pgxpool.Pool
	where   string // "database D on host H": names the store in errors without the URL's password.
	journal Journal

	// Timing, when set, is told of every journal batch written: its entries,
	// the whole append (begin, fence, insert, commit) and the commit alone,
	// which waits for the server's WAL flush. Set it before the first
	// Append; it runs on the appender's goroutine and must not block.
	Timing func(entries int, appendDur, commitDur time.Duration)

	closeOnce sync.Once
	closeErr  error
}

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string, as libpq reads them), checks on every connection that
// synchronous_commit and fsync are on, applies the schema migrations and
// reads the journal's last entry. It returns an error wrapping ErrCorrupt if
// that entry does not match its hash. The Journal it gives holds no lease.
func Open(ctx context.Context, url string) (*DB, error) {
	db, err := connect(ctx, url, true)
	if err != nil {
		return nil, err
	}
	if err := db.init(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open store %s: %w", db.where, err), db.Close())
	}
	return db, nil
}

// connect opens the pool and checks one connection. durable says whether
// every connection must pass checkDurability; the audit reads only.
func connect(ctx context.Context, url string, durable bool) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message can quote the URL, password and all.
		return nil, errors.New("open store: the PostgreSQL URL does not parse")
	}
	cfg.MaxConns = MaxConns
	cfg.MinConns = 0
	params := cfg.ConnConfig.RuntimeParams
	params["application_name"] = "corridor"
	params["idle_in_transaction_session_timeout"] = strconv.FormatInt(IdleInTransactionTimeout.Milliseconds(), 10)
	params["statement_timeout"] = strconv.FormatInt(StatementTimeout.Milliseconds(), 10)
	params["timezone"] = "UTC"
	// When a context ends, ask the server to cancel the statement too: a
	// statement waiting on a lock (an Acquire behind a write in flight)
	// would otherwise go on, and take effect, after its caller gave up.
	cfg.ConnConfig.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: cancelDeadlineDelay}
	}
	if durable {
		cfg.AfterConnect = checkDurability
	}
	where := fmt.Sprintf("database %s on %s:%d", cfg.ConnConfig.Database, cfg.ConnConfig.Host, cfg.ConnConfig.Port)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", where, err)
	}
	db := &DB{pool: pool, where: where}
	db.journal.db = db
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store %s: %w", where, err)
	}
	return db, nil
}

// init migrates the schema and loads the journal's last entry.
func (db *DB) init(ctx context.Context) error {
	if err := migrate(ctx, db.pool); err != nil {
		return err
	}
	last, err := db.readLast(ctx)
	if err != nil {
		return err
	}
	db.journal.lastSeq, db.journal.lastHash = last.Seq, last.Hash
	return nil
}

// durabilitySettings are the server settings without which a commit the
// server acknowledged can be lost, and the value that loses it.
var durabilitySettings = [...]struct{ name, lossy string }{
	{"synchronous_commit", "off"}, // The commit returns before the WAL is flushed.
	{"fsync", "off"},              // The WAL is never flushed at all.
}

// checkDurability returns an error naming the first setting of conn's
// session that lets the server lose an acknowledged commit. It runs on every
// new connection, so a setting changed for the database or the role is seen
// by the next connection too.
func checkDurability(ctx context.Context, conn *pgx.Conn) error {
	for _, s := range durabilitySettings {
		var v string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", s.name).Scan(&v); err != nil {
			return fmt.Errorf("read setting %s: %w", s.name, err)
		}
		if err := durable(s.name, v, s.lossy); err != nil {
			return err
		}
	}
	return nil
}

// durable returns an error if setting name has the value lossy.
func durable(name, value, lossy string) error {
	if strings.EqualFold(strings.TrimSpace(value), lossy) {
		return fmt.Errorf("%s is %s: the server could lose a commit it acknowledged; set %s = on", name, value, name)
	}
	return nil
}

// Journal returns the journal view of the store.
func (db *DB) Journal() *Journal { return &db.journal }

// Close releases the lease if the Journal holds it, then closes the
// connections. It is safe to call more than once, and through Journal.Close;
// later calls return the first call's result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		var err error
		if db.journal.Token() != 0 {
			ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout) // Close has no caller's context.
			err = db.journal.Release(ctx)
			cancel()
			if errors.Is(err, ErrFenced) {
				err = nil // Deposed already: there is nothing to release.
			}
		}
		db.pool.Close()
		if err != nil {
			db.closeErr = fmt.Errorf("close store %s: %w", db.where, err)
		}
	})
	return db.closeErr
}

// releaseTimeout bounds the lease release Close does.
const releaseTimeout = 5 * time.Second
