package settlement_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// TestEnterUndo enters a payment and takes the entry back, for each rule,
// on a lane with no usage yet, with usage of the same day, and with usage
// of an earlier day (pending payments counted there, or carried over under
// CarryPending): the gate is then exactly as it was, as its snapshot shows.
func TestEnterUndo(t *testing.T) {
	const a, b, c corridor.BIC = "BANKAINBBXXX", "BANKBINBBXXX", "BANKCINBBXXX"
	day1 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for _, carry := range []bool{false, true} {
		for _, rule := range []settlement.Rule{settlement.RuleNet, settlement.RuleGross} {
			for name, earlier := range map[string]func(g *settlement.Gate){
				"no usage":    func(*settlement.Gate) {},
				"same day":    func(g *settlement.Gate) { g.Enter(pay(1, a, c, 300), day1) },
				"earlier day": func(g *settlement.Gate) { g.Enter(pay(1, a, c, 300), day1.Add(-24*time.Hour)) },
				"settled":     func(g *settlement.Gate) { g.Enter(pay(1, a, b, 300), day1); g.Settled(pay(1, a, b, 300), day1) },
				"received":    func(g *settlement.Gate) { g.Settled(pay(1, c, a, 300), day1) }, // Usage with nothing pending.
			} {
				l := ledger.New()
				for _, id := range []ledger.AccountID{ledger.Central("INR"), ledger.Settlement(a, "INR"), ledger.Settlement(b, "INR"), ledger.Settlement(c, "INR")} {
					if err := l.Open(id, 0); err != nil {
						t.Fatal(err)
					}
				}
				g := settlement.NewGate()
				g.CarryPending(carry)
				lim := settlement.Limits{Currency: "INR", Multilateral: 10_000, Rule: rule}
				if err := g.SetLimits(l, a, lim); err != nil {
					t.Fatal(err)
				}
				earlier(g)
				before := g.Snapshot()
				undo := g.EnterUndo(pay(2, a, b, 500), day1)
				if cmp.Equal(before, g.Snapshot()) {
					t.Fatalf("carry %v, rule %d, %s: Enter counted nothing", carry, rule, name)
				}
				undo()
				if diff := cmp.Diff(before, g.Snapshot()); diff != "" {
					t.Errorf("carry %v, rule %d, %s: the gate after undo differs (-before +after):\n%s", carry, rule, name, diff)
				}
			}
		}
	}
}

func pay(id settlement.PaymentID, from, to corridor.BIC, amount corridor.Amount) settlement.Payment {
	return settlement.Payment{ID: id, InstructingAgent: from, InstructedAgent: to, Currency: "INR", Amount: amount, Priority: settlement.Normal}
}
