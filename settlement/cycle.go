package settlement

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
)

// MaxCyclePayments bounds the payments one net settlement cycle accepts.
const MaxCyclePayments = 100_000

// CycleID identifies a net settlement cycle.
type CycleID uint64

// Direction is whether a net movement debits or credits a participant, as
// camt.054's CdtDbtInd.
type Direction string

// The directions of a movement.
const (
	Debit  Direction = "DBIT"
	Credit Direction = "CRDT"
)

// Cycle is a deferred net settlement cycle: it accepts payments until Close
// nets and settles them. It is not safe for concurrent use.
type Cycle struct {
	id       CycleID
	opened   time.Time
	payments []Payment // In acceptance order.
	ids      map[PaymentID]bool
	totals   map[corridor.Currency]corridor.Amount
	closed   bool
}

// NewCycle opens cycle id at the given time.
func NewCycle(id CycleID, opened time.Time) *Cycle {
	return &Cycle{id: id, opened: opened, ids: make(map[PaymentID]bool), totals: make(map[corridor.Currency]corridor.Amount)}
}

// ID is the cycle's ID.
func (c *Cycle) ID() CycleID { return c.id }

// Opened is when the cycle opened.
func (c *Cycle) Opened() time.Time { return c.opened }

// Closed reports whether Close has run.
func (c *Cycle) Closed() bool { return c.closed }

// Payments returns the accepted payments in acceptance order.
func (c *Cycle) Payments() []Payment { return slices.Clone(c.payments) }

// Total is the sum of the accepted amounts in currency cur.
func (c *Cycle) Total(cur corridor.Currency) corridor.Amount { return c.totals[cur] }

// Accept takes p into the cycle (ACCP): it will settle at Close, net. It
// returns a reject for an invalid payment or a repeated ID, AG01 once the
// cycle is closed, and ErrBusy when the cycle is full. The hub checks that the
// accounts exist before.
func (c *Cycle) Accept(p Payment) error {
	if p.Priority == 0 {
		p.Priority = Normal // Net cycles ignore priority.
	}
	if err := p.validate(); err != nil {
		return err
	}
	if c.closed {
		return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("cycle %d is closed", c.id))
	}
	if c.ids[p.ID] {
		return corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("payment %d is already in cycle %d", p.ID, c.id))
	}
	if len(c.payments) >= MaxCyclePayments {
		return corridor.ErrBusy
	}
	total, ok := c.totals[p.Currency].Add(p.Amount)
	if !ok {
		return corridor.ErrBusy
	}
	c.totals[p.Currency] = total
	c.ids[p.ID] = true
	c.payments = append(c.payments, p)
	return nil
}

// Split divides c, open, by currency for the end of one currency's
// business day: part holds c's payments in cur, under c's ID, to close
// alone; rest holds the others, in the same order, under the ID next (the
// cycle after part), and stays open. Either is nil when it would hold
// nothing; c is not used after.
func (c *Cycle) Split(cur corridor.Currency, next CycleID) (part, rest *Cycle) {
	assert.That(!c.closed, "cycle %d split once closed", c.id)
	assert.That(next > c.id, "cycle %d split into cycle %d", c.id, next)
	for _, p := range c.payments {
		dst := &rest
		id := next
		if p.Currency == cur {
			dst, id = &part, c.id
		}
		if *dst == nil {
			*dst = NewCycle(id, c.opened)
		}
		err := (*dst).Accept(p)
		assert.That(err == nil, "payment %d of cycle %d into cycle %d: %v", p.ID, c.id, id, err)
	}
	c.closed = true
	return part, rest
}

// Movement is one participant's net movement in one currency at a cycle's
// close: what the camt.054 reports.
type Movement struct {
	Participant corridor.BIC
	Currency    corridor.Currency
	Sent        corridor.Amount // Sum of its settled payments as instructing agent.
	Received    corridor.Amount // Sum of its settled payments as instructed agent.
	Net         corridor.Amount // |Received - Sent|.
	Direction   Direction       // Debit when it sent more; Credit when it received more; empty when Net is zero.
	Transfer    ledger.Transfer // The posting of Net; zero when Net is zero.
}

// CycleResult is what a cycle's close did.
type CycleResult struct {
	Cycle     CycleID
	Closed    time.Time
	Settled   []Payment  // In acceptance order; each gets a pacs.002 ACSC.
	Removed   []Rejected // In acceptance order, AM04; each gets a pacs.002 RJCT.
	Movements []Movement // By currency, then participant.
}

