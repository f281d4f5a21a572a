package hub_test

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
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
		corrupt []string // SQL run on the store.
		flip    bool     // And a bit flipped in the snapshot's first chunk.
		why     string
	}{
		{"BitFlip", nil, true, "its SHA-256 does not match its contents"},
		{"Truncated", []string{`UPDATE snapshot_chunk SET data = substr(data, 1, length(data) / 2)`,
			`UPDATE snapshot SET bytes = (SELECT SUM(length(data)) FROM snapshot_chunk WHERE snapshot_chunk.seq = snapshot.seq)`},
			false, "its SHA-256 does not match its contents"},
		{"ChunkLost", []string{`DELETE FROM snapshot_chunk`}, false, "read the latest snapshot"},
		{"WrongStateHash", []string{`UPDATE snapshot SET state_hash = zeroblob(32)`}, false, "not its state hash"},
		{"WrongEntryHash", []string{`UPDATE snapshot SET entry_hash = zeroblob(32)`}, false, "not the snapshot's entry hash"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			want := mustSnapshotJournal(t, dir)
			mustCorrupt(t, filepath.Join(dir, "corridor.db"), tt.corrupt, tt.flip)
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

// mustCorrupt runs stmts on the store at path, as an operator's sqlite3
// shell would, and flips a bit of the first snapshot chunk if flip.
func mustCorrupt(t *testing.T, path string, stmts []string, flip bool) {
	t.Helper()
	db, err := sql.Open("sqlite", path) // The driver the sqlite package registers.
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if !flip {
		return
	}
	var data []byte
	if err := db.QueryRow(`SELECT data FROM snapshot_chunk WHERE n = 0`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x10
	if _, err := db.Exec(`UPDATE snapshot_chunk SET data = ? WHERE n = 0`, data); err != nil {
		t.Fatal(err)
	}
}
