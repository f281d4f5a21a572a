package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/corridor-network/corridor"
)

const (
	checkpointEntrySQL  = `SELECT hash FROM journal WHERE seq = $1`
	insertCheckpointSQL = `INSERT INTO checkpoint (seq, hash, signature, time_ns) VALUES ($1, $2, $3, $4)`
	lastCheckpointSQL   = `SELECT COALESCE(max(seq), 0) FROM checkpoint`
	checkpointsSQL      = `SELECT seq, hash, signature, time_ns FROM checkpoint ORDER BY seq LIMIT $1`
	// MaxCheckpoints bounds what an audit reads of the checkpoint table.
	MaxCheckpoints = 1_000_000
	// MaxSignatureBytes bounds a stored checkpoint signature.
	MaxSignatureBytes = 512
)

// AppendCheckpoint stores the hub's signature over a journal entry that is
// already durable. It refuses a checkpoint whose hash is not that entry's,
// and, like Append, one written without the lease (ErrFenced).
func (j *Journal) AppendCheckpoint(ctx context.Context, cp corridor.Checkpoint) (err error) {
	if len(cp.Signature) == 0 || len(cp.Signature) > MaxSignatureBytes {
		return fmt.Errorf("checkpoint %d: signature of %d bytes", cp.Seq, len(cp.Signature))
	}
	if cp.Seq == 0 || cp.Seq > math.MaxInt64 {
		return fmt.Errorf("checkpoint %d: read entry: no such entry", cp.Seq)
	}
	token := j.Token()
	tx, err := j.db.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store checkpoint %d: begin: %w", cp.Seq, err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // After Commit it is a no-op; before, the cause is already returned.
	if _, err := tx.Exec(ctx, fenceSQL, int64(token)); err != nil {
		return fmt.Errorf("store checkpoint %d: %w", cp.Seq, fenceError(err, token))
	}
	var hash []byte
	if err := tx.QueryRow(ctx, checkpointEntrySQL, int64(cp.Seq)).Scan(&hash); err != nil {
		return fmt.Errorf("checkpoint %d: read entry: %w", cp.Seq, err)
	}
	if string(hash) != string(cp.Hash[:]) {
		return fmt.Errorf("checkpoint %d: hash is not the entry's", cp.Seq)
	}
	if _, err := tx.Exec(ctx, insertCheckpointSQL, int64(cp.Seq), cp.Hash[:], cp.Signature, cp.Time.UnixNano()); err != nil {
		return fmt.Errorf("store checkpoint %d: %w", cp.Seq, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store checkpoint %d: commit: %w", cp.Seq, err)
	}
	return nil
}

// LastCheckpoint is the seq of the newest checkpoint, or 0 when there is
// none: a hub that restarts or takes over continues from it rather than
// signing the same head twice.
func (j *Journal) LastCheckpoint(ctx context.Context) (uint64, error) {
	var seq int64
	if err := j.db.pool.QueryRow(ctx, lastCheckpointSQL).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read last checkpoint: %w", err)
	}
	return uint64(seq), nil
}

// AuditReport is what an audit found in an intact journal.
type AuditReport = corridor.AuditReport

// Audit walks the whole journal of the database at url, checking every
// entry's hash and link, and every checkpoint against its entry and with
// verify (the hub's signature check). It returns an error wrapping
// ErrCorrupt that names the first entry or checkpoint that does not match.
// A nil verify checks each checkpoint against its entry only. It writes
// nothing and needs no lease; it refuses a database without the schema.
func Audit(ctx context.Context, url string, verify func(corridor.Checkpoint) error) (AuditReport, error) {
	db, err := openForAudit(ctx, url)
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

// EntryHash is the hash of journal entry seq of the database at url, read
// the way Audit reads: without migrating or writing. ErrCorrupt when there
// is no such entry.
func EntryHash(ctx context.Context, url string, seq uint64) ([32]byte, error) {
	db, err := openForAudit(ctx, url)
	if err != nil {
		return [32]byte{}, err
	}
	defer func() { _ = db.Close() }() // Read only: nothing to lose.
	return db.entryHash(ctx, seq)
}

// EntryHash is the hash of entry seq of the open journal; ErrCorrupt when
// there is no such entry.
func (j *Journal) EntryHash(ctx context.Context, seq uint64) ([32]byte, error) {
	return j.db.entryHash(ctx, seq)
}

func (db *DB) entryHash(ctx context.Context, seq uint64) ([32]byte, error) {
	if seq > math.MaxInt64 {
		return [32]byte{}, fmt.Errorf("%w: entry %d: no such entry", ErrCorrupt, seq)
	}
	e, err := scanEntry(db.pool.QueryRow(ctx, entrySQL, int64(seq)))
	if err != nil {
		return [32]byte{}, fmt.Errorf("%w: entry %d: %v", ErrCorrupt, seq, err)
	}
	return e.Hash, nil
}

// openForAudit connects without migrating or checking the last entry (the
// audit itself reports what is wrong), and refuses a database without the
// schema or with a newer one.
func openForAudit(ctx context.Context, url string) (*DB, error) {
	db, err := connect(ctx, url, false)
	if err != nil {
		return nil, err
	}
	var exists bool
	err = db.pool.QueryRow(ctx, "SELECT to_regclass('schema_migration') IS NOT NULL").Scan(&exists)
	version := 0
	if err == nil && exists {
		version, err = schemaVersion(ctx, db.pool)
	}
	switch {
	case err != nil:
		err = fmt.Errorf("open store %s: %w", db.where, err)
	case version == 0:
		err = fmt.Errorf("open store %s: %w (schema version 0)", db.where, errNotStore)
	case version > SchemaVersion:
		err = fmt.Errorf("open store %s: schema version %d is newer than this build's %d", db.where, version, SchemaVersion)
	}
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return db, nil
}

func (db *DB) checkpoints(ctx context.Context) ([]corridor.Checkpoint, error) {
	rows, err := db.pool.Query(ctx, checkpointsSQL, MaxCheckpoints)
	if err != nil {
		return nil, fmt.Errorf("query checkpoints: %w", err)
	}
	defer rows.Close()
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
