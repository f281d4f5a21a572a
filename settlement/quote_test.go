package settlement_test

import (
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/settlement"
)

func TestQuoteBook(t *testing.T) {
	b := settlement.NewQuotes()
	inrRub := settlement.Pair{From: "INR", To: "RUB"}
	rate := mustRate(t, "1.0731")
	now := day.Add(9 * time.Hour)
	const bank corridor.BIC = "AAAAINBBXXX"
	issue := func(id settlement.QuoteID, life time.Duration) error {
		_, err := b.Issue(id, bank, 10000, inrRub, rate, now, now.Add(life))
		return err
	}
	for _, tt := range []struct {
		name   string
		id     settlement.QuoteID
		life   time.Duration
		reason corridor.ReasonCode
	}{
		{"OK", 1, time.Minute, ""},
		{"ErrDuplicate", 1, time.Minute, "AM05"},
		{"ErrAlreadyExpired", 2, 0, "DT01"},
		{"ErrTooLong", 3, settlement.MaxQuoteLife + time.Second, "DT01"},
		{"OKLater", 4, 2 * time.Minute, ""},
	} {
		if r, _ := corridor.ReasonOf(issue(tt.id, tt.life)); r != tt.reason {
			t.Errorf("%s: Issue(%d, %s) reason %q; want %q", tt.name, tt.id, tt.life, r, tt.reason)
		}
	}
	if got := b.All(); len(got) != 2 || got[0].ID != 1 || got[1].ID != 4 {
		t.Fatalf("All() = %+v; want quotes 1 and 4", got)
	}
	if n := b.Prune(now.Add(time.Minute)); n != 1 || b.Len() != 1 {
		t.Fatalf("Prune dropped %d, left %d; want 1 and 1", n, b.Len())
	}
	if _, err := b.Consume(1, bank, 10000, inrRub, now); err == nil {
		t.Fatal("a pruned quote was consumed")
	}
	if q, ok := b.Lookup(4); !ok || q.Used || q.Conversion.To.Amount != 10731 {
		t.Fatalf("Lookup(4) = %+v, %v", q, ok)
	}
}
