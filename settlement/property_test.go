package settlement_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// state is where the model holds a payment: each payment is in exactly one.
type state uint8

const (
	queued state = iota + 1
	inCycle
	settledState
	rejectedState
	waitingState // In the gate's limit queue.
)

// machine drives random mixes of payments, fundings, limits, queueing,
// gridlock resolution, net cycles and FX against a model of who holds what.
// Payments go through the gate as the hub sends them (see limits_test.go).
type machine struct {
	w         *world
	banks     []corridor.BIC
	states    map[settlement.PaymentID]state
	payments  map[settlement.PaymentID]settlement.Payment
	balances  map[ledger.AccountID]int64  // What the model expects of every settlement account.
	funded    map[corridor.Currency]int64 // What came in from outside, per currency.
	limits    map[laneKey]settlement.Limits
	used      map[dayKey]*used                            // What settled out and in of lanes under limits, per day.
	pending   map[settlement.PaymentID]settlement.Payment // Normal payments that entered under limits, unsettled.
	enteredOn map[settlement.PaymentID]corridor.Date      // The business day each of pending entered on, which it counts on.
	ceiling   map[dayKey]settlement.Limits                // The loosest limits in force each day; 0 once uncapped.
	nextPay   settlement.PaymentID
	nextCyc   settlement.CycleID
	now       time.Time

	rounding   settlement.Rounding
	remainders map[settlement.RoundingKey]int64 // Every conversion's remainder, summed, in 10^-RemainderScale.
	booked     map[settlement.RoundingKey]int64 // Whole units booked from the provider to the rounding account (negative: back).
}

// laneKey is an instructing agent in one currency.
type laneKey struct {
	bic corridor.BIC
	cur corridor.Currency
}

func laneOf(p settlement.Payment) laneKey { return laneKey{p.InstructingAgent, p.Currency} }

type dayKey struct {
	laneKey
	day corridor.Date
}

// used is a lane's day of settled payments under limits: out by
// counterparty, and in from each.
type used struct {
	out, in map[corridor.BIC]corridor.Amount
}

func (u *used) net(b corridor.BIC) int64 {
	if b != "" {
		return int64(u.out[b]) - int64(u.in[b])
	}
	var n int64
	for _, a := range u.out {
		n += int64(a)
	}
	for _, a := range u.in {
		n -= int64(a)
	}
	return n
}

// pendingNet is what lane k's payments pending since day add to its net
// outflow to b (all with an empty b) that day.
func (m *machine) pendingNet(k laneKey, day corridor.Date, b corridor.BIC) int64 {
	var n int64
	for id, p := range m.pending {
		if laneOf(p) == k && m.enteredOn[id] == day && (b == "" || p.InstructedAgent == b) {
			n += int64(p.Amount)
		}
	}
	return n
}

// day is the model's usage of lane k on now's day.
func (m *machine) day(k laneKey, now time.Time) *used { return m.dayOf(k, corridor.DateOf(now.UTC())) }

// dayOf is the model's usage of lane k on day d.
func (m *machine) dayOf(k laneKey, d corridor.Date) *used {
	dk := dayKey{k, d}
	if m.used[dk] == nil {
		m.used[dk] = &used{out: map[corridor.BIC]corridor.Amount{}, in: map[corridor.BIC]corridor.Amount{}}
	}
	return m.used[dk]
}

var currencies = []corridor.Currency{"INR", "RUB"}

// amounts are payment amounts, now and then round ones that meet a limit exactly.
var amounts = rapid.OneOf(rapid.Int64Range(1, 2000), rapid.SampledFrom([]int64{100, 200, 300, 500, 1000}))

