package hub

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// ReasonReturnExceeded refuses a return that would take the sum of a
// payment's returns above its original amount: AM09, "amount received is not
// the amount agreed or expected" (ExternalStatusReason1Code), since no more
// than the original can be expected back.
const ReasonReturnExceeded = corridor.ReasonWrongAmount

// returnCmd is a validated pacs.004 from the creditor agent of a settled
// payment: it settles gross, like a payment, from the returning agent to the
// original instructing agent. Its Payment is the return as a payment: the
// returner instructs, the original sender is instructed, the original's
// parties swap roles (and are screened), the UETR is the original's.
type returnCmd struct {
	paymentCmd
	Reason string // Why it comes back, the return's reason code; for the tracker.
	// OriginalMsgID is the message reference the return names for the
	// payment it returns, which must be the payment its UETR names; "" when
	// the return names none. Absent from payloads written before it existed.
	OriginalMsgID string `json:",omitempty"`
}

// returnOf maps r, a pacs.004 of one transaction from sender, to a
// returnCmd, screened against the parties of the payment it returns.
func (h *Hub) returnOf(ctx context.Context, sender corridor.BIC, r iso20022.ReturnInstruction, msg corridor.SignedMessage) (command, error) {
	p := returnedPayment(r)
	c := returnCmd{paymentCmd: paymentCmd{Sender: sender, InstrID: strings.Clone(r.ReturnID), Message: msg.Body, Signature: msg.Signature, Batch: msg.Batch,
		digest: sha256.Sum256(msg.Body)}} // Off the sequencer.
	c.Reason, c.OriginalMsgID = strings.Clone(r.Reason), strings.Clone(r.OriginalMsgID)
	var orig *corridor.Payment
	if _, err := h.do(ctx, request{query: func(s *state) { orig = s.returnedParties(p) }}); err != nil {
		return nil, err
	}
	if orig != nil { // Else the sequencer refuses it; nothing to screen.
		p = withReturnedParties(p, *orig)
		c.Screening = h.screen(p) // Here, on the caller's goroutine: screening is CPU work.
	}
	c.Payment = p.Detached() // As paymentOf: the return is held, the message it came in need not be.
	return c, nil
}

// returnedPayment is the return r as a payment from its instructing to its
// instructed agent, without the parties (the sequencer takes them from the
// original payment).
func returnedPayment(r iso20022.ReturnInstruction) corridor.Payment {
	return corridor.Payment{MsgID: r.MsgID, UETR: r.UETR, EndToEndID: r.EndToEndID,
		InstructingAgent: r.InstructingAgent, InstructedAgent: r.InstructedAgent,
		DebtorAgent: r.InstructingAgent, CreditorAgent: r.InstructedAgent,
		Amount: r.Amount.Amount, Currency: r.Amount.Currency, SettlementDate: r.SettlementDate, Urgent: r.Urgent}
}

// withReturnedParties gives the return the original's parties, swapped:
// the money goes back from the creditor to the debtor.
func withReturnedParties(p, orig corridor.Payment) corridor.Payment {
	p.DebtorName, p.CreditorName = orig.CreditorName, orig.DebtorName
	p.UltimateDebtor, p.UltimateCreditor = orig.UltimateCreditor, orig.UltimateDebtor
	if p.EndToEndID == "" {
		p.EndToEndID = orig.EndToEndID
	}
	return p
}

// returnedParties is a copy of the payment that the return p would return,
// or nil when there is none.
func (s *state) returnedParties(p corridor.Payment) *corridor.Payment {
	orig := s.returnable(p)
	if orig == nil {
		return nil
	}
	cp := orig.cmd.Payment
	return &cp
}

// returnable is the settled pacs.008 leg that p returns: the one with p's
// UETR that p's instructed agent instructed to p's instructing agent.
func (s *state) returnable(p corridor.Payment) *payment {
	for _, o := range s.byUETR[p.UETR] {
		op := o.cmd.Payment
		if o.msgDef == msgDefPacs008 && op.InstructingAgent == p.InstructedAgent && op.InstructedAgent == p.InstructingAgent {
			return o
		}
	}
	return nil
}

