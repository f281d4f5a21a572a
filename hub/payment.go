package hub

import (
	"errors"
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// Message definitions the hub receives and writes.
const (
	msgDefPacs008 = "pacs.008.001.08"
	msgDefPacs002 = "pacs.002.001.10"
)

// payment is one leg of a payment at the hub: its input, status and history.
type payment struct {
	seq    uint64 // The journal entry that accepted it.
	ref    string
	cmd    paymentCmd
	msgDef string                 // The instruction: msgDefPacs008, or msgDefPacs004 for a return.
	status corridor.PaymentStatus // Changed only by moveTo.
	wait   Wait                   // Why it waits, when status is PDNG.
	reason corridor.ReasonCode
	detail string
	events []PaymentEvent

	screening *screeningRecord // What sanctions screening found; nil when no list was loaded.

	orig *payment // Of a return: the payment it returns.
	// Of a return: its reason code ("" for none), and, when it settled
	// converted back through an FX provider, the conversion (else nil).
	returnReason string
	returnFX     *settlement.Conversion
	returning    corridor.Amount // Of a pacs.008: its returns accepted and not rejected, settled or not; at most its amount.
	returned     corridor.Amount // Of a pacs.008: its returns settled; at most returning.
	cancel       *cancelCase     // Of a pacs.008: the last cancellation request (camt.056) on it; nil for none.

	// message is the SHA-256 of cmd.Message, for the receipt a repeat is
	// answered with: the message itself is dropped once the payment is
	// final (forget), because the journal keeps it and nothing reads it.
	message [32]byte

	caseKeys []msgKey // Its entries in state.caseMsgs, to remove with it (retention); derived.
}

// forget drops what a final payment no longer needs in memory: the message
// as received (delivered already, or never to be), the sender's signature
// and its batch proof, all kept in the journal as evidence. A settled or rejected
// payment keeps its fields, status and tracker history. These three are
// the only fields of the command changed once the payment is made: a
// snapshot copies them on the sequencer (forgettable) and reads the rest
// beside it.
func (p *payment) forget() {
	p.cmd.Message, p.cmd.Signature, p.cmd.Batch = nil, "", nil
}

func (p *payment) event(e PaymentEvent) { p.events = append(p.events, e) }

func (p *payment) result(duplicate bool) PaymentResult {
	return PaymentResult{Reference: p.ref, UETR: p.cmd.Payment.UETR, Status: p.status, Wait: p.wait,
		Reason: p.reason, Detail: p.detail, Duplicate: duplicate}
}

func (p *payment) track() PaymentTrack {
	return PaymentTrack{Reference: p.ref, Payment: p.cmd.Payment, Status: p.status, Wait: p.wait, Reason: p.reason,
		Events: append([]PaymentEvent(nil), p.events...)}
}

// reference is the hub's reference of the input journaled as seq.
func reference(seq uint64) string { return fmt.Sprintf("CRDR%012d", seq) }

// submit accepts a payment and settles it: converted through the FX
// position accounts, into the open net cycle in a net currency, else gross or
// into the RTGS queue. A refusal changes nothing; a repeat gets the first
// payment's answer.
func (s *state) submit(c paymentCmd, seq uint64, now time.Time) result {
	if err := s.check.stale(now); err != nil {
		return result{err: err}
	}
	if first, dup, err := s.duplicateOf(c); err != nil || dup {
		if err != nil {
			return result{err: err}
		}
		return result{payment: first.duplicateResult()}
	}
	if err := s.extendsChain(c); err != nil {
		return result{err: err}
	}
	if err := s.admissible(c, "pacs.008", now); err != nil {
		return result{err: err}
	}
	p := &payment{seq: seq, ref: reference(seq), cmd: c, msgDef: msgDefPacs008, status: corridor.StatusAccepted, screening: s.screeningOf(c)}
	if len(s.holdingHits(p.screening)) > 0 {
		s.hold(p, now)
		return result{payment: p.result(false), changed: true}
	}
	if err := s.route(p, now); err != nil {
		return result{err: err}
	}
	return result{payment: p.result(false), changed: true}
}

// route settles p the way its currencies ask: converted through the FX
// position accounts, into the open net cycle, or gross (else queued). An
// error is a refusal; a payment not yet recorded stays unknown.
func (s *state) route(p *payment, now time.Time) error {
	switch {
	case s.future(p):
		s.warehouseAdd(p, now)
		return nil
	case p.msgDef == msgDefPacs004 && s.returnConverts(p.orig):
		return s.settleReturnFX(p, now)
	case p.msgDef == msgDefPacs004:
		return s.settleGross(p, now) // Returns settle gross, whatever the currency's mode.
	case p.cmd.Payment.Converts():
		return s.settleFX(p, now)
	case s.netted(p.cmd.Payment.Currency):
		return s.acceptIntoCycle(p, now)
	default:
		return s.settleGross(p, now)
	}
}

// record makes p known to the hub: from here on the payment is journaled.
func (s *state) record(p *payment, now time.Time) {
	if s.bySeq[p.seq] == p {
		return // Recorded when it was held; now released.
	}
	c := p.cmd
	p.message = c.messageDigest()
	p.event(PaymentEvent{Time: now, Status: corridor.StatusAccepted, Event: "accepted", Detail: "journaled as " + p.ref})
	if p.msgDef == msgDefPacs008 { // A return is found by its message reference and its UETR's legs.
		s.payments[legKey{c.Payment.UETR, c.Sender}] = p
	}
	s.byMsgID[msgKey{c.Sender, c.Payment.MsgID}] = p
	s.byUETR[c.Payment.UETR] = append(s.byUETR[c.Payment.UETR], p)
	s.bySeq[p.seq] = p
}

// duplicateOf finds an earlier payment that c repeats: the same message reference from the
// same sender, or the same UETR from the same instructing agent. A repeat with
// other details is an AM05 reject.
func (s *state) duplicateOf(c paymentCmd) (*payment, bool, error) {
	first := s.byMsgID[msgKey{c.Sender, c.Payment.MsgID}]
	if first == nil {
		first = s.payments[legKey{c.Payment.UETR, c.Sender}]
	}
	if first == nil {
		first = s.recently(msgArchiveKey(c.Sender, c.Payment.MsgID))
	}
	if first == nil {
		first = s.recently(legArchiveKey(c.Payment.UETR, c.Sender))
	}
	if first == nil {
		return nil, false, nil
	}
	again, before := c.Payment, first.cmd.Payment
	again.MsgID = before.MsgID // A resend under a new message reference is still the same payment.
	if again != before {
		return nil, false, corridor.Reject(corridor.ReasonDuplicate,
			fmt.Sprintf("%s %s or UETR %s was already used for another payment (%s)", iso20022.PathMsgID, c.Payment.MsgID, c.Payment.UETR, first.ref))
	}
	return first, true, nil
}

// extendsChain checks that a pacs.008 on a UETR the hub already carries is
// the chain's next hop: a UETR is end to end, and only the agent the last
// leg was instructed to (the previous creditor side) may pass the payment
// on. Anyone else naming the UETR is refused AG01, with nothing changed.
func (s *state) extendsChain(c paymentCmd) error {
	var last *payment
	for _, p := range s.byUETR[c.Payment.UETR] {
		if p.msgDef == msgDefPacs008 {
			last = p
		}
	}
	next := s.check.next // The archive's word, when memory holds no leg.
	if last != nil {
		next = last.cmd.Payment.InstructedAgent
	}
	if next == "" || next == c.Sender {
		return nil
	}
	return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf(
		"UETR %s is a payment already instructed to %s; only that agent may pass it on", c.Payment.UETR, next))
}

