package settlement_test

import (
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// TestCarryPending checks the rule kept for old journals: a payment still in
// settlement when the next day begins counts on the next day; and that
// switching the rule either way keeps every pending payment counted once, so
// that settling it afterwards balances the usage to zero.
func TestCarryPending(t *testing.T) {
	const a, c corridor.BIC = "BANKAINBBXXX", "BANKCINBBXXX"
	day1 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	day2 := day1.Add(24 * time.Hour)
	for _, tc := range []struct {
		name             string
		before, after    bool // CarryPending before and after the switch on day 2.
		pendingOnDay2    corridor.Amount
		outOnDay2Settled corridor.Amount
	}{
		{"dated", false, false, 0, 0},
		{"carried", true, true, 300, 300},
		{"carried, then dated", true, false, 300, 300}, // Already in day 2's record: it settles there.
		{"dated, then carried", false, true, 300, 300}, // Switching on carries it into day 2's record.
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := ledger.New()
			for _, id := range []ledger.AccountID{ledger.Settlement(a, "INR"), ledger.Settlement(c, "INR")} {
				if err := l.Open(id, 0); err != nil {
					t.Fatal(err)
				}
			}
			g := settlement.NewGate()
			g.CarryPending(tc.before)
			if err := g.SetLimits(l, a, settlement.Limits{Currency: "INR", Multilateral: 1000}); err != nil {
				t.Fatal(err)
			}
			g.Enter(pay(1, a, c, 300), day1)
			g.Settled(pay(2, c, a, 50), day2) // Starts a's day 2 record: a received from c.
			g.CarryPending(tc.after)
			if got := usageOn(t, g, a).Pending.Total; got != tc.pendingOnDay2 {
				t.Errorf("pending on day 2 = %d; want %d", got, tc.pendingOnDay2)
			}
			g.Settled(pay(1, a, c, 300), day2)
			u := usageOn(t, g, a)
			if u.Pending.Total != 0 || u.Out.Total != tc.outOnDay2Settled || u.In.Total != 50 {
				t.Errorf("day 2 after settling: %+v; want nothing pending, out %d, in 50", u, tc.outOnDay2Settled)
			}
			if e := g.Entered(); len(e) != 0 {
				t.Errorf("still entered: %v", e)
			}
		})
	}
}

// usageOn is bic's one usage record.
func usageOn(t *testing.T, g *settlement.Gate, bic corridor.BIC) settlement.Usage {
	t.Helper()
	for b, u := range g.AllUsage() {
		if b == bic {
			return u
		}
	}
	t.Fatalf("%s has no usage", bic)
	return settlement.Usage{}
}