// submitReturn accepts a pacs.004 and settles it gross (else queued, or held
// by screening). A refusal changes nothing; a repeat of the same message reference gets
// the first answer.
func (s *state) submitReturn(c returnCmd, seq uint64, now time.Time) result {
	if err := s.check.stale(now); err != nil {
		return result{err: err}
	}
	first := s.byMsgID[msgKey{c.Sender, c.Payment.MsgID}]
	if first == nil {
		first = s.recently(msgArchiveKey(c.Sender, c.Payment.MsgID))
	}
	if first != nil {
		if first.msgDef != msgDefPacs004 || first.cmd.Payment != c.Payment {
			return result{err: corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("%s %s was already used (%s)", iso20022.PathMsgID, c.Payment.MsgID, first.ref))}
		}
		return result{payment: first.duplicateResult()}
	}
	orig, err := s.originalOf(c, now)
	if err != nil {
		return result{err: err}
	}
	if c.Payment = withReturnedParties(c.Payment, orig.cmd.Payment); c.Payment.SettlementDate == (corridor.Date{}) {
		c.Payment.SettlementDate = s.businessDate(c.Payment.Currency, now) // A pacs.004 need not name its settlement date: today.
	}
	credit := c.Payment.Currency
	if s.returnConverts(orig) {
		credit = orig.cmd.Payment.Instructed.Currency
	}
	if err := s.admissibleTo(c.paymentCmd, "pacs.004", credit, now); err != nil {
		return result{err: err}
	}
	p := &payment{seq: seq, ref: reference(seq), cmd: c.paymentCmd, msgDef: msgDefPacs004, orig: orig,
		status: corridor.StatusAccepted, screening: s.screeningOf(c.paymentCmd), returnReason: c.Reason}
	mark := len(orig.events)
	orig.returning += c.Payment.Amount
	orig.event(PaymentEvent{Time: now, Event: "return requested", Detail: fmt.Sprintf("pacs.004 %s from %s: %s %s, reason %s",
		c.Payment.MsgID, c.Sender, c.Payment.Amount.Format(c.Payment.Currency), c.Payment.Currency, c.Reason)})
	if len(s.holdingHits(p.screening)) > 0 {
		s.hold(p, now)
		return result{payment: p.result(false), changed: true}
	}
	if err := s.route(p, now); err != nil { // A full queue: undo, nothing happened.
		orig.returning -= c.Payment.Amount
		orig.events = slices.Delete(orig.events, mark, len(orig.events))
		return result{err: err}
	}
	return result{payment: p.result(false), changed: true}
}

// originalOf finds the settled payment c returns and checks that c may
// return it: same currency, and no more than what is left of it.
func (s *state) originalOf(c returnCmd, now time.Time) (*payment, error) {
	orig := s.returnable(c.Payment)
	if orig == nil {
		return nil, fmt.Errorf("payment %s from %s to %s: %w", c.Payment.UETR, c.Payment.InstructedAgent, c.Sender, corridor.ErrNotFound)
	}
	op := orig.cmd.Payment
	if c.OriginalMsgID != "" && c.OriginalMsgID != op.MsgID {
		return nil, corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("the original message reference %s is not that of payment %s (%s) the UETR names",
			c.OriginalMsgID, orig.ref, op.MsgID))
	}
	if orig.status != corridor.StatusSettled {
		return nil, corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("payment %s is %s; only a settled payment can be returned", orig.ref, orig.status))
	}
	if c.Payment.Currency != op.Currency {
		return nil, corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("payment %s settled in %s; a return must be in %s too", orig.ref, op.Currency, op.Currency))
	}
	left := op.Amount - orig.returning
	if c.Payment.Amount > left {
		return nil, corridor.Reject(ReasonReturnExceeded, fmt.Sprintf("payment %s was %s %s; at most %s is left to return",
			orig.ref, op.Amount.Format(op.Currency), op.Currency, left.Format(op.Currency)))
	}
	return orig, nil
}

// returnSettled records on the original that its return p settled.
func (s *state) returnSettled(p *payment, now time.Time) {
	o := p.orig
	o.returned += p.cmd.Payment.Amount
	pay := p.cmd.Payment
	back := ""
	if p.returnFX != nil {
		back = fmt.Sprintf(" as %s", p.returnFX.To)
	}
	o.event(PaymentEvent{Time: now, Event: "returned", Detail: fmt.Sprintf("%s %s back to %s%s by %s (%s); %s of %s returned",
		pay.Amount.Format(pay.Currency), pay.Currency, pay.InstructedAgent, back, p.ref, pay.MsgID,
		o.returned.Format(pay.Currency), o.cmd.Payment.Amount.Format(pay.Currency))})
	if o.cancel != nil && o.cancel.Status == caseAccepted && s.returnClosesCase(o) {
		o.cancel.Status = caseReturned
		o.event(PaymentEvent{Time: now, Event: "cancellation completed", Detail: "case " + o.cancel.CaseID + " closed by return " + p.ref})
	}
}

