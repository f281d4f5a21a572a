package settlement_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// TestResolveLargest checks Resolve against brute force on small queues: of
// every choice of a FIFO prefix per instructing agent that offsetting can carry, Resolve
// settles the greatest, and so the most payments and the most value.
func TestResolveLargest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld(t)
		w.openCurrency("INR")
		n := rapid.IntRange(2, 4).Draw(t, "banks")
		banks := make([]corridor.BIC, n)
		for i := range banks {
			banks[i] = corridor.BIC(fmt.Sprintf("BANK%cINBBXXX", 'A'+i))
			limit := corridor.Amount(rapid.SampledFrom([]int64{0, 30}).Draw(t, "limit"))
			if err := w.l.Open(ledger.Settlement(banks[i], "INR"), limit); err != nil {
				t.Fatal(err)
			}
			if bal := rapid.Int64Range(0, 60).Draw(t, "balance"); bal > 0 {
				w.mustFund(banks[i], "INR", corridor.Amount(bal))
			}
		}
		var ps []settlement.Payment
		for i := range rapid.IntRange(1, 7).Draw(t, "payments") {
			d := rapid.IntRange(0, n-1).Draw(t, "debtor")
			c := (d + rapid.IntRange(1, n-1).Draw(t, "offset")) % n
			p := settlement.Payment{ID: settlement.PaymentID(i + 1), InstructingAgent: banks[d], InstructedAgent: banks[c], Currency: "INR",
				Amount: corridor.Amount(rapid.Int64Range(1, 100).Draw(t, "amount")), Priority: settlement.Normal}
			if rapid.Bool().Draw(t, "urgent") {
				p.Priority = settlement.Urgent
			}
			if err := w.q.Enqueue(p, day, day.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		want := greatestFeasible(w, banks)
		var got []settlement.PaymentID
		for _, s := range w.q.Resolve(w.l, w.transferID) {
			got = append(got, s.Payment.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("Resolve settled %v; the greatest feasible set is %v (payments %+v)", got, want, ps)
		}
		checkLedger(t, w.l)
	})
}

// greatestFeasible tries every prefix of every instructing agent's queue and returns the
// union of the feasible choices, asserting that the union is itself feasible.
func greatestFeasible(w *world, banks []corridor.BIC) []settlement.PaymentID {
	lanes := make([][]settlement.Queued, len(banks))
	for i, b := range banks {
		lanes[i] = w.q.Queued(b)
	}
	avail := make(map[corridor.BIC]int64)
	for _, b := range banks {
		a, _ := w.l.Account(ledger.Settlement(b, "INR"))
		avail[b] = a.Available()
	}
	best := make([]int, len(banks))
	keep := make([]int, len(banks))
	var try func(i int)
	try = func(i int) {
		if i == len(banks) {
			if feasible(lanes, keep, avail) {
				for j := range keep {
					best[j] = max(best[j], keep[j])
				}
			}
			return
		}
		for k := 0; k <= len(lanes[i]); k++ {
			keep[i] = k
			try(i + 1)
		}
	}
	try(0)
	if !feasible(lanes, best, avail) {
		panic("the union of feasible sets is not feasible")
	}
	var ids []settlement.PaymentID
	for i, ln := range lanes {
		for _, e := range ln[:best[i]] {
			ids = append(ids, e.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func feasible(lanes [][]settlement.Queued, keep []int, avail map[corridor.BIC]int64) bool {
	pos := make(map[corridor.BIC]int64)
	for b, a := range avail {
		pos[b] = a
	}
	for i, ln := range lanes {
		for _, e := range ln[:keep[i]] {
			pos[e.InstructingAgent] -= int64(e.Amount)
			pos[e.InstructedAgent] += int64(e.Amount)
		}
	}
	for _, p := range pos {
		if p < 0 {
			return false
		}
	}
	return true
}

// BenchmarkResolve resolves a queue of 10,000 payments among 50 banks, each
// holding a little liquidity, so that most but not all of the queue settles.
func BenchmarkResolve(b *testing.B) {
	const banks, payments = 50, 10_000
	bics := make([]corridor.BIC, banks)
	for i := range bics {
		bics[i] = corridor.BIC(fmt.Sprintf("BK%02dINBBXXX", i))
	}
	rng := uint64(1)
	next := func(n int) int { // xorshift: a fixed queue on every run.
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	ps := make([]settlement.Payment, payments)
	for i := range ps {
		d := next(banks)
		ps[i] = settlement.Payment{ID: settlement.PaymentID(i + 1), InstructingAgent: bics[d], InstructedAgent: bics[(d+1+next(banks-1))%banks],
			Currency: "INR", Amount: corridor.Amount(1 + next(1_000_000)), Priority: settlement.Priority(1 + next(2))}
	}
	settledTotal := 0
	for b.Loop() {
		b.StopTimer()
		w := newWorld(b)
		w.openCurrency("INR")
		for i, bic := range bics {
			if err := w.l.Open(ledger.Settlement(bic, "INR"), 0); err != nil {
				b.Fatal(err)
			}
			w.mustFund(bic, "INR", corridor.Amount(1_000_000*(1+i%5)))
		}
		for _, p := range ps {
			if err := w.q.Enqueue(p, day, day.Add(time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		settledTotal = len(w.q.Resolve(w.l, w.transferID))
	}
	b.ReportMetric(float64(settledTotal), "settled")
}
