package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/pgtest"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/postgres"
)

// waitListening returns once a Wait is listening, caught up and idle: its
// connection ran its last read of the journal's head.
func waitListening(tb testing.TB, url string) {
	tb.Helper()
	const q = `SELECT count(*) FROM pg_stat_activity
		WHERE application_name = 'corridor-tail' AND state = 'idle' AND query LIKE 'SELECT COALESCE(max(seq)%'`
	conn := mustConnect(tb, url)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		var n int
		if err := conn.QueryRow(ctx, q).Scan(&n); err != nil {
			tb.Fatalf("no Wait listening: %v", err)
		}
		if n > 0 {
			return
		}
	}
}

func TestWait(t *testing.T) {
	ctx := context.Background()

	t.Run("AtOnce", func(t *testing.T) {
		u := pgtest.New(t)
		leader, _ := mustLead(t, u, nodeA, longTTL)
		storetest.MustAppend(t, leader, 5, 16)
		standby := mustOpen(t, u).Journal()
		if last, err := standby.Wait(ctx, 2); err != nil || last != 5 {
			t.Errorf("Wait(2) with 5 entries = %d, %v; want 5 at once", last, err)
		}
	})

	t.Run("Notified", func(t *testing.T) {
		u := pgtest.New(t)
		leader, _ := mustLead(t, u, nodeA, longTTL)
		storetest.MustAppend(t, leader, 2, 16)
		standby := mustOpen(t, u).Journal()
		// Shorter than the recheck: only the notification can wake it in time.
		wctx, cancel := context.WithTimeout(ctx, postgres.TailRecheckInterval/2)
		defer cancel()
		type result struct {
			last uint64
			err  error
		}
		done := make(chan result, 1)
		go func() {
			last, err := standby.Wait(wctx, 2)
			done <- result{last, err}
		}()
		waitListening(t, u)
		storetest.MustAppend(t, leader, 3, 16)
		if r := <-done; r.err != nil || r.last != 5 {
			t.Errorf("Wait(2) woken by an append of 3..5 = %d, %v; want 5", r.last, r.err)
		}
	})

	t.Run("ErrContext", func(t *testing.T) {
		standby := mustOpen(t, pgtest.New(t)).Journal()
		wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		if _, err := standby.Wait(wctx, 0); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait(0) on an empty journal = %v; want DeadlineExceeded", err)
		}
	})
}

// TestStandbyTakesOver follows a leader with Wait and Replay, as a standby
// does, then takes over when the leader steps down, and continues the chain.
func TestStandbyTakesOver(t *testing.T) {
	ctx := context.Background()
	u := pgtest.New(t)
	leader, _ := mustLead(t, u, nodeA, longTTL)
	standby := mustOpen(t, u).Journal()

	const batches, perBatch = 20, 8
	errc := make(chan error, 1)
	go func() {
		var err error
		for range batches {
			seq, hash := leader.LastSeq()
			if err = leader.Append(ctx, storetest.Chain(seq, hash, perBatch, 64)); err != nil {
				break
			}
		}
		errc <- err
	}()
	var applied []corridor.JournalEntry
	for len(applied) < batches*perBatch {
		after := uint64(len(applied))
		if _, err := standby.Wait(ctx, after); err != nil {
			t.Fatalf("Wait(%d): %v", after, err)
		}
		err := standby.Replay(ctx, after, func(e corridor.JournalEntry) error {
			applied = append(applied, e)
			return nil
		})
		if err != nil {
			t.Fatalf("Replay(%d): %v", after, err)
		}
	}
	if err := <-errc; err != nil {
		t.Fatalf("leader: %v", err)
	}
	if l, held, err := standby.Leader(ctx); err != nil || !held || l.Node.Addr != nodeA.Addr {
		t.Errorf("Leader() = %+v, %v, %v; want hub-a at %s", l, held, err, nodeA.Addr)
	}
	if err := leader.Close(); err != nil { // Steps down: releases the lease.
		t.Fatalf("leader Close: %v", err)
	}
	if _, err := standby.Acquire(ctx, nodeB, longTTL); err != nil {
		t.Fatalf("standby Acquire: %v", err)
	}
	last := applied[len(applied)-1]
	if seq, hash := standby.LastSeq(); seq != last.Seq || hash != last.Hash {
		t.Fatalf("LastSeq() after takeover = %d; want %d, the last entry replayed", seq, last.Seq)
	}
	storetest.MustAppend(t, standby, 3, 64)
	r, err := postgres.Audit(ctx, u, nil)
	if err != nil || r.Entries != batches*perBatch+3 {
		t.Errorf("Audit = %+v, %v; want %d intact entries", r, err, batches*perBatch+3)
	}
}
