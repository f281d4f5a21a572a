package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
)

// SnapshotChunkBytes is the most of a snapshot written in one transaction:
// the journal's next append waits for at most one chunk. After each chunk
// written or deleted the save gives the store's connection way for as
// long as the chunk held it (giveWay), so that a snapshot takes at most
// about half of the connection's time from the appends. Chunks of 1 MiB,
// one after another, had the appends of a hub at 700 payments/s wait 36 ms
// on average through the second or two a save of 54 MB took, and its p99
// follow.
const SnapshotChunkBytes = 256 << 10

// maxGiveWay bounds one pause of a save: a chunk held up by the disk does
// not stop the save for as long.
const maxGiveWay = 50 * time.Millisecond

// giveWay waits as long as a chunk's write took, at most maxGiveWay, or
// until ctx is done.
func giveWay(ctx context.Context, took time.Duration) {
	t := time.NewTimer(min(took, maxGiveWay))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// SnapshotsKept is how many snapshots the store keeps: the newest, and the
// one before it for an operator to fall back on.
const SnapshotsKept = 2

const (
	latestSeqSQL      = `SELECT COALESCE(MAX(seq), 0) FROM snapshot`
	hasSnapshotSQL    = `SELECT COUNT(*) FROM snapshot WHERE seq = ?`
	insertChunkSQL    = `INSERT INTO snapshot_chunk (seq, n, data) VALUES (?, ?, ?)`
	insertSnapshotSQL = `INSERT INTO snapshot (seq, entry_hash, state_hash, bytes, chunks, time_ns) VALUES (?, ?, ?, ?, ?, ?)`
	pruneSnapshotsSQL = `DELETE FROM snapshot WHERE seq NOT IN (SELECT seq FROM snapshot ORDER BY seq DESC LIMIT ?)`
	orphanChunkSQL    = `SELECT seq, n FROM snapshot_chunk WHERE seq NOT IN (SELECT seq FROM snapshot) LIMIT 1`
	deleteChunkSQL    = `DELETE FROM snapshot_chunk WHERE seq = ? AND n = ?`
	latestSnapshotSQL = `SELECT seq, entry_hash, state_hash, bytes, chunks FROM snapshot ORDER BY seq DESC LIMIT 1`
	chunksSQL         = `SELECT n, data FROM snapshot_chunk WHERE seq = ? ORDER BY n LIMIT ?`
)

// ErrChunksLeft is SaveSnapshot's error when the snapshot was saved but
// the chunks of the older ones it let go of were not all deleted: the next
// save deletes them first.
var ErrChunksLeft = errors.New("snapshot saved; chunks of older snapshots left for the next save")

// SaveSnapshot stores data, the hub's snapshot of its state after journal
// entry seq, and keeps the SnapshotsKept newest. It writes data in chunks
// of SnapshotChunkBytes, each in its own transaction, and the snapshot's
// row last, with the rows of older ones dropped, in one more; then it
// deletes their chunks, one a transaction (ErrChunksLeft when that fails).
// Each commit is fsynced (synchronous=FULL), as the journal's are, a
// snapshot is there only once all of it is, and the journal's appends wait
// for one chunk at most, the save giving way after each (giveWay). A snapshot of a seq stored already is not written
// again: the same entry is the same state. It refuses a seq the journal
// does not hold, an entry hash that is not that entry's, and empty data.
func (j *Journal) SaveSnapshot(ctx context.Context, seq uint64, entryHash, stateHash [32]byte, data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("snapshot %d: no data", seq)
	}
	e, err := scanEntry(j.db.sql.QueryRowContext(ctx, entrySQL, int64(seq)))
	if err != nil {
		return fmt.Errorf("snapshot %d: read entry: %w", seq, err)
	}
	if e.Hash != entryHash {
		return fmt.Errorf("snapshot %d: entry hash is not the entry's", seq)
	}
	var have int
	if err := j.db.sql.QueryRowContext(ctx, hasSnapshotSQL, int64(seq)).Scan(&have); err != nil {
		return fmt.Errorf("snapshot %d: %w", seq, err)
	}
	if have > 0 {
		return nil // The same entry, the same state: it is stored already.
	}
	if err := j.db.deleteOrphanChunks(ctx); err != nil { // A save or a pruning that stopped half-way.
		return fmt.Errorf("snapshot %d: clear chunks: %w", seq, err)
	}
	n := 0
	for chunk := range slices.Chunk(data, SnapshotChunkBytes) {
		start := time.Now()
		if _, err := j.db.sql.ExecContext(ctx, insertChunkSQL, int64(seq), n, chunk); err != nil {
			return fmt.Errorf("snapshot %d: write chunk %d: %w", seq, n, err)
		}
		n++
		giveWay(ctx, time.Since(start))
	}
	if err := j.db.commitSnapshot(ctx, seq, entryHash, stateHash, len(data), n); err != nil {
		return err
	}
	if err := j.db.deleteOrphanChunks(ctx); err != nil {
		return fmt.Errorf("snapshot %d: %w: %w", seq, ErrChunksLeft, err)
	}
	return nil
}

