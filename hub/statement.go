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
// a longer day comes in pages.
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
// date: opening and closing booked balances and every entry of the day,
// page (from 1) of MaxStatementEntries entries. In a currency with a
// business-day calendar it is the end-of-day statement of a closed business
// day, with its sequence number, as the hub issued it at the end of day;
// DT01 for the open day or a later one, whose entries a camt.052 reports.
// In one without, the day is date's UTC day, and a date not yet over gives
// the entries so far. ErrNotFound for an unknown account; DT01 for a future
// date or one whose entries are no longer kept.
func (h *Hub) Statement(ctx context.Context, bic corridor.BIC, cur corridor.Currency, date corridor.Date, page int) (InboxMessage, error) {
	now := h.cfg.Now().UTC()
	return h.accountMessage(ctx, page, func(s *state) (InboxMessage, error) {
		return s.statementOf(ledger.Settlement(bic, cur), date, page, now)
	})
}

// Report is the camt.052.001.08 intraday report of bic's settlement account
// in cur: the opening booked balance of the business day (the UTC day in a
// currency without a calendar), the interim booked balance now and the
// day's entries so far, page (from 1) of MaxStatementEntries entries.
func (h *Hub) Report(ctx context.Context, bic corridor.BIC, cur corridor.Currency, page int) (InboxMessage, error) {
	now := h.cfg.Now().UTC()
	return h.accountMessage(ctx, page, func(s *state) (InboxMessage, error) {
		return s.reportOf(ledger.Settlement(bic, cur), page, now)
	})
}

// accountMessage builds a statement or a report with build on the sequencer.
func (h *Hub) accountMessage(ctx context.Context, page int, build func(*state) (InboxMessage, error)) (InboxMessage, error) {
	if page < 1 || page > MaxAccountEntries/MaxStatementEntries+1 {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidFormat, "page must be from 1")
	}
	var msg InboxMessage
	var err error
	_, qerr := h.do(ctx, request{query: func(s *state) { msg, err = build(s) }})
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
	date             corridor.Date // Of an end-of-day statement: its business day.
	seq              uint64        // Of an end-of-day statement: its sequence number on the account, from 1.
}

func (s *state) accountMessage(acct ledger.AccountID, msgDef string, from, to time.Time, page int, now time.Time) (InboxMessage, error) {
	b, err := s.bookOf(acct)
	if err != nil {
		return InboxMessage{}, err
	}
	opening, es, closing, ok := b.day(from, to)
	if !ok {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidDate,
			fmt.Sprintf("entries of %s before %s are no longer kept", acct, b.Trimmed.Format(time.RFC3339)))
	}
	p := period{acct: acct, msgDef: msgDef, from: from, to: to, opening: opening, closing: closing, page: page}
	return s.pageMessage(p, es, now)
}

// bookOf is acct's book, empty when nothing was booked on it yet.
// ErrNotFound for an account the ledger does not have.
func (s *state) bookOf(acct ledger.AccountID) (*book, error) {
	if _, ok := s.ledger.Account(acct); !ok {
		return nil, fmt.Errorf("account %s: %w", acct, corridor.ErrNotFound)
	}
	if b := s.books[acct]; b != nil {
		return b, nil
	}
	return &book{}, nil
}

// pageMessage is page p.page of p with entries es, written at now.
func (s *state) pageMessage(p period, es []entry, now time.Time) (InboxMessage, error) {
	first := (p.page - 1) * MaxStatementEntries
	if first > len(es) || (first == len(es) && p.page > 1) {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("page %d is past the last page", p.page))
	}
	p.entries, p.last = es[first:min(len(es), first+MaxStatementEntries)], first+MaxStatementEntries >= len(es)
	p.id = periodID(p, s.lastSeq)
	body, err := accountReport(s.hubBIC, p, now, bizSvc(s.config.Messages))
	assert.That(err == nil, "encode %s of %s: %v", p.msgDef, p.acct, err)
	return InboxMessage{MsgDefID: p.msgDef, Reference: p.id, Time: now, Body: body}, nil
}

// periodID names a statement by account, day and page ("S20261125INRDEMOINBBXXX1"),
// an end-of-day statement also by its sequence number ("S20261125INRDEMOINBBXXXN7P1"),
// a report by the journal seq it reflects.
func periodID(p period, seq uint64) string {
	acct := p.acct
	switch {
	case p.msgDef == msgDefCamt053 && p.seq > 0:
		return fmt.Sprintf("S%s%s%sN%dP%d", dateTime(p.date).Format("20060102"), acct.Currency, acct.Owner, p.seq, p.page)
	case p.msgDef == msgDefCamt053:
		return fmt.Sprintf("S%s%s%s%d", p.from.Format("20060102"), acct.Currency, acct.Owner, p.page)
	}
	return fmt.Sprintf("R%d%s%s%d", seq, acct.Currency, acct.Owner, p.page)
}

// accountReport is the camt.053 or camt.052 of p, written at now.
func accountReport(hubBIC corridor.BIC, p period, now time.Time, svc string) ([]byte, error) {
	r := iso20022.AccountReport{From: hubBIC, BizSvc: svc, To: p.acct.Owner, ID: p.id, Created: now.UTC(), Page: p.page, LastPage: p.last,
		Start: p.from.UTC(), End: p.to.UTC(), Account: p.acct.String(), Currency: p.acct.Currency,
		Opening: p.opening, Closing: p.closing, Entries: make([]iso20022.Entry, len(p.entries)), Sequence: p.seq}
	for i, e := range p.entries {
		r.Entries[i] = reportEntry(e)
	}
	if p.date != (corridor.Date{}) { // Of a business day, whatever the UTC dates of its period.
		r.Date = &p.date
	}
	if p.msgDef == msgDefCamt053 {
		return iso20022.EncodeStatement(r)
	}
	return iso20022.EncodeIntradayReport(r)
}

// reportEntry is e as statements show it: booked, with the transfer as its
// reference, the hub's reference as the account servicer's, and the
// payment's message reference, end-to-end reference and UETR.
func reportEntry(e entry) iso20022.Entry {
	return iso20022.Entry{Ref: strconv.FormatUint(uint64(e.Transfer), 10), Amount: e.Amount, Debit: e.Debit,
		Booked: e.Time.UTC(), ValueDate: entryDate(e), ServicerRef: e.Ref, Code: e.Code, CodeIssuer: "CORRIDOR", Info: e.Info,
		Transaction: &iso20022.EntryTransaction{MsgID: e.MsgID, ServicerRef: e.Ref, EndToEndID: e.EndToEndID, UETR: e.UETR}}
}

// notifyEntry delivers a camt.054 of e, an entry on acct, to its owner. The
// notification is a courtesy: an inbox at its limit gets none.
func (s *state) notifyEntry(acct ledger.AccountID, e entry, now time.Time) {
	in := s.inboxes[acct.Owner]
	if in.full() {
		return
	}
	id := fmt.Sprintf("CRDE%012d%s", e.Transfer, map[bool]string{true: "D", false: "C"}[e.Debit])
	body, err := iso20022.EncodeNotification(iso20022.Notification{From: s.hubBIC, To: acct.Owner, ID: id, Created: now.UTC(), BizSvc: bizSvc(s.config.Messages),
		Account: acct.String(), Currency: acct.Currency, Entries: []iso20022.Entry{reportEntry(e)}})
	assert.That(err == nil, "encode camt.054 %s: %v", id, err)
	in.deliver(InboxMessage{MsgDefID: msgDefCamt054, UETR: e.UETR, Reference: e.Ref, Time: now, Body: body}, "")
	s.woken[acct.Owner] = true
}
