package hub

import (
	"context"
	"maps"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/settlement"
)

// limitsCmd replaces a participant's limits in one currency, counted by
// settlement.RuleGross: the hub wrote it before limits counted net
// settled outflow, and replays it so. Its payload's field names are
// settlement.Limits' own, as journals have always held them.
type limitsCmd struct {
	BIC    corridor.BIC
	Limits settlement.Limits
}

// netLimitsCmd replaces a participant's limits in one currency, counted by
// settlement.RuleNet (TARGET2's): what SetLimits writes.
type netLimitsCmd struct {
	BIC    corridor.BIC
	Limits settlement.Limits
}

// SetLimits replaces bic's reserve and sender limits in cur (see
// settlement.Limits; zero is no cap). AC01 when bic has no account in cur;
// AG01 for a limit on itself or out of range.
func (h *Hub) SetLimits(ctx context.Context, bic corridor.BIC, cur corridor.Currency, reserve, multilateral corridor.Amount, bilateral map[corridor.BIC]corridor.Amount) error {
	l := settlement.Limits{Currency: cur, Reserve: reserve, Multilateral: multilateral, Bilateral: maps.Clone(bilateral)}
	_, err := h.do(ctx, request{cmd: netLimitsCmd{BIC: bic, Limits: l}})
	return err
}

func (s *state) setLimits(bic corridor.BIC, l settlement.Limits, now time.Time) result {
	if err := s.gate.SetLimits(s.ledger, bic, l); err != nil {
		return refused(err)
	}
	s.release(now) // A raised limit may let waiting payments through.
	return applied()
}

// limited reports whether the limits bind p: a payment does, a return
// (pacs.004) never.
func limited(p *payment) bool { return p.msgDef == msgDefPacs008 }

// held says why p may not enter settlement now, for the tracker, or false.
func (s *state) held(p *payment, now time.Time) (string, bool) {
	if !limited(p) {
		return "", false
	}
	h, held := s.gate.Held(s.ledger, s.queue, toSettlement(p), s.dayClock(p.cmd.Payment.Currency, now)) // Limits count per business day.
	if held && h.Behind != 0 {
		return "waits behind " + reference(uint64(h.Behind)), true
	}
	return h.Detail, held
}

// wait puts p into the limit queue.
func (s *state) wait(p *payment, why string, now time.Time) {
	s.record(p, now)
	p.moveTo(corridor.StatusPending, WaitLimit)
	s.gate.Wait(toSettlement(p))
	p.event(PaymentEvent{Time: now, Status: corridor.StatusPending, Event: "queued on a limit", Detail: why})
}

// admitWaiting lets into settlement every waiting payment the limits now
// allow, in order; it reports how many.
func (s *state) admitWaiting(now time.Time) int {
	n := 0
	onDay := func(c corridor.Currency) time.Time { return s.dayClock(c, now) } // Limits count per business day.
	for sp := range s.gate.Admit(s.ledger, s.queue, onDay) {
		p := s.queuedPayment(sp)
		p.event(PaymentEvent{Time: now, Event: "limit passed", Detail: "enters settlement"})
		if err := s.enterQueue(p, now); err != nil {
			s.rejected(p, now, corridor.ReasonSettlementFailed, rejectDetail(err))
		}
		n++
	}
	return n
}

// unwait takes p out of the limit queue, reporting whether it was there.
func (s *state) unwait(p *payment) bool {
	return s.gate.Remove(settlement.PaymentID(p.seq))
}

// expireWaiting rejects AM04 every payment still in the limit queue at the cut-off.
func (s *state) expireWaiting(now time.Time) int {
	rjs := s.gate.Expire()
	for _, rj := range rjs {
		s.rejected(s.queuedPayment(rj.Payment), now, rj.Reason, rj.Detail)
	}
	return len(rjs)
}
