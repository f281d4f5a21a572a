package settlement_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/settlement"
)

// TestRestoreRefuses checks that each Restore refuses a snapshot its type
// could never have held, with an error and not a panic.
func TestRestoreRefuses(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	p := settlement.Payment{ID: 1, InstructingAgent: "DEMOINBBXXX", InstructedAgent: "DEMORUMMXXX", Currency: "INR", Amount: 100, Priority: settlement.Normal}
	q := settlement.Queued{Payment: p, Place: 1, QueuedAt: now, Deadline: now.Add(time.Hour)}
	for name, restore := range map[string]func() error{
		"QueueTwice": func() error {
			_, err := settlement.RestoreQueue(settlement.QueueSnapshot{Queued: []settlement.Queued{q, q}, Back: 3})
			return err
		},
		"QueuePlace": func() error {
			_, err := settlement.RestoreQueue(settlement.QueueSnapshot{Queued: []settlement.Queued{q}, Back: 1})
			return err
		},
		"CyclePriority": func() error {
			bad := p
			bad.Priority = 0
			_, err := settlement.RestoreCycle(settlement.CycleSnapshot{ID: 1, Payments: []settlement.Payment{bad}})
			return err
		},
		"RateTrailingZero": func() error {
			_, err := settlement.RestoreRates([]settlement.RateSnapshot{{Pair: settlement.Pair{From: "INR", To: "RUB"}, Rate: "1.10"}})
			return err
		},
		"QuoteZero": func() error {
			_, err := settlement.RestoreQuotes([]settlement.QuoteSnapshot{{ID: 0}})
			return err
		},
		"OfferTwiceOnPair": func() error {
			o := settlement.OfferSnapshot{ID: 1, Provider: "DEMOAEADXXX", Pair: settlement.Pair{From: "INR", To: "RUB"}, Bid: "1", Ask: "1", Remaining: 1}
			o2 := o
			o2.ID, o2.Pair = 2, settlement.Pair{From: "RUB", To: "INR"}
			_, err := settlement.RestoreOffers([]settlement.OfferSnapshot{o, o2})
			return err
		},
		"RoundingZero": func() error {
			_, err := settlement.RestoreRounding([]settlement.AccrualSnapshot{{}})
			return err
		},
		"GateUsageWithoutCounts": func() error {
			_, err := settlement.RestoreGate(settlement.GateSnapshot{Used: []settlement.UsageSnapshot{{BIC: "DEMOINBBXXX", Usage: settlement.Usage{Currency: "INR"}}}})
			return err
		},
	} {
		if err := restore(); err == nil {
			t.Errorf("%s: restored", name)
		}
	}
}

// TestQueueSnapshot round-trips a queue with payments moved to the front
// and the back.
func TestQueueSnapshot(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	q := settlement.NewQueue()
	for i := 1; i <= 4; i++ {
		p := settlement.Payment{ID: settlement.PaymentID(i), InstructingAgent: "DEMOINBBXXX", InstructedAgent: "DEMORUMMXXX",
			Currency: corridor.Currency("INR"), Amount: corridor.Amount(i), Priority: settlement.Normal}
		if err := q.Enqueue(p, now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Reorder(3, settlement.ToFront); err != nil {
		t.Fatal(err)
	}
	if err := q.SetPriority(2, settlement.Urgent); err != nil {
		t.Fatal(err)
	}
	r, err := settlement.RestoreQueue(q.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(q.Snapshot(), r.Snapshot()); diff != "" {
		t.Fatalf("restored queue differs (-want +got):\n%s", diff)
	}
	if r.Total("INR") != q.Total("INR") || r.Len() != 4 {
		t.Fatalf("restored queue holds %d of %d, want 4 of %d", r.Len(), r.Total("INR"), q.Total("INR"))
	}
}

// TestQuotesCapture checks that a capture of the quote book writes the
// book as it stood when captured: a quote used after it is written unused,
// one issued after it is not written, and one pruned after it is written
// whole.
func TestQuotesCapture(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	rate, err := settlement.ParseRate("1.1")
	if err != nil {
		t.Fatal(err)
	}
	b := settlement.NewQuotes()
	pair := settlement.Pair{From: "INR", To: "RUB"}
	for id := settlement.QuoteID(1); id <= 3; id++ {
		if _, err := b.Issue(id, "DEMOINBBXXX", 100_00, pair, rate, now, now.Add(time.Duration(id)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	want := b.Snapshot()
	c := b.Capture()
	b.Use(2)
	if _, err := b.Issue(4, "DEMOINBBXXX", 100_00, pair, rate, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := b.Prune(now.Add(90 * time.Second)); n != 1 {
		t.Fatalf("pruned %d quotes; want 1", n)
	}
	if diff := cmp.Diff(want, c.Snapshot()); diff != "" {
		t.Fatalf("the capture wrote the book as it is now, not as it was (-then +written):\n%s", diff)
	}
	if got := b.Snapshot(); len(got) != 3 || !got[0].Used || got[0].ID != 2 {
		t.Fatalf("the book now: %+v; want quotes 2 (used), 3 and 4", got)
	}
}
