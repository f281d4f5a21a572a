package ledger_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor/ledger"
)

// TestSnapshot round-trips a ledger, and checks what Restore refuses.
func TestSnapshot(t *testing.T) {
	l := mustLedger(t)
	for _, tr := range []ledger.Transfer{
		{ID: 1, Debit: ledger.Central("INR"), Credit: ledger.Settlement(bankIN, "INR"), Amount: 500},
		{ID: 2, Debit: ledger.Settlement(bankIN, "INR"), Credit: ledger.Settlement(bankRU, "INR"), Amount: 200},
		{ID: 4, Debit: ledger.Settlement(bankIN, "INR"), Credit: ledger.Settlement(bankRU, "INR"), Amount: 100},
	} {
		if err := l.Apply(tr); err != nil {
			t.Fatal(err)
		}
	}
	s := l.Snapshot()
	if want := []ledger.TransferRun{{First: 1, Last: 2}, {First: 4, Last: 4}}; !cmp.Equal(s.Applied, want) {
		t.Fatalf("runs %v, want %v", s.Applied, want)
	}
	r, err := ledger.Restore(s)
	if err != nil {
		t.Fatal(err)
	}
	if r.Sum() != l.Sum() || r.Transfers() != 3 || !r.Applied(4) || r.Applied(3) {
		t.Fatalf("restored ledger differs: %d transfers", r.Transfers())
	}
	for name, bad := range map[string]ledger.Snapshot{
		"Unbalanced":   {Accounts: []ledger.Account{{ID: ledger.Central("INR"), DebitsPosted: 5}}},
		"BelowFloor":   {Accounts: []ledger.Account{{ID: ledger.Central("INR"), CreditsPosted: 5}, {ID: ledger.Settlement(bankIN, "INR"), DebitsPosted: 5}}},
		"Twice":        {Accounts: []ledger.Account{{ID: ledger.Central("INR")}, {ID: ledger.Central("INR")}}},
		"RunsOverlap":  {Applied: []ledger.TransferRun{{First: 1, Last: 3}, {First: 3, Last: 4}}},
		"RunsAdjacent": {Applied: []ledger.TransferRun{{First: 1, Last: 2}, {First: 3, Last: 4}}},
	} {
		if _, err := ledger.Restore(bad); err == nil {
			t.Errorf("%s: restored", name)
		}
	}
	// A run costs the same however many transfers it stands for: a hub
	// that applied a trillion restores from its snapshot.
	huge, err := ledger.Restore(ledger.Snapshot{Applied: []ledger.TransferRun{{First: 1, Last: 1 << 40}}})
	if err != nil || huge.Transfers() != 1<<40 || !huge.Applied(1<<39) {
		t.Errorf("a run of 2^40 transfers: %v", err)
	}
}
