package hub_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/sqlite"
)

// The journal BenchmarkStart starts from: -start.payments payments, with a
// snapshot benchTail payments before the end, written by a hub with
// -start.retention (0: every payment stays in memory, and in the snapshot).
var (
	benchPayments  = flag.Int("start.payments", 100_000, "BenchmarkStart: payments in the journal")
	benchRetention = flag.Duration("start.retention", 0, "BenchmarkStart: the hub's retention (of the test's clock, a millisecond a reading)")
)

const benchTail = 1_000

// BenchmarkStart measures a hub's start (hub.Open) on a journal of
// benchPayments payments: replaying the whole journal, and decoding the
// latest snapshot and applying the benchTail payments after it. It reports
// the snapshot's size and how long taking it held the sequencer.
//
//	go test ./hub -run '^$' -bench BenchmarkStart -benchtime 1x -count 3
//	go test ./hub -run '^$' -bench BenchmarkStart/Snapshot -benchtime 1x -count 3 -start.payments 1000000 -start.retention 1s
func BenchmarkStart(b *testing.B) {
	dir := b.TempDir()
	snap := mustPaymentsJournal(b, dir, *benchPayments, benchTail)
	b.Logf("snapshot of entry %d: %d bytes; the sequencer held %s, encoding and checking it %s",
		snap.Seq, len(snap.Data), snap.Held.Round(time.Millisecond), snap.Encode.Round(time.Millisecond))
	for _, bc := range []struct {
		name      string
		snapshots bool
	}{{"FullReplay", false}, {"Snapshot", true}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				mustOpenOnly(b, dir, bc.snapshots)
			}
			b.ReportMetric(float64(len(snap.Data))/(1<<20), "snapshot-MiB")
			b.ReportMetric(float64(snap.Held.Microseconds())/1000, "held-ms")
		})
	}
}

// plainJournal is the SQLite journal without its snapshots: a hub on it
// replays the whole journal.
type plainJournal struct{ corridor.Journal }

// mustOpenOnly opens the store in dir and a hub on it, without running the
// sequencer, and closes both.
func mustOpenOnly(tb testing.TB, dir string, snapshots bool) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "corridor.db"))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var j corridor.Journal = db.Journal()
	if !snapshots {
		j = plainJournal{j}
	}
	c := &clock{t: businessDay}
	cfg := hub.Config{BIC: hubBIC, Journal: j, Now: c.Now, Logger: slog.New(slog.DiscardHandler), Retention: *benchRetention}
	if _, err := hub.Open(ctx, cfg); err != nil {
		tb.Fatal(err)
	}
}

// mustPaymentsJournal writes, through the hub's API, a journal of n
// payments into dir, from several submitters at once as banks send them,
// with the banks acknowledging their inboxes every ackEvery payments. It
// saves a snapshot tail payments before the end and returns it.
func mustPaymentsJournal(tb testing.TB, dir string, n, tail int) hub.Snapshot {
	tb.Helper()
	ctx := context.Background()
	db, h, stop := mustRunningHub(tb, dir, *benchRetention)
	defer stop()
	mustPayments(tb, h, 1, n-tail)
	snap, err := h.Snapshot(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Journal().SaveSnapshot(ctx, snap.Seq, snap.EntryHash, snap.StateHash, snap.Data); err != nil {
		tb.Fatal(err)
	}
	mustPayments(tb, h, n-tail+1, n)
	return snap
}

const ackEvery = 10_000

// mustPayments submits payments first to last from 16 submitters and
// acknowledges both banks' inboxes after each ackEvery of them.
func mustPayments(tb testing.TB, h *hub.Hub, first, last int) {
	tb.Helper()
	ctx := context.Background()
	for from := first; from <= last; from += ackEvery {
		to := min(from+ackEvery-1, last)
		var next atomic.Int64
		next.Store(int64(from))
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				for i := int(next.Add(1)) - 1; i <= to; i = int(next.Add(1)) - 1 {
					p := payment(i, 100)
					if _, err := h.SubmitPayment(ctx, bankIN, p, "", corridor.SignedMessage{Body: mustMessage(tb, p)}); err != nil {
						tb.Error(fmt.Errorf("payment %d: %w", i, err))
						return
					}
				}
			})
		}
		wg.Wait()
		if tb.Failed() {
			tb.FailNow()
		}
		for _, bic := range []corridor.BIC{bankIN, bankRU} {
			if err := h.Ack(ctx, bic, uint64(to)); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// BenchmarkSnapshot measures taking a snapshot (Hub.Snapshot: the copy on
// the sequencer and the encoding off it) of a hub holding -start.payments
// payments in memory, without saving it.
//
//	go test ./hub -run '^$' -bench BenchmarkSnapshot -start.payments 25000
func BenchmarkSnapshot(b *testing.B) {
	_, h, stop := mustRunningHub(b, b.TempDir(), 0)
	defer stop()
	mustPayments(b, h, 1, *benchPayments)
	var snap hub.Snapshot
	var err error
	for b.Loop() {
		if snap, err = h.Snapshot(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(snap.Data)))
	b.ReportMetric(float64(snap.Held.Microseconds())/1000, "held-ms")
}

// mustRunningHub opens a store in dir and a hub on it with retention, runs
// its sequencer and sets up the banks (mustSetUp). stop ends the sequencer
// and closes the store.
func mustRunningHub(tb testing.TB, dir string, retention time.Duration) (*sqlite.DB, *hub.Hub, func()) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "corridor.db"))
	if err != nil {
		tb.Fatal(err)
	}
	c := &clock{t: businessDay}
	h, err := hub.Open(ctx, hub.Config{BIC: hubBIC, Journal: db.Journal(), Now: c.Now, Logger: slog.New(slog.DiscardHandler), Retention: retention})
	if err != nil {
		db.Close()
		tb.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- h.Run(runCtx) }()
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			tb.Error(err)
		}
		db.Close()
	}
	mustSetUp(tb, h, "9000000000.00")
	return db, h, stop
}