// admissible checks what the message alone could not: that both agents are
// participants in good standing with accounts in the currency, that the
// receiver accepts msgType ("pacs.008", "pacs.004") from the sender, that
// the settlement date is today and that the inboxes have room.
func (s *state) admissible(c paymentCmd, msgType string, now time.Time) error {
	return s.admissibleTo(c, msgType, c.Payment.Currency, now)
}

// admissibleTo is admissible for a payment whose instructed agent is paid
// in credit: a converted return pays back in the original's instructed currency.
func (s *state) admissibleTo(c paymentCmd, msgType string, credit corridor.Currency, now time.Time) error {
	p := c.Payment
	receiver, ok := s.participants[p.InstructedAgent]
	if !ok {
		return corridor.Reject(corridor.ReasonUnknownCreditorAgent, fmt.Sprintf("instructed agent %s is not a participant", p.InstructedAgent))
	}
	for _, bic := range []corridor.BIC{p.InstructingAgent, p.InstructedAgent} {
		if m := s.participants[bic]; m == nil || m.Suspended {
			return corridor.Reject(corridor.ReasonAccountBlocked, fmt.Sprintf("participant %s is suspended", bic))
		}
	}
	if !receiver.Policy.Allows(c.Sender, msgType) {
		return corridor.Reject(corridor.ReasonNotAllowed,
			fmt.Sprintf("%s has not authorised %s from %s (relationship management)", p.InstructedAgent, msgType, c.Sender))
	}
	debit := p.Currency
	if p.Converts() {
		debit = p.Instructed.Currency
	}
	for _, acct := range []ledger.AccountID{ledger.Settlement(p.InstructingAgent, debit), ledger.Settlement(p.InstructedAgent, credit)} {
		if _, ok := s.ledger.Account(acct); !ok {
			return corridor.Reject(corridor.ReasonAccountInvalid, fmt.Sprintf("%s has no %s settlement account", acct.Owner, acct.Currency))
		}
	}
	if err := s.admitDate(p, msgType, now); err != nil {
		return err
	}
	return s.roomIn(p.InstructingAgent, p.InstructedAgent)
}

