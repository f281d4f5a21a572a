package hub

import (
	"fmt"
	"strings"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/settlement"
)

// The states of a cancellation case, as the tracker names them.
const (
	caseCancelled = "cancelled" // The hub cancelled the payment before it settled.
	caseForwarded = "forwarded" // The payment had settled: the request went to the creditor agent.
	casePending   = "pending"   // The creditor agent answered PDCR: it is still working on it.
	caseAccepted  = "accepted"  // The creditor agent accepted: a pacs.004 return must follow.
	caseRejected  = "rejected"  // The creditor agent refused (RJCR).
	caseReturned  = "returned"  // Accepted, and a return of the payment settled.
	caseHeld      = "held"      // The payment is held by screening: recorded for compliance, which decides.
)

// cancelCase is a cancellation request (camt.056) on a payment and where it
// stands. A payment has at most one open case.
type cancelCase struct {
	ID        string       // The camt.056's own identifier.
	CaseID    string       // Case/Id, or ID when the request names none.
	Requester corridor.BIC // The payment's instructing agent.
	Reason    string       // CxlRsnInf/Rsn/Cd, such as DUPL, CUST, FRAD.
	Status    string       // One of the case states above.
	Answer    string       // The creditor agent's camt.029 identifier and its reason, once it answered.
}

// open reports whether the case still waits for the creditor agent.
func (c *cancelCase) open() bool { return c.Status == caseForwarded || c.Status == casePending }

// cancelRequestCmd is a validated camt.056 from the instructing agent of a
// payment.
type cancelRequestCmd struct {
	Sender    corridor.BIC
	ID        string // The message's identifier: unique per sender, the repeat key.
	CaseID    string
	UETR      corridor.UETR
	Reason    string
	Message   []byte // As received: forwarded as it is for a settled payment.
	Signature string
	Batch     *corridor.BatchProof `json:",omitempty"` // As paymentCmd.Batch.
}

// caseRequestCmd is a camt.056 as the hub now journals it: on a payment
// held by screening the request is recorded on the case and the hold stays
// until compliance decides. Journals written before hold the older kind,
// cancelRequestCmd, which cancelled a held payment at once; it replays so.
type caseRequestCmd struct{ cancelRequestCmd }

// resolutionCmd is a validated camt.029 from the creditor agent of a payment
// that a camt.056 was forwarded to.
type resolutionCmd struct {
	Sender    corridor.BIC
	ID        string // The message's identifier: unique per sender, the repeat key.
	UETR      corridor.UETR
	Status    string // CNCL (accepted), RJCR (rejected) or PDCR (pending).
	Reason    string // The reason code of a rejection.
	Message   []byte // As received: forwarded as it is to the requester.
	Signature string
	Batch     *corridor.BatchProof `json:",omitempty"` // As paymentCmd.Batch.
}

// cancelRequestOf maps c, a camt.056 from sender, to its command. Its
// strings are copied: a decoded message's are substrings of the whole
// message, which a case would keep in memory for as long as it lives.
func cancelRequestOf(sender corridor.BIC, c iso20022.CancelInstruction, msg corridor.SignedMessage) command {
	return caseRequestCmd{cancelRequestCmd{Sender: sender, ID: strings.Clone(c.ID), CaseID: strings.Clone(c.CaseID),
		UETR: corridor.UETR(strings.Clone(string(c.UETR))), Reason: strings.Clone(c.Reason),
		Message: msg.Body, Signature: msg.Signature, Batch: msg.Batch}}
}

// resolutionOf maps r, a camt.029 from sender, to its command, its strings
// copied as cancelRequestOf's.
func resolutionOf(sender corridor.BIC, r iso20022.CaseResolution, msg corridor.SignedMessage) command {
	return resolutionCmd{Sender: sender, ID: strings.Clone(r.ID), UETR: corridor.UETR(strings.Clone(string(r.UETR))),
		Status: strings.Clone(r.Status), Reason: strings.Clone(r.Reason),
		Message: msg.Body, Signature: msg.Signature, Batch: msg.Batch}
}

