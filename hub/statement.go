package hub

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/ledger"
)

// MaxStatementEntries bounds the entries of one camt.053 or camt.052 page;
// a longer day comes in pages (StmtPgntn, RptPgntn).
const MaxStatementEntries = 5_000

// notificationsCmd turns a participant's camt.054 notifications on or off.
type notificationsCmd struct {
	BIC     corridor.BIC
	Camt054 bool // A camt.054 into the inbox on every debit and credit of its settlement accounts.
}

func (s *state) setNotifications(c notificationsCmd) result {
	if _, ok := s.participants[c.BIC]; !ok {
		return refused(fmt.Errorf("participant %s: %w", c.BIC, corridor.ErrNotFound))
	}
	if s.camt054[c.BIC] == c.Camt054 {
		return result{}
	}
	if c.Camt054 {
		s.camt054[c.BIC] = true
	} else {
		delete(s.camt054, c.BIC)
	}
	return applied()
}

// SetNotifications turns bic's camt.054 debit and credit notifications on or
// off. ErrNotFound for an unknown participant.
func (h *Hub) SetNotifications(ctx context.Context, bic corridor.BIC, camt054 bool) error {
	_, err := h.do(ctx, request{cmd: notificationsCmd{BIC: bic, Camt054: camt054}})
	return err
}

// Notifications reports whether bic asked for camt.054 notifications.
func (h *Hub) Notifications(ctx context.Context, bic corridor.BIC) (bool, error) {
	var on bool
	_, err := h.do(ctx, request{query: func(s *state) { on = s.camt054[bic] }})
	return on, err
}

// Statement is the camt.053.001.08 of bic's settlement account in cur for
// date (UTC): opening and closing booked balances and every entry of the
// day, page (from 1) of MaxStatementEntries entries. A date not yet over
// gives the entries so far. ErrNotFound for an unknown account; DT01 for a
// future date or one whose entries are no longer kept.
func (h *Hub) Statement(ctx context.Context, bic corridor.BIC, cur corridor.Currency, date corridor.Date, page int) (InboxMessage, error) {
	now := h.cfg.Now().UTC()
	from := time.Date(date.Year, date.Month, date.Day, 0, 0, 0, 0, time.UTC)
	if from.After(now) {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidDate, "date "+date.String()+" is in the future")
	}
	return h.accountMessage(ctx, bic, cur, msgDefCamt053, from, from.AddDate(0, 0, 1), page, now)
}

// Report is the camt.052.001.08 intraday report of bic's settlement account
// in cur: today's opening booked balance, the interim booked balance now and
// today's entries so far, page (from 1) of MaxStatementEntries entries.
func (h *Hub) Report(ctx context.Context, bic corridor.BIC, cur corridor.Currency, page int) (InboxMessage, error) {
	now := h.cfg.Now().UTC()
	y, m, d := now.Date()
	return h.accountMessage(ctx, bic, cur, msgDefCamt052, time.Date(y, m, d, 0, 0, 0, 0, time.UTC), now.Add(time.Nanosecond), page, now)
}

// accountMessage builds a statement or a report of [from, to) on the sequencer.
func (h *Hub) accountMessage(ctx context.Context, bic corridor.BIC, cur corridor.Currency, msgDef string, from, to time.Time, page int, now time.Time) (InboxMessage, error) {
	if page < 1 || page > MaxAccountEntries/MaxStatementEntries+1 {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidFormat, "page must be from 1")
	}
	var msg InboxMessage
	var err error
	_, qerr := h.do(ctx, request{query: func(s *state) {
		msg, err = s.accountMessage(ledger.Settlement(bic, cur), msgDef, from, to, page, now)
	}})
	return msg, firstErr(qerr, err)
}

// period is what a statement or report says about one account.
type period struct {
	acct             ledger.AccountID
	msgDef, id       string
	from, to         time.Time
	opening, closing int64
	entries          []entry
	page             int
	last             bool
}