// roomIn is ErrInboxFull when the inbox of any of bics is full: a command
// that would deliver to it is refused before it changes anything.
func (s *state) roomIn(bics ...corridor.BIC) error {
	for _, bic := range bics {
		if s.inboxes[bic].full() {
			return corridor.ErrInboxFull
		}
	}
	return nil
}

// settled marks p settled, books its transfers ts, and delivers its instruction (the pacs.008, or
// the pacs.004 of a return) to the instructed agent and the pacs.002 ACSC to
// the instructing agent.
func (s *state) settled(p *payment, now time.Time, detail string, ts []ledger.Transfer) {
	pay := p.cmd.Payment
	p.moveTo(corridor.StatusSettled, "")
	s.gate.Settled(toSettlement(p), s.dayClock(pay.Currency, now)) // Counts against both agents' limits of the business day (settlement.RuleNet).
	p.reason, p.detail = "", ""
	p.event(PaymentEvent{Time: now, Status: corridor.StatusSettled, Event: "settled", Detail: detail})
	s.deliver(pay.InstructedAgent, InboxMessage{MsgDefID: p.msgDef, UETR: pay.UETR, Reference: p.ref,
		Time: now, Body: p.delivered(now)}, p)
	p.event(PaymentEvent{Time: now, Event: "delivered", Detail: msgType(p.msgDef) + " to " + string(pay.InstructedAgent)})
	s.deliverStatus(p, now)
	s.bookTransfers(ts, now, paymentSource(p)) // After the messages: a camt.054 follows them.
	if p.orig != nil {
		s.returnSettled(p, now)
	}
	p.forget()
	s.finalized(p, now)
}

// msgType is the message type of a message definition: "pacs.008" of "pacs.008.001.08".
func msgType(msgDef string) string { return msgDef[:min(len(msgDef), len("pacs.008"))] }

// rejected marks p rejected and delivers the pacs.002 RJCT to the
// instructing agent.
func (s *state) rejected(p *payment, now time.Time, reason corridor.ReasonCode, detail string) {
	p.moveTo(corridor.StatusRejected, "")
	s.gate.Left(settlement.PaymentID(p.seq)) // What it counted while in settlement, it counts no longer.
	p.reason, p.detail = reason, truncate(detail, 105)
	p.event(PaymentEvent{Time: now, Status: corridor.StatusRejected, Event: "rejected", Reason: reason, Detail: p.detail})
	s.deliverStatus(p, now)
	if p.orig != nil {
		s.returnRejected(p, now)
	}
	p.forget()
	s.finalized(p, now)
}

