package settlement

import (
	"cmp"
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
)

// MaxBilateralLimits bounds the counterparties one participant caps per currency.
const MaxBilateralLimits = 100

// Limits are a participant's liquidity controls in one currency. As in
// TARGET2, they bind normal payments only: urgent payments pass (and the hub
// lets returns pass). A normal payment that a limit or the reserve would not
// let through waits in the Gate's limit queue (FIFO per instructing agent and
// currency, ahead of the RTGS queue), and enters settlement once it may: when
// liquidity arrives, a limit is raised, or a new business day starts.
// Gridlock resolution does not see it; the cut-off rejects it AM04. A
// payment counts against the limits of its business day (UTC) from the
// moment it enters settlement. Zero is no cap and no reserve.
type Limits struct {
	Currency     corridor.Currency
	Reserve      corridor.Amount                  // Liquidity only urgent payments may use.
	Multilateral corridor.Amount                  // The most the participant pays all others in a business day; 0 for no cap.
	Bilateral    map[corridor.BIC]corridor.Amount // The most it pays one counterparty in a business day.
}

// Usage is what an instructing agent's normal payments used of its limits in
// one currency on one business day: in total and per instructed agent.
type Usage struct {
	Currency corridor.Currency
	Day      corridor.Date
	Total    corridor.Amount
	To       map[corridor.BIC]corridor.Amount
}

// Hold says why a normal payment may not enter settlement yet.
type Hold struct {
	Behind PaymentID // A payment of the same instructing agent and currency waiting ahead of it; 0 when a limit holds it.
	Detail string    // Which limit or the reserve holds it, for the tracker; empty with Behind.
}

// Gate holds the participants' Limits, what their normal payments used of
// them per business day, and the limit queue: the normal payments the limits
// hold back, in the order they arrived. It is not safe for concurrent use:
// the sequencer owns it, with the ledger and the Queue.
type Gate struct {
	limits  map[lane]Limits
	used    map[lane]*Usage
	waiting []Payment // The limit queue, in order.
}

// NewGate returns a gate with no limits and an empty limit queue.
func NewGate() *Gate {
	return &Gate{limits: make(map[lane]Limits), used: make(map[lane]*Usage)}
}

// SetLimits replaces bic's limits in l.Currency. It returns AC01 when bic has
// no settlement account in the currency, and AG01 for more than
// MaxBilateralLimits bilateral limits, a bilateral limit on bic itself, or an
// amount out of [0, MaxAmount]; then nothing changes. The caller releases
// what a raised limit lets through (Admit).
func (g *Gate) SetLimits(led *ledger.Ledger, bic corridor.BIC, l Limits) error {
	if err := checkAccount(led, bic, l.Currency); err != nil {
		return err
	}
	if len(l.Bilateral) > MaxBilateralLimits {
		return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("at most %d bilateral limits", MaxBilateralLimits))
	}
	for to, a := range l.Bilateral {
		if to == bic || !inRange(a) {
			return corridor.Reject(corridor.ReasonNotAllowed, "a bilateral limit is on another participant, from 0 to the maximum amount")
		}
	}
	if !inRange(l.Reserve) || !inRange(l.Multilateral) {
		return corridor.Reject(corridor.ReasonNotAllowed, "a reserve or a limit is from 0 to the maximum amount")
	}
	l.Bilateral = maps.Clone(l.Bilateral)
	g.limits[lane{bic, l.Currency}] = l
	return nil
}

func inRange(a corridor.Amount) bool { return a >= 0 && a <= corridor.MaxAmount }

// Held reports why p, a payment about to enter settlement at now or waiting
// in the limit queue, may not enter yet. An urgent payment always may. A
// normal one waits behind any payment of its instructing agent and currency
// ahead of it in the limit queue; then, if the agent set limits in the
// currency, it waits while it would take the day's payments past the
// multilateral limit, or past the bilateral limit to its instructed agent,
// or while it would not settle at once (nothing of the agent in the RTGS
// queue in the currency, enough available) without the reserve. Checking
// the limits starts the agent's usage of now's business day (from zero when
// the day is new), as entering does.
func (g *Gate) Held(led *ledger.Ledger, q *Queue, p Payment, now time.Time) (Hold, bool) {
	if p.Priority == Urgent {
		return Hold{}, false
	}
	for _, w := range g.waiting {
		if w.ID == p.ID {
			break
		}
		if w.InstructingAgent == p.InstructingAgent && w.Currency == p.Currency {
			return Hold{Behind: w.ID}, true
		}
	}
	k := lane{p.InstructingAgent, p.Currency}
	l, ok := g.limits[k]
	if !ok {
		return Hold{}, false
	}
	u, c := g.usage(k, now), p.Currency
	switch {
	case l.Multilateral > 0 && u.Total+p.Amount > l.Multilateral:
		return Hold{Detail: fmt.Sprintf("over the multilateral limit %s (%s used today)", l.Multilateral.Format(c), u.Total.Format(c))}, true
	case l.Bilateral[p.InstructedAgent] > 0 && u.To[p.InstructedAgent]+p.Amount > l.Bilateral[p.InstructedAgent]:
		return Hold{Detail: fmt.Sprintf("over the bilateral limit %s to %s", l.Bilateral[p.InstructedAgent].Format(c), p.InstructedAgent)}, true
	case l.Reserve > 0 && !coveredOutsideReserve(led, q, p, l.Reserve):
		return Hold{Detail: fmt.Sprintf("would use the %s reserved for urgent payments", l.Reserve.Format(c))}, true
	}
	return Hold{}, false
}