func (s *state) accountMessage(acct ledger.AccountID, msgDef string, from, to time.Time, page int, now time.Time) (InboxMessage, error) {
	if _, ok := s.ledger.Account(acct); !ok {
		return InboxMessage{}, fmt.Errorf("account %s: %w", acct, corridor.ErrNotFound)
	}
	b := s.books[acct]
	if b == nil {
		b = &book{}
	}
	opening, es, closing, ok := b.day(from, to)
	if !ok {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidDate,
			fmt.Sprintf("entries of %s before %s are no longer kept", acct, b.Trimmed.Format(time.RFC3339)))
	}
	p := period{acct: acct, msgDef: msgDef, from: from, to: to, opening: opening, closing: closing, page: page}
	first := (page - 1) * MaxStatementEntries
	if first > len(es) || (first == len(es) && page > 1) {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("page %d is past the last page", page))
	}
	p.entries, p.last = es[first:min(len(es), first+MaxStatementEntries)], first+MaxStatementEntries >= len(es)
	p.id = periodID(msgDef, acct, from, page, s.lastSeq)
	body, err := encodeHubMessage(s.hubBIC, acct.Owner, p.id, isoTime(now), periodDocument(p, now))
	assert.That(err == nil, "encode %s of %s: %v", msgDef, acct, err)
	return InboxMessage{MsgDefID: msgDef, Reference: p.id, Time: now, Body: body}, nil
}

// periodID names a statement by account, day and page ("S20261125INRDEMOINBBXXX1"),
// a report also by the journal seq it reflects.
func periodID(msgDef string, acct ledger.AccountID, from time.Time, page int, seq uint64) string {
	if msgDef == msgDefCamt053 {
		return fmt.Sprintf("S%s%s%s%d", from.Format("20060102"), acct.Currency, acct.Owner, page)
	}
	return fmt.Sprintf("R%d%s%s%d", seq, acct.Currency, acct.Owner, page)
}

// periodDocument is the camt.053 or camt.052 Document of p.
func periodDocument(p period, now time.Time) iso20022.Document {
	created := isoTime(now)
	pg := &iso20022.Pagination1{PgNb: strconv.Itoa(p.page), LastPgInd: strconv.FormatBool(p.last)}
	span := &iso20022.DateTimePeriod1{FrDtTm: isoTime(p.from), ToDtTm: isoTime(p.to.Add(-time.Millisecond))}
	acct, entries := cashAccount(p.acct), reportEntries(p.acct.Currency, p.entries)
	date := corridor.DateOf(p.from).String()
	if p.msgDef == msgDefCamt053 {
		bals := []iso20022.CashBalance8{balance("OPBD", p.opening, p.acct.Currency, date), balance("CLBD", p.closing, p.acct.Currency, date)}
		return &iso20022.Camt053Document{BkToCstmrStmt: iso20022.BankToCustomerStatementV08{
			GrpHdr: iso20022.GroupHeader81{MsgId: p.id, CreDtTm: created},
			Stmt: []iso20022.AccountStatement9{{Id: p.id, StmtPgntn: pg, CreDtTm: &created, FrToDt: span, Acct: acct,
				Bal: bals, Ntry: entries}},
		}}
	}
	bals := []iso20022.CashBalance8{balance("OPBD", p.opening, p.acct.Currency, date), balance("ITBD", p.closing, p.acct.Currency, date)}
	return &iso20022.Camt052Document{BkToCstmrAcctRpt: iso20022.BankToCustomerAccountReportV08{
		GrpHdr: iso20022.GroupHeader81{MsgId: p.id, CreDtTm: created},
		Rpt: []iso20022.AccountReport25{{Id: p.id, RptPgntn: pg, CreDtTm: &created, FrToDt: span, Acct: acct,
			Bal: bals, Ntry: entries}},
	}}
}

// cashAccount is Acct of a settlement account: "DEMOINBBXXX/INR", its
// currency, serviced by the hub.
func cashAccount(id ledger.AccountID) iso20022.CashAccount39 {
	return iso20022.CashAccount39{Id: iso20022.AccountIdentification4Choice{Othr: &iso20022.GenericAccountIdentification1{Id: id.String()}},
		Ccy: ptr(string(id.Currency))}
}

