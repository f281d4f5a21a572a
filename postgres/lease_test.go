package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/pgtest"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/postgres"
)

var (
	nodeA = postgres.Node{Name: "hub-a", Addr: "hub-a.corridor.test:8443"}
	nodeB = postgres.Node{Name: "hub-b", Addr: "hub-b.corridor.test:8443"}
)

// shortTTL lapses within a test; the database's clock says when.
const shortTTL = 300 * time.Millisecond

// waitExpired returns once the lease has expired by the database's clock:
// the database itself sleeps until then.
func waitExpired(tb testing.TB, url string) {
	tb.Helper()
	const sleep = `SELECT pg_sleep(GREATEST(0, extract(epoch FROM expires_at - clock_timestamp()) + 0.01)) FROM lease`
	if _, err := mustConnect(tb, url).Exec(context.Background(), sleep); err != nil {
		tb.Fatalf("wait for the lease to expire: %v", err)
	}
}

// TestFencing deposes a leader whose lease lapsed (a pause, as far as the
// database can tell): its appends, renewals and checkpoints are refused
// with ErrFenced and write nothing, and the new leader continues the chain.
func TestFencing(t *testing.T) {
	ctx := context.Background()
	url := pgtest.New(t)
	a, leaseA := mustLead(t, url, nodeA, shortTTL)
	b := mustOpen(t, url).Journal()
	if _, err := b.Acquire(ctx, nodeB, longTTL); !errors.Is(err, postgres.ErrLeaseHeld) || !strings.Contains(err.Error(), "hub-a") {
		t.Fatalf("Acquire while hub-a holds the lease = %v; want ErrLeaseHeld naming hub-a", err)
	}
	written := storetest.MustAppend(t, a, 3, 64)
	if l, held, err := b.Leader(ctx); err != nil || !held || l.Node != nodeA || l.Token != leaseA.Token {
		t.Errorf("Leader() = %+v, %v, %v; want hub-a's lease, held", l, held, err)
	}

	waitExpired(t, url)
	if _, held, err := b.Leader(ctx); err != nil || held {
		t.Errorf("Leader() after expiry: held %v, %v; want not held", held, err)
	}
	leaseB, err := b.Acquire(ctx, nodeB, longTTL)
	if err != nil {
		t.Fatalf("Acquire after expiry: %v", err)
	}
	if leaseB.Token <= leaseA.Token {
		t.Errorf("token %d after takeover; want more than %d", leaseB.Token, leaseA.Token)
	}
	if seq, hash := b.LastSeq(); seq != 3 || hash != written[2].Hash {
		t.Errorf("new leader's LastSeq() = %d; want 3, hub-a's last entry", seq)
	}

	seq, hash := a.LastSeq()
	err = a.Append(ctx, storetest.Chain(seq, hash, 2, 64))
	if !errors.Is(err, postgres.ErrFenced) {
		t.Errorf("deposed Append = %v; want ErrFenced", err)
	}
	if got, _ := a.LastSeq(); got != 3 {
		t.Errorf("deposed LastSeq() = %d; want 3", got)
	}
	if n := count(t, url, "journal"); n != 3 {
		t.Errorf("journal rows after the deposed Append = %d; want 3", n)
	}
	if _, err := a.Renew(ctx, longTTL); !errors.Is(err, postgres.ErrFenced) {
		t.Errorf("deposed Renew = %v; want ErrFenced", err)
	}
	cp := corridor.Checkpoint{Seq: 3, Hash: written[2].Hash, Signature: []byte("sig"), Time: storetest.Epoch}
	if err := a.AppendCheckpoint(ctx, cp); !errors.Is(err, postgres.ErrFenced) {
		t.Errorf("deposed AppendCheckpoint = %v; want ErrFenced", err)
	}

	storetest.MustAppend(t, b, 2, 64)
	if err := b.AppendCheckpoint(ctx, cp); err != nil {
		t.Errorf("leader's AppendCheckpoint = %v", err)
	}
	got, err := storetest.ReplayAll(t, a, 0) // The deposed node can still follow.
	if err != nil || len(got) != 5 {
		t.Errorf("Replay(0) = %d entries, %v; want 5", len(got), err)
	}
	if l, held, err := a.Leader(ctx); err != nil || !held || l.Node != nodeB || l.Token != leaseB.Token {
		t.Errorf("Leader() = %+v, %v, %v; want hub-b's lease, held", l, held, err)
	}
}