// coveredOutsideReserve reports whether p settles at once without the
// reserve: nothing of its instructing agent queued in its currency, and
// enough available above the reserve.
func coveredOutsideReserve(led *ledger.Ledger, q *Queue, p Payment, reserve corridor.Amount) bool {
	if len(q.lanes[lane{p.InstructingAgent, p.Currency}]) > 0 {
		return false
	}
	return available(led, p.InstructingAgent, p.Currency)-int64(reserve) >= int64(p.Amount)
}

// usage is what k used on now's business day, started from zero when the
// day is new.
func (g *Gate) usage(k lane, now time.Time) *Usage {
	day := corridor.DateOf(now.UTC())
	u := g.used[k]
	if u == nil || u.Day != day {
		u = &Usage{Currency: k.currency, Day: day, To: map[corridor.BIC]corridor.Amount{}}
		g.used[k] = u
	}
	return u
}

// Enter counts p, entering settlement at now, against its instructing
// agent's limits of now's business day. Urgent payments, and payments of an
// agent without limits in the currency, count for nothing.
func (g *Gate) Enter(p Payment, now time.Time) {
	k := lane{p.InstructingAgent, p.Currency}
	if _, ok := g.limits[k]; !ok || p.Priority == Urgent {
		return
	}
	u := g.usage(k, now)
	u.Total += p.Amount
	u.To[p.InstructedAgent] += p.Amount
}

// Wait puts p, which Held holds, at the back of the limit queue.
func (g *Gate) Wait(p Payment) {
	g.waiting = append(g.waiting, p)
}

// Admit yields, in limit queue order, every waiting payment that may now
// enter settlement at now: it takes each out of the queue and counts it
// (Enter) before yielding it. Each is checked (Held) when it is reached,
// against the ledger and the RTGS queue as the caller left them, so the
// caller settles or queues every payment it is given before it asks for the
// next. The caller runs Admit whenever liquidity arrives, a limit changes or
// a payment leaves the RTGS queue, and again while it admits any.
func (g *Gate) Admit(led *ledger.Ledger, q *Queue, now time.Time) iter.Seq[Payment] {
	return func(yield func(Payment) bool) {
		for _, p := range slices.Clone(g.waiting) {
			if _, held := g.Held(led, q, p, now); held {
				continue
			}
			g.Remove(p.ID)
			g.Enter(p, now)
			if !yield(p) {
				return
			}
		}
	}
}

// Remove takes payment id out of the limit queue, reporting whether it was
// there.
func (g *Gate) Remove(id PaymentID) bool {
	i := slices.IndexFunc(g.waiting, func(p Payment) bool { return p.ID == id })
	if i < 0 {
		return false
	}
	g.waiting = slices.Delete(g.waiting, i, i+1)
	return true
}

// Expire empties the limit queue at the cut-off and returns every payment
// that was in it rejected AM04, in order.
func (g *Gate) Expire() []Rejected {
	out := make([]Rejected, len(g.waiting))
	for i, p := range g.waiting {
		out[i] = Rejected{Payment: p, Reason: corridor.ReasonInsufficientFunds,
			Detail: "not past its sender limit or the urgent reserve by the cut-off"}
	}
	g.waiting = nil
	return out
}

// Waiting returns the limit queue in order.
func (g *Gate) Waiting() []Payment { return slices.Clone(g.waiting) }

// AllLimits yields every participant's limits, by BIC, then currency.
func (g *Gate) AllLimits() iter.Seq2[corridor.BIC, Limits] {
	return func(yield func(corridor.BIC, Limits) bool) {
		for _, k := range sortedLanes(g.limits) {
			l := g.limits[k]
			l.Bilateral = maps.Clone(l.Bilateral)
			if !yield(k.instructing, l) {
				return
			}
		}
	}
}

// AllUsage yields what every participant used of its limits on the business
// day it last checked or entered a payment, by BIC, then currency.
func (g *Gate) AllUsage() iter.Seq2[corridor.BIC, Usage] {
	return func(yield func(corridor.BIC, Usage) bool) {
		for _, k := range sortedLanes(g.used) {
			u := *g.used[k]
			u.To = maps.Clone(u.To)
			if !yield(k.instructing, u) {
				return
			}
		}
	}
}

// sortedLanes are m's keys by instructing agent, then currency.
func sortedLanes[V any](m map[lane]V) []lane {
	return slices.SortedFunc(maps.Keys(m), func(a, b lane) int {
		return cmp.Or(cmp.Compare(a.instructing, b.instructing), cmp.Compare(a.currency, b.currency))
	})
}