// balance is a CashBalance8 of a type (OPBD, CLBD, ITBD) for a signed balance.
func balance(code string, v int64, cur corridor.Currency, date string) iso20022.CashBalance8 {
	ind, abs := "CRDT", v
	if v < 0 {
		ind, abs = "DBIT", -v
	}
	return iso20022.CashBalance8{Tp: iso20022.BalanceType13{CdOrPrtry: iso20022.BalanceType10Choice{Cd: ptr(code)}},
		Amt:       iso20022.ActiveOrHistoricCurrencyAndAmount{Value: corridor.Amount(abs).Format(cur), Ccy: string(cur)},
		CdtDbtInd: ind, Dt: iso20022.DateAndDateTime2Choice{Dt: ptr(date)}}
}

func reportEntries(cur corridor.Currency, es []entry) []iso20022.ReportEntry10 {
	out := make([]iso20022.ReportEntry10, len(es))
	for i, e := range es {
		out[i] = reportEntry(cur, e)
	}
	return out
}

// reportEntry is Ntry of e: booked, with the transfer as NtryRef, the hub's
// reference as AcctSvcrRef, and the payment's MsgId, EndToEndId and UETR.
func reportEntry(cur corridor.Currency, e entry) iso20022.ReportEntry10 {
	ind := "CRDT"
	if e.Debit {
		ind = "DBIT"
	}
	amt := iso20022.ActiveOrHistoricCurrencyAndAmount{Value: e.Amount.Format(cur), Ccy: string(cur)}
	refs := &iso20022.TransactionReferences6{MsgId: optionalText(e.MsgID), AcctSvcrRef: optionalText(e.Ref),
		EndToEndId: optionalText(e.EndToEndID), UETR: optionalText(string(e.UETR))}
	return iso20022.ReportEntry10{
		NtryRef: ptr(strconv.FormatUint(uint64(e.Transfer), 10)), Amt: amt, CdtDbtInd: ind,
		Sts:         iso20022.EntryStatus1Choice{Cd: ptr("BOOK")},
		BookgDt:     &iso20022.DateAndDateTime2Choice{DtTm: ptr(isoTime(e.Time))},
		ValDt:       &iso20022.DateAndDateTime2Choice{Dt: ptr(corridor.DateOf(e.Time.UTC()).String())},
		AcctSvcrRef: optionalText(e.Ref),
		BkTxCd:      iso20022.BankTransactionCodeStructure4{Prtry: &iso20022.ProprietaryBankTransactionCodeStructure1{Cd: e.Code, Issr: ptr("CORRIDOR")}},
		NtryDtls:    []iso20022.EntryDetails9{{TxDtls: []iso20022.EntryTransaction10{{Refs: refs, Amt: &amt, CdtDbtInd: &ind}}}},
	}
}

// notifyEntry delivers a camt.054 of e, an entry on acct, to its owner. The
// notification is a courtesy: an inbox at its limit gets none.
func (s *state) notifyEntry(acct ledger.AccountID, e entry, now time.Time) {
	in := s.inboxes[acct.Owner]
	if in.full() {
		return
	}
	id := fmt.Sprintf("CRDE%012d%s", e.Transfer, map[bool]string{true: "D", false: "C"}[e.Debit])
	created := isoTime(now)
	doc := &iso20022.Camt054Document{BkToCstmrDbtCdtNtfctn: iso20022.BankToCustomerDebitCreditNotificationV08{
		GrpHdr: iso20022.GroupHeader81{MsgId: id, CreDtTm: created},
		Ntfctn: []iso20022.AccountNotification17{{Id: id, CreDtTm: &created, Acct: cashAccount(acct),
			Ntry: []iso20022.ReportEntry10{reportEntry(acct.Currency, e)}}},
	}}
	body, err := encodeHubMessage(s.hubBIC, acct.Owner, id, created, doc)
	assert.That(err == nil, "encode camt.054 %s: %v", id, err)
	in.deliver(InboxMessage{MsgDefID: msgDefCamt054, UETR: e.UETR, Reference: e.Ref, Time: now, Body: body}, "")
	s.woken[acct.Owner] = true
}