// TestAppendWithoutLease opens a journal that never acquires the lease, as
// an audit or a standby does: it reads, and every write is refused.
func TestAppendWithoutLease(t *testing.T) {
	ctx := context.Background()
	url := pgtest.New(t)
	leader, _ := mustLead(t, url, nodeA, longTTL)
	written := storetest.MustAppend(t, leader, 2, 16)
	j := mustOpen(t, url).Journal()
	if err := j.Append(ctx, storetest.Chain(2, written[1].Hash, 1, 16)); !errors.Is(err, postgres.ErrFenced) {
		t.Errorf("Append without the lease = %v; want ErrFenced", err)
	}
	cp := corridor.Checkpoint{Seq: 2, Hash: written[1].Hash, Signature: []byte("sig"), Time: storetest.Epoch}
	if err := j.AppendCheckpoint(ctx, cp); !errors.Is(err, postgres.ErrFenced) {
		t.Errorf("AppendCheckpoint without the lease = %v; want ErrFenced", err)
	}
	if _, err := j.Renew(ctx, longTTL); !errors.Is(err, postgres.ErrFenced) {
		t.Errorf("Renew without the lease = %v; want ErrFenced", err)
	}
	if n := count(t, url, "journal"); n != 2 {
		t.Errorf("journal rows = %d; want 2", n)
	}
	if got, err := storetest.ReplayAll(t, j, 0); err != nil || len(got) != 2 {
		t.Errorf("Replay(0) without the lease = %d entries, %v; want 2", len(got), err)
	}
}

// TestTokenIncreases takes the lease again and again, by turns, across
// releases, expiry and reopening: every token is greater than the last.
func TestTokenIncreases(t *testing.T) {
	ctx := context.Background()
	url := pgtest.New(t)
	var last uint64
	take := func(j *postgres.Journal, n postgres.Node, ttl time.Duration) {
		t.Helper()
		l, err := j.Acquire(ctx, n, ttl)
		if err != nil {
			t.Fatalf("Acquire(%s): %v", n.Name, err)
		}
		if l.Token <= last || j.Token() != l.Token {
			t.Fatalf("Acquire(%s) gave token %d (Token() %d); want more than %d", n.Name, l.Token, j.Token(), last)
		}
		last = l.Token
	}
	a, b := mustOpen(t, url).Journal(), mustOpen(t, url).Journal()
	for range 3 {
		take(a, nodeA, longTTL)
		if err := a.Release(ctx); err != nil {
			t.Fatalf("Release: %v", err)
		}
		if a.Token() != 0 {
			t.Errorf("Token() after Release = %d; want 0", a.Token())
		}
		take(b, nodeB, shortTTL)
		waitExpired(t, url)
	}
	take(a, nodeA, longTTL)
	if err := a.Close(); err != nil { // Close releases the lease.
		t.Fatalf("Close: %v", err)
	}
	take(mustOpen(t, url).Journal(), nodeB, longTTL)
	if err := b.Release(ctx); !errors.Is(err, postgres.ErrFenced) {
		t.Errorf("Release by a superseded holder = %v; want ErrFenced", err)
	}
}

