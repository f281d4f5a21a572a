package hub_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/sqlite"
)

// syncBuffer is a log the hub writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// mustHubLogging is mustHubWith with the hub's log written to log.
func mustHubLogging(tb testing.TB, dir string, cfg hub.Config, log *syncBuffer) (*hub.Hub, *sqlite.DB, func()) {
	tb.Helper()
	c := &clock{t: businessDay}
	cfg.Now, cfg.Logger = c.Now, slog.New(slog.NewTextHandler(log, nil))
	return mustRunHub(tb, dir, cfg)
}

// mustSnapshotJournal loads the current fixture journal into dir, saves a
// snapshot of its end, and journals six commands after it, so that a start from
// the snapshot has a tail to apply. It returns the state hash at the end.
func mustSnapshotJournal(t *testing.T, dir string) [32]byte {
	t.Helper()
	ctx := context.Background()
	mustLoadFixture(t, dir, journalCurrent)
	var log syncBuffer
	h, db, stop := mustHubLogging(t, dir, currentFixtureConfig(t), &log)
	snap, err := h.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Journal().SaveSnapshot(ctx, snap.Seq, snap.EntryHash, snap.StateHash, snap.Data); err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { return h.Fund(ctx, bankIN, corridor.Money{Amount: 1000_00, Currency: "INR"}) },
		func() error { return h.Fund(ctx, bankRU, corridor.Money{Amount: 10_00, Currency: "INR"}) },
		func() error { return h.Ack(ctx, bankIN, 3) },
		func() error { return h.RevokeOperator(ctx, "operator", "0c0d") },
		func() error { return h.Suspend(ctx, bankRU, true) },
		func() error { return h.Suspend(ctx, bankRU, false) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	sum, _, err := h.StateSum(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	return sum
}

// TestStartFromSnapshot checks that a hub whose store holds a snapshot
// starts from it and the entries after it, and reaches the state a full
// replay reaches.
func TestStartFromSnapshot(t *testing.T) {
	dir := t.TempDir()
	want := mustSnapshotJournal(t, dir)
	var log syncBuffer
	h, _, _ := mustHubLogging(t, dir, currentFixtureConfig(t), &log)
	if got, _, err := h.StateSum(context.Background()); err != nil || got != want {
		t.Fatalf("state hash from the snapshot %x, %v; want %x", got, err, want)
	}
	if !strings.Contains(log.String(), "state loaded from snapshot") || !strings.Contains(log.String(), "tail=6") {
		t.Fatalf("the hub did not say it started from the snapshot with 6 entries after it:\n%s", log.String())
	}
	if strings.Contains(log.String(), "level=WARN") {
		t.Fatalf("a start from a good snapshot warned:\n%s", log.String())
	}
}

// TestSnapshotCorruptReplays corrupts the stored snapshot in each way it
// can be and checks that the hub starts all the same, by replaying the
// whole journal to the same state, with a WARN saying why.
func TestSnapshotCorruptReplays(t *testing.T) {
	for _, tt := range []struct {
		name    string
		corrupt func(t *testing.T, store string)
		why     string
	}{
		{"BitFlip", func(t *testing.T, store string) { mustRewriteSnapshot(t, store, flipMiddleBit, false) }, "altered"},
		{"Truncated", func(t *testing.T, store string) { mustRewriteSnapshot(t, store, cutInHalf, false) }, "cut short"},
		{"FileLost", func(t *testing.T, store string) { mustRemoveSnapshotFile(t, store) }, "missing"},
		{"RowRewritten", func(t *testing.T, store string) { mustRewriteSnapshot(t, store, flipMiddleBit, true) }, "its SHA-256 does not match its contents"},
		{"WrongStateHash", func(t *testing.T, store string) {
			mustExecStore(t, store, `UPDATE snapshot_file SET state_hash = zeroblob(32)`)
		}, "not its state hash"},
		{"WrongEntryHash", func(t *testing.T, store string) {
			mustExecStore(t, store, `UPDATE snapshot_file SET entry_hash = zeroblob(32)`)
		}, "not the snapshot's entry hash"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			want := mustSnapshotJournal(t, dir)
			tt.corrupt(t, filepath.Join(dir, "corridor.db"))
			var log syncBuffer
			h, _, _ := mustHubLogging(t, dir, currentFixtureConfig(t), &log)
			if got, _, err := h.StateSum(context.Background()); err != nil || got != want {
				t.Fatalf("state hash after the replay %x, %v; want %x", got, err, want)
			}
			var warn string
			for _, line := range strings.Split(log.String(), "\n") {
				if strings.Contains(line, "level=WARN") {
					warn = line
				}
			}
			if !strings.Contains(warn, "snapshot not used: replaying the whole journal") || !strings.Contains(warn, tt.why) {
				t.Fatalf("want a WARN naming %q; the log:\n%s", tt.why, log.String())
			}
			if !strings.Contains(log.String(), "journal replayed") || strings.Contains(log.String(), "state loaded from snapshot") {
				t.Fatalf("the hub did not replay the whole journal:\n%s", log.String())
			}
		})
	}
}

// flipMiddleBit and cutInHalf are two ways of damaging a snapshot's bytes.
func flipMiddleBit(data []byte) []byte { data[len(data)/2] ^= 0x10; return data }
func cutInHalf(data []byte) []byte     { return data[:len(data)/2] }

// mustRewriteSnapshot replaces the only snapshot file of the store at path
// with damage of its bytes, and if row also its row's SHA-256 with the new
// bytes', as someone covering their tracks would.
func mustRewriteSnapshot(t *testing.T, store string, damage func([]byte) []byte, row bool) {
	t.Helper()
	file := onlySnapshotFile(t, store)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data = damage(data)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if row {
		sum := sha256.Sum256(data)
		mustExecStore(t, store, `UPDATE snapshot_file SET data_hash = ?`, sum[:])
	}
}

// mustRemoveSnapshotFile removes the only snapshot file of the store at path.
func mustRemoveSnapshotFile(t *testing.T, store string) {
	t.Helper()
	if err := os.Remove(onlySnapshotFile(t, store)); err != nil {
		t.Fatal(err)
	}
}

// onlySnapshotFile is the path of the one snapshot file of the store at
// path.
func onlySnapshotFile(t *testing.T, store string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(store+"-snapshots", "*.snap"))
	if err != nil || len(files) != 1 {
		t.Fatalf("snapshot files %q, %v; want one", files, err)
	}
	return files[0]
}

// mustExecStore runs stmt on the store at path, as an operator's sqlite3
// shell would.
func mustExecStore(t *testing.T, store, stmt string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", store) // The driver the sqlite package registers.
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt, args...); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}
