package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/jackc/pgx/v5"
)

// SnapshotChunkBytes is the size of the chunks a snapshot is written in:
// each is its own transaction, so that a journal append waits for at most
// one.
const SnapshotChunkBytes = 1 << 20

// SnapshotsKept is how many snapshots the store keeps, the newest.
const SnapshotsKept = 2

const (
	hasSnapshotSQL    = `SELECT count(*) FROM snapshot WHERE seq = $1`
	insertChunkSQL    = `INSERT INTO snapshot_chunk (seq, n, data) VALUES ($1, $2, $3)`
	insertSnapshotSQL = `INSERT INTO snapshot (seq, entry_hash, state_hash, bytes, chunks, time_ns) VALUES ($1, $2, $3, $4, $5, $6)`
	pruneSnapshotsSQL = `DELETE FROM snapshot WHERE seq NOT IN (SELECT seq FROM snapshot ORDER BY seq DESC LIMIT $1)`
	pruneChunksSQL    = `DELETE FROM snapshot_chunk WHERE seq NOT IN (SELECT seq FROM snapshot)`
	latestSnapshotSQL = `SELECT seq, entry_hash, state_hash, bytes, chunks FROM snapshot ORDER BY seq DESC LIMIT 1`
	latestSnapSeqSQL  = `SELECT COALESCE(max(seq), 0) FROM snapshot`
	chunksSQL         = `SELECT n, data FROM snapshot_chunk WHERE seq = $1 ORDER BY n LIMIT $2`
)

// SaveSnapshot stores data, a hub's snapshot of its state after journal
// entry seq, and keeps the SnapshotsKept newest: the data in chunks of
// SnapshotChunkBytes, each its own transaction, then the row and the
// pruning in one more, so that a snapshot is there only once all of it is.
// A snapshot of a seq stored already is not written again. It refuses a seq
// the journal does not hold, an entry hash that is not that entry's, and
// empty data. It needs no lease: whoever writes it, a hub checks a
// snapshot against the journal before it uses one.
func (j *Journal) SaveSnapshot(ctx context.Context, seq uint64, entryHash, stateHash [32]byte, data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("snapshot %d: no data", seq)
	}
	hash, err := j.db.entryHash(ctx, seq)
	if err != nil {
		return fmt.Errorf("snapshot %d: read entry: %w", seq, err)
	}
	if hash != entryHash {
		return fmt.Errorf("snapshot %d: entry hash is not the entry's", seq)
	}
	var have int
	if err := j.db.pool.QueryRow(ctx, hasSnapshotSQL, int64(seq)).Scan(&have); err != nil {
		return fmt.Errorf("snapshot %d: %w", seq, err)
	}
	if have > 0 {
		return nil // The same entry, the same state: it is stored already.
	}
	if _, err := j.db.pool.Exec(ctx, pruneChunksSQL); err != nil { // A save that stopped half-way.
		return fmt.Errorf("snapshot %d: clear chunks: %w", seq, err)
	}
	n := 0
	for chunk := range slices.Chunk(data, SnapshotChunkBytes) {
		if _, err := j.db.pool.Exec(ctx, insertChunkSQL, int64(seq), n, chunk); err != nil {
			return fmt.Errorf("snapshot %d: write chunk %d: %w", seq, n, err)
		}
		n++
	}
	return pgx.BeginFunc(ctx, j.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, insertSnapshotSQL, int64(seq), entryHash[:], stateHash[:], len(data), n, time.Now().UnixNano()); err != nil {
			return fmt.Errorf("snapshot %d: %w", seq, err)
		}
		if _, err := tx.Exec(ctx, pruneSnapshotsSQL, SnapshotsKept); err != nil {
			return fmt.Errorf("snapshot %d: prune: %w", seq, err)
		}
		if _, err := tx.Exec(ctx, pruneChunksSQL); err != nil {
			return fmt.Errorf("snapshot %d: prune chunks: %w", seq, err)
		}
		return nil
	})
}

// LatestSnapshot returns the snapshot of the highest seq, or seq 0 and nil
// data when the store holds none. It refuses, before reading its data, a
// snapshot of more than maxBytes, and one whose chunks do not add up to
// what its row says.
func (j *Journal) LatestSnapshot(ctx context.Context, maxBytes int) (seq uint64, entryHash, stateHash [32]byte, data []byte, err error) {
	var s, size, chunks int64
	var eh, sh []byte
	err = j.db.pool.QueryRow(ctx, latestSnapshotSQL).Scan(&s, &eh, &sh, &size, &chunks)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
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
	rows, err := db.pool.Query(ctx, chunksSQL, seq, chunks+1)
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: read chunks: %w", seq, err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		var chunk []byte
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
	if err := j.db.pool.QueryRow(ctx, latestSnapSeqSQL).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read latest snapshot: %w", err)
	}
	return uint64(seq), nil
}
