package hub

import (
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

const msgDefCamt054 = iso20022.MsgDefNotification

// acceptIntoCycle takes p into the open net settlement cycle (ACCP), opening
// one if there is none. It settles, net, when the cycle closes.
func (s *state) acceptIntoCycle(p *payment, now time.Time) error {
	c := s.cycle
	if c == nil {
		c = settlement.NewCycle(settlement.CycleID(s.cycles+1), now)
	}
	if err := c.Accept(toSettlement(p)); err != nil {
		return err
	}
	s.cycle = c
	s.record(p, now)
	p.moveTo(corridor.StatusInCycle, "")
	p.event(PaymentEvent{Time: now, Status: corridor.StatusInCycle, Event: "accepted into cycle",
		Detail: fmt.Sprintf("net settlement cycle %d; settles at its close", c.ID())})
	return nil
}

// closeCycle nets and settles the open cycle, every currency of it (the
// operator's close, and the cut-off): see settleCycle.
func (s *state) closeCycle(now time.Time) result {
	if s.cycle == nil {
		return result{}
	}
	c := s.cycle
	s.cycle = nil
	return s.settleCycle(c, now)
}

// closeCycleOf nets and settles only cur's part of the open cycle, at the
// end of cur's business day: the other net currencies' payments stay open,
// in the next cycle (see settlement.Cycle.Split), and settle at their own
// day's end. Each payment carried over is told so.
func (s *state) closeCycleOf(cur corridor.Currency, now time.Time) {
	if s.cycle == nil || s.cycle.Total(cur) == 0 {
		return // Nothing of cur in the cycle: it stays as it is.
	}
	from := s.cycle.ID()
	part, rest := s.cycle.Split(cur, from+1)
	s.cycle = rest // nil when the cycle held cur alone: then it closes whole.
	if rest != nil {
		for _, sp := range rest.Payments() {
			s.cyclePayment(sp).event(PaymentEvent{Time: now, Event: "carried to the next cycle",
				Detail: fmt.Sprintf("net settlement cycle %d closed for %s only; settles in cycle %d", from, cur, from+1)})
		}
	}
	s.settleCycle(part, now)
}

// settleCycle closes c, a cycle no longer open at the hub: every settled
// payment gets its pacs.008 delivered and a pacs.002 ACSC, every removed
// one a pacs.002 RJCT AM04, and every participant whose balance moved a
// camt.054.
func (s *state) settleCycle(c *settlement.Cycle, now time.Time) result {
	res := c.Close(s.ledger, s.gate, now, s.nextTransfer)
	s.cycles++
	rep := CycleReport{Cycle: uint64(res.Cycle), Closed: now, Settled: len(res.Settled), Removed: len(res.Removed)}
	for _, sp := range res.Settled {
		s.settled(s.cyclePayment(sp), now, fmt.Sprintf("net in cycle %d", res.Cycle), nil) // Its cycle's movements post it.
	}
	for _, rj := range res.Removed {
		s.rejected(s.cyclePayment(rj.Payment), now, rj.Reason, rj.Detail)
	}
	for _, m := range res.Movements {
		if m.Transfer.ID != 0 {
			s.book(m.Transfer, now, source{ref: fmt.Sprintf("CRDN%06d", res.Cycle), code: codeNet})
		}
		rep.Movements = append(rep.Movements, CycleMovement{Participant: m.Participant, Currency: m.Currency,
			Sent: m.Sent, Received: m.Received, Net: m.Net, Direction: string(m.Direction)})
		if m.Net > 0 || s.config.Messages >= MessagesISO { // Under ISO rules, a net of zero is a result too.
			s.notify(res.Cycle, m, underlyingOf(m, res.Settled, s.config.Messages), now)
		}
	}
	s.release(now)
	return result{cycle: rep, changed: true}
}

func (s *state) cyclePayment(sp settlement.Payment) *payment {
	p := s.bySeq[uint64(sp.ID)]
	assert.That(p != nil, "cycle payment %d is unknown", sp.ID)
	assert.That(p.status == corridor.StatusInCycle, "cycle payment %s is %s", p.ref, p.status)
	return p
}

// notify delivers a camt.054 of m, a net movement, to its participant. The
// message is built from the hub's own state and validated before delivery.
func (s *state) notify(cycle settlement.CycleID, m settlement.Movement, under []iso20022.Underlying, now time.Time) {
	body, err := netNotification(s.hubBIC, cycle, m, under, s.businessDate(m.Currency, now), now, bizSvc(s.config.Messages))
	if err != nil {
		return // The camt.054 is a courtesy: without a valid one the participant gets none, as its tests check.
	}
	s.deliver(m.Participant, InboxMessage{MsgDefID: msgDefCamt054,
		Reference: fmt.Sprintf("CRDN%06d%s", cycle, m.Currency), Time: now, Body: body}, nil)
}

// netNotification is the camt.054 of a net movement: one entry, booked,
// debiting or crediting the participant's settlement account, on date, and
// naming the payments under it; a net of zero is a notification without an
// entry that says so.
func netNotification(hubBIC corridor.BIC, cycle settlement.CycleID, m settlement.Movement, under []iso20022.Underlying,
	date corridor.Date, now time.Time, svc string) ([]byte, error) {
	info := fmt.Sprintf("net settlement cycle %d: sent %s, received %s", cycle, m.Sent.Format(m.Currency), m.Received.Format(m.Currency))
	n := iso20022.Notification{From: hubBIC, To: m.Participant, BizSvc: svc,
		ID: fmt.Sprintf("CRDN%06d%s%s", cycle, m.Currency, m.Participant), Created: now.UTC(),
		Account: ledger.Settlement(m.Participant, m.Currency).String(), Currency: m.Currency}
	if m.Net == 0 {
		n.Info = info + ", net zero: nothing posted"
		return iso20022.EncodeNotification(n)
	}
	n.Entries = []iso20022.Entry{{Amount: m.Net, Debit: m.Direction == settlement.Debit, ValueDate: date,
		Code: codeNet, Info: info, Underlying: under}}
	return iso20022.EncodeNotification(n)
}

// underlyingOf are the settled payments of the cycle that m nets, as its
// entry names them: debits where m's participant instructed, credits where it
// was instructed. None under the legacy message rules.
func underlyingOf(m settlement.Movement, settled []settlement.Payment, rules int) []iso20022.Underlying {
	if rules < MessagesISO {
		return nil
	}
	var out []iso20022.Underlying
	for _, p := range settled {
		if p.Currency != m.Currency || len(out) == iso20022.MaxUnderlying {
			continue
		}
		if p.InstructingAgent == m.Participant || p.InstructedAgent == m.Participant {
			out = append(out, iso20022.Underlying{Amount: p.Amount, Debit: p.InstructingAgent == m.Participant,
				EntryTransaction: iso20022.EntryTransaction{ServicerRef: reference(uint64(p.ID))}})
		}
	}
	return out
}