// Close nets the cycle per currency and settles it at now. In each currency a
// participant that cannot cover its net debit loses the payments it instructed,
// latest accepted first, until it can; that may leave others short, and the
// rule repeats until everyone is covered. The net positions then move through
// the currency's Technical account (which must be open): net debits in, then
// net credits out, checked beforehand so all settle or none. Every cycle
// payment is normal: no participant's reserve in r (nil for none) covers its
// net debit. Close runs once.
func (c *Cycle) Close(l *ledger.Ledger, r Reserves, now time.Time, nextID func() ledger.TransferID) CycleResult {
	assert.That(!c.closed, "cycle %d closed twice", c.id)
	c.closed = true
	res := CycleResult{Cycle: c.id, Closed: now}
	settled := make(map[PaymentID]bool)
	for _, cur := range c.currencies() {
		reserve := func(b corridor.BIC, cur corridor.Currency) int64 {
			if r == nil {
				return 0
			}
			return int64(r.Reserve(b, cur))
		}
		o := newOffsetting(c.lanesOf(cur), coverOutsideReserve(l, cur, reserve))
		o.solve()
		kept, _ := o.split()
		for _, p := range kept {
			settled[p.ID] = true
		}
		res.Movements = append(res.Movements, settleNet(l, cur, kept, nextID)...)
	}
	for _, p := range c.payments {
		if settled[p.ID] {
			res.Settled = append(res.Settled, p)
			continue
		}
		res.Removed = append(res.Removed, Rejected{Payment: p, Reason: corridor.ReasonInsufficientFunds,
			Detail: fmt.Sprintf("removed from net cycle %d: %s could not cover its net debit", c.id, p.InstructingAgent)})
	}
	return res
}

func (c *Cycle) currencies() []corridor.Currency {
	return slices.Sorted(maps.Keys(c.totals))
}

// lanesOf returns currency cur's payments by instructing agent, in acceptance order.
func (c *Cycle) lanesOf(cur corridor.Currency) map[corridor.BIC][]Payment {
	out := make(map[corridor.BIC][]Payment)
	for _, p := range c.payments {
		if p.Currency == cur {
			out[p.InstructingAgent] = append(out[p.InstructingAgent], p)
		}
	}
	return out
}

// settleNet posts the net positions of ps, a set offsetting found feasible:
// the participants with a net debit into the technical account, then the
// technical account out to those with a net credit. It asserts that every
// posting succeeds and that the technical account ends where it began.
func settleNet(l *ledger.Ledger, cur corridor.Currency, ps []Payment, nextID func() ledger.TransferID) []Movement {
	ms := netMovements(cur, ps)
	tech, ok := l.Account(Technical(cur))
	assert.That(ok, "technical account %s is not open", cur)
	for _, dir := range []Direction{Debit, Credit} {
		for i := range ms {
			m := &ms[i]
			if m.Direction != dir {
				continue
			}
			m.Transfer = ledger.Transfer{ID: nextID(), Debit: ledger.Settlement(m.Participant, cur), Credit: Technical(cur), Amount: m.Net}
			if dir == Credit {
				m.Transfer.Debit, m.Transfer.Credit = m.Transfer.Credit, m.Transfer.Debit
			}
			err := l.Apply(m.Transfer)
			assert.That(err == nil, "net %s of %s: %v", dir, m.Participant, err)
		}
	}
	after, _ := l.Account(Technical(cur))
	assert.That(after.Balance() == tech.Balance(), "technical account %s moved from %d to %d", cur, tech.Balance(), after.Balance())
	return ms
}

// netMovements sums ps per participant, in BIC order.
func netMovements(cur corridor.Currency, ps []Payment) []Movement {
	by := make(map[corridor.BIC]*Movement)
	var bics []corridor.BIC
	get := func(b corridor.BIC) *Movement {
		if by[b] == nil {
			by[b] = &Movement{Participant: b, Currency: cur}
			bics = append(bics, b)
		}
		return by[b]
	}
	for _, p := range ps {
		d, cr := get(p.InstructingAgent), get(p.InstructedAgent)
		var ok1, ok2 bool
		d.Sent, ok1 = d.Sent.Add(p.Amount)
		cr.Received, ok2 = cr.Received.Add(p.Amount)
		assert.That(ok1, "sent by %s overflows", p.InstructingAgent)
		assert.That(ok2, "received by %s overflows", p.InstructedAgent)
	}
	slices.Sort(bics)
	out := make([]Movement, len(bics))
	for i, b := range bics {
		m := *by[b]
		switch {
		case m.Sent > m.Received:
			m.Net, m.Direction = m.Sent-m.Received, Debit
		case m.Received > m.Sent:
			m.Net, m.Direction = m.Received-m.Sent, Credit
		}
		out[i] = m
	}
	return out
}
