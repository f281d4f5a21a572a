package settlement

// Snapshots of settlement's state. Queue, Cycle, Gate, Quotes, Offers,
// Rates and Rounding keep their fields private, so each has an exported
// form that holds all of it, with nothing shared with the live value (the
// sequencer goes on changing that while the hub encodes the snapshot), and a
// Restore that checks the form before it builds the value: a snapshot is
// read back from disk, so it is input. A Restore refuses what the methods
// that build the value would never have built, with an error naming the
// problem, and never panics. What a value derives from the rest (a queue's
// lanes and totals, a cycle's index) is not in the form; Restore rebuilds it.

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
)

// errSnapshot starts every error of a Restore.
var errSnapshot = errors.New("settlement snapshot")

func snapshotErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errSnapshot, fmt.Sprintf(format, args...))
}

// QueueSnapshot is a Queue's whole state.
type QueueSnapshot struct {
	Queued []Queued // In settlement order.
	Back   int64    // The next place at the back.
	Front  int64    // The next place at the front; counts down from 0.
}

// Snapshot is q's state, sharing nothing with q.
func (q *Queue) Snapshot() QueueSnapshot {
	return QueueSnapshot{Queued: q.All(), Back: q.back, Front: q.front}
}

// RestoreQueue builds the queue s holds, without Reserves (SetReserves).
func RestoreQueue(s QueueSnapshot) (*Queue, error) {
	if len(s.Queued) > MaxQueued {
		return nil, snapshotErr("%d queued payments, more than %d", len(s.Queued), MaxQueued)
	}
	if s.Back < 1 || s.Front > 0 {
		return nil, snapshotErr("queue places run from %d to %d", s.Front, s.Back)
	}
	q := NewQueue()
	q.back, q.front = s.Back, s.Front
	places := make(map[int64]bool, len(s.Queued))
	// In settlement order, each goes to the back of its lane: restoring
	// takes time in proportion to the payments, whatever order s has.
	ordered := slices.Clone(s.Queued)
	slices.SortFunc(ordered, func(a, b Queued) int { return compareQueued(&a, &b) })
	for _, e := range ordered {
		if err := e.Payment.validate(); err != nil {
			return nil, snapshotErr("queued payment %d: %v", e.ID, err)
		}
		if _, dup := q.byID[e.ID]; dup {
			return nil, snapshotErr("payment %d is queued twice", e.ID)
		}
		if e.Place == 0 || e.Place < s.Front || e.Place >= s.Back || places[e.Place] {
			return nil, snapshotErr("queued payment %d has place %d: taken, or outside %d to %d", e.ID, e.Place, s.Front, s.Back)
		}
		if _, ok := q.totals[e.Currency].Add(e.Amount); !ok {
			return nil, snapshotErr("queued payments in %s pass the maximum amount", e.Currency)
		}
		places[e.Place] = true
		q.insert(&Queued{Payment: e.Payment, Place: e.Place, QueuedAt: e.QueuedAt, Deadline: e.Deadline})
	}
	return q, nil
}

// CycleSnapshot is a net settlement cycle's whole state.
type CycleSnapshot struct {
	ID       CycleID
	Opened   time.Time
	Payments []Payment // In acceptance order.
	Closed   bool
}

// Snapshot is c's state, sharing nothing with c.
func (c *Cycle) Snapshot() CycleSnapshot {
	return CycleSnapshot{ID: c.id, Opened: c.opened, Payments: c.Payments(), Closed: c.closed}
}

// RestoreCycle builds the cycle s holds, accepting its payments in order.
func RestoreCycle(s CycleSnapshot) (*Cycle, error) {
	c := NewCycle(s.ID, s.Opened)
	for _, p := range s.Payments {
		if !p.Priority.Valid() {
			return nil, snapshotErr("payment %d of cycle %d has priority %d", p.ID, s.ID, p.Priority)
		}
		if err := c.Accept(p); err != nil {
			return nil, snapshotErr("payment %d of cycle %d: %v", p.ID, s.ID, err)
		}
	}
	c.closed = s.Closed
	return c, nil
}

// RateSnapshot is one published rate.
type RateSnapshot struct {
	Pair Pair
	Rate string // As Rate.String writes it.
}

// Snapshot is every published rate, by pair.
func (rs *Rates) Snapshot() []RateSnapshot {
	out := make([]RateSnapshot, 0, len(rs.byPair))
	for _, p := range rs.Pairs() {
		out = append(out, RateSnapshot{Pair: p, Rate: rs.byPair[p].String()})
	}
	return out
}