// TestRenew extends the lease, and keeps a lapsed one nobody else took.
func TestRenew(t *testing.T) {
	ctx := context.Background()
	url := pgtest.New(t)
	j, first := mustLead(t, url, nodeA, shortTTL)
	renewed, err := j.Renew(ctx, longTTL)
	if err != nil || renewed.Token != first.Token || !renewed.Expires.After(first.Expires) || renewed.Node != nodeA {
		t.Fatalf("Renew = %+v, %v; want token %d, hub-a, expiring after %v", renewed, err, first.Token, first.Expires)
	}
	if _, err := mustOpen(t, url).Journal().Acquire(ctx, nodeB, longTTL); !errors.Is(err, postgres.ErrLeaseHeld) {
		t.Errorf("Acquire of a renewed lease = %v; want ErrLeaseHeld", err)
	}
	if _, err := j.Renew(ctx, shortTTL); err != nil {
		t.Fatalf("Renew(short): %v", err)
	}
	waitExpired(t, url)
	// Lapsed, but nobody took it, so nobody else wrote: renewing is safe.
	if _, err := j.Renew(ctx, longTTL); err != nil {
		t.Errorf("Renew of a lapsed lease nobody took = %v; want nil", err)
	}
	storetest.MustAppend(t, j, 1, 16)
}

// TestTakeoverWaitsForWriteInFlight holds a write of the leader open inside
// its transaction, past its lease: the standby cannot take the lease until
// that write commits, and then sees it.
func TestTakeoverWaitsForWriteInFlight(t *testing.T) {
	ctx := context.Background()
	url := pgtest.New(t)
	_, lease := mustLead(t, url, nodeA, shortTTL)
	e := storetest.Chain(0, [32]byte{}, 1, 16)[0]
	conn := mustConnect(t, url) // The leader's write, statement by statement.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // After Commit a no-op.
	if _, err := tx.Exec(ctx, `SELECT lease_fence($1)`, int64(lease.Token)); err != nil {
		t.Fatalf("fence: %v", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO journal VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		int64(e.Seq), e.Time.UnixNano(), e.Kind, e.Payload, e.PrevHash[:], e.Hash[:], int64(lease.Token)); err != nil {
		t.Fatalf("insert: %v", err)
	}
	waitExpired(t, url)

	b := mustOpen(t, url).Journal()
	blocked, cancel := context.WithTimeout(ctx, time.Second)
	_, err = b.Acquire(blocked, nodeB, longTTL)
	cancel()
	if err == nil {
		t.Fatalf("Acquire while a write under the lease is in flight = nil; want it to wait")
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatalf("commit the write in flight: %v", err)
	}
	// The canceled Acquire was canceled in the server too, so this one
	// finds the lease free rather than taken by a statement left behind.
	l, err := b.Acquire(ctx, nodeB, longTTL)
	if err != nil || l.Token != lease.Token+1 {
		t.Fatalf("Acquire after the commit = %+v, %v; want token %d", l, err, lease.Token+1)
	}
	if seq, hash := b.LastSeq(); seq != 1 || hash != e.Hash {
		t.Errorf("LastSeq() after takeover = %d; want 1, the write that was in flight", seq)
	}
}

func TestAcquireRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	j := mustOpen(t, pgtest.New(t)).Journal()
	tests := []struct {
		name string
		node postgres.Node
		ttl  time.Duration
		want string
	}{
		{"NoName", postgres.Node{Addr: "x:1"}, longTTL, "node name"},
		{"LongName", postgres.Node{Name: strings.Repeat("n", postgres.MaxNodeBytes+1)}, longTTL, "node name"},
		{"BadUTF8", postgres.Node{Name: "hub\xff"}, longTTL, "node name"},
		{"LongAddr", postgres.Node{Name: "n", Addr: strings.Repeat("a", postgres.MaxAddrBytes+1)}, longTTL, "node address"},
		{"ShortTTL", nodeA, postgres.MinLeaseTTL - 1, "ttl"},
		{"LongTTL", nodeA, postgres.MaxLeaseTTL + 1, "ttl"},
	}
	for _, tt := range tests {
		if _, err := j.Acquire(ctx, tt.node, tt.ttl); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Acquire(%s) = %v; want an error naming the %s", tt.name, err, tt.want)
		}
	}
	if l, held, err := j.Leader(ctx); err != nil || held || l.Token != 0 {
		t.Errorf("Leader() after refusals = %+v, %v, %v; want the untouched lease", l, held, err)
	}
}
