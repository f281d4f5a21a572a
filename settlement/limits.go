package settlement

import (
	"cmp"
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
)

// MaxBilateralLimits bounds the counterparties one participant caps per currency.
const MaxBilateralLimits = 100

// Rule is how a participant's limits count its payments.
type Rule uint8

// The rules. RuleNet is the one the hub sets; RuleGross is kept for the
// limits journals recorded before it (the limits.put entries), so that they
// replay to the state they reached.
const (
	// RuleNet is TARGET2's: a limit caps the participant's net outflow on
	// the business day, its settled normal payments out minus every
	// payment settled in, to one counterparty (bilateral) or to all
	// (multilateral). A normal payment in settlement but not settled yet
	// counts as out until it settles or leaves, so that no settlement can
	// take the net outflow past a limit. A payment a limit holds waits only
	// behind earlier held payments to the same counterparty.
	RuleNet Rule = iota
	// RuleGross counts the gross amount of every normal payment from the
	// moment it enters settlement, settled or not, and keeps one limit
	// queue FIFO per instructing agent.
	RuleGross
)

// Limits are a participant's liquidity controls in one currency. As in
// TARGET2, they bind normal payments only: urgent payments pass (and the hub
// lets returns pass). A normal payment that a limit or the reserve would not
// let through waits in the Gate's limit queue (ahead of the RTGS queue), and
// enters settlement once it may: when liquidity arrives, a payment comes in,
// a limit is raised, or a new business day starts. Gridlock resolution does
// not see it; the cut-off rejects it AM04. The reserve holds against every
// normal payment however it settles: the gate, the RTGS queue's release and
// gridlock resolution (Queue.SetReserves), and net cycles (Cycle.Close).
// Zero is no cap and no reserve.
type Limits struct {
	Currency     corridor.Currency
	Reserve      corridor.Amount                  // Liquidity only urgent payments may use.
	Multilateral corridor.Amount                  // The most net outflow to all others in a business day; 0 for no cap.
	Bilateral    map[corridor.BIC]corridor.Amount // The most net outflow to one counterparty in a business day.
	Rule         Rule                             `json:"-"` // Not journaled: the hub's command kind says it.
}

// Usage is what an instructing agent's payments used of its limits in one
// currency on one business day. Under RuleGross, Total and To are the gross
// amounts entered. Under RuleNet, Out is what its normal payments settled
// out, Pending what they entered and did not settle yet, and In what
// settled in, each in total and per counterparty.
type Usage struct {
	Currency corridor.Currency
	Day      corridor.Date
	Rule     Rule
	Total    corridor.Amount
	To       map[corridor.BIC]corridor.Amount
	Out      Flow
	Pending  Flow
	In       Flow
}

// Flow is a sum of payments in total and per counterparty.
type Flow struct {
	Total corridor.Amount
	By    map[corridor.BIC]corridor.Amount
}

// add counts a against counterparty b; a sum past MaxAmount is a bug, for a
// business day's flows stay far below it.
func (f *Flow) add(b corridor.BIC, a corridor.Amount) {
	var ok1, ok2 bool
	f.Total, ok1 = f.Total.Add(a)
	if f.By == nil {
		f.By = make(map[corridor.BIC]corridor.Amount)
	}
	f.By[b], ok2 = f.By[b].Add(a)
	assert.That(ok1, "flow total overflows")
	assert.That(ok2, "flow to %s overflows", b)
}

// sub takes back what add counted.
func (f *Flow) sub(b corridor.BIC, a corridor.Amount) {
	var ok1, ok2 bool
	f.Total, ok1 = f.Total.Sub(a)
	f.By[b], ok2 = f.By[b].Sub(a)
	assert.That(ok1, "flow total goes negative")
	assert.That(ok2, "flow to %s goes negative", b)
	if f.By[b] == 0 {
		delete(f.By, b)
	}
}

func (f Flow) clone() Flow { return Flow{Total: f.Total, By: maps.Clone(f.By)} }

// NetOut is the net outflow to counterparty b (bilateral) or, with an
// empty b, to all (multilateral), counting pending payments as out: what
// the limits cap. It is negative when more came in.
func (u *Usage) NetOut(b corridor.BIC) int64 {
	if b == "" {
		return int64(u.Out.Total) + int64(u.Pending.Total) - int64(u.In.Total)
	}
	return int64(u.Out.By[b]) + int64(u.Pending.By[b]) - int64(u.In.By[b])
}

