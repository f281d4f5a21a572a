package settlement

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
)

// MaxQueued bounds the payments waiting in a Queue, over all currencies.
const MaxQueued = 100_000

// Queued is a payment waiting for liquidity.
type Queued struct {
	Payment
	Place    int64     // Its place in line within its priority (FIFO): lower settles first.
	QueuedAt time.Time // When it joined the queue.
	Deadline time.Time // When Expire rejects it if it has not settled: the cut-off or the message's reject time.
}

// before reports whether q settles before o: priority, then place.
func (q *Queued) before(o *Queued) bool {
	if q.Priority != o.Priority {
		return q.Priority < o.Priority
	}
	return q.Place < o.Place
}

func compareQueued(a, b *Queued) int {
	if a.Priority != b.Priority {
		return cmp.Compare(a.Priority, b.Priority)
	}
	return cmp.Compare(a.Place, b.Place)
}

// lane is one instructing agent's queue in one currency.
type lane struct {
	instructing corridor.BIC
	currency    corridor.Currency
}

// Queue is the RTGS liquidity queue. It is not safe for concurrent use: the
// sequencer owns it, with the ledger.
type Queue struct {
	byID   map[PaymentID]*Queued
	lanes  map[lane][]*Queued // Each in settlement order.
	totals map[corridor.Currency]corridor.Amount
	back   int64 // The next place at the back.
	front  int64 // The next place at the front; counts down.
	res    Reserves
}

// Reserves says how much of a participant's liquidity in a currency only
// urgent payments may use (the Gate does).
type Reserves interface {
	Reserve(bic corridor.BIC, c corridor.Currency) corridor.Amount
}

// SetReserves has the queue hold r's reserves against every normal payment
// it settles, by release and by gridlock resolution.
func (q *Queue) SetReserves(r Reserves) { q.res = r }

// reserve is bic's reserve in c, zero without Reserves.
func (q *Queue) reserve(bic corridor.BIC, c corridor.Currency) int64 {
	if q.res == nil {
		return 0
	}
	return int64(q.res.Reserve(bic, c))
}

// covers reports whether e's instructing agent's liquidity covers e now: a
// normal payment may not use the agent's reserve.
func (q *Queue) covers(l *ledger.Ledger, e *Queued) bool {
	avail := available(l, e.InstructingAgent, e.Currency)
	if e.Priority != Urgent {
		avail -= q.reserve(e.InstructingAgent, e.Currency)
	}
	return avail >= int64(e.Amount)
}

// NewQueue returns an empty queue.
func NewQueue() *Queue {
	return &Queue{byID: make(map[PaymentID]*Queued), lanes: make(map[lane][]*Queued),
		totals: make(map[corridor.Currency]corridor.Amount), back: 1}
}

// Len is the number of queued payments.
func (q *Queue) Len() int { return len(q.byID) }

// Total is the sum of the queued amounts in currency c.
func (q *Queue) Total(c corridor.Currency) corridor.Amount { return q.totals[c] }

// Get returns the queued payment with the given ID.
func (q *Queue) Get(id PaymentID) (Queued, bool) {
	e, ok := q.byID[id]
	if !ok {
		return Queued{}, false
	}
	return *e, true
}

// Submit settles p gross at once if nothing of its instructing agent in its
// currency is ahead of it and the agent's available liquidity covers it; it
// reports settled true and the transfer. Otherwise p joins the queue at now
// with the deadline, and Submit reports false. An invalid payment is a reject
// (AC01 when an account is missing, AM05 when the ID is queued already), a
// full queue ErrBusy; either way nothing changes.
func (q *Queue) Submit(l *ledger.Ledger, p Payment, now, deadline time.Time, nextID func() ledger.TransferID) (Settled, bool, error) {
	if err := p.validate(); err != nil {
		return Settled{}, false, err
	}
	if err := checkAccounts(l, p); err != nil {
		return Settled{}, false, err
	}
	if !q.ahead(p) && available(l, p.InstructingAgent, p.Currency) >= int64(p.Amount) {
		if _, dup := q.byID[p.ID]; dup {
			return Settled{}, false, duplicate(p.ID)
		}
		return settleGross(l, p, nextID), true, nil
	}
	return Settled{}, false, q.Enqueue(p, now, deadline)
}

// ahead reports whether p's instructing agent has a queued payment that
// settles before p.
func (q *Queue) ahead(p Payment) bool {
	ln := q.lanes[lane{p.InstructingAgent, p.Currency}]
	return len(ln) > 0 && ln[0].Priority <= p.Priority
}

