package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/crashpoint"
)

// Snapshots live in files beside the store (snapshot_file.go), each named
// by a row of snapshot_file committed once its file is durable; the rows
// and chunks of migration 4, the snapshots of earlier builds, are read and
// let go of as newer ones are saved.

// SnapshotsKept is how many snapshots the store keeps: the newest, and the
// one before it for an operator to fall back on.
const SnapshotsKept = 2

const (
	latestSeqSQL = `SELECT MAX(COALESCE((SELECT MAX(seq) FROM snapshot_file), 0),
		COALESCE((SELECT MAX(seq) FROM snapshot), 0))`
	hasSnapshotSQL = `SELECT (SELECT COUNT(*) FROM snapshot_file WHERE seq = ?1)
		+ (SELECT COUNT(*) FROM snapshot WHERE seq = ?1)`
	insertSnapshotSQL = `INSERT INTO snapshot_file (seq, entry_hash, state_hash, bytes, data_hash, time_ns) VALUES (?, ?, ?, ?, ?, ?)`
	// keptSnapshotsSQL is the SnapshotsKept newest of both kinds.
	keptSnapshotsSQL    = `SELECT seq FROM snapshot_file UNION SELECT seq FROM snapshot ORDER BY seq DESC LIMIT ?1`
	pruneFileRowsSQL    = `DELETE FROM snapshot_file WHERE seq NOT IN (` + keptSnapshotsSQL + `)`
	pruneChunkedRowsSQL = `DELETE FROM snapshot WHERE seq NOT IN (` + keptSnapshotsSQL + `)`
	fileSnapshotSeqsSQL = `SELECT seq FROM snapshot_file`
	latestFileSQL       = `SELECT seq, entry_hash, state_hash, bytes, data_hash FROM snapshot_file ORDER BY seq DESC LIMIT 1`
	latestChunkedSQL    = `SELECT seq, entry_hash, state_hash, bytes, chunks FROM snapshot ORDER BY seq DESC LIMIT 1`
	orphanChunkSQL      = `SELECT seq, n FROM snapshot_chunk WHERE seq NOT IN (SELECT seq FROM snapshot) LIMIT 1`
	deleteChunkSQL      = `DELETE FROM snapshot_chunk WHERE seq = ? AND n = ?`
	chunksSQL           = `SELECT n, data FROM snapshot_chunk WHERE seq = ? ORDER BY n LIMIT ?`
)

// ErrSnapshotsLeft is SaveSnapshot's error when the snapshot was saved but
// the older ones it let go of were not all deleted: the next save deletes
// them first.
var ErrSnapshotsLeft = errors.New("snapshot saved; older snapshots left for the next save to delete")

// SaveSnapshot stores data, the hub's snapshot of its state after journal
// entry seq, and keeps the SnapshotsKept newest. It writes data to its
// file, fsyncs it and renames it into place (writeSnapshotFile), then
// commits the snapshot's row, with the rows of older ones dropped, in one
// transaction, fsynced as the journal's are; then it deletes the files and
// chunks no row names (ErrSnapshotsLeft when that fails). The journal's
// appends wait only for that one small transaction. A snapshot of a seq
// stored already is not written again: the same entry is the same state.
// It refuses a seq the journal does not hold, an entry hash that is not
// that entry's, and empty data.
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
	if err := j.db.deleteUnnamedSnapshots(ctx); err != nil { // A save or a pruning that stopped half-way.
		return fmt.Errorf("snapshot %d: delete older snapshots: %w", seq, err)
	}
	dataHash, err := writeSnapshotFile(ctx, snapshotDir(j.db.path), seq, data)
	if err != nil {
		return fmt.Errorf("snapshot %d: %w", seq, err) // The file, if any, is no row's: the next save deletes it.
	}
	crashpoint.Hit(crashpoint.SnapshotFileWritten)
	if err := j.db.commitSnapshot(ctx, seq, entryHash, stateHash, dataHash, len(data)); err != nil {
		return err
	}
	crashpoint.Hit(crashpoint.SnapshotSaved)
	if err := j.db.deleteUnnamedSnapshots(ctx); err != nil {
		return fmt.Errorf("snapshot %d: %w: %w", seq, ErrSnapshotsLeft, err)
	}
	return nil
}

// commitSnapshot writes the snapshot's row and drops the rows of the
// snapshots past SnapshotsKept, of both kinds, in one transaction (their
// files and chunks go after it).
func (db *DB) commitSnapshot(ctx context.Context, seq uint64, entryHash, stateHash, dataHash [32]byte, bytes int) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("snapshot %d: begin: %w", seq, err)
	}
	defer func() { _ = tx.Rollback() }() // After Commit it is a no-op; before, the cause is already returned.
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{insertSnapshotSQL, []any{int64(seq), entryHash[:], stateHash[:], bytes, dataHash[:], time.Now().UnixNano()}},
		{pruneFileRowsSQL, []any{SnapshotsKept}},
		{pruneChunkedRowsSQL, []any{SnapshotsKept}},
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

