package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/internal/crashpoint"
)

// ReplayPageEntries is how many entries Replay reads per query. It bounds the
// memory a replay holds, however long the journal.
const ReplayPageEntries = 1000

const (
	entryColumns   = `seq, time_ns, kind, payload, prev_hash, hash`
	insertEntrySQL = `INSERT INTO journal (` + entryColumns + `) VALUES (?, ?, ?, ?, ?, ?)`
	lastEntrySQL   = `SELECT ` + entryColumns + ` FROM journal ORDER BY seq DESC LIMIT 1`
	entrySQL       = `SELECT ` + entryColumns + ` FROM journal WHERE seq = ?`
	pageSQL        = `SELECT ` + entryColumns + ` FROM journal WHERE seq > ? ORDER BY seq LIMIT ?`
)

var _ corridor.Journal = (*Journal)(nil)

// Journal is the store's durable, hash-chained journal. It implements
// corridor.Journal.
type Journal struct {
	db *DB

	appendMu sync.Mutex // Held for a whole Append, so batches chain one after another.

	mu       sync.Mutex // Guards lastSeq and lastHash.
	lastSeq  uint64     // The last durable entry's Seq; 0 when the journal is empty.
	lastHash [32]byte   // The last durable entry's Hash; zero when the journal is empty.
}

// LastSeq returns the last durable entry's seq and hash, from which the
// sequencer continues the chain. Both are zero when the journal is empty.
func (j *Journal) LastSeq() (uint64, [32]byte) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.lastSeq, j.lastHash
}

// Append writes entries in one transaction and returns once it is fsynced.
// An empty batch does nothing. The entries must continue the journal: Seq
// without a gap, PrevHash the previous entry's Hash, Hash their ComputeHash;
// anything else is a bug in the caller, and Append panics. The payments the
// entries archive go in the same transaction (archive.go); one out of
// bounds, or accepted after the entry that archives it, fails the Append
// before anything is written. So do the entries' book entries (books.go):
// one out of bounds, or numbered twice for an account in the batch, fails it
// before anything is written, and one whose number the account has already
// fails it on book_run's guard, with nothing of the batch written. A storage
// error is returned wrapped, and LastSeq is unchanged. A failed commit (an
// fsync error, say) can leave the batch on disk all the same, so the caller
// must not append after it before it has learned from the file what it
// holds: Reopen, then LastSeq and Replay. A retry of a batch that did reach
// the disk fails on the seq's primary key rather than writing it twice.
func (j *Journal) Append(ctx context.Context, entries []corridor.JournalEntry) error {
	if len(entries) == 0 {
		return nil
	}
	j.appendMu.Lock()
	defer j.appendMu.Unlock()
	seq, hash := j.LastSeq()
	checkBatch(seq, hash, entries)
	first, last := entries[0].Seq, entries[len(entries)-1]
	if err := corridor.CheckArchived(entries); err != nil {
		return fmt.Errorf("append journal batch %d..%d: %w", first, last.Seq, err)
	}
	runs, err := corridor.BookRuns(entries)
	if err != nil {
		return fmt.Errorf("append journal batch %d..%d: %w", first, last.Seq, err)
	}
	if err := j.db.writeBatch(ctx, entries, runs); err != nil {
		// The connection may still hold the failed transaction open (SQLite
		// leaves some commit failures so): closing it rolls that back.
		return errors.Join(fmt.Errorf("append journal batch %d..%d: %w", first, last.Seq, err), j.db.dropConn(ctx))
	}
	j.mu.Lock()
	j.lastSeq, j.lastHash = last.Seq, last.Hash
	j.mu.Unlock()
	// Durable now; acknowledged only once the mark says so, so that a
	// journal later cut before it is refused rather than trusted.
	if err := j.db.writeMark(mark{Seq: last.Seq, Hash: last.Hash}); err != nil {
		return fmt.Errorf("append journal batch %d..%d: %w", first, last.Seq, err)
	}
	return nil
}

// checkBatch asserts that entries continue the chain that ends at seq, hash.
func checkBatch(seq uint64, hash [32]byte, entries []corridor.JournalEntry) {
	err := corridor.CheckBatch(seq, hash, entries)
	assert.That(err == nil, "journal batch: %v", err)
	assert.That(len(entries) == 0 || entries[len(entries)-1].Seq <= math.MaxInt64, "journal entry seq overflows SQLite's INTEGER")
}

