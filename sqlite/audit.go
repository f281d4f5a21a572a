package sqlite

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
)

const (
	insertCheckpointSQL = `INSERT INTO checkpoint (seq, hash, signature, time_ns) VALUES (?, ?, ?, ?)`
	lastCheckpointSQL   = `SELECT COALESCE(MAX(seq), 0) FROM checkpoint`
	checkpointsSQL      = `SELECT seq, hash, signature, time_ns FROM checkpoint ORDER BY seq LIMIT ?`
	// MaxCheckpoints bounds what an audit reads of the checkpoint table.
	MaxCheckpoints = 1_000_000
	// MaxSignatureBytes bounds a stored checkpoint signature.
	MaxSignatureBytes = 512
)

// AppendCheckpoint stores the hub's signature over a journal entry that is
// already durable. It refuses a checkpoint whose hash is not that entry's.
func (j *Journal) AppendCheckpoint(ctx context.Context, cp corridor.Checkpoint) error {
	if len(cp.Signature) == 0 || len(cp.Signature) > MaxSignatureBytes {
		return fmt.Errorf("checkpoint %d: signature of %d bytes", cp.Seq, len(cp.Signature))
	}
	e, err := scanEntry(j.db.sql.QueryRowContext(ctx, entrySQL, int64(cp.Seq)))
	if err != nil {
		return fmt.Errorf("checkpoint %d: read entry: %w", cp.Seq, err)
	}
	if e.Hash != cp.Hash {
		return fmt.Errorf("checkpoint %d: hash is not the entry's", cp.Seq)
	}
	_, err = j.db.sql.ExecContext(ctx, insertCheckpointSQL, int64(cp.Seq), cp.Hash[:], cp.Signature, cp.Time.UnixNano())
	if err != nil {
		return fmt.Errorf("store checkpoint %d: %w", cp.Seq, err)
	}
	return nil
}

// LastCheckpoint is the seq of the newest checkpoint, or 0 when there is
// none: a hub that restarts continues from it rather than signing the same
// head twice.
func (j *Journal) LastCheckpoint(ctx context.Context) (uint64, error) {
	var seq int64
	if err := j.db.sql.QueryRowContext(ctx, lastCheckpointSQL).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read last checkpoint: %w", err)
	}
	return uint64(seq), nil
}

// AuditReport is what an audit found in an intact journal.
type AuditReport = corridor.AuditReport

// Audit walks the whole journal of the store at path, checking every entry's
// hash and link, and every checkpoint against its entry and with verify (the
// hub's signature check). It returns an error wrapping ErrCorrupt that names
// the first entry or checkpoint that does not match. A nil verify checks each
// checkpoint against its entry only, for a backup restored before the hub's
// certificate.
func Audit(ctx context.Context, path string, verify func(corridor.Checkpoint) error) (AuditReport, error) {
	db, err := openForAudit(ctx, path)
	if err != nil {
		return AuditReport{}, err
	}
	defer func() { _ = db.Close() }() // Read only: nothing to lose.
	cps, err := db.checkpoints(ctx)
	if err != nil {
		return AuditReport{}, err
	}
	replay := func(fn func(corridor.JournalEntry) error) error {
		anchor := func(uint64) ([32]byte, error) { return [32]byte{}, nil }
		page := func(seq uint64) ([]corridor.JournalEntry, error) { return db.readPage(ctx, seq) }
		return corridor.ReplayPages(0, ReplayPageEntries, anchor, page, fn)
	}
	hashAt := func(seq uint64) ([32]byte, error) { return db.entryHash(ctx, seq) }
	return corridor.AuditJournal(replay, cps, hashAt, verify)
}

// EntryHash is the hash of journal entry seq of the store at path, read the
// way Audit reads: without migrating or writing the store. ErrCorrupt when
// the store has no such entry.
func EntryHash(ctx context.Context, path string, seq uint64) ([32]byte, error) {
	r, err := OpenReader(ctx, path)
	if err != nil {
		return [32]byte{}, err
	}
	defer func() { _ = r.Close() }() // Read only: nothing to lose.
	e, err := r.Entry(ctx, seq)
	return e.Hash, err
}

// Reader reads the entries of a store by seq the way Audit reads: without
// migrating or writing it. Audit checks the chain; Reader only reads.
type Reader struct{ db *DB }

// OpenReader opens the store at path for reading entries.
func OpenReader(ctx context.Context, path string) (*Reader, error) {
	db, err := openForAudit(ctx, path)
	if err != nil {
		return nil, err
	}
	return &Reader{db: db}, nil
}

// Entry is entry seq; ErrCorrupt when the store has no such entry.
func (r *Reader) Entry(ctx context.Context, seq uint64) (corridor.JournalEntry, error) {
	e, err := scanEntry(r.db.sql.QueryRowContext(ctx, entrySQL, int64(seq)))
	if err != nil {
		return corridor.JournalEntry{}, fmt.Errorf("%w: entry %d: %v", ErrCorrupt, seq, err)
	}
	return e, nil
}

// Close releases the store.
func (r *Reader) Close() error { return r.db.Close() }

// EntryHash is the hash of entry seq of the open journal; ErrCorrupt when
// there is no such entry.
func (j *Journal) EntryHash(ctx context.Context, seq uint64) ([32]byte, error) {
	return j.db.entryHash(ctx, seq)
}

func (db *DB) entryHash(ctx context.Context, seq uint64) ([32]byte, error) {
	e, err := scanEntry(db.sql.QueryRowContext(ctx, entrySQL, int64(seq)))
	if err != nil {
		return [32]byte{}, fmt.Errorf("%w: entry %d: %v", ErrCorrupt, seq, err)
	}
	return e.Hash, nil
}

// openForAudit opens the file without migrating it or checking its last
// entry: the audit itself reports what is wrong.
func openForAudit(ctx context.Context, path string) (*DB, error) {
	sdb, err := openSQL(path)
	if err != nil {
		return nil, err
	}
	var version int
	if err := sdb.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil || version == 0 {
		return nil, errors.Join(fmt.Errorf("open store %s: not a corridor store (schema version %d): %v", path, version, err), sdb.Close())
	}
	return newDB(path, sdb), nil
}

func (db *DB) checkpoints(ctx context.Context) ([]corridor.Checkpoint, error) {
	rows, err := db.sql.QueryContext(ctx, checkpointsSQL, MaxCheckpoints)
	if err != nil {
		return nil, fmt.Errorf("query checkpoints: %w", err)
	}
	defer func() { _ = rows.Close() }() // rows.Err below reports what matters.
	var out []corridor.Checkpoint
	for rows.Next() {
		var seq, ns int64
		var hash, sig []byte
		if err := rows.Scan(&seq, &hash, &sig, &ns); err != nil {
			return nil, fmt.Errorf("read checkpoint: %w", err)
		}
		if len(hash) != 32 {
			return nil, fmt.Errorf("%w: checkpoint at entry %d: hash is %d bytes", ErrCorrupt, seq, len(hash))
		}
		cp := corridor.Checkpoint{Seq: uint64(seq), Signature: sig, Time: time.Unix(0, ns).UTC()}
		copy(cp.Hash[:], hash)
		out = append(out, cp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read checkpoints: %w", err)
	}
	return out, nil
}
