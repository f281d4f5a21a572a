package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/sqlite"
)

// TestSnapshots saves snapshots of several sizes (across the bounds of a
// write and of an fsync) and checks that the latest comes back whole, that
// only the last SnapshotsKept are kept, rows and files, that a second save
// of the same seq changes nothing, and what is refused: a seq not in the
// journal, an entry hash that is not the entry's, and a read of more than
// maxBytes.
func TestSnapshots(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	j := db.Journal()
	entries := MustAppend(t, j, 5, 10)
	if seq, _, _, data, err := j.LatestSnapshot(ctx, 1<<30); err != nil || seq != 0 || data != nil {
		t.Fatalf("LatestSnapshot of an empty store = %d, %d bytes, %v; want none", seq, len(data), err)
	}
	sizes := []int{1, sqlite.SnapshotWriteBytes, sqlite.SnapshotSyncBytes + 7}
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
	raw := mustOpenRaw(t, path)
	if rows, files := snapshotRows(t, raw), snapshotFiles(t, path); rows != sqlite.SnapshotsKept || len(files) != sqlite.SnapshotsKept {
		t.Fatalf("%d snapshot rows and files %q kept; want %d of each", rows, files, sqlite.SnapshotsKept)
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

// TestSnapshotFilesLeftBehind checks that the files a save that stopped
// half-way left (one still being written, one renamed but without its row)
// are deleted by the next save, that the snapshots kept keep theirs, and
// that a file that is not a snapshot's is left alone.
func TestSnapshotFilesLeftBehind(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	j := db.Journal()
	entries := MustAppend(t, j, 4, 10)
	data := []byte("state")
	if err := j.SaveSnapshot(ctx, entries[1].Seq, entries[1].Hash, [32]byte{1}, data); err != nil {
		t.Fatal(err)
	}
	dir := sqlite.SnapshotDir(path)
	for _, name := range []string{".writing-123", "00000000000000000003.snap", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.SaveSnapshot(ctx, entries[3].Seq, entries[3].Hash, [32]byte{3}, data); err != nil {
		t.Fatal(err)
	}
	want := []string{"00000000000000000002.snap", "00000000000000000004.snap", "notes.txt"}
	if files := snapshotFiles(t, path); !slices.Equal(files, want) {
		t.Fatalf("snapshot directory holds %q; want %q", files, want)
	}
	mustLatestSnapshot(t, j, entries[3].Seq, data)
}

// TestChunkedSnapshots checks the snapshots of earlier builds, kept in
// chunks in the store: the latest is read when it is the newest, a newer
// file snapshot is read before it, it is let go of, row and chunks, once
// SnapshotsKept newer ones are saved, and a save whose deleting of its
// chunks fails (a trigger refuses it here) still saves the snapshot and
// says so with ErrSnapshotsLeft, the next save deleting what was left.
func TestChunkedSnapshots(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	j := db.Journal()
	entries := MustAppend(t, j, 5, 10)
	raw := mustOpenRaw(t, path)
	old := bytes.Repeat([]byte{9}, 10)
	mustExecRaw(t, raw, `INSERT INTO snapshot (seq, entry_hash, state_hash, bytes, chunks, time_ns) VALUES (?, ?, zeroblob(32), 10, 2, 0)`, entries[0].Seq, entries[0].Hash[:])
	mustExecRaw(t, raw, `INSERT INTO snapshot_chunk (seq, n, data) VALUES (?1, 0, ?2), (?1, 1, ?3)`, entries[0].Seq, old[:4], old[4:])
	mustLatestSnapshot(t, j, entries[0].Seq, old)
	if last, err := j.LatestSnapshotSeq(ctx); err != nil || last != entries[0].Seq {
		t.Fatalf("LatestSnapshotSeq = %d, %v; want %d", last, err, entries[0].Seq)
	}
	data := []byte("state")
	if err := j.SaveSnapshot(ctx, entries[1].Seq, entries[1].Hash, [32]byte{}, data); err != nil {
		t.Fatal(err)
	}
	mustLatestSnapshot(t, j, entries[1].Seq, data)
	if chunks := chunkCount(t, raw); chunks != 2 {
		t.Fatalf("%d chunks stored; want the 2 of the chunked snapshot, one of the %d kept", chunks, sqlite.SnapshotsKept)
	}
	mustExecRaw(t, raw, `CREATE TRIGGER no_chunk_delete BEFORE DELETE ON snapshot_chunk BEGIN SELECT RAISE(ABORT, 'refused'); END`)
	if err := j.SaveSnapshot(ctx, entries[2].Seq, entries[2].Hash, [32]byte{}, data); !errors.Is(err, sqlite.ErrSnapshotsLeft) {
		t.Fatalf("SaveSnapshot with the chunks' deleting refused = %v; want ErrSnapshotsLeft", err)
	}
	mustLatestSnapshot(t, j, entries[2].Seq, data)
	mustExecRaw(t, raw, `DROP TRIGGER no_chunk_delete`)
	if err := j.SaveSnapshot(ctx, entries[3].Seq, entries[3].Hash, [32]byte{}, data); err != nil {
		t.Fatal(err)
	}
	if chunks, rows := chunkCount(t, raw), snapshotRows(t, raw); chunks != 0 || rows != sqlite.SnapshotsKept {
		t.Fatalf("%d chunks and %d snapshot rows stored; want none and %d", chunks, rows, sqlite.SnapshotsKept)
	}
}

// TestSnapshotFileDamaged cuts the latest snapshot's file at every length
// short of whole, flips each bit of its first and last bytes, and removes
// it: LatestSnapshot refuses each, naming what is wrong, and reads it
// again once it is whole.
func TestSnapshotFileDamaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corridor.db")
	j := MustOpen(t, path).Journal()
	e := MustAppend(t, j, 1, 10)[0]
	data := bytes.Repeat([]byte("snapshot "), 500)
	if err := j.SaveSnapshot(context.Background(), e.Seq, e.Hash, [32]byte{}, data); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(sqlite.SnapshotDir(path), "00000000000000000001.snap")
	for n := range len(data) {
		mustLatestSnapshotRefused(t, j, file, data[:n], "cut short")
	}
	for _, i := range []int{0, len(data) - 1} {
		for bit := range 8 {
			flipped := slices.Clone(data)
			flipped[i] ^= 1 << bit
			mustLatestSnapshotRefused(t, j, file, flipped, "altered")
		}
	}
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if _, _, _, _, err := j.LatestSnapshot(context.Background(), 1<<30); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("LatestSnapshot without its file = %v; want an error saying it is missing", err)
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	mustLatestSnapshot(t, j, e.Seq, data)
}

// TestBackupLeavesSnapshotFiles checks that a backup names no snapshot
// file, which it does not hold: a store restored from it has no snapshot
// and replays its journal. A restore beside another store's snapshot
// files is refused.
func TestBackupLeavesSnapshotFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "corridor.db")
	j := MustOpen(t, path).Journal()
	e := MustAppend(t, j, 1, 10)[0]
	if err := j.SaveSnapshot(ctx, e.Seq, e.Hash, [32]byte{}, []byte("state")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "backup.db")
	if err := sqlite.Backup(ctx, path, out); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(t.TempDir(), "corridor.db")
	if err := sqlite.Restore(out, restored); err != nil {
		t.Fatal(err)
	}
	mustLatestSnapshot(t, MustOpen(t, restored).Journal(), 0, nil)
	beside := filepath.Join(t.TempDir(), "corridor.db")
	if err := os.Mkdir(sqlite.SnapshotDir(beside), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := sqlite.Restore(out, beside); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("Restore beside another store's snapshots = %v; want a refusal", err)
	}
}

