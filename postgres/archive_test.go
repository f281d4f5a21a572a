package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/pgtest"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/postgres"
)

// TestArchiveFenced checks that archived payments are written under the
// lease's fence, with their entries: a deposed leader writes none, and a
// standby, which holds no lease, reads those the leader wrote.
func TestArchiveFenced(t *testing.T) {
	ctx := context.Background()
	url := pgtest.New(t)
	a, _ := mustLead(t, url, nodeA, shortTTL)
	written := storetest.Archived(1, storetest.UETROf(1), "msg 1")
	seq, hash := a.LastSeq()
	batch := storetest.Chain(seq, hash, 2, 16)
	batch[1].Archived = []corridor.ArchivedPayment{written}
	if err := a.Append(ctx, batch); err != nil {
		t.Fatalf("Append: %v", err)
	}

	b := mustOpen(t, url).Journal()
	if got, ok, err := b.ArchivedPayment(ctx, 1); err != nil || !ok || string(got.Record) != string(written.Record) {
		t.Errorf("standby's ArchivedPayment(1) = %q, %t, %v; want the leader's", got.Record, ok, err)
	}
	waitExpired(t, url)
	if _, err := b.Acquire(ctx, nodeB, longTTL); err != nil {
		t.Fatalf("Acquire after expiry: %v", err)
	}

	seq, hash = a.LastSeq()
	batch = storetest.Chain(seq, hash, 2, 16)
	batch[1].Archived = []corridor.ArchivedPayment{storetest.Archived(3, storetest.UETROf(1), "msg 3")}
	if err := a.Append(ctx, batch); !errors.Is(err, postgres.ErrFenced) {
		t.Errorf("deposed Append with an archived payment = %v; want ErrFenced", err)
	}
	for table, want := range map[string]int{"journal": 2, "archived_payment": 1, "archived_key": 1} {
		if n := count(t, url, table); n != want {
			t.Errorf("%s rows after the deposed Append = %d; want %d", table, n, want)
		}
	}
	if err := b.Append(ctx, batch); err != nil {
		t.Errorf("new leader's Append of the same batch = %v", err)
	}
	if seq, ok, err := b.ArchivedKey(ctx, "msg 3"); err != nil || !ok || seq != 3 {
		t.Errorf("ArchivedKey(msg 3) = %d, %t, %v; want 3", seq, ok, err)
	}
}