func rejectDetail(err error) string {
	var re *corridor.RejectError
	if errors.As(err, &re) {
		return re.Detail
	}
	return "settlement failed"
}

// deliverStatus delivers the pacs.002 for p into the instructing agent's
// inbox. The report is what it says, fixed now; its XML is written when it
// is read, off the sequencer.
func (s *state) deliverStatus(p *payment, now time.Time) {
	pay := p.cmd.Payment
	sr := statusReport(s.hubBIC, p, s.businessDate(pay.Currency, now), now, s.config.Messages)
	s.deliverLater(pay.InstructingAgent, InboxMessage{MsgDefID: msgDefPacs002, UETR: pay.UETR, Reference: p.ref, Time: now},
		p, laterBody{status: sr})
	p.event(PaymentEvent{Time: now, Event: "delivered", Detail: "pacs.002 " + string(p.status) + " to " + string(pay.InstructingAgent)})
}

// deliver puts m into to's inbox, about payment p (nil for none), and
// wakes its readers.
func (s *state) deliver(to corridor.BIC, m InboxMessage, p *payment) {
	s.deliverLater(to, m, p, laterBody{})
}

// deliverLater is deliver of a message whose Body is written from later
// when it is read (none: m has its Body).
func (s *state) deliverLater(to corridor.BIC, m InboxMessage, p *payment, later laterBody) {
	var sender corridor.BIC
	if p != nil {
		sender = p.cmd.Sender
	}
	s.inboxes[to].deliver(m, sender, later)
	s.woken[to] = true
}

// statusReport is the pacs.002 the hub writes about p, written at now on
// the business date of p's currency, under the message rules: with
// MessagesISO its InstgAgt is the hub, which instructs the report, and its
// InstdAgt the recipient, as ISO 20022 and CBPR+ define them (the agents of
// AppHdr Fr and To); before, the payment's agents.
func statusReport(hubBIC corridor.BIC, p *payment, date corridor.Date, now time.Time, rules int) *iso20022.StatusReport {
	pay := p.cmd.Payment
	sr := &iso20022.StatusReport{
		From: hubBIC, To: pay.InstructingAgent, MsgID: fmt.Sprintf("CRDS%012d", p.seq), Created: now,
		OriginalMsgID: pay.MsgID, OriginalMsgDefID: p.msgDef, OriginalInstrID: p.cmd.InstrID,
		OriginalEndToEndID: pay.EndToEndID, OriginalUETR: pay.UETR, Status: p.status,
		InstructingAgent: pay.InstructingAgent, InstructedAgent: pay.InstructedAgent,
	}
	if rules >= MessagesISO {
		sr.InstructingAgent, sr.InstructedAgent = hubBIC, pay.InstructingAgent
	}
	if p.status == corridor.StatusSettled {
		sr.SettlementDate = date // The business day it settled on: only a settled payment has one.
	}
	if p.status == corridor.StatusRejected {
		sr.Reason, sr.AdditionalInfo = p.reason, truncate(p.detail, iso20022.MaxAdditionalInfoChars)
	}
	return sr
}

func truncate(s string, runes int) string {
	r := []rune(s)
	if len(r) <= runes {
		return s
	}
	return string(r[:runes])
}

// delivered is the message the instructed agent receives: the sender's, but
// without the instruction naming the hub's FX quote, which is for the hub.
// The journal keeps the sender's signed original. Payments journaled before
// FX providers existed are delivered as they were then. A return converted
// back through an FX provider is delivered as the hub writes it, at now.
func (p *payment) delivered(now time.Time) []byte {
	if p.returnFX != nil {
		return p.convertedReturn(now)
	}
	if p.cmd.legacyFX || p.cmd.Payment.FXQuote == 0 {
		return p.cmd.Message
	}
	return iso20022.WithoutFXQuote(p.cmd.Message)
}
