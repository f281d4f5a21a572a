package hub

import (
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// MaxStatementsKept bounds the end-of-day statements each account remembers,
// so that a bank can ask for one again: about a year and a half of days.
const MaxStatementsKept = 400

// statementRecord is an end-of-day statement the hub issued on an account.
type statementRecord struct {
	Date     corridor.Date
	Seq      uint64    // ElctrncSeqNb and LglSeqNb: the account's statements, counted from 1.
	From, To time.Time // The business day's period: from its opening to its close.
}

// bookingDay is the business day an entry in cur booked now is on; nil
// for a currency without a calendar.
func (s *state) bookingDay(cur corridor.Currency) *corridor.Date {
	if d := s.days[cur]; d != nil {
		date := d.Day.Date
		return &date
	}
	return nil
}

// entryDate is e's value date: its business day, or its UTC date.
func entryDate(e entry) corridor.Date {
	if e.Day != nil {
		return *e.Day
	}
	return corridor.DateOf(e.Time.UTC())
}

// dateTime is d at midnight UTC.
func dateTime(d corridor.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// businessDay is the account's opening balance of business day date, its
// entries booked on that day and its closing balance. ok is false when
// entries of the day were dropped.
func (b *book) businessDay(date corridor.Date) (opening int64, es []entry, closing int64, ok bool) {
	opening = b.Start
	for _, e := range b.Entries {
		switch c := settlement.CompareDates(entryDate(e), date); {
		case c < 0:
			opening = e.Balance
		case c == 0:
			es = append(es, e)
		}
	}
	if !b.Trimmed.IsZero() && len(b.Entries) > 0 && settlement.CompareDates(entryDate(b.Entries[0]), date) >= 0 {
		return 0, nil, 0, false
	}
	closing = opening
	if len(es) > 0 {
		closing = es[len(es)-1].Balance
	}
	return opening, es, closing, true
}

// issueStatements delivers, at the end of d, every settlement account's
// camt.053 of the day to its owner, each page with the account's next
// sequence number. An inbox at its limit gets none; its owner can ask again.
func (s *state) issueStatements(d *businessDay, now time.Time) {
	for _, acct := range s.settlementAccounts(d.Day.Currency) {
		b := s.books[acct]
		if b == nil {
			b = &book{}
			s.books[acct] = b
		}
		rec := statementRecord{Date: d.Day.Date, Seq: 1, From: d.Opened, To: now}
		if n := len(b.Statements); n > 0 {
			rec.Seq = b.Statements[n-1].Seq + 1
		}
		if len(b.Statements) >= MaxStatementsKept {
			b.Statements = slices.Delete(b.Statements, 0, 1)
		}
		b.Statements = append(b.Statements, rec)
		for page := 1; ; page++ {
			msg, err := s.dayStatement(acct, b, rec, page, now)
			if err != nil || s.inboxes[acct.Owner].full() {
				break // Past the last page, or no room: the owner can ask for it.
			}
			s.deliver(acct.Owner, msg, nil)
			if page*MaxStatementEntries >= s.entriesOn(b, rec.Date) {
				break
			}
		}
	}
}

// entriesOn counts b's entries on business day date.
func (s *state) entriesOn(b *book, date corridor.Date) int {
	_, es, _, _ := b.businessDay(date)
	return len(es)
}

// dayStatement is page of the end-of-day statement rec of acct, written at now.
func (s *state) dayStatement(acct ledger.AccountID, b *book, rec statementRecord, page int, now time.Time) (InboxMessage, error) {
	opening, es, closing, ok := b.businessDay(rec.Date)
	if !ok {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("entries of %s on %s are no longer kept", acct, rec.Date))
	}
	p := period{acct: acct, msgDef: msgDefCamt053, from: rec.From, to: rec.To, opening: opening, closing: closing,
		page: page, date: rec.Date, seq: rec.Seq}
	if !p.to.After(p.from) {
		p.to = p.from.Add(time.Millisecond)
	}
	return s.pageMessage(p, es, now)
}

// statementOf is the camt.053 of acct for date: in a currency with a
// calendar, the end-of-day statement of a closed business day, again (DT01
// for the open day or a later one: a camt.052 reports a day not yet over);
// without one, the UTC day's (see Hub.Statement).
func (s *state) statementOf(acct ledger.AccountID, date corridor.Date, page int, now time.Time) (InboxMessage, error) {
	d := s.days[acct.Currency]
	if _, cal := s.calendar(acct.Currency); !cal {
		from := dateTime(date)
		if from.After(now.UTC()) {
			return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidDate, "date "+date.String()+" is in the future")
		}
		return s.accountMessage(acct, msgDefCamt053, from, from.AddDate(0, 0, 1), page, now)
	}
	if d == nil || settlement.CompareDates(date, d.Day.Date) >= 0 {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidDate,
			fmt.Sprintf("%s business day %s is not closed: its camt.053 comes at the end of day; a camt.052 reports the day so far", acct.Currency, date))
	}
	b, err := s.bookOf(acct)
	if err != nil {
		return InboxMessage{}, err
	}
	i := slices.IndexFunc(b.Statements, func(r statementRecord) bool { return r.Date == date })
	if i < 0 {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("no end-of-day statement of %s for %s is kept", acct, date))
	}
	return s.dayStatement(acct, b, b.Statements[i], page, now)
}

// reportOf is the camt.052 of acct now: in a currency with an open business
// day, that day's entries so far; otherwise the UTC day's.
func (s *state) reportOf(acct ledger.AccountID, page int, now time.Time) (InboxMessage, error) {
	d := s.days[acct.Currency]
	if d == nil {
		y, m, dd := now.UTC().Date()
		return s.accountMessage(acct, msgDefCamt052, time.Date(y, m, dd, 0, 0, 0, 0, time.UTC), now.Add(time.Nanosecond), page, now)
	}
	b, err := s.bookOf(acct)
	if err != nil {
		return InboxMessage{}, err
	}
	opening, es, closing, ok := b.businessDay(d.Day.Date)
	if !ok {
		return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("entries of %s on %s are no longer kept", acct, d.Day.Date))
	}
	p := period{acct: acct, msgDef: msgDefCamt052, from: d.Opened, to: now.Add(time.Nanosecond), opening: opening, closing: closing,
		page: page, date: d.Day.Date}
	return s.pageMessage(p, es, now)
}

// sameCalendar reports whether two calendars are the same.
func sameCalendar(a, b settlement.Calendar) bool {
	return a.Currency == b.Currency && a.Zone == b.Zone && slices.Equal(a.Weekend, b.Weekend) &&
		slices.Equal(a.Holidays, b.Holidays) && slices.Equal(a.Workdays, b.Workdays)
}
