package hub_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/sqlite"
)

// TestStandbyFollows runs an active hub and a standby on one journal: the
// standby's state follows the active one's entry by entry (CatchUp), and
// once the active hub stops, TakeOver makes the standby the active hub with
// the same state, and it goes on settling.
func TestStandbyFollows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	active, stop := mustHub(t, dir)
	mustSetUp(t, active, "1000.00")
	mustSubmit(t, active, pay(1, bankIN, bankRU, 100_00), corridor.StatusSettled)

	standby, journal := mustStandby(t, dir)
	for i := 2; i <= 4; i++ {
		mustSubmit(t, active, pay(i, bankIN, bankRU, 100_00), corridor.StatusSettled)
		seq, err := standby.CatchUp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, want := mustStateSum(t, active); seq != want {
			t.Fatalf("standby caught up to entry %d; the active hub is at %d", seq, want)
		}
	}
	sum, last := mustStateSum(t, active)
	stop()
	if err := journal.Reopen(ctx); err != nil { // As a new leader re-reads the head (postgres: Acquire).
		t.Fatal(err)
	}
	if _, err := standby.TakeOver(ctx); err != nil {
		t.Fatal(err)
	}
	runStandby(t, standby)
	if got, seq := mustStateSum(t, standby); seq != last || got != sum {
		t.Fatalf("the new active hub is at entry %d, state %x; the old one stopped at %d, %x", seq, got[:8], last, sum[:8])
	}
	mustSubmit(t, standby, pay(5, bankIN, bankRU, 100_00), corridor.StatusSettled)
	mustBalance(t, standby, bankRU, "INR", 500_00)
}

// mustStandby opens a standby hub on the journal in dir.
func mustStandby(tb testing.TB, dir string) (*hub.Hub, *sqlite.Journal) {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "corridor.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	h, err := hub.Open(context.Background(), hub.Config{BIC: hubBIC, Journal: db.Journal(), Now: (&clock{t: businessDay}).Now,
		Logger: slog.New(slog.DiscardHandler), Standby: true})
	if err != nil {
		tb.Fatal(err)
	}
	return h, db.Journal()
}

// runStandby runs a hub that took over until the test ends.
func runStandby(tb testing.TB, h *hub.Hub) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("run: %v", err)
		}
	})
}

func mustStateSum(tb testing.TB, h *hub.Hub) ([32]byte, uint64) {
	tb.Helper()
	sum, seq, err := h.StateSum(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return sum, seq
}
