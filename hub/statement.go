package hub

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/ledger"
)

// MaxStatementEntries bounds the entries of one camt.053 or camt.052 page;
// a longer day comes in pages. A full page stays within what the hub
// itself accepts of a message (iso20022.MaxElements: an entry of a payment
// writes about 33 elements) and within 100 KB (about 700 bytes an entry).
const MaxStatementEntries = 100

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
	return h.accountMessage(ctx, page, func(s *state) (pagePlan, error) {
		return s.statementOf(ledger.Settlement(bic, cur), date, page, now)
	})
}

// Report is the camt.052.001.08 intraday report of bic's settlement account
// in cur: the opening booked balance of the business day (the UTC day in a
// currency without a calendar), the interim booked balance now and the
// day's entries so far, page (from 1) of MaxStatementEntries entries.
func (h *Hub) Report(ctx context.Context, bic corridor.BIC, cur corridor.Currency, page int) (InboxMessage, error) {
	now := h.cfg.Now().UTC()
	return h.accountMessage(ctx, page, func(s *state) (pagePlan, error) {
		return s.reportOf(ledger.Settlement(bic, cur), page, now)
	})
}

// accountMessage plans a statement or a report with plan on the sequencer
// and completes it from the store off it.
func (h *Hub) accountMessage(ctx context.Context, page int, plan func(*state) (pagePlan, error)) (InboxMessage, error) {
	if page < 1 || page > maxStatementPages {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("page must be from 1 to %d", maxStatementPages))
	}
	var pl pagePlan
	var err error
	_, qerr := h.do(ctx, request{query: func(s *state) { pl, err = plan(s) }})
	if err := firstErr(qerr, err); err != nil {
		return InboxMessage{}, err
	}
	return pl.complete(ctx, h.books())
}

// maxStatementPages bounds the page a caller may ask for: a day of ten
// million entries on one account.
const maxStatementPages = 100_000

// books is the store's book entries, nil when the journal keeps none.
func (h *Hub) books() corridor.Books {
	b, _ := h.cfg.Journal.(corridor.Books)
	return b
}

// period is what a statement or report says about one account. Its fields
// are exported for the snapshot of a statement page an inbox holds.
type period struct {
	Acct             ledger.AccountID
	MsgDef, ID       string
	From, To         time.Time
	Opening, Closing int64
	Entries          []entry
	Page             int
	Last             bool
	Date             corridor.Date // Of an end-of-day statement: its business day.
	Seq              uint64        // Of an end-of-day statement: its sequence number on the account, from 1.
}

// planDay plans page of p, the period of date on acct: its balances and
// entries are the day's.
func (s *state) planDay(acct ledger.AccountID, date corridor.Date, p period, now time.Time) (pagePlan, error) {
	b, err := s.bookOf(acct)
	if err != nil {
		return pagePlan{}, err
	}
	opening, closing, runs, ok := b.dayOf(date)
	if !ok {
		return pagePlan{}, corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("entries of %s on %s are no longer kept", acct, date))
	}
	p.Acct, p.Opening, p.Closing = acct, opening, closing
	return s.planPage(b, p, runs, now)
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

// periodID names a statement by account, day and page ("S20261125INRDEMOINBBXXX1"),
// an end-of-day statement also by its sequence number ("S20261125INRDEMOINBBXXXN7P1"),
// a report by the journal seq it reflects.
func periodID(p period, seq uint64) string {
	acct := p.Acct
	switch {
	case p.MsgDef == msgDefCamt053 && p.Seq > 0:
		return fmt.Sprintf("S%s%s%sN%dP%d", dateTime(p.Date).Format("20060102"), acct.Currency, acct.Owner, p.Seq, p.Page)
	case p.MsgDef == msgDefCamt053:
		return fmt.Sprintf("S%s%s%s%d", p.From.Format("20060102"), acct.Currency, acct.Owner, p.Page)
	}
	return fmt.Sprintf("R%d%s%s%d", seq, acct.Currency, acct.Owner, p.Page)
}

// accountReport is the camt.053 or camt.052 of p, written at now.
func accountReport(hubBIC corridor.BIC, p period, now time.Time, svc string) ([]byte, error) {
	r := iso20022.AccountReport{From: hubBIC, BizSvc: svc, To: p.Acct.Owner, ID: p.ID, Created: now.UTC(), Page: p.Page, LastPage: p.Last,
		Start: p.From.UTC(), End: p.To.UTC(), Account: p.Acct.String(), Currency: p.Acct.Currency,
		Opening: p.Opening, Closing: p.Closing, Entries: make([]iso20022.Entry, len(p.Entries)), Sequence: p.Seq}
	for i, e := range p.Entries {
		r.Entries[i] = reportEntry(e)
	}
	if p.Date != (corridor.Date{}) { // Of a business day, whatever the UTC dates of its period.
		r.Date = &p.Date
	}
	if p.MsgDef == msgDefCamt053 {
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
	if s.inboxes[acct.Owner].full() {
		return
	}
	id := fmt.Sprintf("CRDE%012d%s", e.Transfer, map[bool]string{true: "D", false: "C"}[e.Debit])
	n := &iso20022.Notification{From: s.hubBIC, To: acct.Owner, ID: id, Created: now.UTC(), BizSvc: bizSvc(s.config.Messages),
		Account: acct.String(), Currency: acct.Currency, Entries: []iso20022.Entry{reportEntry(e)}}
	// Written when it is read, off the sequencer, as a pacs.002 is.
	s.deliverLater(acct.Owner, InboxMessage{MsgDefID: msgDefCamt054, UETR: e.UETR, Reference: e.Ref, Time: now}, nil, laterBody{notification: n})
}
