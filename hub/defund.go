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

// defundCmd is a validated pacs.009 from a participant to the hub's BIC: it
// moves liquidity from the participant's settlement account back to the
// central account of its currency (defunding). The operator funds through
// the fund endpoint.
type defundCmd struct {
	Sender    corridor.BIC
	MsgID     string
	UETR      corridor.UETR
	Money     corridor.Money
	Date      corridor.Date // The settlement date it asks for: today, or zero.
	Message   []byte
	Signature string
	Batch     *corridor.BatchProof `json:",omitempty"` // As paymentCmd.Batch.
}

// defundOf maps d, a pacs.009 from sender to the hub, to its command.
func defundOf(sender corridor.BIC, d iso20022.DefundInstruction, msg corridor.SignedMessage) command {
	return defundCmd{Sender: sender, MsgID: d.MsgID, UETR: d.UETR, Money: d.Amount, Date: d.SettlementDate,
		Message: msg.Body, Signature: msg.Signature, Batch: msg.Batch}
}

// defundDate checks the settlement date c asks for (none is today). Without
// a calendar it must be the UTC date of now, DT01 otherwise. With one, the
// day's rules for interbank payments apply (settlement.Day.Admit): TM01
// after the currency's interbank cut-off, DT01 for a closed day or before
// the first day opens; and DT01 for a later day, for a defunding is never
// warehoused.
func (s *state) defundDate(c defundCmd, now time.Time) error {
	cur := c.Money.Currency
	cal, ok := s.calendar(cur)
	if !ok {
		if c.Date != (corridor.Date{}) && c.Date != s.businessDate(cur, now) {
			return corridor.Reject(corridor.ReasonInvalidDate, iso20022.PathSettlementDate+" "+c.Date.String()+" is not today")
		}
		return nil
	}
	d := s.days[cur]
	if d == nil {
		return corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("no %s business day has opened yet", cur))
	}
	date := c.Date
	if date == (corridor.Date{}) {
		date = d.Day.Date
	}
	adm, err := d.Day.Admit(cal, settlement.Interbank, date)
	if err != nil {
		return err
	}
	if adm != settlement.SettleToday {
		return corridor.Reject(corridor.ReasonInvalidDate, iso20022.PathSettlementDate+" "+date.String()+" is not today, "+d.Day.Date.String())
	}
	return nil
}

// defund moves c's amount from the sender's settlement account to the
// central account and answers with a pacs.002 ACSC. AM04 when the account's
// available liquidity does not cover it (a defunding never queues), AC01
// without an account, DT01 or TM01 for a date its currency's business day
// does not take (defundDate); a repeat of the message reference gets the
// first answer.
func (s *state) defund(c defundCmd, seq uint64, now time.Time) result {
	key := msgKey{c.Sender, c.MsgID}
	if first, ok := s.defunds[key]; ok {
		first.Duplicate = true
		return result{payment: first}
	}
	acct := ledger.Settlement(c.Sender, c.Money.Currency)
	a, ok := s.ledger.Account(acct)
	dateErr := s.defundDate(c, now)
	switch {
	case !ok:
		return result{err: corridor.Reject(corridor.ReasonAccountInvalid, fmt.Sprintf("%s has no %s settlement account", c.Sender, c.Money.Currency))}
	case dateErr != nil:
		return result{err: dateErr}
	case a.Available() < int64(c.Money.Amount):
		return result{err: corridor.Reject(corridor.ReasonInsufficientFunds, fmt.Sprintf("%s has %s available", acct, signedAmount(a.Available(), c.Money.Currency)))}
	case s.roomIn(c.Sender) != nil:
		return result{err: corridor.ErrInboxFull}
	}
	t := ledger.Transfer{ID: s.nextTransfer(), Debit: acct, Credit: ledger.Central(c.Money.Currency), Amount: c.Money.Amount}
	err := s.ledger.Apply(t)
	assert.That(err == nil, "defund %s after its checks: %v", acct, err)
	ref := reference(seq)
	s.book(t, now, source{ref: ref, msgID: c.MsgID, uetr: c.UETR, code: codeDefund})
	res := PaymentResult{Reference: ref, UETR: c.UETR, Status: corridor.StatusSettled, Detail: "defunded to the central account"}
	s.defunds[key] = res
	sr := iso20022.StatusReport{From: s.hubBIC, To: c.Sender, MsgID: fmt.Sprintf("CRDS%012d", seq),
		Created: now, OriginalMsgID: c.MsgID, OriginalMsgDefID: msgDefPacs009, OriginalEndToEndID: c.MsgID, OriginalUETR: c.UETR,
		Status: corridor.StatusSettled, InstructingAgent: c.Sender, InstructedAgent: s.hubBIC, SettlementDate: s.businessDate(c.Money.Currency, now)}
	if s.config.Messages >= MessagesISO { // The hub instructs its report; the sender receives it.
		sr.InstructingAgent, sr.InstructedAgent = s.hubBIC, c.Sender
	}
	body, err := iso20022.EncodeStatusReport(sr)
	assert.That(err == nil, "encode pacs.002 of defunding %s: %v", ref, err)
	s.deliver(c.Sender, InboxMessage{MsgDefID: msgDefPacs002, UETR: c.UETR, Reference: ref, Time: now, Body: body}, nil)
	return result{payment: res, changed: true}
}
