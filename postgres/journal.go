package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
)

// ReplayPageEntries is how many entries Replay reads per query. It bounds the
// memory a replay holds, however long the journal.
const ReplayPageEntries = 1000

// notifyChannel is the channel each append transaction notifies, with the
// batch's last seq as the payload; Wait listens on it.
const notifyChannel = "corridor_journal"

const (
	entryColumns = `seq, time_ns, kind, payload, prev_hash, hash`
	fenceSQL     = `SELECT lease_fence($1)`
	notifySQL    = `SELECT pg_notify('` + notifyChannel + `', $1)`
	lastEntrySQL = `SELECT ` + entryColumns + ` FROM journal ORDER BY seq DESC LIMIT 1`
	lastSeqSQL   = `SELECT COALESCE(max(seq), 0) FROM journal`
	entrySQL     = `SELECT ` + entryColumns + ` FROM journal WHERE seq = $1`
	pageSQL      = `SELECT ` + entryColumns + ` FROM journal WHERE seq > $1 ORDER BY seq LIMIT $2`
)

var _ corridor.Journal = (*Journal)(nil)

// Journal is the store's durable, hash-chained journal. It implements
// corridor.Journal; it appends only while it holds the lease (lease.go).
type Journal struct {
	db *DB

	appendMu sync.Mutex // Held for a whole Append and a whole Acquire, so batches chain and a takeover reloads the head between them. Taken before mu.

	mu       sync.Mutex // Guards lastSeq, lastHash and token.
	lastSeq  uint64     // The last durable entry's Seq as this Journal knows it; 0 when the journal is empty.
	lastHash [32]byte   // The last durable entry's Hash; zero when the journal is empty.
	token    uint64     // The fencing token of the lease this Journal acquired; 0 for none.
}

// LastSeq returns the last durable entry's seq and hash, from which the
// sequencer continues the chain: as of Open, the last Append, or the last
// Acquire, which reloads them. Both are zero when the journal is empty.
func (j *Journal) LastSeq() (uint64, [32]byte) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.lastSeq, j.lastHash
}

// Token returns the fencing token this Journal writes with, 0 if it has not
// acquired the lease. The database decides whether it is still current.
func (j *Journal) Token() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.token
}

// Append writes entries in one transaction and returns once the server has
// flushed its commit. An empty batch does nothing. The entries must continue
// the journal: Seq without a gap, PrevHash the previous entry's Hash, Hash
// their ComputeHash; anything else is a bug in the caller, and Append
// panics. The payments the entries archive go in the same transaction
// (archive.go); one out of bounds, or accepted after the entry that archives
// it, fails the Append before anything is written. So do the entries' book
// entries (books.go): one out of bounds, or numbered twice for an account in
// the batch, fails it before anything is written, and one whose number the
// account has already fails it on book_run's guard, with nothing of the
// batch written. The transaction first calls the lease fence: unless this
// Journal's token is the current one and the lease unexpired by the
// database's clock, it is rolled back and Append returns an error wrapping
// ErrFenced. Any other storage error is returned wrapped, and LastSeq is
// unchanged. A failed commit (a connection lost while committing, say) can
// leave the batch in the database all the same, so the caller should treat
// it as fatal and recover with Open or Acquire and LastSeq; a retry of a
// batch that did commit fails on the seq's primary key rather than writing
// it twice.
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
	if err := j.db.writeBatch(ctx, j.Token(), entries, runs); err != nil {
		return fmt.Errorf("append journal batch %d..%d: %w", first, last.Seq, err)
	}
	j.mu.Lock()
	j.lastSeq, j.lastHash = last.Seq, last.Hash
	j.mu.Unlock()
	return nil
}

// checkBatch asserts that entries continue the chain that ends at seq, hash.
func checkBatch(seq uint64, hash [32]byte, entries []corridor.JournalEntry) {
	err := corridor.CheckBatch(seq, hash, entries)
	assert.That(err == nil, "journal batch: %v", err)
	assert.That(len(entries) == 0 || entries[len(entries)-1].Seq <= math.MaxInt64, "journal entry seq overflows PostgreSQL's BIGINT")
}

