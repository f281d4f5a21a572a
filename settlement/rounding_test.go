package settlement_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// TestRoundingProperties books random remainders of random providers, some
// of them short of funds, and checks after each: every remainder is booked
// or still accrued, exactly; no accrual keeps a whole unit that both sides
// could settle; the rounding account holds what was booked into it and never
// goes below zero; the currency's accounts hold what was funded in.
func TestRoundingProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		const unit = 1_000_000_000_000_000
		w := newWorld(t)
		w.openCurrency("RUB")
		providers := []corridor.BIC{"BANKAINBBXXX", "BANKBINBBXXX", "BANKCINBBXXX"}
		funded := int64(0)
		for _, p := range providers {
			if err := w.l.Open(ledger.Settlement(p, "RUB"), 0); err != nil {
				t.Fatal(err)
			}
			if a := rapid.Int64Range(0, 3).Draw(t, "funds"); a > 0 {
				w.mustFund(p, "RUB", corridor.Amount(a))
				funded += a
			}
		}
		r := settlement.NewRounding()
		sums := map[settlement.RoundingKey]int64{}
		booked := map[settlement.RoundingKey]int64{}
		pool := settlement.RoundingAccount("RUB")
		for range rapid.IntRange(1, 60).Draw(t, "conversions") {
			p := rapid.SampledFrom(providers).Draw(t, "provider")
			rem := settlement.Remainder{Currency: "RUB", Units: rapid.Int64Range(-unit/2, unit/2).Draw(t, "remainder")}
			key := settlement.RoundingKey{Provider: p, Currency: "RUB"}
			sums[key] += rem.Units
			if tr, ok := r.Book(w.l, p, rem, w.transferID); ok {
				if tr.Credit == pool {
					booked[key] += int64(tr.Amount)
				} else {
					booked[key] -= int64(tr.Amount)
				}
			}
			checkLedger(t, w.l)
			total := int64(0)
			for k, sum := range sums {
				a := r.Accrued(k)
				if got := (booked[k]+a.Due)*unit + a.Fraction; got != sum {
					t.Fatalf("%v: booked %d, due %d, fraction %d; remainders sum to %d", k, booked[k], a.Due, a.Fraction, sum)
				}
				total += booked[k]
			}
			if a, _ := w.l.Account(pool); a.Balance() != total || a.Balance() < 0 {
				t.Fatalf("%s holds %d; %d was booked into it", pool, a.Balance(), total)
			}
			held := int64(0)
			for _, a := range w.l.Accounts() {
				if a.ID.Kind != ledger.KindCentral {
					held += a.Balance()
				}
			}
			if held != funded {
				t.Fatalf("RUB accounts hold %d; %d was funded in", held, funded)
			}
			if a := r.Accrued(key); a.Due != 0 && !shortSide(w.l, key, a, pool) {
				t.Fatalf("%v keeps %d units due with both sides able to settle", key, a.Due)
			}
		}
	})
}

// shortSide reports whether the side that owes key's due holds nothing to pay it with.
func shortSide(l *ledger.Ledger, key settlement.RoundingKey, a settlement.Accrual, pool ledger.AccountID) bool {
	payer := ledger.Settlement(key.Provider, key.Currency)
	if a.Due < 0 {
		payer = pool
	}
	acct, _ := l.Account(payer)
	return acct.Balance()-acct.Floor() <= 0
}
