package hub

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
)

// MaxBilateralLimits bounds the counterparties one participant caps per currency.
const MaxBilateralLimits = 100

// Limits are a participant's liquidity controls in one currency. As in
// TARGET2, they bind normal payments only: urgent payments and returns pass.
// A normal payment that a limit or the reserve would not let through waits,
// PDNG, in the hub's limit queue (FIFO per debtor and currency, ahead of the
// RTGS queue), and enters settlement once it may: when liquidity arrives, a
// limit is raised, or a new business day starts. Gridlock resolution does
// not see it; the cut-off rejects it AM04. A payment counts against the
// limits of its business day (UTC) from the moment it enters settlement.
type Limits struct {
	Currency     corridor.Currency
	Reserve      corridor.Amount                  // Liquidity only urgent payments may use.
	Multilateral corridor.Amount                  // The most the participant pays all others in a business day; 0 for no cap.
	Bilateral    map[corridor.BIC]corridor.Amount // The most it pays one counterparty in a business day.
}

// limitsCmd replaces a participant's limits in one currency.
type limitsCmd struct {
	BIC    corridor.BIC
	Limits Limits
}

type limitKey struct {
	bic corridor.BIC
	cur corridor.Currency
}

// usage is what a debtor paid in one currency on one business day, in total
// and per creditor.
type usage struct {
	Day   corridor.Date
	Total corridor.Amount
	To    map[corridor.BIC]corridor.Amount
}

// SetLimits replaces bic's reserve and sender limits in cur (see Limits;
// zero is no cap). AC01 when bic has no account in cur; AG01 for a limit on
// itself or out of range.
func (h *Hub) SetLimits(ctx context.Context, bic corridor.BIC, cur corridor.Currency, reserve, multilateral corridor.Amount, bilateral map[corridor.BIC]corridor.Amount) error {
	l := Limits{Currency: cur, Reserve: reserve, Multilateral: multilateral, Bilateral: maps.Clone(bilateral)}
	_, err := h.do(ctx, request{cmd: limitsCmd{BIC: bic, Limits: l}})
	return err
}

func (s *state) setLimits(c limitsCmd, now time.Time) result {
	l := c.Limits
	if _, ok := s.ledger.Account(ledger.Settlement(c.BIC, l.Currency)); !ok {
		return refused(corridor.Reject(corridor.ReasonAccountInvalid, fmt.Sprintf("%s has no %s settlement account", c.BIC, l.Currency)))
	}
	if len(l.Bilateral) > MaxBilateralLimits {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("at most %d bilateral limits", MaxBilateralLimits)))
	}
	for bic, a := range l.Bilateral {
		if bic == c.BIC || a < 0 || a > corridor.MaxAmount {
			return refused(corridor.Reject(corridor.ReasonNotAllowed, "a bilateral limit is on another participant, from 0 to the maximum amount"))
		}
	}
	if l.Reserve < 0 || l.Reserve > corridor.MaxAmount || l.Multilateral < 0 || l.Multilateral > corridor.MaxAmount {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, "a reserve or a limit is from 0 to the maximum amount"))
	}
	s.limits[limitKey{c.BIC, l.Currency}] = &l
	s.release(now) // A raised limit may let waiting payments through.
	return applied()
}