// RestoreRates builds the rate table s holds. Each rate is published again,
// so a pair a hub could not publish is refused.
func RestoreRates(s []RateSnapshot) (*Rates, error) {
	rs := NewRates()
	for _, e := range s {
		r, err := restoreRate(e.Rate)
		if err != nil {
			return nil, err
		}
		if _, dup := rs.byPair[e.Pair]; dup {
			return nil, snapshotErr("rate of %s is twice", e.Pair)
		}
		if err := rs.Publish(e.Pair, r); err != nil {
			return nil, snapshotErr("rate of %s: %v", e.Pair, err)
		}
	}
	return rs, nil
}

// restoreRate parses a rate as String wrote it; anything else (a rate with
// trailing zeros included) is not what a snapshot holds.
func restoreRate(s string) (Rate, error) {
	r, err := ParseRate(s)
	if err != nil {
		return Rate{}, snapshotErr("%v", err)
	}
	if r.String() != s {
		return Rate{}, snapshotErr("rate %.40q is not written as a rate is", s)
	}
	return r, nil
}

// ConversionSnapshot is a Conversion with its rate written out.
type ConversionSnapshot struct {
	From      corridor.Money
	To        corridor.Money
	Rate      string // As Rate.String writes it.
	Remainder Remainder
}

// Snapshot is cv with its rate written out.
func (cv Conversion) Snapshot() ConversionSnapshot {
	return ConversionSnapshot{From: cv.From, To: cv.To, Rate: cv.Rate.String(), Remainder: cv.Remainder}
}

// Restore is the conversion s holds.
func (s ConversionSnapshot) Restore() (Conversion, error) {
	r, err := restoreRate(s.Rate)
	if err != nil {
		return Conversion{}, err
	}
	for _, m := range []corridor.Money{s.From, s.To} {
		if !m.Currency.Valid() || m.Amount <= 0 || m.Amount > corridor.MaxAmount {
			return Conversion{}, snapshotErr("conversion of %s to %s: an amount is out of range", s.From.Currency, s.To.Currency)
		}
	}
	if s.Remainder.Units <= -unitRemainder || s.Remainder.Units >= unitRemainder {
		return Conversion{}, snapshotErr("conversion remainder %d is a whole minor unit or more", s.Remainder.Units)
	}
	return Conversion{From: s.From, To: s.To, Rate: r, Remainder: s.Remainder}, nil
}

// QuoteSnapshot is an issued quote with its conversion's rate written out.
type QuoteSnapshot struct {
	ID         QuoteID
	Requester  corridor.BIC
	Conversion ConversionSnapshot
	Issued     time.Time
	Expires    time.Time
	Used       bool
	Provider   corridor.BIC
	Offer      OfferID
	Inverse    bool
}

// Snapshot is every quote, by ID.
func (b *Quotes) Snapshot() []QuoteSnapshot { return b.Capture().Snapshot() }

// QuotesCapture is the quote book as it stood when captured, taken at the
// cost of a pointer a quote so that the sequencer is held for little:
// Snapshot writes it out later, on another goroutine, while the book goes
// on. A quote changes once issued only when it is used (Use), so the
// capture keeps that flag as it was; the rest is read from the quote, and
// a quote pruned since is still whole. Writing 100,000 quotes' rates out
// on the sequencer took about 60 ms.
type QuotesCapture struct {
	quotes []*Quote
	used   []bool
}

// Capture is the quote book as it stands.
func (b *Quotes) Capture() QuotesCapture {
	c := QuotesCapture{quotes: make([]*Quote, 0, len(b.byID)), used: make([]bool, 0, len(b.byID))}
	for _, q := range b.byID {
		c.quotes, c.used = append(c.quotes, q), append(c.used, q.Used)
	}
	return c
}