// newMachine draws from two to most banks, their accounts and limits.
func newMachine(t *rapid.T, most int) *machine {
	m := &machine{w: newWorld(t), states: map[settlement.PaymentID]state{}, payments: map[settlement.PaymentID]settlement.Payment{},
		balances: map[ledger.AccountID]int64{}, funded: map[corridor.Currency]int64{}, limits: map[laneKey]settlement.Limits{}, used: map[dayKey]*used{},
		pending: map[settlement.PaymentID]settlement.Payment{}, enteredOn: map[settlement.PaymentID]corridor.Date{}, ceiling: map[dayKey]settlement.Limits{},
		now: day.Add(8 * time.Hour), rounding: settlement.NewRounding(),
		remainders: map[settlement.RoundingKey]int64{}, booked: map[settlement.RoundingKey]int64{}}
	m.w.entering = m.entering
	n := rapid.IntRange(2, most).Draw(t, "banks")
	for i := range n {
		m.banks = append(m.banks, corridor.BIC(fmt.Sprintf("BANK%cINBBXXX", 'A'+i)))
	}
	for _, c := range currencies {
		m.w.openCurrency(c)
		for _, b := range m.banks {
			limit := corridor.Amount(rapid.SampledFrom([]int64{0, 0, 500}).Draw(t, "limit"))
			if err := m.w.l.Open(ledger.Settlement(b, c), limit); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range currencies {
		for _, b := range m.banks {
			if rapid.Bool().Draw(t, "limited") {
				m.setLimits(t, b, m.drawLimits(t, b, c))
			}
		}
	}
	for p, r := range map[settlement.Pair]string{{From: "INR", To: "RUB"}: "1.0731", {From: "RUB", To: "INR"}: "0.9318"} {
		if err := m.w.rates.Publish(p, mustRate(t, r)); err != nil {
			t.Fatal(err)
		}
	}
	m.w.cycle = settlement.NewCycle(1, m.now)
	m.nextCyc = 2
	return m
}

func mustRate(tb fataler, s string) settlement.Rate {
	r, err := settlement.ParseRate(s)
	if err != nil {
		tb.Fatalf("ParseRate(%q): %v", s, err)
	}
	return r
}

func (m *machine) tick(t *rapid.T) {
	m.now = m.now.Add(time.Duration(rapid.IntRange(0, 120).Draw(t, "seconds")) * time.Second)
}

func (m *machine) drawPayment(t *rapid.T) settlement.Payment {
	m.nextPay++
	d := rapid.IntRange(0, len(m.banks)-1).Draw(t, "instructing")
	c := (d + rapid.IntRange(1, len(m.banks)-1).Draw(t, "instructedOffset")) % len(m.banks)
	prio := rapid.SampledFrom([]settlement.Priority{settlement.Urgent, settlement.Normal}).Draw(t, "priority")
	return settlement.Payment{ID: m.nextPay, InstructingAgent: m.banks[d], InstructedAgent: m.banks[c],
		Currency: rapid.SampledFrom(currencies).Draw(t, "currency"),
		Amount:   corridor.Amount(amounts.Draw(t, "amount")), Priority: prio}
}

// move records a transition, checking that the payment was where it should be.
func (m *machine) move(t *rapid.T, id settlement.PaymentID, from, to state) {
	if got := m.states[id]; got != from {
		t.Fatalf("payment %d moves to %d from %d; it was in %d", id, to, from, got)
	}
	m.states[id] = to
}

// settle records a payment settled gross in the model, and checks that a
// normal one left its instructing agent at least its reserve.
func (m *machine) settle(t *rapid.T, p settlement.Payment, from state) {
	m.book(t, p, from)
	if p.Priority == settlement.Normal {
		m.checkReserve(t, p.InstructingAgent, p.Currency, m.available(p.InstructingAgent, p.Currency)+int64(p.Amount))
	}
}

// book records a settled payment in the model's balances and usage.
func (m *machine) book(t *rapid.T, p settlement.Payment, from state) {
	m.move(t, p.ID, from, settledState)
	m.balances[ledger.Settlement(p.InstructingAgent, p.Currency)] -= int64(p.Amount)
	m.balances[ledger.Settlement(p.InstructedAgent, p.Currency)] += int64(p.Amount)
	if _, ok := m.pending[p.ID]; ok {
		delete(m.pending, p.ID)
		m.dayOf(laneOf(p), m.enteredOn[p.ID]).out[p.InstructedAgent] += p.Amount // On the day it entered, which admitted it.
	}
	if _, ok := m.limits[laneKey{p.InstructedAgent, p.Currency}]; ok {
		m.day(laneKey{p.InstructedAgent, p.Currency}, m.now).in[p.InstructingAgent] += p.Amount
	}
}

// available is what the model says b has available in c.
func (m *machine) available(b corridor.BIC, c corridor.Currency) int64 {
	a, _ := m.w.l.Account(ledger.Settlement(b, c))
	return m.balances[ledger.Settlement(b, c)] + int64(a.CreditLimit)
}

// checkReserve checks that b's normal payments in c, which took its
// available liquidity from before, did not use its reserve: they leave at
// least the reserve, or, when less was there, no less than there was.
func (m *machine) checkReserve(t *rapid.T, b corridor.BIC, c corridor.Currency, before int64) {
	r := int64(m.limits[laneKey{b, c}].Reserve)
	if after := m.available(b, c); after < min(before, r) {
		t.Fatalf("normal payments of %s used its %s reserve %d: available %d, then %d", b, c, r, before, after)
	}
}

// settleAll records payments the RTGS queue released, one after another.
func (m *machine) settleAll(t *rapid.T, ss []settlement.Settled) {
	for _, s := range ss {
		m.settle(t, s.Payment, queued)
	}
}

// settleSet records payments that settled together (offset or net), and
// checks each reserve over the whole set.
func (m *machine) settleSet(t *rapid.T, ps []settlement.Payment, from state) {
	before := map[laneKey]int64{}
	for _, p := range ps {
		if k := laneOf(p); p.Priority == settlement.Normal {
			if _, ok := before[k]; !ok {
				before[k] = m.available(k.bic, k.cur)
			}
		}
	}
	for _, p := range ps {
		m.book(t, p, from)
	}
	for k, b := range before {
		m.checkReserve(t, k.bic, k.cur, b)
	}
}

func (m *machine) Fund(t *rapid.T) {
	b := rapid.SampledFrom(m.banks).Draw(t, "bank")
	c := rapid.SampledFrom(currencies).Draw(t, "currency")
	amt := corridor.Amount(rapid.Int64Range(1, 3000).Draw(t, "amount"))
	m.w.mustFund(b, c, amt)
	m.balances[ledger.Settlement(b, c)] += int64(amt)
	m.funded[c] += int64(amt)
	m.release(t)
}

// Submit sends a payment through the gate: urgent payments and payments
// without limits go straight to the RTGS queue.
func (m *machine) Submit(t *rapid.T) {
	p := m.drawPayment(t)
	m.tick(t)
	deadline := m.now.Add(time.Duration(rapid.IntRange(1, 3600).Draw(t, "life")) * time.Second)
	m.payments[p.ID] = p
	o, err := m.w.enter(p, m.now, deadline)
	switch {
	case err != nil:
		t.Fatalf("Submit(%+v): %v", p, err)
	case o.held:
		m.checkHold(t, p, o.hold)
		m.states[p.ID] = waitingState
	case o.settled:
		m.states[p.ID] = queued // Passes through for the transition check.
		m.settle(t, p, queued)
		m.release(t) // As the hub does after a settlement.
	default:
		m.states[p.ID] = queued
	}
}

// checkHold checks that the gate held p for a reason today's rules give:
// an earlier payment of its lane waiting, or a limit it would pass.
func (m *machine) checkHold(t *rapid.T, p settlement.Payment, h settlement.Hold) {
	switch {
	case p.Priority == settlement.Urgent:
		t.Fatalf("urgent payment %d held: %+v", p.ID, h)
	case h.Behind != 0:
		if w := m.payments[h.Behind]; m.states[h.Behind] != waitingState || laneOf(w) != laneOf(p) || w.InstructedAgent != p.InstructedAgent {
			t.Fatalf("payment %d held behind %d, which is not waiting in its lane", p.ID, h.Behind)
		}
	case m.overLimit(p, m.now) == "":
		t.Fatalf("payment %d held (%s) though no limit holds it", p.ID, h.Detail)
	}
}

// entering checks, as the normal payment p enters the RTGS queue, that the
// gate let it through by today's rules: no payment of its lane waits ahead
// of it and it passes no limit in force; it then counts p as the gate does.
func (m *machine) entering(p settlement.Payment, now time.Time) {
	if p.Priority == settlement.Urgent {
		return
	}
	for _, w := range m.w.gate.Waiting() {
		if laneOf(w) == laneOf(p) && w.InstructedAgent == p.InstructedAgent && w.ID < p.ID {
			m.w.tb.Fatalf("payment %d enters settlement while %d to the same counterparty waits ahead of it", p.ID, w.ID)
		}
	}
	if why := m.overLimit(p, now); why != "" {
		m.w.tb.Fatalf("payment %d enters settlement %s", p.ID, why)
	}
	if _, ok := m.limits[laneOf(p)]; ok {
		m.pending[p.ID] = p
		m.enteredOn[p.ID] = corridor.DateOf(now.UTC())
	}
}

// overLimit says which limit in force would hold the normal payment p at
// now, or "": the day's payments past the multilateral or the bilateral cap,
// or the reserve touched (anything of its lane in the RTGS queue, or too
// little available above the reserve).
func (m *machine) overLimit(p settlement.Payment, now time.Time) string {
	l, ok := m.limits[laneOf(p)]
	if !ok {
		return ""
	}
	u, k, to, today := m.day(laneOf(p), now), laneOf(p), p.InstructedAgent, corridor.DateOf(now.UTC())
	if l.Multilateral != 0 && u.net("")+m.pendingNet(k, today, "")+int64(p.Amount) > int64(l.Multilateral) {
		return "past its multilateral limit"
	}
	if b := l.Bilateral[to]; b != 0 && u.net(to)+m.pendingNet(k, today, to)+int64(p.Amount) > int64(b) {
		return "past its bilateral limit"
	}
	if l.Reserve == 0 {
		return ""
	}
	for _, q := range m.w.q.Queued(p.InstructingAgent) {
		if q.Currency == p.Currency {
			return "into the reserve, behind the RTGS queue"
		}
	}
	if a, _ := m.w.l.Account(ledger.Settlement(p.InstructingAgent, p.Currency)); a.Available()-int64(p.Amount) < int64(l.Reserve) {
		return "into the reserve"
	}
	return ""
}

// release runs the hub's release (limits_test.go) and checks that after it
// every payment at the head of its lane in the limit queue is held by a
// limit: the gate keeps nothing it could let through.
func (m *machine) release(t *rapid.T) {
	m.w.releaseAll(m.now, func(ss []settlement.Settled) { m.settleAll(t, ss) }, func(p settlement.Payment, settled bool) {
		if settled {
			m.settle(t, p, waitingState)
		} else {
			m.move(t, p.ID, waitingState, queued)
		}
	})
	type head struct {
		laneKey
		to corridor.BIC
	}
	heads := map[head]bool{}
	for _, p := range m.w.gate.Waiting() {
		h := head{laneOf(p), p.InstructedAgent}
		if !heads[h] && m.overLimit(p, m.now) == "" {
			t.Fatalf("payment %d heads its line in the limit queue though no limit holds it", p.ID)
		}
		heads[h] = true
	}
}

// SetLimits replaces a bank's limits in a currency, now and then with a
// bilateral limit on itself, which the gate refuses.
func (m *machine) SetLimits(t *rapid.T) {
	b := rapid.SampledFrom(m.banks).Draw(t, "bank")
	c := rapid.SampledFrom(currencies).Draw(t, "currency")
	l := m.drawLimits(t, b, c)
	if rapid.IntRange(0, 9).Draw(t, "self") == 0 {
		l.Bilateral[b] = 100
		if reason, _ := corridor.ReasonOf(m.w.gate.SetLimits(m.w.l, b, l)); reason != corridor.ReasonNotAllowed {
			t.Fatalf("SetLimits with a bilateral limit on %s itself: %s; want AG01", b, reason)
		}
		return
	}
	m.setLimits(t, b, l)
	m.release(t)
}

// drawLimits draws limits tight enough to hold payments now and then.
func (m *machine) drawLimits(t *rapid.T, b corridor.BIC, c corridor.Currency) settlement.Limits {
	l := settlement.Limits{Currency: c, Bilateral: map[corridor.BIC]corridor.Amount{},
		Reserve:      corridor.Amount(rapid.SampledFrom([]int64{0, 200, 1000}).Draw(t, "reserve")),
		Multilateral: corridor.Amount(rapid.SampledFrom([]int64{0, 1000, 3000}).Draw(t, "multilateral"))}
	for _, o := range m.banks {
		if o != b && rapid.Bool().Draw(t, "bilateral") {
			l.Bilateral[o] = corridor.Amount(rapid.SampledFrom([]int64{0, 300, 1000}).Draw(t, "limit"))
		}
	}
	return l
}

func (m *machine) setLimits(t *rapid.T, b corridor.BIC, l settlement.Limits) {
	if err := m.w.gate.SetLimits(m.w.l, b, l); err != nil {
		t.Fatalf("SetLimits(%s, %+v): %v", b, l, err)
	}
	m.limits[laneKey{b, l.Currency}] = l
	m.loosen(dayKey{laneKey{b, l.Currency}, corridor.DateOf(m.now.UTC())}, l)
}

// loosen widens day k's ceiling to l: the loosest limits in force that day,
// which payments entered then may settle up to (a lowered limit does not
// take back what entered).
func (m *machine) loosen(k dayKey, l settlement.Limits) {
	c, ok := m.ceiling[k]
	if !ok {
		m.ceiling[k] = settlement.Limits{Currency: l.Currency, Multilateral: l.Multilateral, Bilateral: maps.Clone(l.Bilateral)}
		return
	}
	c.Multilateral = looser(c.Multilateral, l.Multilateral)
	for b, a := range c.Bilateral {
		c.Bilateral[b] = looser(a, l.Bilateral[b])
	}
	m.ceiling[k] = c
}

// looser is the looser of two caps, 0 being none.
func looser(a, b corridor.Amount) corridor.Amount {
	if a == 0 || b == 0 {
		return 0
	}
	return max(a, b)
}

// CancelWaiting takes a payment out of the limit queue, as a camt.056 does.
func (m *machine) CancelWaiting(t *rapid.T) {
	ids := m.idsIn(waitingState)
	if len(ids) == 0 {
		return // Nothing waits: this action has nothing to act on; the invariants are still checked.
	}
	id := rapid.SampledFrom(ids).Draw(t, "id")
	if !m.w.gate.Remove(id) || m.w.gate.Remove(id) {
		t.Fatalf("Remove(%d) twice: want true, then false", id)
	}
	if m.w.gate.Left(id) {
		t.Fatalf("payment %d left settlement from the limit queue, which it never entered", id)
	}
	m.move(t, id, waitingState, rejectedState)
	m.release(t)
}

// ExpireWaiting is the cut-off of the limit queue: all of it is rejected AM04, in order.
func (m *machine) ExpireWaiting(t *rapid.T) {
	want := m.w.gate.Waiting()
	rs := m.w.gate.Expire()
	if len(rs) != len(want) {
		t.Fatalf("Expire rejected %d of %d waiting", len(rs), len(want))
	}
	for i, r := range rs {
		if r.Payment.ID != want[i].ID || r.Reason != corridor.ReasonInsufficientFunds {
			t.Fatalf("Expire's %dth is %d %s; want %d AM04", i, r.Payment.ID, r.Reason, want[i].ID)
		}
		m.move(t, r.Payment.ID, waitingState, rejectedState)
	}
}

// NextDay starts the next business day: the limits count from zero again.
// What is still pending counts on the day it entered, settled or not.
func (m *machine) NextDay(t *rapid.T) {
	y, mo, d := m.now.Date()
	m.now = time.Date(y, mo, d+1, 8, 0, 0, 0, time.UTC)
	for k, l := range m.limits {
		m.loosen(dayKey{k, corridor.DateOf(m.now.UTC())}, l)
	}
}

func (m *machine) idsIn(s state) []settlement.PaymentID {
	var ids []settlement.PaymentID
	for id, st := range m.states {
		if st == s {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (m *machine) Cancel(t *rapid.T) {
	ids := m.idsIn(queued)
	if len(ids) == 0 {
		return // Nothing queued: this action has nothing to act on; the invariants are still checked.
	}
	id := rapid.SampledFrom(ids).Draw(t, "id")
	by := rapid.SampledFrom(m.banks).Draw(t, "by")
	r, err := m.w.q.Cancel(id, by)
	if by != m.payments[id].InstructingAgent {
		if reason, _ := corridor.ReasonOf(err); reason != corridor.ReasonNotAllowed {
			t.Fatalf("Cancel(%d) by %s, not the instructing agent: %v", id, by, err)
		}
		return
	}
	if err != nil || r.Reason != settlement.ReasonCancelled {
		t.Fatalf("Cancel(%d) by its instructing agent: %+v, %v", id, r, err)
	}
	m.w.gate.Left(id)
	delete(m.pending, id)
	m.move(t, id, queued, rejectedState)
	m.release(t) // As the hub does: a blocked lane head may have gone.
}

func (m *machine) Reorder(t *rapid.T) {
	ids := m.idsIn(queued)
	if len(ids) == 0 {
		return // Nothing queued: this action has nothing to act on; the invariants are still checked.
	}
	id := rapid.SampledFrom(ids).Draw(t, "id")
	var err error
	switch rapid.IntRange(0, 2).Draw(t, "how") {
	case 0:
		err = m.w.q.Reorder(id, settlement.ToFront)
	case 1:
		err = m.w.q.Reorder(id, settlement.ToBack)
	default:
		err = m.w.q.SetPriority(id, rapid.SampledFrom([]settlement.Priority{settlement.Urgent, settlement.Normal}).Draw(t, "priority"))
	}
	if err != nil {
		t.Fatalf("reorder %d: %v", id, err)
	}
	// A new order can free an instructing agent whose old head was blocked.
	m.release(t)
}

func (m *machine) Resolve(t *rapid.T) {
	ss := m.w.settledAll(m.w.q.Resolve(m.w.l, m.w.transferID), m.now)
	ps := make([]settlement.Payment, len(ss))
	for i, s := range ss {
		ps[i] = s.Payment
	}
	m.settleSet(t, ps, queued)
	// Offsetting settles what gross can; after it, a release finds nothing
	// that a lane head could not already pay.
}

func (m *machine) Expire(t *rapid.T) {
	m.tick(t)
	for _, r := range m.w.leftAll(m.w.q.Expire(m.now)) {
		delete(m.pending, r.Payment.ID)
		if r.Reason != corridor.ReasonInsufficientFunds {
			t.Fatalf("expired %d with %s", r.Payment.ID, r.Reason)
		}
		m.move(t, r.Payment.ID, queued, rejectedState)
	}
}

func (m *machine) Accept(t *rapid.T) {
	p := m.drawPayment(t)
	m.payments[p.ID] = p
	if err := m.w.cycle.Accept(p); err != nil {
		t.Fatalf("Accept(%+v): %v", p, err)
	}
	m.states[p.ID] = inCycle
}

func (m *machine) CloseCycle(t *rapid.T) {
	m.tick(t)
	m.closeCycle(t, m.w.cycle)
	m.w.cycle = settlement.NewCycle(m.nextCyc, m.now)
	m.nextCyc++
	m.release(t)
}

// CloseCycleCurrency closes one currency's part of the cycle alone, as the
// end of that currency's business day does (Split): the part holds that
// currency only, the rest none of it, and the rest stays open.
func (m *machine) CloseCycleCurrency(t *rapid.T) {
	m.tick(t)
	cur := rapid.SampledFrom(currencies).Draw(t, "currency")
	part, rest := m.w.cycle.Split(cur, m.nextCyc)
	m.nextCyc++
	if rest == nil {
		rest = settlement.NewCycle(m.nextCyc-1, m.now)
	}
	for _, p := range rest.Payments() {
		if p.Currency == cur {
			t.Fatalf("payment %d in %s stays in the cycle after its currency closed", p.ID, cur)
		}
	}
	m.w.cycle = rest
	if part != nil {
		for _, p := range part.Payments() {
			if p.Currency != cur {
				t.Fatalf("payment %d in %s closes with %s's part", p.ID, p.Currency, cur)
			}
		}
		m.closeCycle(t, part)
	}
	m.release(t)
}

// closeCycle closes c and moves its payments in the model.
func (m *machine) closeCycle(t *rapid.T, c *settlement.Cycle) {
	res := c.Close(m.w.l, m.w.gate, m.now, m.w.transferID)
	for _, p := range res.Settled {
		m.w.gate.Settled(p, m.now)
	}
	m.settleSet(t, res.Settled, inCycle)
	for _, r := range res.Removed {
		m.move(t, r.Payment.ID, inCycle, rejectedState)
	}
	m.checkMovements(t, res)
}

// checkMovements checks that the nets add up to zero per currency.
func (m *machine) checkMovements(t *rapid.T, res settlement.CycleResult) {
	sums := map[corridor.Currency]int64{}
	for _, mv := range res.Movements {
		if int64(mv.Received)-int64(mv.Sent) != signedNet(mv) {
			t.Fatalf("movement %+v does not add up", mv)
		}
		sums[mv.Currency] += signedNet(mv)
	}
	for c, s := range sums {
		if s != 0 {
			t.Fatalf("net movements of %s sum to %d", c, s)
		}
	}
}

func signedNet(mv settlement.Movement) int64 {
	if mv.Direction == settlement.Debit {
		return -int64(mv.Net)
	}
	return int64(mv.Net)
}

// FX has one bank, as FX provider, quote both sides of a pair within the
// band, and another convert against it payment-versus-payment: the payer
// pays the provider, the provider pays the payee, both or neither.
func (m *machine) FX(t *rapid.T) {
	m.tick(t)
	from := rapid.SampledFrom(currencies).Draw(t, "from")
	to := currencies[0]
	if from == to {
		to = currencies[1]
	}
	p := settlement.Pair{From: from, To: to}
	provider := rapid.SampledFrom(m.banks).Draw(t, "provider")
	m.nextPay++
	bid, ask := "1.0700", "1.0760"
	offer := settlement.Offer{ID: settlement.OfferID(m.nextPay), Provider: provider, Pair: settlement.Pair{From: "INR", To: "RUB"},
		Bid: mustRate(t, bid), Ask: mustRate(t, ask), Remaining: 1_000_000, Expires: m.now.Add(time.Minute)}
	if err := m.w.offers.Publish(offer, m.w.rates, m.now); err != nil {
		t.Fatalf("Publish offer: %v", err)
	}
	instructing, instructed := rapid.SampledFrom(m.banks).Draw(t, "instructing"), rapid.SampledFrom(m.banks).Draw(t, "instructed")
	amt := corridor.Amount(rapid.Int64Range(1, 2000).Draw(t, "amount"))
	cv, err := offer.ConvertAt(amt, p)
	if err != nil {
		if r, _ := corridor.ReasonOf(err); r == corridor.ReasonZeroAmount {
			return // Too small to convert.
		}
		t.Fatalf("ConvertAt: %v", err)
	}
	if _, err := settlement.SettlePvP(m.w.l, instructing, provider, instructed, cv, m.w.transferID); err != nil {
		if r, _ := corridor.ReasonOf(err); r != corridor.ReasonInsufficientFunds && r != corridor.ReasonNotAllowed {
			t.Fatalf("SettlePvP: %v", err)
		}
		return
	}
	m.balances[ledger.Settlement(instructing, from)] -= int64(cv.From.Amount)
	m.balances[ledger.Settlement(provider, from)] += int64(cv.From.Amount)
	m.balances[ledger.Settlement(provider, to)] -= int64(cv.To.Amount)
	m.balances[ledger.Settlement(instructed, to)] += int64(cv.To.Amount)
	m.bookRounding(t, provider, cv.Remainder)
}

// bookRounding books a conversion's remainder through provider and follows
// what it posted in the model.
func (m *machine) bookRounding(t *rapid.T, provider corridor.BIC, r settlement.Remainder) {
	key := settlement.RoundingKey{Provider: provider, Currency: r.Currency}
	m.remainders[key] += r.Units
	tr, ok := m.rounding.Book(m.w.l, provider, r, m.w.transferID)
	if !ok {
		return
	}
	own := ledger.Settlement(provider, r.Currency)
	switch {
	case tr.Debit == own && tr.Credit == settlement.RoundingAccount(r.Currency):
		m.balances[own] -= int64(tr.Amount)
		m.booked[key] += int64(tr.Amount)
	case tr.Credit == own && tr.Debit == settlement.RoundingAccount(r.Currency):
		m.balances[own] += int64(tr.Amount)
		m.booked[key] -= int64(tr.Amount)
	default:
		t.Fatalf("rounding of %s posted %+v", key, tr)
	}
}

// checkRounding checks that each provider's remainders are exactly what was
// booked and what is still accrued, and that each rounding account holds
// what was booked into it.
func (m *machine) checkRounding(t *rapid.T) {
	const unit = 1_000_000_000_000_000
	pools := map[corridor.Currency]int64{}
	for key, sum := range m.remainders {
		a := m.rounding.Accrued(key)
		if got := (m.booked[key]+a.Due)*unit + a.Fraction; got != sum {
			t.Fatalf("rounding of %s: booked %d, due %d, fraction %d; remainders sum to %d", key, m.booked[key], a.Due, a.Fraction, sum)
		}
		if a.Fraction <= -unit || a.Fraction >= unit {
			t.Fatalf("rounding of %s accrues %d: a whole unit left unbooked", key, a.Fraction)
		}
		pools[key.Currency] += m.booked[key]
	}
	for c, want := range pools {
		if a, _ := m.w.l.Account(settlement.RoundingAccount(c)); a.Balance() != want {
			t.Fatalf("%s holds %d; %d was booked into it", a.ID, a.Balance(), want)
		}
	}
}

// checkFunded checks every account, the hub's included, against its floor,
// and that per currency the accounts hold exactly what was funded in from
// outside: the central account is minus the funding, the rest sum to it.
func (m *machine) checkFunded(t *rapid.T) {
	held := map[corridor.Currency]int64{}
	for _, a := range m.w.l.Accounts() {
		if a.Balance() < a.Floor() {
			t.Fatalf("%s below its floor: balance %d, floor %d", a.ID, a.Balance(), a.Floor())
		}
		if a.ID.Kind == ledger.KindCentral {
			if -a.Balance() != m.funded[a.ID.Currency] {
				t.Fatalf("central %s is %d; %d was funded", a.ID.Currency, a.Balance(), m.funded[a.ID.Currency])
			}
			continue
		}
		held[a.ID.Currency] += a.Balance()
	}
	for _, c := range currencies {
		if held[c] != m.funded[c] {
			t.Fatalf("accounts of %s hold %d; %d was funded in", c, held[c], m.funded[c])
		}
	}
}

// Check runs after every action.
func (m *machine) Check(t *rapid.T) {
	checkLedger(t, m.w.l)
	m.checkFunded(t)
	m.checkRounding(t)
	m.checkStates(t)
	m.checkQueue(t)
	m.checkLimitQueue(t)
	m.checkLimits(t)
	for _, c := range currencies {
		if a, _ := m.w.l.Account(settlement.Technical(c)); a.Balance() != 0 {
			t.Fatalf("technical account %s holds %d", c, a.Balance())
		}
		for _, b := range m.banks {
			id := ledger.Settlement(b, c)
			if a, _ := m.w.l.Account(id); a.Balance() != m.balances[id] {
				t.Fatalf("%s balance %d; the model says %d", id, a.Balance(), m.balances[id])
			}
		}
	}
}

// checkStates checks that the queue and the cycle hold exactly the payments
// the model has queued and in the cycle.
func (m *machine) checkStates(t *rapid.T) {
	var inQueue, inCyc []settlement.PaymentID
	for _, e := range m.w.q.All() {
		inQueue = append(inQueue, e.ID)
	}
	for _, p := range m.w.cycle.Payments() {
		inCyc = append(inCyc, p.ID)
	}
	slices.Sort(inQueue)
	slices.Sort(inCyc)
	var wantQ, wantC []settlement.PaymentID
	for id, s := range m.states {
		switch s {
		case queued:
			wantQ = append(wantQ, id)
		case inCycle:
			wantC = append(wantC, id)
		}
	}
	slices.Sort(wantQ)
	slices.Sort(wantC)
	if !slices.Equal(inQueue, wantQ) {
		t.Fatalf("queue holds %v; the model %v", inQueue, wantQ)
	}
	if !slices.Equal(inCyc, wantC) {
		t.Fatalf("cycle holds %v; the model %v", inCyc, wantC)
	}
}

// checkQueue checks the totals and that every lane's order is settlement order.
func (m *machine) checkQueue(t *rapid.T) {
	sums := map[corridor.Currency]corridor.Amount{}
	all := m.w.q.All()
	for i, e := range all {
		sums[e.Currency] += e.Amount
		if i > 0 && (all[i-1].Priority > e.Priority || (all[i-1].Priority == e.Priority && all[i-1].Place >= e.Place)) {
			t.Fatalf("All is out of settlement order at %d", i)
		}
	}
	for _, c := range currencies {
		if sums[c] != m.w.q.Total(c) {
			t.Fatalf("queued %s sums to %d; Total says %d", c, sums[c], m.w.q.Total(c))
		}
	}
}

// checkLimitQueue checks that the limit queue holds exactly the payments the
// model has waiting, normal ones only, in the order they arrived (FIFO, so
// per lane too), and that they add up.
func (m *machine) checkLimitQueue(t *rapid.T) {
	ws := m.w.gate.Waiting()
	ids := make([]settlement.PaymentID, len(ws))
	sums := map[corridor.Currency]corridor.Amount{}
	for i, p := range ws {
		ids[i] = p.ID
		sums[p.Currency] += p.Amount
		if p.Priority == settlement.Urgent {
			t.Fatalf("urgent payment %d waits on a limit", p.ID)
		}
	}
	if want := m.idsIn(waitingState); !slices.Equal(ids, want) {
		t.Fatalf("limit queue holds %v in that order; the model %v, in arrival order", ids, want)
	}
	want := map[corridor.Currency]corridor.Amount{}
	for _, id := range ids {
		want[m.payments[id].Currency] += m.payments[id].Amount
	}
	if !maps.Equal(sums, want) {
		t.Fatalf("limit queue totals %v; the model %v", sums, want)
	}
}

// checkLimits checks that the gate holds the limits the model set, and that
// what it counts as used each day adds up to what entered settlement.
func (m *machine) checkLimits(t *rapid.T) {
	n := 0
	for bic, l := range m.w.gate.AllLimits() {
		n++
		want, ok := m.limits[laneKey{bic, l.Currency}]
		if !ok || l.Reserve != want.Reserve || l.Multilateral != want.Multilateral || !maps.Equal(l.Bilateral, want.Bilateral) {
			t.Fatalf("gate has %s's limits %+v; the model %+v", bic, l, want)
		}
	}
	if n != len(m.limits) {
		t.Fatalf("gate has %d limits; the model %d", n, len(m.limits))
	}
	for bic, u := range m.w.gate.AllUsage() {
		k := laneKey{bic, u.Currency}
		want := m.used[dayKey{k, u.Day}]
		if want == nil {
			want = &used{}
		}
		for _, b := range m.banks {
			if int64(u.Out.By[b])-int64(u.In.By[b]) != want.net(b) || int64(u.Pending.By[b]) != m.pendingNet(k, u.Day, b) {
				t.Fatalf("%s used %+v of its %s limits on %s; the model %+v, pending %d to %s", bic, u, u.Currency, u.Day, *want, m.pendingNet(k, u.Day, b), b)
			}
		}
	}
	m.checkCeilings(t)
}

// checkCeilings checks that no lane's settled net outflow of the day passes
// the loosest limits in force that day, bilateral or multilateral.
func (m *machine) checkCeilings(t *rapid.T) {
	for k, c := range m.ceiling {
		u := m.used[k]
		if u == nil {
			continue
		}
		if c.Multilateral != 0 && u.net("") > int64(c.Multilateral) {
			t.Fatalf("%s settled a net %d in %s on %s, past its multilateral limit %d", k.bic, u.net(""), k.cur, k.day, c.Multilateral)
		}
		for b, a := range c.Bilateral {
			if a != 0 && u.net(b) > int64(a) {
				t.Fatalf("%s settled a net %d to %s in %s on %s, past its bilateral limit %d", k.bic, u.net(b), b, k.cur, k.day, a)
			}
		}
	}
}

func TestProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newMachine(t, 5)
		t.Repeat(rapid.StateMachineActions(m))
	})
}

// TestLimitProperties runs the same machine on what the limits act on:
// payments (three times as often as the rest), fundings, limits, cancels,
// cut-offs and new days, so that limit queues grow long enough to matter.
func TestLimitProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newMachine(t, 3) // Few lanes, so that they queue.
		all := rapid.StateMachineActions(m)
		actions := map[string]func(*rapid.T){"": all[""], "Submit2": m.Submit, "Submit3": m.Submit}
		for _, name := range []string{"Submit", "Fund", "SetLimits", "CancelWaiting", "ExpireWaiting", "NextDay", "Expire"} {
			actions[name] = all[name]
		}
		t.Repeat(actions)
	})
}