// returnClosesCase reports whether the returns of o settled so far close its
// accepted cancellation case: all of it returned. Under the legacy message
// rules, which journals written before them keep, any return closed it.
func (s *state) returnClosesCase(o *payment) bool {
	return s.config.Messages < MessagesISO || o.returned >= o.cmd.Payment.Amount
}

// returnRejected records on the original that its return p failed, so that
// its amount may be returned again.
func (s *state) returnRejected(p *payment, now time.Time) {
	o := p.orig
	o.returning -= p.cmd.Payment.Amount
	o.event(PaymentEvent{Time: now, Event: "return rejected", Reason: p.reason, Detail: fmt.Sprintf("%s (%s)", p.ref, p.cmd.Payment.MsgID)})
}

// returnConverts reports whether a return of orig settles back in orig's
// instructed currency through an FX provider: orig converted, its
// instructing agent (whom the return pays) holds no account in the
// currency orig settled in, and the journal's message rules are
// MessagesFXReturn or later. Otherwise a return settles gross in orig's
// settlement currency, as it always did (and without the account it is
// refused AC01, as journals written before kept it).
func (s *state) returnConverts(orig *payment) bool {
	op := orig.cmd.Payment
	if s.config.Messages < MessagesFXReturn || !op.Converts() {
		return false
	}
	_, ok := s.ledger.Account(ledger.Settlement(op.InstructingAgent, op.Currency))
	return !ok
}

// settleReturnFX settles p, a return that returnConverts, back in the
// original's instructed currency, payment-versus-payment in one step: the
// returning agent pays p's amount to the FX provider whose live offer pays
// the most for it, among the providers (neither agent) with the size and
// the liquidity to pay it, and that provider pays the original debtor agent
// the conversion, rounded once, half-even. No provider that can cover it is
// a refusal (NARR) that changes nothing; a returning agent short of its leg
// gets RJCT AM04. A converted return never queues.
func (s *state) settleReturnFX(p *payment, now time.Time) error {
	pay := p.cmd.Payment
	pair := settlement.Pair{From: pay.Currency, To: p.orig.cmd.Payment.Instructed.Currency}
	o, cv, err := s.offers.BestCovering(s.ledger, pay.Amount, pair, now, pay.InstructingAgent, pay.InstructedAgent)
	if err != nil {
		return err
	}
	legs, ok, err := s.pvp(p, o.Provider, cv, now)
	if !ok {
		return err
	}
	s.offers.Take(o.ID, cv)
	s.record(p, now)
	p.returnFX = &cv
	p.event(PaymentEvent{Time: now, Event: "converted", Detail: fmt.Sprintf("%s at %s (FX offer %d of %s) = %s, payment-versus-payment; %s",
		cv.From, cv.Rate, o.ID, o.Provider, cv.To, s.remainderDetail(cv.Remainder, o.Provider))})
	s.settled(p, now, "PvP legs: "+transfersDetail(legs[:]), legs[:])
	s.bookRounding(p, o.Provider, cv.Remainder, now)
	s.release(now)
	return nil
}

// convertedReturn is the pacs.004 the hub delivers for p, a return that
// settled converted: the returner's references and reason, what settled
// with the recipient as RtrdIntrBkSttlmAmt, what the returner paid as
// RtrdInstdAmt, and the offer's rate as XchgRate (in the offer's BASE/QUOTE
// convention, as a converted pacs.008 states it).
func (p *payment) convertedReturn(now time.Time) []byte {
	pay, cv := p.cmd.Payment, p.returnFX
	body, err := iso20022.EncodeReturn(iso20022.Return{MsgID: pay.MsgID, ReturnID: p.cmd.InstrID, Created: now,
		Original: p.orig.cmd.Payment, Amount: pay.Amount, Reason: p.returnReason, Urgent: pay.Urgent,
		Converted: cv.To, XchgRate: cv.Rate.String()})
	// Every field came from a validated message and the hub's own state.
	assert.That(err == nil, "encode pacs.004 for %s: %v", p.ref, err)
	return body
}
