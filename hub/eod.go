package hub

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
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
		for page := 1; !s.inboxes[acct.Owner].full(); page++ {
			msg, plan, last, err := s.issueStatement(acct, rec, page, now)
			if err != nil {
				break // Its entries are no longer kept.
			}
			s.deliverLater(acct.Owner, msg, nil, laterBody{page: plan})
			if last {
				break
			}
		}
	}
}

// issueStatement is page of the end-of-day statement rec of acct, and
// whether it is the last page. A page whose entries memory holds is
// written now; one with entries in the store is delivered as its plan,
// written when it is read (Hub.Inbox): the sequencer never reads the store,
// and a replay delivers the same.
func (s *state) issueStatement(acct ledger.AccountID, rec statementRecord, page int, now time.Time) (InboxMessage, *pagePlan, bool, error) {
	plan, err := s.dayStatement(acct, rec, page, now)
	if err != nil {
		return InboxMessage{}, nil, false, err
	}
	if plan.stored() {
		return InboxMessage{MsgDefID: plan.P.MsgDef, Reference: plan.P.ID, Time: now}, &plan, plan.P.Last, nil
	}
	msg, err := plan.complete(context.Background(), nil)
	assert.That(err == nil, "statement %s from memory: %v", plan.P.ID, err)
	return msg, nil, plan.P.Last, nil
}

// dayStatement plans page of the end-of-day statement rec of acct, written at now.
func (s *state) dayStatement(acct ledger.AccountID, rec statementRecord, page int, now time.Time) (pagePlan, error) {
	p := period{MsgDef: msgDefCamt053, From: rec.From, To: rec.To, Page: page, Date: rec.Date, Seq: rec.Seq}
	if !p.To.After(p.From) {
		p.To = p.From.Add(time.Millisecond)
	}
	return s.planDay(acct, rec.Date, p, now)
}

// statementOf plans the camt.053 of acct for date: in a currency with a
// calendar, the end-of-day statement of a closed business day, again (DT01
// for the open day or a later one: a camt.052 reports a day not yet over);
// without one, the UTC day's (see Hub.Statement).
func (s *state) statementOf(acct ledger.AccountID, date corridor.Date, page int, now time.Time) (pagePlan, error) {
	d := s.days[acct.Currency]
	if _, cal := s.calendar(acct.Currency); !cal {
		from := dateTime(date)
		if from.After(now.UTC()) {
			return pagePlan{}, corridor.Reject(corridor.ReasonInvalidDate, "date "+date.String()+" is in the future")
		}
		return s.planDay(acct, date, period{MsgDef: msgDefCamt053, From: from, To: from.AddDate(0, 0, 1), Page: page}, now)
	}
	if d == nil || settlement.CompareDates(date, d.Day.Date) >= 0 {
		return pagePlan{}, corridor.Reject(corridor.ReasonInvalidDate,
			fmt.Sprintf("%s business day %s is not closed: its camt.053 comes at the end of day; a camt.052 reports the day so far", acct.Currency, date))
	}
	b, err := s.bookOf(acct)
	if err != nil {
		return pagePlan{}, err
	}
	i := slices.IndexFunc(b.Statements, func(r statementRecord) bool { return r.Date == date })
	if i < 0 {
		return pagePlan{}, corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("no end-of-day statement of %s for %s is kept", acct, date))
	}
	return s.dayStatement(acct, b.Statements[i], page, now)
}

// reportOf plans the camt.052 of acct now: in a currency with an open
// business day, that day's entries so far; otherwise the UTC day's.
func (s *state) reportOf(acct ledger.AccountID, page int, now time.Time) (pagePlan, error) {
	p := period{MsgDef: msgDefCamt052, To: now.Add(time.Nanosecond), Page: page}
	date := corridor.DateOf(now.UTC())
	if d := s.days[acct.Currency]; d != nil {
		p.From, p.Date, date = d.Opened, d.Day.Date, d.Day.Date
	} else {
		p.From = dateTime(date)
	}
	return s.planDay(acct, date, p, now)
}

// sameCalendar reports whether two calendars are the same.
func sameCalendar(a, b settlement.Calendar) bool {
	return a.Currency == b.Currency && a.Zone == b.Zone && slices.Equal(a.Weekend, b.Weekend) &&
		slices.Equal(a.Holidays, b.Holidays) && slices.Equal(a.Workdays, b.Workdays)
}
