package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/pgtest"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/postgres"
)

// TestBooksFenced checks that book entries are written under the lease's
// fence, with their entries: a deposed leader writes none, and a standby,
// which holds no lease, reads those the leader wrote.
func TestBooksFenced(t *testing.T) {
	ctx := context.Background()
	const account = "BANKDEFFXXX/EUR"
	url := pgtest.New(t)
	a, _ := mustLead(t, url, nodeA, shortTTL)
	written := []corridor.BookEntry{storetest.Booked(account, 1), storetest.Booked(account, 2)}
	seq, hash := a.LastSeq()
	batch := storetest.Chain(seq, hash, 2, 16)
	batch[1].Booked = written
	if err := a.Append(ctx, batch); err != nil {
		t.Fatalf("Append: %v", err)
	}

	b := mustOpen(t, url).Journal()
	if got, err := b.BookEntries(ctx, account, 1, 10); err != nil || !cmp.Equal(got, written) {
		t.Errorf("standby's BookEntries = %v, %v; want the leader's", got, err)
	}
	waitExpired(t, url)
	if _, err := b.Acquire(ctx, nodeB, longTTL); err != nil {
		t.Fatalf("Acquire after expiry: %v", err)
	}

	seq, hash = a.LastSeq()
	batch = storetest.Chain(seq, hash, 2, 16)
	batch[0].Booked = []corridor.BookEntry{storetest.Booked(account, 3)}
	batch[1].Booked = []corridor.BookEntry{storetest.Booked(account, 4), storetest.Booked("BANKFRPPXXX/EUR", 1)}
	if err := a.Append(ctx, batch); !errors.Is(err, postgres.ErrFenced) {
		t.Errorf("deposed Append with book entries = %v; want ErrFenced", err)
	}
	for table, want := range map[string]int{"journal": 2, "book_entry": 2} {
		if n := count(t, url, table); n != want {
			t.Errorf("%s rows after the deposed Append = %d; want %d", table, n, want)
		}
	}
	if err := b.Append(ctx, batch); err != nil {
		t.Errorf("new leader's Append of the same batch = %v", err)
	}
	want := append(written, batch[0].Booked[0], batch[1].Booked[0])
	if got, err := a.BookEntries(ctx, account, 1, 10); err != nil || !cmp.Equal(got, want) {
		t.Errorf("deposed node's BookEntries after the new leader's Append = %v, %v; want entries 1 to 4", got, err)
	}
}

// TestBooksMigration opens a database of schema version 5, from before the
// books: Open adds them, and the journal is as it was.
func TestBooksMigration(t *testing.T) {
	ctx := context.Background()
	const account = "BANKDEFFXXX/EUR"
	url := pgtest.New(t)
	j, _ := mustLead(t, url, nodeA, longTTL)
	want := storetest.MustAppend(t, j, 3, 16)
	if err := j.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	conn := mustConnect(t, url)
	for _, stmt := range []string{`DROP TABLE book_entry`, `DELETE FROM schema_migration WHERE version = 6`} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}

	j, _ = mustLead(t, url, nodeA, longTTL)
	if n := count(t, url, "schema_migration"); n != postgres.SchemaVersion {
		t.Errorf("schema_migration rows after the migration = %d; want %d", n, postgres.SchemaVersion)
	}
	if seq, _ := j.LastSeq(); seq != want[len(want)-1].Seq {
		t.Errorf("LastSeq() after the migration = %d; want %d", seq, want[len(want)-1].Seq)
	}
	seq, hash := j.LastSeq()
	batch := storetest.Chain(seq, hash, 1, 16)
	batch[0].Booked = []corridor.BookEntry{storetest.Booked(account, 1)}
	if err := j.Append(ctx, batch); err != nil {
		t.Fatalf("Append with a book entry after the migration: %v", err)
	}
	if got, err := j.BookEntries(ctx, account, 1, 10); err != nil || !cmp.Equal(got, batch[0].Booked) {
		t.Errorf("BookEntries after the migration = %v, %v; want entry 1", got, err)
	}
}