// requestCancel handles a camt.056: a payment not yet settled (queued, held
// by screening, waiting on a limit or in the open net cycle) is cancelled at
// once, RJCT DS02 to its sender with a camt.029 CNCL; a settled one has the
// request forwarded to its creditor agent. With holdStays, a payment held by
// screening keeps its hold: the request is recorded on the case for
// compliance (decide answers it). A repeat of the same identifier gets the
// first answer.
func (s *state) requestCancel(c cancelRequestCmd, now time.Time, holdStays bool) result {
	key := msgKey{c.Sender, "camt.056/" + c.ID}
	if p := s.caseMsgOf(key); p != nil {
		return s.repeatedCaseMsg(p, c.UETR, c.ID)
	}
	if err := s.check.stale(now); err != nil {
		return result{err: err}
	}
	p := s.payments[legKey{c.UETR, c.Sender}]
	if p == nil {
		return result{err: s.check.caseArchived(fmt.Errorf("payment %s from %s: %w", c.UETR, c.Sender, corridor.ErrNotFound))}
	}
	if err := s.cancellable(p, c); err != nil {
		return result{err: err}
	}
	p.cancel = &cancelCase{ID: c.ID, CaseID: c.CaseID, Requester: c.Sender, Reason: c.Reason}
	p.event(PaymentEvent{Time: now, Event: "cancellation requested", Detail: fmt.Sprintf("camt.056 %s from %s, reason %s", c.ID, c.Sender, c.Reason)})
	s.caseMsgs[key] = p
	p.caseKeys = append(p.caseKeys, key)
	switch {
	case p.status == corridor.StatusSettled:
		s.forwardCancel(p, c, now)
	case holdStays && p.wait == WaitCompliance:
		p.cancel.Status = caseHeld
		p.event(PaymentEvent{Time: now, Event: "cancellation held", Detail: "the payment is held for compliance review, which decides"})
	default:
		s.cancelUnsettled(p, now)
	}
	return result{payment: p.result(false), changed: true}
}

// cancellable refuses what the hub cannot do with c: a payment already
// rejected (AG01), a case already open (AM05), a full inbox (ErrBusy), or a
// creditor agent that does not accept camt.056 from the requester (AG01).
func (s *state) cancellable(p *payment, c cancelRequestCmd) error {
	pay := p.cmd.Payment
	switch {
	case p.status == corridor.StatusRejected:
		return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("payment %s is already rejected; nothing to cancel", p.ref))
	case p.cancel != nil && (p.cancel.open() || p.cancel.Status == caseHeld):
		return corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("cancellation case %s on payment %s is still open", p.cancel.CaseID, p.ref))
	case s.roomIn(pay.InstructingAgent, pay.InstructedAgent) != nil:
		return corridor.ErrInboxFull
	case p.status == corridor.StatusSettled && !s.participants[pay.InstructedAgent].Policy.Allows(c.Sender, "camt.056"):
		return corridor.Reject(corridor.ReasonNotAllowed,
			fmt.Sprintf("%s has not authorised camt.056 from %s (relationship management)", pay.InstructedAgent, c.Sender))
	}
	return nil
}

// repeatedCaseMsg answers a repeat of a camt.056 or camt.029: the payment
// as it stands now, or AM05 when the same identifier named another payment.
// caseMsgOf is the payment the case message key is about, in memory or
// let go of lately.
func (s *state) caseMsgOf(key msgKey) *payment {
	if p := s.caseMsgs[key]; p != nil {
		return p
	}
	return s.recently(caseArchiveKey(key))
}

func (s *state) repeatedCaseMsg(p *payment, uetr corridor.UETR, id string) result {
	if p.cmd.Payment.UETR != uetr {
		return result{err: corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("%s %s was already used for payment %s", iso20022.PathAssignmentID, id, p.ref))}
	}
	return result{payment: p.result(true)}
}

// cancelUnsettled takes p, not yet settled, out of wherever it waits and
// rejects it DS02, then tells the requester with a camt.029 CNCL.
func (s *state) cancelUnsettled(p *payment, now time.Time) {
	s.withdraw(p)
	s.rejected(p, now, corridor.ReasonCancelled, fmt.Sprintf("cancelled at the request of %s (camt.056 %s)", p.cancel.Requester, p.cancel.ID))
	p.cancel.Status = caseCancelled
	s.deliverResolution(p, now)
	s.release(now) // A blocked lane head may have gone.
}

// withdraw takes the unsettled payment p out of wherever it waits: a
// compliance hold, the open net cycle, the limit queue or the RTGS queue.
func (s *state) withdraw(p *payment) {
	id := settlement.PaymentID(p.seq)
	switch {
	case p.wait == WaitCompliance:
		delete(s.screening.holds, p.seq)
		delete(s.screening.approvals, p.seq)
	case p.status == corridor.StatusInCycle:
		s.leaveCycle(id)
	case p.wait == WaitLimit:
		assert.That(s.unwait(p), "payment %s waits on a limit but is not in the limit queue", p.ref)
	case p.wait == WaitValueDate:
		assert.That(s.warehouseRemove(p), "payment %s is warehoused but not in the warehouse", p.ref)
	default:
		_, err := s.queue.CancelByOperator(id)
		assert.That(err == nil, "cancel queued payment %s: %v", p.ref, err)
	}
}

// leaveCycle takes payment id out of the open net cycle. settlement.Cycle
// has no removal, so the cycle is rebuilt with the same ID and opening time
// and every other payment accepted again, in order.
func (s *state) leaveCycle(id settlement.PaymentID) {
	old := s.cycle
	c := settlement.NewCycle(old.ID(), old.Opened())
	for _, sp := range old.Payments() {
		if sp.ID != id {
			err := c.Accept(sp)
			assert.That(err == nil, "accept payment %d again into cycle %d: %v", sp.ID, c.ID(), err)
		}
	}
	assert.That(len(c.Payments()) == len(old.Payments())-1, "payment %d was not in cycle %d", id, c.ID())
	s.cycle = c
}

