package hub_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// TestSnapshotBesideLoad takes snapshots while payments are submitted and
// queue for liquidity, then settle as funds arrive, are forgotten (their
// messages dropped) and let go of (retention 1 s of the test's clock), as
// a hub under load does: the copy on the sequencer and the encoding
// beside it must not race with the commands after it (go test -race), and
// a hub must start from the last one and reach the state the first hub
// had.
func TestSnapshotBesideLoad(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := hub.Config{Retention: time.Second}
	first := cfg
	first.Now = (&clock{t: businessDay}).Now
	h, db, stop := mustRunHub(t, dir, first)
	mustSetUp(t, h, "10.00") // Ten payments' worth: the rest queue.
	taken := make(chan int)
	loaded := make(chan struct{})
	go func() {
		n := 0
		defer func() { taken <- n }()
		for {
			select {
			case <-loaded:
				return
			default:
			}
			snap, err := h.Snapshot(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			if err := db.Journal().SaveSnapshot(ctx, snap.Seq, snap.EntryHash, snap.StateHash, snap.Data); err != nil {
				t.Error(err)
				return
			}
			n++
		}
	}()
	mustPayments(t, h, 1, 2000)
	for range 100 {
		if err := h.Fund(ctx, bankIN, corridor.Money{Amount: 20_00, Currency: "INR"}); err != nil {
			t.Fatal(err)
		}
	}
	close(loaded)
	if n := <-taken; n < 2 {
		t.Logf("only %d snapshots beside the payments", n)
	}
	snap, err := h.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Journal().SaveSnapshot(ctx, snap.Seq, snap.EntryHash, snap.StateHash, snap.Data); err != nil {
		t.Fatal(err)
	}
	want, _, err := h.StateSum(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stop()

	var log syncBuffer
	again, _, stopAgain := mustHubLogging(t, dir, cfg, &log)
	defer stopAgain()
	if !strings.Contains(log.String(), "state loaded from snapshot") || strings.Contains(log.String(), "level=WARN") {
		t.Fatalf("the hub did not start from its last snapshot:\n%s", log.String())
	}
	if got, _, err := again.StateSum(ctx); err != nil || got != want {
		t.Fatalf("state hash after the start %x, %v; before it %x", got, err, want)
	}
}