// mustLatestSnapshotRefused writes content as the snapshot file and fails
// tb unless LatestSnapshot refuses it with an error naming the file and
// saying why.
func mustLatestSnapshotRefused(tb testing.TB, j *sqlite.Journal, file string, content []byte, why string) {
	tb.Helper()
	if err := os.WriteFile(file, content, 0o600); err != nil {
		tb.Fatal(err)
	}
	_, _, _, _, err := j.LatestSnapshot(context.Background(), 1<<30)
	if err == nil || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), file) {
		tb.Fatalf("LatestSnapshot of a file of %d bytes = %v; want an error naming %s and saying %q", len(content), err, file, why)
	}
}

// snapshotFiles are the names in the snapshot directory of the store at
// path, sorted.
func snapshotFiles(tb testing.TB, path string) []string {
	tb.Helper()
	entries, err := os.ReadDir(sqlite.SnapshotDir(path))
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// snapshotRows is the number of snapshot rows, of both kinds, in the store
// raw opens.
func snapshotRows(tb testing.TB, raw *sql.DB) int {
	tb.Helper()
	var rows int
	if err := raw.QueryRow(`SELECT (SELECT COUNT(*) FROM snapshot) + (SELECT COUNT(*) FROM snapshot_file)`).Scan(&rows); err != nil {
		tb.Fatal(err)
	}
	return rows
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

// mustExecRaw runs stmt on raw, as an operator's sqlite3 shell would.
func mustExecRaw(tb testing.TB, raw *sql.DB, stmt string, args ...any) {
	tb.Helper()
	if _, err := raw.Exec(stmt, args...); err != nil {
		tb.Fatalf("%s: %v", stmt, err)
	}
}

// mustLatestSnapshot fails tb unless j's latest snapshot is data, of seq.
func mustLatestSnapshot(tb testing.TB, j *sqlite.Journal, seq uint64, data []byte) {
	tb.Helper()
	if got, _, _, snap, err := j.LatestSnapshot(context.Background(), 1<<30); err != nil || got != seq || !bytes.Equal(snap, data) {
		tb.Fatalf("LatestSnapshot = %d, %d bytes, %v; want %d", got, len(snap), err, seq)
	}
}

// TestSnapshotFileMigration opens a store of schema version 6, from before
// snapshot files, holding a chunked snapshot: Open adds snapshot_file, the
// chunked snapshot is still the latest, and the next save goes to a file.
func TestSnapshotFileMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	entries := MustAppend(t, db.Journal(), 2, 16)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, path, `DROP TABLE snapshot_file`, `PRAGMA user_version = 6`)
	raw := mustOpenRaw(t, path)
	mustExecRaw(t, raw, `INSERT INTO snapshot (seq, entry_hash, state_hash, bytes, chunks, time_ns) VALUES (?, ?, zeroblob(32), 3, 1, 0)`, entries[0].Seq, entries[0].Hash[:])
	mustExecRaw(t, raw, `INSERT INTO snapshot_chunk (seq, n, data) VALUES (?, 0, x'010203')`, entries[0].Seq)

	j := MustOpen(t, path).Journal()
	mustLatestSnapshot(t, j, entries[0].Seq, []byte{1, 2, 3})
	if err := j.SaveSnapshot(ctx, entries[1].Seq, entries[1].Hash, [32]byte{}, []byte("state")); err != nil {
		t.Fatal(err)
	}
	mustLatestSnapshot(t, j, entries[1].Seq, []byte("state"))
	if files := snapshotFiles(t, path); len(files) != 1 {
		t.Fatalf("snapshot files %q; want the one saved", files)
	}
}
