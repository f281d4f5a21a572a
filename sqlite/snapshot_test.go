package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/corridor-network/corridor/sqlite"
)

// TestSnapshots saves snapshots of several sizes (across chunk bounds) and
// checks that the latest comes back whole, that only the last
// SnapshotsKept are kept, that a second save of the same seq changes
// nothing, and what is refused: a seq not in the journal, an entry hash
// that is not the entry's, and a read of more than maxBytes.
func TestSnapshots(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	j := db.Journal()
	entries := MustAppend(t, j, 5, 10)
	if seq, _, _, data, err := j.LatestSnapshot(ctx, 1<<30); err != nil || seq != 0 || data != nil {
		t.Fatalf("LatestSnapshot of an empty store = %d, %d bytes, %v; want none", seq, len(data), err)
	}
	sizes := []int{1, sqlite.SnapshotChunkBytes, 2*sqlite.SnapshotChunkBytes + 7}
	for i, n := range sizes {
		e := entries[i+1]
		data := bytes.Repeat([]byte{byte(i + 1)}, n)
		state := [32]byte{byte(i)}
		if err := j.SaveSnapshot(ctx, e.Seq, e.Hash, state, data); err != nil {
			t.Fatalf("SaveSnapshot(%d, %d bytes): %v", e.Seq, n, err)
		}
		if err := j.SaveSnapshot(ctx, e.Seq, e.Hash, state, []byte("other")); err != nil { // The same seq: kept as it was.
			t.Fatal(err)
		}
		seq, eh, sh, got, err := j.LatestSnapshot(ctx, 1<<30)
		if err != nil || seq != e.Seq || eh != e.Hash || sh != state || !bytes.Equal(got, data) {
			t.Fatalf("LatestSnapshot = %d, %x, %x, %d bytes, %v; want %d, %d bytes", seq, eh, sh, len(got), err, e.Seq, n)
		}
	}
	if last, err := j.LatestSnapshotSeq(ctx); err != nil || last != entries[3].Seq {
		t.Fatalf("LatestSnapshotSeq = %d, %v; want %d", last, err, entries[3].Seq)
	}
	var kept, chunks int
	raw := mustOpenRaw(t, path)
	if err := raw.QueryRow(`SELECT (SELECT COUNT(*) FROM snapshot), (SELECT COUNT(*) FROM snapshot_chunk)`).Scan(&kept, &chunks); err != nil {
		t.Fatal(err)
	}
	if kept != sqlite.SnapshotsKept || chunks != 1+3 {
		t.Fatalf("%d snapshots in %d chunks kept; want %d in 4", kept, chunks, sqlite.SnapshotsKept)
	}
	if _, _, _, _, err := j.LatestSnapshot(ctx, 100); err == nil {
		t.Fatal("LatestSnapshot read a snapshot past maxBytes")
	}
	if err := j.SaveSnapshot(ctx, 99, entries[0].Hash, [32]byte{}, []byte("x")); err == nil {
		t.Fatal("SaveSnapshot took a seq the journal does not hold")
	}
	if err := j.SaveSnapshot(ctx, entries[4].Seq, entries[0].Hash, [32]byte{}, []byte("x")); err == nil {
		t.Fatal("SaveSnapshot took an entry hash that is not the entry's")
	}
}

// TestSnapshotChunksLeftBehind checks that the chunks a save or a pruning
// that stopped half-way left (chunks no snapshot row holds) are deleted by
// the next save, and that the snapshots kept keep theirs.
func TestSnapshotChunksLeftBehind(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	j := db.Journal()
	entries := MustAppend(t, j, 4, 10)
	data := bytes.Repeat([]byte{7}, 2*sqlite.SnapshotChunkBytes+1)
	if err := j.SaveSnapshot(ctx, entries[1].Seq, entries[1].Hash, [32]byte{1}, data); err != nil {
		t.Fatal(err)
	}
	raw := mustOpenRaw(t, path)
	for n := range 5 { // A save of entry 3 cut after five chunks.
		if _, err := raw.Exec(`INSERT INTO snapshot_chunk (seq, n, data) VALUES (?, ?, x'00')`, entries[2].Seq, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.SaveSnapshot(ctx, entries[3].Seq, entries[3].Hash, [32]byte{3}, data); err != nil {
		t.Fatal(err)
	}
	if chunks := chunkCount(t, raw); chunks != 2*3 {
		t.Fatalf("%d chunks stored; want the 3 of each of the 2 snapshots", chunks)
	}
	mustLatestSnapshot(t, j, entries[3].Seq, data)
}

// TestSnapshotSavedChunksLeft checks that a save whose deleting of the
// older snapshots' chunks fails (a trigger refuses it here) still saves
// the snapshot and says so with ErrChunksLeft, and that the next save
// deletes what was left.
func TestSnapshotSavedChunksLeft(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	j := db.Journal()
	entries := MustAppend(t, j, 4, 10)
	data := bytes.Repeat([]byte{7}, sqlite.SnapshotChunkBytes+1)
	for _, e := range entries[:2] {
		if err := j.SaveSnapshot(ctx, e.Seq, e.Hash, [32]byte{}, data); err != nil {
			t.Fatal(err)
		}
	}
	raw := mustOpenRaw(t, path)
	if _, err := raw.Exec(`CREATE TRIGGER no_chunk_delete BEFORE DELETE ON snapshot_chunk BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}
	if err := j.SaveSnapshot(ctx, entries[2].Seq, entries[2].Hash, [32]byte{}, data); !errors.Is(err, sqlite.ErrChunksLeft) {
		t.Fatalf("SaveSnapshot with the chunks' deleting refused = %v; want ErrChunksLeft", err)
	}
	mustLatestSnapshot(t, j, entries[2].Seq, data)
	if _, err := raw.Exec(`DROP TRIGGER no_chunk_delete`); err != nil {
		t.Fatal(err)
	}
	if err := j.SaveSnapshot(ctx, entries[3].Seq, entries[3].Hash, [32]byte{}, data); err != nil {
		t.Fatal(err)
	}
	if chunks := chunkCount(t, raw); chunks != 2*2 {
		t.Fatalf("%d chunks stored; want the 2 of each of the 2 snapshots kept", chunks)
	}
}

// chunkCount is the number of snapshot chunks in the store raw opens.
func chunkCount(tb testing.TB, raw *sql.DB) int {
	tb.Helper()
	var chunks int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM snapshot_chunk`).Scan(&chunks); err != nil {
		tb.Fatal(err)
	}
	return chunks
}

// mustLatestSnapshot fails tb unless j's latest snapshot is data, of seq.
func mustLatestSnapshot(tb testing.TB, j *sqlite.Journal, seq uint64, data []byte) {
	tb.Helper()
	if got, _, _, snap, err := j.LatestSnapshot(context.Background(), 1<<30); err != nil || got != seq || !bytes.Equal(snap, data) {
		tb.Fatalf("LatestSnapshot = %d, %d bytes, %v; want %d", got, len(snap), err, seq)
	}
}
