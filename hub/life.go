package hub

import (
	"fmt"
	"maps"
	"slices"

	"corridor"
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
	return sum
}