// forwardCancel delivers the camt.056, as received, to the creditor agent
// of p, which settled: only it can give the money back, with a pacs.004.
func (s *state) forwardCancel(p *payment, c cancelRequestCmd, now time.Time) {
	to := p.cmd.Payment.InstructedAgent
	s.deliver(to, InboxMessage{MsgDefID: msgDefCamt056, UETR: c.UETR, Reference: p.ref, Time: now, Body: c.Message}, p)
	p.cancel.Status = caseForwarded
	p.event(PaymentEvent{Time: now, Event: "cancellation forwarded", Detail: "camt.056 to " + string(to) + "; the payment had settled"})
}

// resolve handles the creditor agent's camt.029 on a forwarded case: it goes
// to the requester as received, and the case is accepted (a pacs.004 must
// follow), rejected or still pending.
func (s *state) resolveCancel(c resolutionCmd, now time.Time) result {
	key := msgKey{c.Sender, "camt.029/" + c.ID}
	if p := s.caseMsgOf(key); p != nil {
		return s.repeatedCaseMsg(p, c.UETR, c.ID)
	}
	if err := s.check.stale(now); err != nil {
		return result{err: err}
	}
	p := s.openCaseOf(c.UETR, c.Sender)
	if p == nil {
		return result{err: s.check.caseArchived(fmt.Errorf("open cancellation case on %s for %s: %w", c.UETR, c.Sender, corridor.ErrNotFound))}
	}
	to := p.cancel.Requester
	if err := s.roomIn(to); err != nil {
		return result{err: err}
	}
	s.caseMsgs[key] = p
	p.caseKeys = append(p.caseKeys, key)
	p.cancel.Answer = c.ID + " " + c.Status + " " + c.Reason
	p.cancel.Status = map[string]string{"CNCL": caseAccepted, "RJCR": caseRejected, "PDCR": casePending}[c.Status]
	p.event(PaymentEvent{Time: now, Event: "cancellation " + p.cancel.Status,
		Detail: fmt.Sprintf("camt.029 %s from %s: %s %s", c.ID, c.Sender, c.Status, c.Reason)})
	s.deliver(to, InboxMessage{MsgDefID: msgDefCamt029, UETR: c.UETR, Reference: p.ref, Time: now, Body: c.Message}, p)
	p.event(PaymentEvent{Time: now, Event: "delivered", Detail: "camt.029 to " + string(to)})
	return result{payment: p.result(false), changed: true}
}

// openCaseOf is the payment with this UETR whose creditor agent is bic and
// whose cancellation case waits for bic's answer.
func (s *state) openCaseOf(uetr corridor.UETR, bic corridor.BIC) *payment {
	for _, p := range s.byUETR[uetr] {
		if p.msgDef == msgDefPacs008 && p.cmd.Payment.InstructedAgent == bic && p.cancel != nil && p.cancel.open() {
			return p
		}
	}
	return nil
}

// deliverResolution writes the hub's own camt.029 CNCL to the requester of
// p's cancellation, which the hub carried out.
func (s *state) deliverResolution(p *payment, now time.Time) {
	to := p.cancel.Requester
	body := resolution(s.hubBIC, p, now, bizSvc(s.config.Messages))
	s.deliver(to, InboxMessage{MsgDefID: msgDefCamt029, UETR: p.cmd.Payment.UETR, Reference: p.ref, Time: now, Body: body}, p)
	p.event(PaymentEvent{Time: now, Event: "delivered", Detail: "camt.029 CNCL to " + string(to)})
}

// resolution is the camt.029 with which the hub confirms that it
// cancelled p, accepting the request.
func resolution(hubBIC corridor.BIC, p *payment, now time.Time, svc string) []byte {
	pay, cs := p.cmd.Payment, p.cancel
	body, err := iso20022.EncodeResolution(iso20022.Resolution{From: hubBIC, To: cs.Requester, ID: fmt.Sprintf("CRDC%012d", p.seq), BizSvc: svc,
		CaseID: cs.CaseID, Created: now.UTC(), Status: iso20022.ResolutionCancelled,
		Original: iso20022.OriginalTransaction{MsgID: pay.MsgID, MsgDefID: p.msgDef, InstrID: p.cmd.InstrID, EndToEndID: pay.EndToEndID,
			UETR: pay.UETR, Amount: corridor.Money{Amount: pay.Amount, Currency: pay.Currency}, SettlementDate: pay.SettlementDate}})
	// Built from validated messages and the hub's own state: an error is a bug.
	assert.That(err == nil, "encode camt.029 for %s: %v", p.ref, err)
	return body
}
