package hub

import (
	"fmt"
	"maps"
	"slices"

	"github.com/corridor-network/corridor"
)

// lifeSum is the state of the rest of payments' lives in a fixed order, for
// the state hash: returns and cancellation cases per payment, and the case
// messages seen.
type lifeSum struct {
	Payments []paymentLife
	CaseMsgs []string // Sender and key, each with the payment's seq.
	Camt054  []corridor.BIC
	Books    []*book // By account, in the ledger's order.
	Booked   uint64
	Limits   []string // "BIC CCY" and the limits, in that order.
	Used     []string
	Waiting  []uint64
	Defunds  []string
}

type paymentLife struct {
	Seq                 uint64
	Returning, Returned int64
	Cancel              *cancelCase
}

func (s *state) lifeSum() lifeSum {
	var sum lifeSum
	for _, seq := range slices.Sorted(maps.Keys(s.bySeq)) {
		p := s.bySeq[seq]
		if p.returning != 0 || p.cancel != nil {
			sum.Payments = append(sum.Payments, paymentLife{Seq: seq, Returning: int64(p.returning), Returned: int64(p.returned), Cancel: p.cancel})
		}
	}
	for k, p := range s.caseMsgs {
		sum.CaseMsgs = append(sum.CaseMsgs, fmt.Sprintf("%s %s %d", k.sender, k.msgID, p.seq))
	}
	slices.Sort(sum.CaseMsgs)
	sum.Camt054 = sortedKeys(s.camt054)
	for _, a := range s.ledger.Accounts() {
		if b := s.books[a.ID]; b != nil {
			sum.Books = append(sum.Books, b)
		}
	}
	sum.Booked = s.booked
	sum.Limits, sum.Used, sum.Waiting = s.gateSum()
	for k, r := range s.defunds {
		sum.Defunds = append(sum.Defunds, fmt.Sprintf("%s %s %s", k.sender, k.msgID, r.Reference))
	}
	slices.Sort(sum.Defunds)
	return sum
}

// gateSum is the gate's limits, usage and limit queue as the state hash has
// always written them: a line per limit and per usage, sorted, and the seqs
// of the waiting payments in order.
func (s *state) gateSum() (limits, used []string, waiting []uint64) {
	for bic, l := range s.gate.AllLimits() {
		limits = append(limits, fmt.Sprintf("%s %s %d %d %v", bic, l.Currency, l.Reserve, l.Multilateral, sortedKeys(l.Bilateral)))
		for _, b := range sortedKeys(l.Bilateral) {
			limits = append(limits, fmt.Sprintf("%s %s %s %d", bic, l.Currency, b, l.Bilateral[b]))
		}
	}
	for bic, u := range s.gate.AllUsage() {
		used = append(used, fmt.Sprintf("%s %s %s %d", bic, u.Currency, u.Day, u.Total))
		for _, b := range sortedKeys(u.To) {
			used = append(used, fmt.Sprintf("%s %s %s %d", bic, u.Currency, b, u.To[b]))
		}
	}
	slices.Sort(limits)
	slices.Sort(used)
	for _, p := range s.gate.Waiting() {
		waiting = append(waiting, uint64(p.ID))
	}
	return limits, used, waiting
}
