package settlement

import (
	"maps"
	"slices"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
)

// Resolve settles, in every currency, the largest set of queued payments that
// can settle together once offset against each other, and returns them in
// settlement order. Each instructing agent keeps a FIFO prefix of its queue;
// the set is the greatest such set whose every participant's available
// liquidity plus incoming less outgoing payments is not negative (see the
// package doc). It posts through each currency's Technical account, which
// must be open (OpenAccounts): every credit leg first, then every debit leg,
// all checked beforehand, so a set settles whole or not at all. No
// participant's reserve (SetReserves) funds the set. The hub calls
// it on a timer, on the operator's demand and before the cut-off.
func (q *Queue) Resolve(l *ledger.Ledger, nextID func() ledger.TransferID) []Settled {
	var out []Settled
	for _, c := range q.currencies() {
		o := newOffsetting(q.lanesOf(c), coverOutsideReserve(l, c, q.reserve))
		o.solve()
		kept, _ := o.split()
		if len(kept) == 0 {
			continue
		}
		es := make([]*Queued, len(kept))
		for i, p := range kept {
			es[i] = q.byID[p.ID]
		}
		slices.SortFunc(es, compareQueued)
		for i, e := range es {
			kept[i] = e.Payment
			q.remove(e)
		}
		out = append(out, settleOffset(l, c, kept, nextID)...)
	}
	return out
}

// coverOutsideReserve is the liquidity offsetting may use of a participant
// in c: what is available above its reserve (reserve gives it), and none
// when less is. A set with a participant's normal payments then never ends
// below its reserve, nor lower than it started when it began below. Its
// urgent payments are held to the same bound there, a stricter rule than
// their gross settlement's: the release settles them with the reserve.
func coverOutsideReserve(l *ledger.Ledger, c corridor.Currency, reserve func(corridor.BIC, corridor.Currency) int64) func(corridor.BIC) int64 {
	return func(b corridor.BIC) int64 {
		return max(0, available(l, b, c)-reserve(b, c))
	}
}

// currencies are the currencies with queued payments, sorted.
func (q *Queue) currencies() []corridor.Currency {
	return slices.Sorted(maps.Keys(q.totals))
}

// lanesOf returns currency c's lanes by instructing agent, each in settlement order.
func (q *Queue) lanesOf(c corridor.Currency) map[corridor.BIC][]Payment {
	out := make(map[corridor.BIC][]Payment)
	for k, ln := range q.lanes {
		if k.currency != c {
			continue
		}
		ps := make([]Payment, len(ln))
		for i, e := range ln {
			ps[i] = e.Payment
		}
		out[k.instructing] = ps
	}
	return out
}

// settleOffset posts ps, a set that offsetting found feasible, through c's
// technical account: every credit, then every debit. It asserts that every
// posting succeeds and that the technical account ends where it began.
func settleOffset(l *ledger.Ledger, c corridor.Currency, ps []Payment, nextID func() ledger.TransferID) []Settled {
	tech, ok := l.Account(Technical(c))
	assert.That(ok, "technical account %s is not open", c)
	out := make([]Settled, len(ps))
	for i, p := range ps {
		t := ledger.Transfer{ID: nextID(), Debit: Technical(c), Credit: ledger.Settlement(p.InstructedAgent, c), Amount: p.Amount}
		err := l.Apply(t)
		assert.That(err == nil, "credit leg of payment %d: %v", p.ID, err)
		out[i] = Settled{Payment: p, Transfers: []ledger.Transfer{t}}
	}
	for i, p := range ps {
		t := ledger.Transfer{ID: nextID(), Debit: ledger.Settlement(p.InstructingAgent, c), Credit: Technical(c), Amount: p.Amount}
		err := l.Apply(t)
		assert.That(err == nil, "debit leg of payment %d: %v", p.ID, err)
		out[i].Transfers = append(out[i].Transfers, t)
	}
	after, _ := l.Account(Technical(c))
	assert.That(after.Balance() == tech.Balance(), "technical account %s moved from %d to %d", c, tech.Balance(), after.Balance())
	return out
}