// copyColumns are the journal's columns in the order copyRows gives them.
var copyColumns = []string{"seq", "time_ns", "kind", "payload", "prev_hash", "hash", "token"}

// writeBatch writes entries in one transaction under the fence of token: the
// fence, a binary COPY of the rows, the payments they archive, their book
// entries and the notification, then the commit, which returns once the
// server has flushed the WAL (synchronous_commit is on, as checkDurability
// made sure). COPY is the fastest way in: a third faster than one INSERT
// from arrays, for batches of 256 entries of 1 KB.
func (db *DB) writeBatch(ctx context.Context, token uint64, entries []corridor.JournalEntry, runs []corridor.BookRun) (err error) {
	start := time.Now()
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback(ctx) // The fence, copy or commit error is the one to report.
		}
	}()
	if _, err := tx.Exec(ctx, fenceSQL, int64(token)); err != nil {
		return fenceError(err, token)
	}
	rows := pgx.CopyFromSlice(len(entries), func(i int) ([]any, error) { return copyRow(&entries[i], token), nil })
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"journal"}, copyColumns, rows); err != nil {
		return fmt.Errorf("copy entries: %w", err)
	}
	if err := writeArchived(ctx, tx, entries); err != nil {
		return err
	}
	if err := writeBooked(ctx, tx, runs); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, notifySQL, strconv.FormatUint(entries[len(entries)-1].Seq, 10)); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	commit := time.Now()
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if db.Timing != nil {
		end := time.Now()
		db.Timing(len(entries), end.Sub(start), end.Sub(commit))
	}
	return nil
}

// copyRow is e's row in copyColumns' order.
func copyRow(e *corridor.JournalEntry, token uint64) []any {
	payload := e.Payload
	if payload == nil {
		payload = []byte{} // pgx writes a nil slice as NULL.
	}
	return []any{int64(e.Seq), e.Time.UnixNano(), e.Kind, payload, e.PrevHash[:], e.Hash[:], int64(token)}
}

// fenceError translates the fence's refusal to ErrFenced.
func fenceError(err error, token uint64) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == fencedSQLState {
		return fmt.Errorf("%w: token %d is not the current lease, or the lease expired", ErrFenced, token)
	}
	return fmt.Errorf("fence: %w", err)
}

// Replay calls fn for every entry after seq after, in order, reading
// ReplayPageEntries at a time. Each entry is checked as it is read: its seq
// follows the previous one, its PrevHash is the previous entry's Hash and
// its Hash matches its contents. A mismatch returns an error wrapping
// ErrCorrupt that names the entry's seq. An error from fn stops the replay
// and is returned, wrapped with the entry's seq. A journal that ends before
// entry after is an error too: entries the caller has seen are missing.
// Entries another node commits during the replay are replayed too, up to the
// first page that comes back short.
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
	e, err := scanEntry(db.pool.QueryRow(ctx, entrySQL, int64(after)))
	if errors.Is(err, pgx.ErrNoRows) {
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
// reads the whole page before returning, so its connection is back in the
// pool while the caller's fn runs (and may itself use the store).
func (db *DB) readPage(ctx context.Context, seq uint64) ([]corridor.JournalEntry, error) {
	rows, err := db.pool.Query(ctx, pageSQL, int64(seq), ReplayPageEntries)
	if err != nil {
		return nil, fmt.Errorf("query entries: %w", err)
	}
	defer rows.Close()
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
func (db *DB) readLast(ctx context.Context) (corridor.JournalEntry, error) {
	e, err := scanEntry(db.pool.QueryRow(ctx, lastEntrySQL))
	if errors.Is(err, pgx.ErrNoRows) {
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
// the row cannot be an entry; pgx.ErrNoRows passes through unwrapped.
func scanEntry(row pgx.Row) (corridor.JournalEntry, error) {
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

// Close closes the store the journal belongs to, releasing its lease.
func (j *Journal) Close() error { return j.db.Close() }
