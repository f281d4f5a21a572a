package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/corridor-network/corridor/internal/pgtest"
	"github.com/corridor-network/corridor/postgres"
)

// TestBaseline runs the row-locking ledger the bench compares against and
// checks that it did what it says: every transfer committed, and the money
// in each currency conserved (the row locks serialise the transfers).
func TestBaseline(t *testing.T) {
	ctx := context.Background()
	url := pgtest.New(t)
	res, err := postgres.RunBaseline(ctx, url, postgres.BaselineOptions{Banks: 4, Currencies: 2, Clients: 8, Transfers: 400})
	if err != nil {
		t.Fatal(err)
	}
	if res.Transfers+res.Refused != 400 || res.PerSecond() <= 0 {
		t.Fatalf("baseline = %+v; want 400 transfers", res)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows int64
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM baseline_transfer`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != res.Transfers {
		t.Errorf("%d transfer rows; %d committed", rows, res.Transfers)
	}
	var sums []int64
	r, err := conn.Query(ctx, `SELECT sum(balance)::bigint FROM baseline_account GROUP BY currency ORDER BY currency`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var s int64
		if err := r.Scan(&s); err != nil {
			t.Fatal(err)
		}
		sums = append(sums, s)
	}
	for c, s := range sums {
		if s != 4*1_000_000_000_00 {
			t.Errorf("currency %d holds %d; 4 accounts were funded 1,000,000,000.00 each", c, s)
		}
	}
}
