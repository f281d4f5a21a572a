package hub

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// toSettlement is what the settlement rules need of p.
func toSettlement(p *payment) settlement.Payment {
	pay := p.cmd.Payment
	prio := settlement.Normal
	if pay.Urgent {
		prio = settlement.Urgent
	}
	return settlement.Payment{ID: settlement.PaymentID(p.seq), InstructingAgent: pay.InstructingAgent,
		InstructedAgent: pay.InstructedAgent, Currency: pay.Currency, Amount: pay.Amount, Priority: prio}
}

// endOfDay is the deadline of a payment queued at now: the end of its UTC
// business day. The cut-off rejects whatever is still queued by then.
func endOfDay(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// settleGross settles p at once when its instructing agent's liquidity covers
// it and none of the agent's payments wait ahead of it; otherwise p waits in
// the queue (PDNG). A full queue is ErrBusy and changes nothing.
//
// A normal payment that its instructing agent's sender limits or urgent
// reserve hold back waits in the limit queue first (see settlement.Limits).
func (s *state) settleGross(p *payment, now time.Time) error {
	if why, held := s.held(p, now); held {
		s.wait(p, why, now)
		return nil
	}
	undo := func() {}
	if limited(p) { // Before it settles, per business day: the settlement counts what entered.
		undo = s.gate.EnterUndo(toSettlement(p), s.dayClock(p.cmd.Payment.Currency, now))
	}
	if err := s.enterQueue(p, now); err != nil {
		undo() // Refused: not journaled, so nothing of it may stay.
		return err
	}
	if p.status == corridor.StatusSettled {
		s.release(now)
	}
	return nil
}

// enterQueue settles p gross or queues it for liquidity.
func (s *state) enterQueue(p *payment, now time.Time) error {
	st, ok, err := s.queue.Submit(s.ledger, toSettlement(p), now, s.deadline(p.cmd.Payment.Currency, now), s.nextTransfer)
	if err != nil {
		return err
	}
	s.record(p, now)
	if !ok {
		s.queued(p, now)
		return nil
	}
	s.settled(p, now, "gross: "+transfersDetail(st.Transfers), st.Transfers)
	return nil
}

// queued marks p as waiting in the RTGS queue. The pacs.002 waits for the
// final outcome.
func (s *state) queued(p *payment, now time.Time) {
	pay := p.cmd.Payment
	a, _ := s.ledger.Account(ledger.Settlement(pay.InstructingAgent, pay.Currency))
	p.moveTo(corridor.StatusPending, WaitQueue)
	p.event(PaymentEvent{Time: now, Status: corridor.StatusPending, Event: "queued",
		Detail: fmt.Sprintf("%s has %s available; waits for liquidity until the cut-off", pay.InstructingAgent, signedAmount(a.Available(), pay.Currency))})
}

// release settles every queued payment that liquidity now covers. The hub
// calls it whenever liquidity arrives: a funding, a settlement, a cycle close.
// Payments waiting on a limit that may now pass enter settlement too, and
// the release repeats while they do.
func (s *state) release(now time.Time) int {
	n := 0
	for {
		sts := s.queue.Release(s.ledger, s.nextTransfer)
		for _, st := range sts {
			s.settled(s.queuedPayment(st.Payment), now, "released from the queue: "+transfersDetail(st.Transfers), st.Transfers)
		}
		n += len(sts)
		if s.admitWaiting(now) == 0 {
			return n
		}
	}
}

func (s *state) queuedPayment(sp settlement.Payment) *payment {
	p := s.bySeq[uint64(sp.ID)]
	assert.That(p != nil, "queued payment %d is unknown", sp.ID)
	assert.That(p.status == corridor.StatusPending, "queued payment %s is %s", p.ref, p.status)
	return p
}

// resolve runs gridlock resolution, then releases what the settled set's
// credits now cover.
func (s *state) resolve(now time.Time) result {
	var r SettlementReport
	for _, st := range s.queue.Resolve(s.ledger, s.nextTransfer) {
		s.settled(s.queuedPayment(st.Payment), now, "by gridlock resolution, offset through technical/"+
			string(st.Payment.Currency)+": "+transfersDetail(st.Transfers), st.Transfers)
		r.Resolved++
	}
	if r.Resolved > 0 {
		r.Released = s.release(now)
	}
	return result{report: r, changed: r.Resolved > 0}
}

// quoteRetention is how long an expired quote stays known, so that a payment
// naming it is refused TM01 (expired) rather than NARR (unknown).
const quoteRetention = 24 * time.Hour

// cutoff ends the business day: a last release and resolution, then every
// payment still queued is rejected AM04.
func (s *state) cutoff(now time.Time) result {
	r := SettlementReport{Released: s.release(now)}
	res := s.resolve(now).report
	r.Resolved, r.Released = res.Resolved, r.Released+res.Released
	r.Expired += s.expireUTCDay(now)
	pruned := s.quotes.Prune(now.Add(-quoteRetention))
	return result{report: r, changed: r.Released+r.Resolved+r.Expired+pruned > 0}
}

// expireUTCDay rejects AM04 what is queued, in the RTGS queue or the limit
// queue, in the currencies without a calendar (whose day is the UTC date) by
// the end of now's UTC date. A currency with a calendar ends its day with
// day.close instead.
func (s *state) expireUTCDay(now time.Time) int {
	legacy := func(c corridor.Currency) bool { return s.days[c] == nil }
	n := 0
	for _, rj := range s.queue.ExpireFunc(func(q settlement.Queued) bool {
		return legacy(q.Currency) && !q.Deadline.After(endOfDay(now))
	}) {
		s.rejected(s.queuedPayment(rj.Payment), now, rj.Reason, rj.Detail)
		n++
	}
	if len(s.days) == 0 {
		return n + s.expireWaiting(now) // As before business days, to the letter.
	}
	return n + s.expireWaitingOf(legacy, now)
}

// cancel takes a queued payment out of the queue, rejected DS02: the
// instructing agent's own, or any on the operator's order (empty BIC). A
// participant asking about a payment it did not instruct learns nothing: 404.
func (s *state) cancel(c cancelCmd, now time.Time) result {
	p := s.legOf(c.UETR, c.BIC)
	if p == nil {
		return result{err: fmt.Errorf("payment %s: %w", c.UETR, corridor.ErrNotFound)}
	}
	if p.status != corridor.StatusPending {
		return result{err: corridor.Reject(corridor.ReasonNotAllowed,
			fmt.Sprintf("payment %s is %s, not queued; only a queued payment can be cancelled", p.ref, p.status))}
	}
	if p.wait == WaitCompliance {
		return refused(corridor.Reject(corridor.ReasonNotAllowed,
			fmt.Sprintf("payment %s is held for compliance review; only a compliance decision ends the hold", p.ref)))
	}
	s.withdraw(p)
	by := "the operator"
	if c.BIC != "" {
		by = string(c.BIC)
	}
	s.rejected(p, now, corridor.ReasonCancelled, "cancelled by "+by)
	s.release(now) // A blocked lane head may have gone.
	return result{payment: p.result(false), changed: true}
}

// legOf is the leg of uetr that bic instructed, preferring a queued one; with
// an empty bic (the operator), the queued leg, else the first.
func (s *state) legOf(uetr corridor.UETR, bic corridor.BIC) *payment {
	var found *payment
	for _, p := range s.byUETR[uetr] {
		if bic != "" && p.cmd.Sender != bic {
			continue
		}
		if p.status == corridor.StatusPending {
			return p
		}
		if found == nil {
			found = p
		}
	}
	return found
}

// move reorders a queued payment on the operator's order.
func (s *state) move(c moveCmd, now time.Time) result {
	p := s.legOf(c.UETR, "")
	if p == nil || p.status != corridor.StatusPending {
		return refused(fmt.Errorf("queued payment %s: %w", c.UETR, corridor.ErrNotFound))
	}
	id := settlement.PaymentID(p.seq)
	var err error
	if c.Priority != 0 {
		err = s.queue.SetPriority(id, c.Priority)
	} else {
		err = s.queue.Reorder(id, c.Move)
	}
	if err != nil {
		return refused(err)
	}
	q, _ := s.queue.Get(id)
	p.event(PaymentEvent{Time: now, Event: "reordered",
		Detail: fmt.Sprintf("by the operator: %s, position %d", q.Priority, q.Place)})
	return applied()
}

// queueView lists the queue in settlement order: everything for the
// operator, a participant's own payments for it.
func (s *state) queueView(caller corridor.Identity) []QueuedPayment {
	var qs []settlement.Queued
	if caller.Role == corridor.RoleOperator {
		qs = s.queue.All()
	} else {
		qs = s.queue.Queued(caller.BIC)
	}
	out := make([]QueuedPayment, 0, len(qs))
	for _, q := range qs {
		p := s.bySeq[uint64(q.ID)]
		out = append(out, QueuedPayment{Reference: p.ref, UETR: p.cmd.Payment.UETR,
			InstructingAgent: q.InstructingAgent, InstructedAgent: q.InstructedAgent,
			Money: corridor.Money{Amount: q.Amount, Currency: q.Currency}, Urgent: q.Priority == settlement.Urgent,
			Place: q.Place, QueuedAt: q.QueuedAt, Deadline: q.Deadline, Wait: WaitQueue, SettlementDate: p.cmd.Payment.SettlementDate})
	}
	out = append(out, s.limitQueueView(caller)...)
	return append(out, s.warehouseView(caller)...)
}

// limitQueueView lists the limit queue in its order, the caller's own
// payments for a participant: they wait, PDNG, on a sender limit or the
// urgent reserve, ahead of the RTGS queue.
func (s *state) limitQueueView(caller corridor.Identity) []QueuedPayment {
	var seqs []uint64
	for _, sp := range s.gate.Waiting() {
		seqs = append(seqs, uint64(sp.ID))
	}
	return s.waitingView(caller, seqs, WaitLimit)
}

// waitingView lists the payments accepted as seqs, in that order, as the
// queue view shows them waiting with wait: all of them for the operator, a
// participant's own for it.
func (s *state) waitingView(caller corridor.Identity, seqs []uint64, wait Wait) []QueuedPayment {
	var out []QueuedPayment
	for _, seq := range seqs {
		p := s.bySeq[seq]
		pay := p.cmd.Payment
		if caller.Role != corridor.RoleOperator && pay.InstructingAgent != caller.BIC {
			continue
		}
		out = append(out, QueuedPayment{Reference: p.ref, UETR: pay.UETR, InstructingAgent: pay.InstructingAgent,
			InstructedAgent: pay.InstructedAgent, Money: corridor.Money{Amount: pay.Amount, Currency: pay.Currency},
			Urgent: pay.Urgent, Wait: wait, SettlementDate: pay.SettlementDate})
	}
	return out
}

// liquidity is bic's liquidity per currency: balances, the queue to and from
// it, and the open net cycle.
func (s *state) liquidity(bic corridor.BIC) ([]Liquidity, error) {
	bals, err := s.balances(bic)
	if err != nil {
		return nil, err
	}
	out := make([]Liquidity, len(bals))
	for i, b := range bals {
		out[i].Balance = b
	}
	at := func(c corridor.Currency) *Liquidity {
		i := slices.IndexFunc(out, func(l Liquidity) bool { return l.Currency == c })
		if i < 0 {
			return nil
		}
		return &out[i]
	}
	for _, q := range s.queue.All() {
		if l := at(q.Currency); l != nil && q.InstructingAgent == bic {
			l.QueuedOut, l.QueuedOutCount = l.QueuedOut+q.Amount, l.QueuedOutCount+1
		} else if l != nil && q.InstructedAgent == bic {
			l.QueuedIn, l.QueuedInCount = l.QueuedIn+q.Amount, l.QueuedInCount+1
		}
	}
	for _, sp := range s.gate.Waiting() {
		if l := at(sp.Currency); l != nil && sp.InstructingAgent == bic {
			l.LimitQueuedOut, l.LimitQueuedOutCount = l.LimitQueuedOut+sp.Amount, l.LimitQueuedOutCount+1
		}
	}
	if s.cycle != nil {
		for _, p := range s.cycle.Payments() {
			if l := at(p.Currency); l != nil && p.InstructingAgent == bic {
				l.CycleSent += p.Amount
			} else if l != nil && p.InstructedAgent == bic {
				l.CycleReceived += p.Amount
			}
		}
	}
	return out, nil
}

// configure records the settlement configuration when it changed.
func (s *state) configure(c configCmd, now time.Time) result {
	c.NetCurrencies = slices.Clone(c.NetCurrencies)
	slices.Sort(c.NetCurrencies)
	for _, cur := range c.NetCurrencies {
		if !cur.Valid() {
			return refused(corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("net currency %.3q is not processable", string(cur))))
		}
	}
	if err := checkCalendars(c.Calendars); err != nil {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, err.Error()))
	}
	if math.IsNaN(c.ScreeningThreshold) || c.ScreeningThreshold < 0 || c.ScreeningThreshold > 1 {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, "the screening threshold is a score from 0 to 1"))
	}
	if c.Messages < MessagesLegacy || c.Messages > MessagesCurrent {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("message rules %d are not %d to %d", c.Messages, MessagesLegacy, MessagesCurrent)))
	}
	if c.Retention != 0 && (c.Retention < MinRetention || c.Retention > MaxRetention) {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("retention %v is not 0 (keep every payment) or %v to %v", c.Retention, MinRetention, MaxRetention)))
	}
	if sameConfig(c, s.config) {
		return result{}
	}
	scr, err := buildScreener(s.screening.lists, c.ScreeningThreshold)
	if err != nil {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, err.Error()))
	}
	switch {
	case s.config.Retention == 0 && c.Retention != 0:
		s.finalizeAll(now) // What became final before retention was set counts from now.
	case c.Retention == 0:
		s.finals = nil // Every payment stays in memory from here on.
	}
	s.config = c
	s.settlementRules()
	s.screening.screener, s.screening.changed = scr, true
	return applied()
}