// SettledNetOut is the net outflow of settled payments alone, to b or, with
// an empty b, to all.
func (u *Usage) SettledNetOut(b corridor.BIC) int64 {
	if b == "" {
		return int64(u.Out.Total) - int64(u.In.Total)
	}
	return int64(u.Out.By[b]) - int64(u.In.By[b])
}

// Hold says why a normal payment may not enter settlement yet.
type Hold struct {
	Behind PaymentID // A payment waiting ahead of it that it may not pass; 0 when a limit holds it.
	Detail string    // Which limit or the reserve holds it, for the tracker; empty with Behind.
}

// Gate holds the participants' Limits, what their payments used of them per
// business day, and the limit queue: the normal payments the limits hold
// back, in the order they arrived. It is not safe for concurrent use: the
// sequencer owns it, with the ledger and the Queue.
type Gate struct {
	limits  map[lane]Limits
	used    map[lane]*Usage
	waiting []Payment             // The limit queue, in order.
	entered map[PaymentID]Entered // RuleNet payments in settlement, not settled yet.
	carry   bool                  // CarryPending: set by the hub from its message rules.
}

// Entered is a RuleNet payment in settlement, not settled yet, with the
// business day whose limits it entered under. It counts on that day, settled
// or not: it was let through against that day's net position, so a payment
// still in settlement when the next day starts does not count on the next
// day, whose inflow did not admit it.
type Entered struct {
	Payment
	Day corridor.Date
}

// NewGate returns a gate with no limits and an empty limit queue.
func NewGate() *Gate {
	return &Gate{limits: make(map[lane]Limits), used: make(map[lane]*Usage), entered: make(map[PaymentID]Entered)}
}

// CarryPending sets whether a new business day counts the RuleNet payments
// still in settlement from the day before as its own pending payments, as
// the hub did before its message rules dated them (a payment carried so
// could settle the new day past a limit, having been let through against
// the day before's inflow). It is kept for the journals written then.
// Switching keeps every pending payment counted where it is counted now.
func (g *Gate) CarryPending(on bool) {
	if on == g.carry {
		return
	}
	g.carry = on
	for id, e := range g.entered {
		u := g.used[lane{e.InstructingAgent, e.Currency}]
		if u.Day != e.Day && on {
			u.Pending.add(e.InstructedAgent, e.Amount) // Carried, as the old rule would have.
		}
		e.Day = u.Day
		g.entered[id] = e
	}
}

// SetLimits replaces bic's limits in l.Currency, counted by l.Rule. It
// returns AC01 when bic has no settlement account in the currency, and AG01
// for more than MaxBilateralLimits bilateral limits, a bilateral limit on
// bic itself, an amount out of [0, MaxAmount] or an unknown rule; then
// nothing changes. A limit lowered below what payments already in
// settlement use does not take them back. The caller releases what a raised
// limit lets through (Admit).
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
	if l.Rule != RuleNet && l.Rule != RuleGross {
		return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("limit rule %d is unknown", l.Rule))
	}
	l.Bilateral = maps.Clone(l.Bilateral)
	k := lane{bic, l.Currency}
	if u := g.used[k]; u != nil && u.Rule != l.Rule {
		delete(g.used, k) // The day's usage is counted afresh by the new rule.
		maps.DeleteFunc(g.entered, func(_ PaymentID, e Entered) bool { return lane{e.InstructingAgent, e.Currency} == k })
	}
	g.limits[k] = l
	return nil
}

func inRange(a corridor.Amount) bool { return a >= 0 && a <= corridor.MaxAmount }

// Reserve is bic's urgent reserve in currency c, zero when none: the
// liquidity no normal payment of bic may use.
func (g *Gate) Reserve(bic corridor.BIC, c corridor.Currency) corridor.Amount {
	return g.limits[lane{bic, c}].Reserve
}