// Enqueue puts p at the back of its priority. It returns a reject for an
// invalid payment or a duplicate ID, and ErrBusy when the queue holds
// MaxQueued payments or its currency's total would pass MaxAmount. The hub
// checks that the accounts exist before (Submit does).
func (q *Queue) Enqueue(p Payment, now, deadline time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if _, dup := q.byID[p.ID]; dup {
		return duplicate(p.ID)
	}
	if !deadline.After(now) {
		return corridor.Reject(corridor.ReasonInvalidDate, "the deadline "+clock(deadline)+" has passed")
	}
	if len(q.byID) >= MaxQueued {
		return corridor.ErrBusy
	}
	if _, ok := q.totals[p.Currency].Add(p.Amount); !ok {
		return corridor.ErrBusy
	}
	e := &Queued{Payment: p, Place: q.back, QueuedAt: now, Deadline: deadline}
	q.back++
	q.insert(e)
	return nil
}

func duplicate(id PaymentID) error {
	return corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("payment %d is already queued", id))
}

// insert adds e to its lane, the index and the total.
func (q *Queue) insert(e *Queued) {
	k := lane{e.InstructingAgent, e.Currency}
	ln := q.lanes[k]
	i, found := slices.BinarySearchFunc(ln, e, compareQueued)
	assert.That(!found, "place %d of payment %d is taken", e.Place, e.ID)
	q.lanes[k] = slices.Insert(ln, i, e)
	q.byID[e.ID] = e
	var ok bool
	q.totals[e.Currency], ok = q.totals[e.Currency].Add(e.Amount)
	assert.That(ok, "queued total of %s overflows", e.Currency)
}

// remove takes e out of its lane, the index and the total.
func (q *Queue) remove(e *Queued) {
	k := lane{e.InstructingAgent, e.Currency}
	ln := q.lanes[k]
	i, found := slices.BinarySearchFunc(ln, e, compareQueued)
	assert.That(found && ln[i] == e, "payment %d is not in its lane", e.ID)
	ln = slices.Delete(ln, i, i+1)
	if len(ln) == 0 {
		delete(q.lanes, k)
	} else {
		q.lanes[k] = ln
	}
	delete(q.byID, e.ID)
	var ok bool
	q.totals[e.Currency], ok = q.totals[e.Currency].Sub(e.Amount)
	assert.That(ok, "queued total of %s goes negative", e.Currency)
	if q.totals[e.Currency] == 0 {
		delete(q.totals, e.Currency)
	}
}

// Cancel takes a queued payment out of the queue at its instructing agent's
// request and returns it rejected DS02. It returns ErrNotFound when id is not
// queued and AG01 when by is not the instructing agent.
func (q *Queue) Cancel(id PaymentID, by corridor.BIC) (Rejected, error) {
	e, ok := q.byID[id]
	if !ok {
		return Rejected{}, corridor.ErrNotFound
	}
	if e.InstructingAgent != by {
		return Rejected{}, corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("only the debtor agent may cancel payment %d", id))
	}
	return q.cancel(e, "cancelled by "+string(by)), nil
}

// CancelByOperator takes a queued payment out of the queue on the operator's
// order and returns it rejected DS02, or ErrNotFound.
func (q *Queue) CancelByOperator(id PaymentID) (Rejected, error) {
	e, ok := q.byID[id]
	if !ok {
		return Rejected{}, corridor.ErrNotFound
	}
	return q.cancel(e, "cancelled by the operator"), nil
}

func (q *Queue) cancel(e *Queued, detail string) Rejected {
	q.remove(e)
	return Rejected{Payment: e.Payment, Reason: ReasonCancelled, Detail: detail}
}

// Move says where Reorder puts a payment within its priority.
type Move uint8

// The moves an operator can make.
const (
	ToFront Move = 1
	ToBack  Move = 2
)

// Reorder moves a queued payment to the front or the back of its priority,
// on the operator's order. It returns ErrNotFound when id is not queued.
func (q *Queue) Reorder(id PaymentID, m Move) error {
	e, ok := q.byID[id]
	if !ok {
		return corridor.ErrNotFound
	}
	if m != ToFront && m != ToBack {
		return corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("move %d is unknown", m))
	}
	q.remove(e)
	e.Place = q.nextPlace(m)
	q.insert(e)
	return nil
}

// SetPriority changes a queued payment's priority on the operator's order; it
// goes to the back of its new priority. It returns ErrNotFound when id is not
// queued.
func (q *Queue) SetPriority(id PaymentID, p Priority) error {
	e, ok := q.byID[id]
	if !ok {
		return corridor.ErrNotFound
	}
	if !p.Valid() {
		return corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("priority %d is unknown", p))
	}
	q.remove(e)
	e.Priority, e.Place = p, q.nextPlace(ToBack)
	q.insert(e)
	return nil
}