// deleteOrphanChunks deletes the chunks no snapshot row holds, one a
// transaction. Deleting a whole snapshot's at once held the store's one
// connection, and so every append, for as long as SQLite took to walk and
// free tens of megabytes of overflow pages.
func (db *DB) deleteOrphanChunks(ctx context.Context) error {
	for {
		var seq, n int64
		switch err := db.sql.QueryRowContext(ctx, orphanChunkSQL).Scan(&seq, &n); {
		case errors.Is(err, sql.ErrNoRows):
			return nil
		case err != nil:
			return err
		}
		start := time.Now()
		if _, err := db.sql.ExecContext(ctx, deleteChunkSQL, seq, n); err != nil {
			return err
		}
		giveWay(ctx, time.Since(start))
	}
}

// commitSnapshot writes the snapshot's row and drops the rows of the
// snapshots past SnapshotsKept, in one transaction (their chunks go after
// it).
func (db *DB) commitSnapshot(ctx context.Context, seq uint64, entryHash, stateHash [32]byte, bytes, chunks int) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("snapshot %d: begin: %w", seq, err)
	}
	defer func() { _ = tx.Rollback() }() // After Commit it is a no-op; before, the cause is already returned.
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{insertSnapshotSQL, []any{int64(seq), entryHash[:], stateHash[:], bytes, chunks, time.Now().UnixNano()}},
		{pruneSnapshotsSQL, []any{SnapshotsKept}},
	} {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("snapshot %d: %w", seq, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("snapshot %d: commit: %w", seq, err)
	}
	return nil
}

// LatestSnapshot returns the snapshot of the highest seq, or seq 0 and nil
// data when the store holds none. It refuses, before reading its data, a
// snapshot of more than maxBytes, and one whose chunks do not add up to
// what its row says.
func (j *Journal) LatestSnapshot(ctx context.Context, maxBytes int) (seq uint64, entryHash, stateHash [32]byte, data []byte, err error) {
	var s, size, chunks int64
	var eh, sh []byte
	err = j.db.sql.QueryRowContext(ctx, latestSnapshotSQL).Scan(&s, &eh, &sh, &size, &chunks)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, entryHash, stateHash, nil, nil
	case err != nil:
		return 0, entryHash, stateHash, nil, fmt.Errorf("read latest snapshot: %w", err)
	}
	copy(entryHash[:], eh) // The schema checks both are 32 bytes.
	copy(stateHash[:], sh)
	data, err = j.db.readChunks(ctx, s, size, chunks, maxBytes)
	if err != nil {
		return 0, entryHash, stateHash, nil, err
	}
	return uint64(s), entryHash, stateHash, data, nil
}

// readChunks reads snapshot seq's chunks in order (corridor.SnapshotChunks
// checks them against its row).
func (db *DB) readChunks(ctx context.Context, seq, size, chunks int64, maxBytes int) ([]byte, error) {
	c, err := corridor.NewSnapshotChunks(uint64(seq), size, chunks, maxBytes)
	if err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, chunksSQL, seq, chunks+1)
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: read chunks: %w", seq, err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		var chunk sql.RawBytes
		if err := rows.Scan(&i, &chunk); err != nil {
			return nil, fmt.Errorf("snapshot %d: read chunk: %w", seq, err)
		}
		if err := c.Add(i, chunk); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("snapshot %d: read chunks: %w", seq, err)
	}
	return c.Data()
}

// LatestSnapshotSeq is the seq of the newest snapshot, or 0 when there is
// none, without reading its data.
func (j *Journal) LatestSnapshotSeq(ctx context.Context) (uint64, error) {
	var seq int64
	if err := j.db.sql.QueryRowContext(ctx, latestSeqSQL).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read latest snapshot: %w", err)
	}
	return uint64(seq), nil
}