// Held reports why p, a payment about to enter settlement at now or waiting
// in the limit queue, may not enter yet. An urgent payment always may. A
// normal one waits behind a payment ahead of it in the limit queue that it
// may not pass (see Rule); then, if the agent set limits in the currency,
// it waits while it would take the day's usage past the multilateral limit,
// or past the bilateral limit to its instructed agent, or while it would
// not settle at once (nothing of the agent in the RTGS queue in the
// currency, enough available) without the reserve. Checking the limits
// starts the agent's usage of now's business day, as entering does.
func (g *Gate) Held(led *ledger.Ledger, q *Queue, p Payment, now time.Time) (Hold, bool) {
	if p.Priority == Urgent {
		return Hold{}, false
	}
	k := lane{p.InstructingAgent, p.Currency}
	l, ok := g.limits[k]
	if id := g.ahead(p, l.Rule); id != 0 {
		return Hold{Behind: id}, true
	}
	if !ok {
		return Hold{}, false
	}
	u, c := g.usageView(k, now), p.Currency
	multi, bi := u.wouldUse(p, "", l.Rule), u.wouldUse(p, p.InstructedAgent, l.Rule)
	switch {
	case l.Multilateral > 0 && multi > int64(l.Multilateral):
		return Hold{Detail: fmt.Sprintf("over the multilateral limit %s (%s used today)", l.Multilateral.Format(c), signedFormat(multi-int64(p.Amount), c))}, true
	case l.Bilateral[p.InstructedAgent] > 0 && bi > int64(l.Bilateral[p.InstructedAgent]):
		return Hold{Detail: fmt.Sprintf("over the bilateral limit %s to %s", l.Bilateral[p.InstructedAgent].Format(c), p.InstructedAgent)}, true
	case l.Reserve > 0 && !coveredOutsideReserve(led, q, p, l.Reserve):
		return Hold{Detail: fmt.Sprintf("would use the %s reserved for urgent payments", l.Reserve.Format(c))}, true
	}
	return Hold{}, false
}

// ahead is the first payment in the limit queue before p that p may not
// pass, or 0: under RuleGross any of its instructing agent and currency,
// under RuleNet one of them to the same instructed agent.
func (g *Gate) ahead(p Payment, r Rule) PaymentID {
	for _, w := range g.waiting {
		if w.ID == p.ID {
			break
		}
		if w.InstructingAgent != p.InstructingAgent || w.Currency != p.Currency {
			continue
		}
		if r == RuleGross || w.InstructedAgent == p.InstructedAgent {
			return w.ID
		}
	}
	return 0
}

// wouldUse is the usage to b (all with an empty b) once p counts too.
func (u *Usage) wouldUse(p Payment, b corridor.BIC, r Rule) int64 {
	if r == RuleGross {
		if b == "" {
			return int64(u.Total) + int64(p.Amount)
		}
		return int64(u.To[b]) + int64(p.Amount)
	}
	return u.NetOut(b) + int64(p.Amount)
}