// gate says why the normal payment p may not enter settlement now, or "".
func (s *state) gate(p *payment, now time.Time) string {
	pay := p.cmd.Payment
	if pay.Urgent || p.msgDef != msgDefPacs008 {
		return ""
	}
	for _, w := range s.waiting {
		if w != p && w.cmd.Payment.InstructingAgent == pay.InstructingAgent && w.cmd.Payment.Currency == pay.Currency {
			return "waits behind " + w.ref
		}
		if w == p {
			break
		}
	}
	l := s.limits[limitKey{pay.InstructingAgent, pay.Currency}]
	if l == nil {
		return ""
	}
	u := s.usageOf(pay.InstructingAgent, pay.Currency, now)
	switch {
	case l.Multilateral > 0 && u.Total+pay.Amount > l.Multilateral:
		return fmt.Sprintf("over the multilateral limit %s (%s used today)", l.Multilateral.Format(pay.Currency), u.Total.Format(pay.Currency))
	case l.Bilateral[pay.InstructedAgent] > 0 && u.To[pay.InstructedAgent]+pay.Amount > l.Bilateral[pay.InstructedAgent]:
		return fmt.Sprintf("over the bilateral limit %s to %s", l.Bilateral[pay.InstructedAgent].Format(pay.Currency), pay.InstructedAgent)
	case l.Reserve > 0 && !s.coveredOutsideReserve(pay, l.Reserve):
		return fmt.Sprintf("would use the %s reserved for urgent payments", l.Reserve.Format(pay.Currency))
	}
	return ""
}

// coveredOutsideReserve reports whether pay settles at once without the
// reserve: nothing of its debtor queued ahead, and enough left above it.
func (s *state) coveredOutsideReserve(pay corridor.Payment, reserve corridor.Amount) bool {
	a, _ := s.ledger.Account(ledger.Settlement(pay.InstructingAgent, pay.Currency))
	for _, q := range s.queue.Queued(pay.InstructingAgent) {
		if q.Currency == pay.Currency {
			return false
		}
	}
	return a.Available()-int64(reserve) >= int64(pay.Amount)
}

func (s *state) usageOf(bic corridor.BIC, cur corridor.Currency, now time.Time) *usage {
	k, day := limitKey{bic, cur}, corridor.DateOf(now.UTC())
	u := s.used[k]
	if u == nil || u.Day != day {
		u = &usage{Day: day, To: map[corridor.BIC]corridor.Amount{}}
		s.used[k] = u
	}
	return u
}

// use counts p, entering settlement, against its debtor's limits.
func (s *state) use(p *payment, now time.Time) {
	pay := p.cmd.Payment
	if pay.Urgent || p.msgDef != msgDefPacs008 || s.limits[limitKey{pay.InstructingAgent, pay.Currency}] == nil {
		return
	}
	u := s.usageOf(pay.InstructingAgent, pay.Currency, now)
	u.Total += pay.Amount
	u.To[pay.InstructedAgent] += pay.Amount
}

// wait puts p into the limit queue.
func (s *state) wait(p *payment, why string, now time.Time) {
	s.record(p, now)
	p.moveTo(corridor.StatusPending, WaitLimit)
	s.waiting = append(s.waiting, p)
	p.event(PaymentEvent{Time: now, Status: corridor.StatusPending, Event: "queued on a limit", Detail: why})
}

// admitWaiting lets into settlement every waiting payment the limits now
// allow, in order; it reports how many.
func (s *state) admitWaiting(now time.Time) int {
	n := 0
	for _, p := range slices.Clone(s.waiting) {
		if s.gate(p, now) != "" {
			continue
		}
		s.unwait(p)
		p.event(PaymentEvent{Time: now, Event: "limit passed", Detail: "enters settlement"})
		s.use(p, now)
		if err := s.enterQueue(p, now); err != nil {
			s.rejected(p, now, corridor.ReasonSettlementFailed, rejectDetail(err))
		}
		n++
	}
	return n
}

// unwait takes p out of the limit queue, reporting whether it was there.
func (s *state) unwait(p *payment) bool {
	i := slices.Index(s.waiting, p)
	if i < 0 {
		return false
	}
	s.waiting = slices.Delete(s.waiting, i, i+1)
	return true
}

// expireWaiting rejects AM04 every payment still in the limit queue at the cut-off.
func (s *state) expireWaiting(now time.Time) int {
	n := len(s.waiting)
	for _, p := range slices.Clone(s.waiting) {
		s.unwait(p)
		s.rejected(p, now, corridor.ReasonInsufficientFunds, "not past its sender limit or the urgent reserve by the cut-off")
	}
	return n
}