// deleteUnnamedSnapshots deletes the snapshot files and the chunks that no
// snapshot row names: those of snapshots let go of, and of a save that
// stopped before its row.
func (db *DB) deleteUnnamedSnapshots(ctx context.Context) error {
	named, err := db.fileSnapshotSeqs(ctx)
	if err != nil {
		return err
	}
	if err := deleteUnnamedFiles(snapshotDir(db.path), named); err != nil {
		return err
	}
	return db.deleteOrphanChunks(ctx)
}

// fileSnapshotSeqs are the seqs snapshot_file has rows for.
func (db *DB) fileSnapshotSeqs(ctx context.Context) (map[uint64]bool, error) {
	rows, err := db.sql.QueryContext(ctx, fileSnapshotSeqsSQL)
	if err != nil {
		return nil, fmt.Errorf("read snapshot rows: %w", err)
	}
	defer rows.Close()
	named := make(map[uint64]bool, SnapshotsKept)
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, fmt.Errorf("read snapshot rows: %w", err)
		}
		named[uint64(seq)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read snapshot rows: %w", err)
	}
	return named, nil
}

// deleteOrphanChunks deletes the chunks of migration 4 that no snapshot
// row holds, one a transaction, giving the store's connection way after
// each for as long as the delete took (giveWay): deleting a whole
// snapshot's at once held the connection, and so every append, for as long
// as SQLite took to walk and free tens of megabytes of overflow pages.
func (db *DB) deleteOrphanChunks(ctx context.Context) error {
	for {
		var seq, n int64
		switch err := db.sql.QueryRowContext(ctx, orphanChunkSQL).Scan(&seq, &n); {
		case errors.Is(err, sql.ErrNoRows):
			return nil
		case err != nil:
			return fmt.Errorf("find older snapshot chunks: %w", err)
		}
		start := time.Now()
		if _, err := db.sql.ExecContext(ctx, deleteChunkSQL, seq, n); err != nil {
			return fmt.Errorf("delete chunk %d of snapshot %d: %w", n, seq, err)
		}
		giveWay(ctx, time.Since(start))
	}
}

// snapshotRow is a snapshot's row, of either kind.
type snapshotRow struct {
	seq                  int64
	entryHash, stateHash [32]byte
	bytes                int64
	dataHash             [32]byte // Of a file's.
	chunks               int64    // Of a chunked one's; 0 for a file's.
}

// LatestSnapshot returns the snapshot of the highest seq, or seq 0 and nil
// data when the store holds none. It refuses, before reading its data, a
// snapshot of more than maxBytes; it refuses a file cut, altered or missing
// (readSnapshotFile), and chunks that do not add up to what their row says.
func (j *Journal) LatestSnapshot(ctx context.Context, maxBytes int) (seq uint64, entryHash, stateHash [32]byte, data []byte, err error) {
	file, err := j.db.latestRow(ctx, false)
	if err != nil {
		return 0, entryHash, stateHash, nil, err
	}
	chunked, err := j.db.latestRow(ctx, true)
	if err != nil {
		return 0, entryHash, stateHash, nil, err
	}
	row := file
	if chunked.seq > file.seq {
		row = chunked
	}
	switch {
	case row.seq == 0:
		return 0, entryHash, stateHash, nil, nil
	case row.chunks > 0:
		data, err = j.db.readChunks(ctx, row.seq, row.bytes, row.chunks, maxBytes)
	default:
		data, err = readSnapshotFile(snapshotDir(j.db.path), uint64(row.seq), row.bytes, row.dataHash, maxBytes)
	}
	if err != nil {
		return 0, entryHash, stateHash, nil, err
	}
	return uint64(row.seq), row.entryHash, row.stateHash, data, nil
}

// latestRow reads the newest snapshot row of files, or with chunked of
// chunks, or a zero row when there is none.
func (db *DB) latestRow(ctx context.Context, chunked bool) (snapshotRow, error) {
	var r snapshotRow
	var eh, sh, dh []byte
	query, last := latestFileSQL, any(&dh)
	if chunked {
		query, last = latestChunkedSQL, &r.chunks
	}
	switch err := db.sql.QueryRowContext(ctx, query).Scan(&r.seq, &eh, &sh, &r.bytes, last); {
	case errors.Is(err, sql.ErrNoRows):
		return snapshotRow{}, nil
	case err != nil:
		return snapshotRow{}, fmt.Errorf("read latest snapshot: %w", err)
	}
	copy(r.entryHash[:], eh) // The schema checks all three are 32 bytes.
	copy(r.stateHash[:], sh)
	copy(r.dataHash[:], dh)
	return r, nil
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