// signedFormat formats a signed count of minor units of c.
func signedFormat(v int64, c corridor.Currency) string {
	if v < 0 {
		return "-" + corridor.Amount(-v).Format(c)
	}
	return corridor.Amount(v).Format(c)
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

// limitDay is the business day whose limits a payment in currency c at now
// counts against. It is the one place the gate reads the date.
func limitDay(now time.Time, _ corridor.Currency) corridor.Date {
	return corridor.DateOf(now.UTC())
}

// usage is what k used on now's business day, started from zero when the
// day is new (but for CarryPending).
func (g *Gate) usage(k lane, now time.Time) *Usage {
	u := g.usageView(k, now)
	g.used[k] = u
	return u
}

// usageView is k's usage on now's business day without recording it: a
// check (Held) must change nothing, for a command it serves may yet be
// refused and not journaled. A new day starts from nothing (but for
// CarryPending, from what is still pending).
func (g *Gate) usageView(k lane, now time.Time) *Usage {
	day := limitDay(now, k.currency)
	u := g.used[k]
	if u == nil || u.Day != day {
		n := &Usage{Currency: k.currency, Day: day, Rule: g.limits[k].Rule, To: map[corridor.BIC]corridor.Amount{}}
		if u != nil && g.carry {
			n.Pending = u.Pending
		}
		u = n
	}
	return u
}

// Enter counts p, entering settlement at now, against its instructing
// agent's limits of now's business day: under RuleGross for good, under
// RuleNet as pending until Settled or Left. Urgent payments, and payments
// of an agent without limits in the currency, count for nothing.
func (g *Gate) Enter(p Payment, now time.Time) {
	k := lane{p.InstructingAgent, p.Currency}
	l, ok := g.limits[k]
	if !ok || p.Priority == Urgent {
		return
	}
	u := g.usage(k, now)
	if l.Rule == RuleGross {
		u.Total += p.Amount
		u.To[p.InstructedAgent] += p.Amount
		return
	}
	_, dup := g.entered[p.ID]
	assert.That(!dup, "payment %d entered twice", p.ID)
	g.entered[p.ID] = Entered{Payment: p, Day: u.Day}
	u.Pending.add(p.InstructedAgent, p.Amount)
}

// counted is the usage record e counts in, or nil when the day it entered
// under is over (its record is gone).
func (g *Gate) counted(e Entered, now time.Time) *Usage {
	k := lane{e.InstructingAgent, e.Currency}
	if g.carry {
		return g.usage(k, now) // Carried into now's day.
	}
	if u := g.used[k]; u != nil && u.Day == e.Day {
		return u
	}
	return nil
}

// EnterUndo is Enter for a payment whose next step may still refuse it:
// undo takes back exactly what Enter counted, the day's usage as it was
// (or none), so that a refused command leaves the gate as it found it. It
// reverses Enter's own changes rather than copying the usage first: it
// runs for every limited payment on the sequencer.
func (g *Gate) EnterUndo(p Payment, now time.Time) (undo func()) {
	k := lane{p.InstructingAgent, p.Currency}
	l, limited := g.limits[k]
	if !limited || p.Priority == Urgent {
		return func() {} // Enter counts nothing.
	}
	before, had := g.used[k]
	nilPending := had && before.Pending.By == nil
	g.Enter(p, now)
	return func() {
		u := g.used[k]
		if l.Rule == RuleGross {
			var ok1, ok2 bool
			u.Total, ok1 = u.Total.Sub(p.Amount)
			u.To[p.InstructedAgent], ok2 = u.To[p.InstructedAgent].Sub(p.Amount)
			assert.That(ok1 && ok2, "undo of payment %d's entry goes negative", p.ID)
			if u.To[p.InstructedAgent] == 0 {
				delete(u.To, p.InstructedAgent)
			}
		} else {
			delete(g.entered, p.ID)
			u.Pending.sub(p.InstructedAgent, p.Amount) // Under CarryPending a new day's record shares the old one's Pending map: this restores both.
		}
		switch {
		case !had:
			delete(g.used, k)
		case u != before:
			g.used[k] = before // Enter started a new day's record.
		case nilPending && len(u.Pending.By) == 0:
			u.Pending.By = nil
		}
	}
}

// Settled counts p, settled at now, under RuleNet: as out for its
// instructing agent if it entered through the gate (on the day it entered
// under, which may be over), and as in for its instructed agent if that
// agent has RuleNet limits in the currency.
func (g *Gate) Settled(p Payment, now time.Time) {
	if e, ok := g.entered[p.ID]; ok {
		delete(g.entered, p.ID)
		if u := g.counted(e, now); u != nil {
			u.Pending.sub(e.InstructedAgent, e.Amount)
			u.Out.add(e.InstructedAgent, e.Amount)
		}
	}
	k := lane{p.InstructedAgent, p.Currency}
	if l, ok := g.limits[k]; ok && l.Rule == RuleNet {
		g.usage(k, now).In.add(p.InstructingAgent, p.Amount)
	}
}

// Left takes back what Enter counted for payment id when it leaves
// settlement unsettled (cancelled, rejected at the cut-off), reporting
// whether it had entered under RuleNet.
func (g *Gate) Left(id PaymentID) bool {
	e, ok := g.entered[id]
	if !ok {
		return false
	}
	delete(g.entered, id)
	if u := g.used[lane{e.InstructingAgent, e.Currency}]; g.carry || u.Day == e.Day {
		u.Pending.sub(e.InstructedAgent, e.Amount)
	}
	return true
}

// Entered returns the RuleNet payments in settlement but not settled, by ID.
func (g *Gate) Entered() []Entered {
	return slices.SortedFunc(maps.Values(g.entered), func(a, b Entered) int { return cmp.Compare(a.ID, b.ID) })
}

// Wait puts p, which Held holds, at the back of the limit queue.
func (g *Gate) Wait(p Payment) {
	g.waiting = append(g.waiting, p)
}

// Admit yields, in limit queue order, every waiting payment that may now
// enter settlement: it takes each out of the queue and counts it (Enter)
// before yielding it. The limit queue holds payments in several currencies,
// each with its own business day, so at gives the time to count a payment in
// currency c at: one on c's business date (the limits count per UTC date of
// the time they are given). Each is checked (Held) when it is reached,
// against the ledger and the RTGS queue as the caller left them, so the
// caller settles or queues every payment it is given before it asks for the
// next. The caller runs Admit whenever liquidity arrives, a limit changes or
// a payment leaves the RTGS queue, and again while it admits any.
func (g *Gate) Admit(led *ledger.Ledger, q *Queue, at func(c corridor.Currency) time.Time) iter.Seq[Payment] {
	return func(yield func(Payment) bool) {
		for _, p := range slices.Clone(g.waiting) {
			now := at(p.Currency)
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
			u.Out, u.Pending, u.In = u.Out.clone(), u.Pending.clone(), u.In.clone()
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