func sameConfig(a, b configCmd) bool {
	return slices.Equal(a.NetCurrencies, b.NetCurrencies) && a.PublishedRate == b.PublishedRate && a.ScreeningThreshold == b.ScreeningThreshold &&
		slices.EqualFunc(a.Calendars, b.Calendars, sameCalendar) && a.FourEyes == b.FourEyes && a.Messages == b.Messages &&
		a.Retention == b.Retention
}

// netted reports whether payments in cur settle in deferred net cycles.
func (s *state) netted(cur corridor.Currency) bool {
	return slices.Contains(s.config.NetCurrencies, cur)
}

// transfersDetail lists transfers for the tracker: "transfer 7 A/INR → B/INR 10.00".
func transfersDetail(ts []ledger.Transfer) string {
	var b []byte
	for i, t := range ts {
		if i > 0 {
			b = append(b, "; "...)
		}
		b = fmt.Appendf(b, "transfer %d %s → %s %s", t.ID, t.Debit, t.Credit, t.Amount.Format(t.Debit.Currency))
	}
	return string(b)
}

// signedAmount formats a signed count of minor units of c.
func signedAmount(v int64, c corridor.Currency) string {
	if v < 0 {
		return "-" + corridor.Amount(-v).Format(c) + " " + string(c)
	}
	return corridor.Amount(v).Format(c) + " " + string(c)
}
