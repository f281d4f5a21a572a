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

// state is where the model holds a payment: each payment is in exactly one.
type state uint8

const (
	queued state = iota + 1
	inCycle
	settledState
	rejectedState
)

// machine drives random mixes of payments, fundings, queueing, gridlock
// resolution, net cycles and FX against a model of who holds what.
type machine struct {
	w        *world
	banks    []corridor.BIC
	states   map[settlement.PaymentID]state
	payments map[settlement.PaymentID]settlement.Payment
	balances map[ledger.AccountID]int64 // What the model expects of every settlement account.
	nextPay  settlement.PaymentID
	nextCyc  settlement.CycleID
	now      time.Time
}

var currencies = []corridor.Currency{"INR", "RUB"}

func newMachine(t *rapid.T) *machine {
	m := &machine{w: newWorld(t), states: map[settlement.PaymentID]state{}, payments: map[settlement.PaymentID]settlement.Payment{},
		balances: map[ledger.AccountID]int64{}, now: day.Add(8 * time.Hour)}
	n := rapid.IntRange(2, 5).Draw(t, "banks")
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
	for p, r := range map[settlement.Pair]string{{From: "INR", To: "RUB"}: "1.0731", {From: "RUB", To: "INR"}: "0.9319"} {
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
		Amount:   corridor.Amount(rapid.Int64Range(1, 2000).Draw(t, "amount")), Priority: prio}
}

// move records a transition, checking that the payment was where it should be.
func (m *machine) move(t *rapid.T, id settlement.PaymentID, from, to state) {
	if got := m.states[id]; got != from {
		t.Fatalf("payment %d moves to %d from %d; it was in %d", id, to, from, got)
	}
	m.states[id] = to
}

// settle records a settled payment in the model's balances.
func (m *machine) settle(t *rapid.T, p settlement.Payment, from state) {
	m.move(t, p.ID, from, settledState)
	m.balances[ledger.Settlement(p.InstructingAgent, p.Currency)] -= int64(p.Amount)
	m.balances[ledger.Settlement(p.InstructedAgent, p.Currency)] += int64(p.Amount)
}

func (m *machine) settleAll(t *rapid.T, ss []settlement.Settled) {
	for _, s := range ss {
		m.settle(t, s.Payment, queued)
	}
}

func (m *machine) Fund(t *rapid.T) {
	b := rapid.SampledFrom(m.banks).Draw(t, "bank")
	c := rapid.SampledFrom(currencies).Draw(t, "currency")
	amt := corridor.Amount(rapid.Int64Range(1, 3000).Draw(t, "amount"))
	m.w.mustFund(b, c, amt)
	m.balances[ledger.Settlement(b, c)] += int64(amt)
	m.settleAll(t, m.w.q.Release(m.w.l, m.w.transferID))
}

func (m *machine) Submit(t *rapid.T) {
	p := m.drawPayment(t)
	m.tick(t)
	deadline := m.now.Add(time.Duration(rapid.IntRange(1, 3600).Draw(t, "life")) * time.Second)
	m.payments[p.ID] = p
	_, settled, err := m.w.q.Submit(m.w.l, p, m.now, deadline, m.w.transferID)
	switch {
	case err != nil:
		t.Fatalf("Submit(%+v): %v", p, err)
	case settled:
		m.states[p.ID] = queued // Passes through for the transition check.
		m.settle(t, p, queued)
	default:
		m.states[p.ID] = queued
	}
}

func (m *machine) queuedIDs() []settlement.PaymentID {
	var ids []settlement.PaymentID
	for id, s := range m.states {
		if s == queued {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (m *machine) Cancel(t *rapid.T) {
	ids := m.queuedIDs()
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
	m.move(t, id, queued, rejectedState)
}

func (m *machine) Reorder(t *rapid.T) {
	ids := m.queuedIDs()
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
	m.settleAll(t, m.w.q.Release(m.w.l, m.w.transferID))
}

func (m *machine) Resolve(t *rapid.T) {
	m.settleAll(t, m.w.q.Resolve(m.w.l, m.w.transferID))
	// Offsetting settles what gross can; after it, a release finds nothing
	// that a lane head could not already pay.
}

func (m *machine) Expire(t *rapid.T) {
	m.tick(t)
	for _, r := range m.w.q.Expire(m.now) {
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
	res := m.w.cycle.Close(m.w.l, m.now, m.w.transferID)
	for _, p := range res.Settled {
		m.settle(t, p, inCycle)
	}
	for _, r := range res.Removed {
		m.move(t, r.Payment.ID, inCycle, rejectedState)
	}
	m.checkMovements(t, res)
	m.w.cycle = settlement.NewCycle(m.nextCyc, m.now)
	m.nextCyc++
	m.settleAll(t, m.w.q.Release(m.w.l, m.w.transferID))
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

func (m *machine) FX(t *rapid.T) {
	m.tick(t)
	from := rapid.SampledFrom(currencies).Draw(t, "from")
	to := currencies[0]
	if from == to {
		to = currencies[1]
	}
	p := settlement.Pair{From: from, To: to}
	rate, _ := m.w.rates.Rate(p)
	instructing, instructed := rapid.SampledFrom(m.banks).Draw(t, "instructing"), rapid.SampledFrom(m.banks).Draw(t, "instructed")
	amt := corridor.Amount(rapid.Int64Range(1, 2000).Draw(t, "amount"))
	m.nextPay++
	id := settlement.QuoteID(m.nextPay)
	if _, err := m.w.quotes.Issue(id, instructing, amt, p, rate, m.now, m.now.Add(time.Minute)); err != nil {
		if r, _ := corridor.ReasonOf(err); r == corridor.ReasonZeroAmount {
			return // Too small to convert.
		}
		t.Fatalf("Issue: %v", err)
	}
	cv, err := m.w.quotes.Consume(id, instructing, amt, p, m.now)
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if _, err := settlement.SettleFX(m.w.l, instructing, instructed, cv, m.w.transferID); err != nil {
		if r, _ := corridor.ReasonOf(err); r != corridor.ReasonInsufficientFunds {
			t.Fatalf("SettleFX: %v", err)
		}
		return
	}
	m.balances[ledger.Settlement(instructing, from)] -= int64(cv.From.Amount)
	m.balances[ledger.Settlement(instructed, to)] += int64(cv.To.Amount)
}

// Check runs after every action.
func (m *machine) Check(t *rapid.T) {
	checkLedger(t, m.w.l)
	m.checkStates(t)
	m.checkQueue(t)
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

func TestProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newMachine(t)
		t.Repeat(rapid.StateMachineActions(m))
	})
}