func (q *Queue) nextPlace(m Move) int64 {
	if m == ToFront {
		q.front--
		return q.front
	}
	q.back++
	return q.back - 1
}

// All returns every queued payment in settlement order: priority, then
// place, over all instructing agents and currencies.
func (q *Queue) All() []Queued {
	return q.list(func(*Queued) bool { return true })
}

// Queued returns the queued payments that instructing instructed, in
// settlement order.
func (q *Queue) Queued(instructing corridor.BIC) []Queued {
	return q.list(func(e *Queued) bool { return e.InstructingAgent == instructing })
}

func (q *Queue) list(keep func(*Queued) bool) []Queued {
	es := q.sorted(keep)
	out := make([]Queued, len(es))
	for i, e := range es {
		out[i] = *e
	}
	return out
}

// sorted returns the entries keep accepts, in settlement order.
func (q *Queue) sorted(keep func(*Queued) bool) []*Queued {
	var es []*Queued
	for _, e := range q.byID {
		if keep(e) {
			es = append(es, e)
		}
	}
	slices.SortFunc(es, compareQueued)
	return es
}

// Expire rejects AM04 every queued payment whose deadline is not after
// cutoff, in settlement order. The hub calls it at the cut-off, after a last
// Release and Resolve.
func (q *Queue) Expire(cutoff time.Time) []Rejected {
	return q.ExpireFunc(func(e Queued) bool { return !e.Deadline.After(cutoff) })
}

// ExpireFunc rejects AM04 every queued payment that expire selects, in
// settlement order: the end of one currency's business day expires only
// that currency's payments of the day.
func (q *Queue) ExpireFunc(expire func(Queued) bool) []Rejected {
	es := q.sorted(func(e *Queued) bool { return expire(*e) })
	out := make([]Rejected, 0, len(es))
	for _, e := range es {
		q.remove(e)
		out = append(out, Rejected{Payment: e.Payment, Reason: corridor.ReasonInsufficientFunds,
			Detail: "not settled by the cut-off " + clock(e.Deadline)})
	}
	return out
}

// Release settles gross every queued payment that liquidity now covers, in
// settlement order per instructing agent, until none can: the hub calls it
// whenever liquidity arrives (a funding, a settlement, a credit limit raised).
// An agent's head payment that cannot settle blocks the agent's later payments
// until a credit to the agent wakes its lane again. A normal payment does not
// use its agent's reserve (SetReserves).
func (q *Queue) Release(l *ledger.Ledger, nextID func() ledger.TransferID) []Settled {
	h := &heads{}
	for k, ln := range q.lanes {
		h.items = append(h.items, head{k, ln[0]})
	}
	heap.Init(h) // Heads are unique, so the pop order does not depend on map order.
	waiting := make(map[lane]bool, len(h.items))
	for _, it := range h.items {
		waiting[it.lane] = true
	}
	var out []Settled
	for h.Len() > 0 {
		it := heap.Pop(h).(head)
		waiting[it.lane] = false
		e := it.entry
		if !q.covers(l, e) {
			continue // Blocked until the instructing agent is credited.
		}
		q.remove(e)
		out = append(out, settleGross(l, e.Payment, nextID))
		for _, k := range []lane{it.lane, {e.InstructedAgent, e.Currency}} {
			if ln := q.lanes[k]; len(ln) > 0 && !waiting[k] {
				heap.Push(h, head{k, ln[0]})
				waiting[k] = true
			}
		}
	}
	return out
}

// settleGross posts p from its instructing agent to its instructed agent; the
// caller has checked that the instructing agent's liquidity covers it.
func settleGross(l *ledger.Ledger, p Payment, nextID func() ledger.TransferID) Settled {
	t := ledger.Transfer{ID: nextID(), Debit: ledger.Settlement(p.InstructingAgent, p.Currency),
		Credit: ledger.Settlement(p.InstructedAgent, p.Currency), Amount: p.Amount}
	err := l.Apply(t)
	assert.That(err == nil, "gross settlement of payment %d: %v", p.ID, err)
	return Settled{Payment: p, Transfers: []ledger.Transfer{t}}
}

// head is a lane's first payment, waiting in Release's heap.
type head struct {
	lane  lane
	entry *Queued
}

// heads is a min-heap of lane heads in settlement order.
type heads struct{ items []head }

func (h *heads) Len() int           { return len(h.items) }
func (h *heads) Less(i, j int) bool { return h.items[i].entry.before(h.items[j].entry) }
func (h *heads) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *heads) Push(x any)         { h.items = append(h.items, x.(head)) }
func (h *heads) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}