// Snapshot is every quote captured, by ID, as it was then.
func (c QuotesCapture) Snapshot() []QuoteSnapshot {
	out := make([]QuoteSnapshot, len(c.quotes))
	for i, q := range c.quotes {
		out[i] = QuoteSnapshot{ID: q.ID, Requester: q.Requester, Conversion: q.Conversion.Snapshot(), Issued: q.Issued,
			Expires: q.Expires, Used: c.used[i], Provider: q.Provider, Offer: q.Offer, Inverse: q.Inverse}
	}
	slices.SortFunc(out, func(x, y QuoteSnapshot) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// RestoreQuotes builds the quote book s holds.
func RestoreQuotes(s []QuoteSnapshot) (*Quotes, error) {
	if len(s) > MaxQuotes {
		return nil, snapshotErr("%d quotes, more than %d", len(s), MaxQuotes)
	}
	b := NewQuotes()
	for _, e := range s {
		if _, dup := b.byID[e.ID]; dup || e.ID == 0 {
			return nil, snapshotErr("quote %d is zero or twice", e.ID)
		}
		cv, err := e.Conversion.Restore()
		if err != nil {
			return nil, fmt.Errorf("quote %d: %w", e.ID, err)
		}
		b.byID[e.ID] = &Quote{ID: e.ID, Requester: e.Requester, Conversion: cv, Issued: e.Issued, Expires: e.Expires,
			Used: e.Used, Provider: e.Provider, Offer: e.Offer, Inverse: e.Inverse}
	}
	return b, nil
}

// OfferSnapshot is an FX provider's offer with its rates written out.
type OfferSnapshot struct {
	ID        OfferID
	Provider  corridor.BIC
	Pair      Pair
	Bid, Ask  string // As Rate.String writes them.
	Remaining corridor.Amount
	Issued    time.Time
	Expires   time.Time
}

// Snapshot is every offer, by ID.
func (b *Offers) Snapshot() []OfferSnapshot {
	all := b.All()
	out := make([]OfferSnapshot, len(all))
	for i, o := range all {
		out[i] = OfferSnapshot{ID: o.ID, Provider: o.Provider, Pair: o.Pair, Bid: o.Bid.String(), Ask: o.Ask.String(),
			Remaining: o.Remaining, Issued: o.Issued, Expires: o.Expires}
	}
	return out
}

// RestoreOffers builds the offer book s holds. An offer may be spent down
// to nothing by the quotes it gave, so Remaining is checked for range only.
func RestoreOffers(s []OfferSnapshot) (*Offers, error) {
	if len(s) > MaxOffers {
		return nil, snapshotErr("%d offers, more than %d", len(s), MaxOffers)
	}
	b := NewOffers()
	type providerPair struct {
		provider corridor.BIC
		from, to corridor.Currency // In order.
	}
	pairs := make(map[providerPair]bool, len(s))
	for _, e := range s {
		if _, dup := b.byID[e.ID]; dup || e.ID == 0 {
			return nil, snapshotErr("offer %d is zero or twice", e.ID)
		}
		pp := providerPair{e.Provider, min(e.Pair.From, e.Pair.To), max(e.Pair.From, e.Pair.To)}
		if pairs[pp] {
			return nil, snapshotErr("offer %d: %s has another offer on %s", e.ID, e.Provider, e.Pair)
		}
		pairs[pp] = true
		bid, err := restoreRate(e.Bid)
		if err != nil {
			return nil, fmt.Errorf("offer %d: %w", e.ID, err)
		}
		ask, err := restoreRate(e.Ask)
		if err != nil {
			return nil, fmt.Errorf("offer %d: %w", e.ID, err)
		}
		if !e.Pair.From.Valid() || !e.Pair.To.Valid() || e.Pair.From == e.Pair.To || e.Remaining < 0 || e.Remaining > corridor.MaxAmount {
			return nil, snapshotErr("offer %d: its pair or its size is out of range", e.ID)
		}
		b.byID[e.ID] = &Offer{ID: e.ID, Provider: e.Provider, Pair: e.Pair, Bid: bid, Ask: ask, Remaining: e.Remaining,
			Issued: e.Issued, Expires: e.Expires}
	}
	return b, nil
}

// AccrualSnapshot is one provider's rounding accrual in one currency.
type AccrualSnapshot struct {
	Key     RoundingKey
	Accrual Accrual
}

// Snapshot is every accrual that is not zero, in Keys' order.
func (r *Rounding) Snapshot() []AccrualSnapshot {
	keys := r.Keys()
	out := make([]AccrualSnapshot, len(keys))
	for i, k := range keys {
		out[i] = AccrualSnapshot{Key: k, Accrual: r.accrued[k]}
	}
	return out
}

// RestoreRounding builds the accruals s holds.
func RestoreRounding(s []AccrualSnapshot) (Rounding, error) {
	r := NewRounding()
	for _, e := range s {
		if _, dup := r.accrued[e.Key]; dup {
			return Rounding{}, snapshotErr("rounding of %s in %s is twice", e.Key.Provider, e.Key.Currency)
		}
		a := e.Accrual
		if a == (Accrual{}) || a.Fraction <= -unitRemainder || a.Fraction >= unitRemainder {
			return Rounding{}, snapshotErr("rounding of %s in %s is zero or its fraction a whole unit", e.Key.Provider, e.Key.Currency)
		}
		r.accrued[e.Key] = a
	}
	return r, nil
}

// GateSnapshot is the gate's whole state: limits, usage, the limit queue
// and the RuleNet payments in settlement.
type GateSnapshot struct {
	Limits  []LimitsSnapshot // By BIC, then currency.
	Used    []UsageSnapshot  // By BIC, then currency.
	Waiting []Payment        // The limit queue, in order.
	Entered []Entered        // By ID.
	Carry   bool             // CarryPending.
}

// LimitsSnapshot is one participant's limits in one currency, with the rule
// they count by (which Limits does not journal).
type LimitsSnapshot struct {
	BIC    corridor.BIC
	Limits Limits
	Rule   Rule
}

// UsageSnapshot is what one participant used of its limits in one currency.
type UsageSnapshot struct {
	BIC   corridor.BIC
	Usage Usage
}

// Snapshot is g's state, sharing nothing with g.
func (g *Gate) Snapshot() GateSnapshot {
	s := GateSnapshot{Waiting: g.Waiting(), Entered: g.Entered(), Carry: g.carry}
	for bic, l := range g.AllLimits() {
		s.Limits = append(s.Limits, LimitsSnapshot{BIC: bic, Limits: l, Rule: l.Rule})
	}
	for bic, u := range g.AllUsage() {
		s.Used = append(s.Used, UsageSnapshot{BIC: bic, Usage: u})
	}
	return s
}

// RestoreGate builds the gate s holds.
func RestoreGate(s GateSnapshot) (*Gate, error) {
	g := NewGate()
	for _, e := range s.Limits {
		if err := restoreLimits(g, e); err != nil {
			return nil, err
		}
	}
	for _, e := range s.Used {
		k := lane{e.BIC, e.Usage.Currency}
		if _, dup := g.used[k]; dup {
			return nil, snapshotErr("usage of %s in %s is twice", e.BIC, e.Usage.Currency)
		}
		if err := checkUsage(e.Usage); err != nil {
			return nil, snapshotErr("usage of %s in %s: %v", e.BIC, e.Usage.Currency, err)
		}
		u := e.Usage
		g.used[k] = &u
	}
	if len(s.Waiting) > MaxQueued {
		return nil, snapshotErr("%d payments in the limit queue, more than %d", len(s.Waiting), MaxQueued)
	}
	seen := make(map[PaymentID]bool, len(s.Waiting))
	for _, p := range s.Waiting {
		if err := p.validate(); err != nil || seen[p.ID] {
			return nil, snapshotErr("payment %d of the limit queue is twice or invalid: %v", p.ID, err)
		}
		seen[p.ID] = true
	}
	g.waiting = slices.Clone(s.Waiting)
	g.carry = s.Carry
	for _, e := range s.Entered {
		if _, dup := g.entered[e.ID]; dup {
			return nil, snapshotErr("payment %d entered twice", e.ID)
		}
		if err := e.validate(); err != nil {
			return nil, snapshotErr("entered payment %d: %v", e.ID, err)
		}
		if u := g.used[lane{e.InstructingAgent, e.Currency}]; u == nil || CompareDates(u.Day, e.Day) < 0 {
			return nil, snapshotErr("entered payment %d counts on %s, which its agent's usage has not reached", e.ID, e.Day)
		}
		g.entered[e.ID] = e
	}
	return g, nil
}

// restoreLimits sets one participant's limits, checked as SetLimits checks
// them (but for the account, which the gate does not see here).
func restoreLimits(g *Gate, e LimitsSnapshot) error {
	l := e.Limits
	l.Rule = e.Rule
	k := lane{e.BIC, l.Currency}
	if _, dup := g.limits[k]; dup {
		return snapshotErr("limits of %s in %s are twice", e.BIC, l.Currency)
	}
	if !l.Currency.Valid() || len(l.Bilateral) > MaxBilateralLimits || !inRange(l.Reserve) || !inRange(l.Multilateral) ||
		(l.Rule != RuleNet && l.Rule != RuleGross) {
		return snapshotErr("limits of %s in %s are out of range", e.BIC, l.Currency)
	}
	for to, a := range l.Bilateral {
		if to == e.BIC || !inRange(a) {
			return snapshotErr("bilateral limit of %s to %s is out of range", e.BIC, to)
		}
	}
	l.Bilateral = maps.Clone(l.Bilateral)
	g.limits[k] = l
	return nil
}

// checkUsage checks that every sum of u is in range; the per-counterparty
// maps are bounded by the participants, whom the hub checks.
func checkUsage(u Usage) error {
	if !u.Currency.Valid() || (u.Rule != RuleNet && u.Rule != RuleGross) {
		return errors.New("currency or rule unknown")
	}
	if u.To == nil {
		return errors.New("no gross counts") // usageView always makes the map: Enter writes into it.
	}
	for _, f := range []Flow{{Total: u.Total, By: u.To}, u.Out, u.Pending, u.In} {
		if !inRange(f.Total) {
			return errors.New("a total is out of range")
		}
		for _, a := range f.By {
			if !inRange(a) {
				return errors.New("a count is out of range")
			}
		}
	}
	return nil
}