// writeBatch inserts entries, the payments they archive and their book
// entries, in one transaction and commits it; with WAL and synchronous=FULL
// the commit returns after the WAL is fsynced.
func (db *DB) writeBatch(ctx context.Context, entries []corridor.JournalEntry, runs []corridor.BookRun) (err error) {
	start := time.Now()
	tx, err := db.sql.BeginTx(ctx, nil) // BEGIN IMMEDIATE, from the DSN's _txlock.
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // The insert or commit error is the one to report.
		}
	}()
	stmt := tx.StmtContext(ctx, db.insert) // Reuses the statement prepared on this connection.
	for i := range entries {
		e := &entries[i]
		payload := e.Payload
		if payload == nil {
			payload = []byte{} // The driver binds a nil slice as NULL.
		}
		_, err := stmt.ExecContext(ctx, int64(e.Seq), e.Time.UnixNano(), e.Kind, payload, e.PrevHash[:], e.Hash[:])
		if err != nil {
			return fmt.Errorf("insert entry %d: %w", e.Seq, err)
		}
	}
	if err := db.writeArchived(ctx, tx, entries); err != nil {
		return err
	}
	if err := db.writeBooked(ctx, tx, runs); err != nil {
		return err
	}
	commit := time.Now()
	crashpoint.Hit(crashpoint.JournalCommitBefore)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	crashpoint.Hit(crashpoint.JournalCommitAfter)
	if db.Timing != nil {
		end := time.Now()
		db.Timing(len(entries), end.Sub(start), end.Sub(commit))
	}
	return nil
}

// Replay calls fn for every entry after seq after, in order, reading
// ReplayPageEntries at a time. Each entry is checked as it is read: its seq
// follows the previous one, its PrevHash is the previous entry's Hash and
// its Hash matches its contents. A mismatch returns an error wrapping
// ErrCorrupt that names the entry's seq. An error from fn stops the replay
// and is returned, wrapped with the entry's seq. A journal that ends before
// entry after is an error too: entries the caller has seen are missing.
func (j *Journal) Replay(ctx context.Context, after uint64, fn func(corridor.JournalEntry) error) error {
	anchor := func(after uint64) ([32]byte, error) { return j.db.anchor(ctx, after) }
	page := func(seq uint64) ([]corridor.JournalEntry, error) { return j.db.readPage(ctx, seq) }
	return corridor.ReplayPages(after, ReplayPageEntries, anchor, page, fn)
}

// anchor returns the hash that entry after+1 must chain to: zero for the
// first entry, else entry after's Hash, once that entry matches its contents.
func (db *DB) anchor(ctx context.Context, after uint64) ([32]byte, error) {
	if after == 0 {
		return [32]byte{}, nil
	}
	if after > math.MaxInt64 {
		return [32]byte{}, fmt.Errorf("no journal entry %d", after)
	}
	e, err := scanEntry(db.sql.QueryRowContext(ctx, entrySQL, int64(after)))
	if errors.Is(err, sql.ErrNoRows) {
		return [32]byte{}, fmt.Errorf("no journal entry %d", after)
	}
	if err != nil {
		return [32]byte{}, err
	}
	if err := corridor.CheckHash(&e); err != nil {
		return [32]byte{}, err
	}
	return e.Hash, nil
}

// readPage returns at most ReplayPageEntries entries after seq, in order. It
// reads the whole page before returning, so the single connection is free
// again while the caller's fn runs (and may itself use the store).
func (db *DB) readPage(ctx context.Context, seq uint64) ([]corridor.JournalEntry, error) {
	rows, err := db.sql.QueryContext(ctx, pageSQL, int64(seq), ReplayPageEntries)
	if err != nil {
		return nil, fmt.Errorf("query entries: %w", err)
	}
	defer func() { _ = rows.Close() }() // rows.Err below reports what matters.
	page := make([]corridor.JournalEntry, 0, ReplayPageEntries)
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		page = append(page, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read entries: %w", err)
	}
	return page, nil
}

// readLast returns the journal's last entry, checked against its hash, or the
// zero entry when the journal is empty.
func readLast(ctx context.Context, sdb *sql.DB) (corridor.JournalEntry, error) {
	e, err := scanEntry(sdb.QueryRowContext(ctx, lastEntrySQL))
	if errors.Is(err, sql.ErrNoRows) {
		return corridor.JournalEntry{}, nil
	}
	if err != nil {
		return corridor.JournalEntry{}, fmt.Errorf("read last journal entry: %w", err)
	}
	if err := corridor.CheckHash(&e); err != nil {
		return corridor.JournalEntry{}, err
	}
	return e, nil
}

// scanEntry reads one journal row. It returns an error wrapping ErrCorrupt if
// the row cannot be an entry; sql.ErrNoRows passes through unwrapped.
func scanEntry(row interface{ Scan(...any) error }) (corridor.JournalEntry, error) {
	var (
		seq, timeNS         int64
		kind                string
		payload, prev, hash []byte
	)
	if err := row.Scan(&seq, &timeNS, &kind, &payload, &prev, &hash); err != nil {
		return corridor.JournalEntry{}, err
	}
	return corridor.EntryFromColumns(seq, timeNS, kind, payload, prev, hash)
}

// Close closes the store the journal belongs to.
func (j *Journal) Close() error { return j.db.Close() }
