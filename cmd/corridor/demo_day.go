package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/settlement"
)

// demoCalendarFile is the demo's INR calendar: Asia/Kolkata with no
// weekend and no holidays, so that the demo runs on any day.
//
//go:embed demo_inr.cal
var demoCalendarFile []byte

// demoDayTimes keep the scheduler out of the demo's way: it would open a
// day at 00:00 and close it at 23:59 in the calendar's zone, and the
// operator runs the demo's end of day on demand in between.
var demoDayTimes = DayTimes{Open: 0, CustomerCutoff: 23*time.Hour + 59*time.Minute,
	InterbankCutoff: 23*time.Hour + 59*time.Minute, Close: 23*time.Hour + 59*time.Minute}

// The demo's value-dated payment: freight for the next voyage, paid on
// the next INR business day.
const (
	demoValueDated      = "1000000.00"
	demoValueDatedMinor = 100_000_000
)

// demoCalendar is the parsed demo calendar.
func demoCalendar() (settlement.Calendar, error) {
	c, err := settlement.ParseCalendar(demoCalendarFile)
	if err != nil {
		return settlement.Calendar{}, fmt.Errorf("the demo calendar: %w", err)
	}
	return c, nil
}

// demoOpenDay opens the INR business day (unless an earlier run on the
// same data left one open) and says which dates the demo's payments carry.
func demoOpenDay(ctx context.Context, op *httpapi.Client, out io.Writer) error {
	fmt.Fprintln(out, "\nINR runs on the demo's business-day calendar (cmd/corridor/demo_inr.cal: Asia/Kolkata, no weekend,")
	fmt.Fprintln(out, "no holidays, so any day is a business day); RUB has no calendar and settles on the UTC date")
	day, err := demoDay(ctx, op, "INR")
	if err != nil {
		return err
	}
	if day.Phase == "" {
		if day, err = op.Day(ctx, "INR", "open", ""); err != nil {
			return fmt.Errorf("open the INR day: %w", err)
		}
		fmt.Fprint(out, "operator opened it (POST /v1/days/INR/open): ")
	}
	fmt.Fprintf(out, "INR business day %s is %s in %s; every INR payment is dated %s, the date GET /v1/days reports\n",
		day.Date, day.Phase, day.Zone, day.Date)
	return nil
}

// demoDay is cur's business day as GET /v1/days reports it.
func demoDay(ctx context.Context, op *httpapi.Client, cur corridor.Currency) (httpapi.DayBody, error) {
	days, err := op.Days(ctx)
	if err != nil {
		return httpapi.DayBody{}, fmt.Errorf("business days: %w", err)
	}
	for _, d := range days {
		if d.Currency == string(cur) {
			return d, nil
		}
	}
	return httpapi.DayBody{}, fmt.Errorf("business day of %s: %w", cur, corridor.ErrNotFound)
}

// demoBusinessDate is the date a payment in cur settles on today: the open
// business day GET /v1/days reports, or, for a currency without a
// calendar, the UTC date.
func demoBusinessDate(ctx context.Context, op *httpapi.Client, cur corridor.Currency) (corridor.Date, error) {
	d, err := demoDay(ctx, op, cur)
	if errors.Is(err, corridor.ErrNotFound) {
		return corridor.DateOf(time.Now().UTC()), nil
	}
	if err != nil {
		return corridor.Date{}, err
	}
	return corridor.ParseDate(d.Date)
}

// demoCreated is a creation time for a message whose encoder dates it with
// the UTC date of its creation time (the pacs.004): now, when that is
// date, else the start of date in UTC (up to the zone's offset ahead of
// now, when the Indian date is already tomorrow's in UTC).
func demoCreated(date corridor.Date, now time.Time) time.Time {
	if corridor.DateOf(now.UTC()) == date {
		return now
	}
	return time.Date(date.Year, date.Month, date.Day, 0, 0, 0, 0, time.UTC)
}

// demoSendValueDated has the Indian bank pay freight dated the next INR
// business day: the hub warehouses it until that day opens. It returns the
// payment's UETR and its value date.
func demoSendValueDated(ctx context.Context, op *httpapi.Client, out io.Writer) (corridor.UETR, corridor.Date, error) {
	cal, err := demoCalendar()
	if err != nil {
		return "", corridor.Date{}, err
	}
	today, err := demoBusinessDate(ctx, op, "INR")
	if err != nil {
		return "", corridor.Date{}, err
	}
	next := cal.Next(today)
	p, err := demoPayment(&demoIndia, &demoRussia, next, demoValueDated, "INR")
	if err != nil {
		return "", corridor.Date{}, err
	}
	msg, err := demoMessage(p, time.Now())
	if err != nil {
		return "", corridor.Date{}, err
	}
	what := fmt.Sprintf("freight INR %s value-dated %s, the next INR business day", demoValueDated, next)
	resp, err := demoSubmit(ctx, out, &demoIndia, &demoRussia, what, msg)
	if err != nil {
		return "", corridor.Date{}, err
	}
	if resp.Status != string(corridor.StatusPending) || resp.Wait != "warehouse" {
		return "", corridor.Date{}, fmt.Errorf("a payment dated %s on business day %s is %s, wait %q; want it warehoused", next, today, resp.Status, resp.Wait)
	}
	return p.UETR, next, nil
}

// demoEndOfDay has the operator close the INR business day: what is still
// queued, the second cargo, is rejected AM04, every INR settlement account
// gets its camt.053, and the next business day opens.
func demoEndOfDay(ctx context.Context, op *httpapi.Client, out io.Writer, queued corridor.UETR) error {
	if err := demoQueue(ctx, op, out); err != nil {
		return err
	}
	before, err := demoDay(ctx, op, "INR")
	if err != nil {
		return err
	}
	after, err := op.Day(ctx, "INR", "close", "")
	if err != nil {
		return fmt.Errorf("close the INR day: %w", err)
	}
	fmt.Fprintf(out, "operator closed INR business day %s (POST /v1/days/INR/close): a last release of the queue, what is still\n", before.Date)
	fmt.Fprintf(out, "  queued rejected, a camt.053 to every INR account; now INR business day %s is %s, %d warehoused (was %d)\n",
		after.Date, after.Phase, after.Waiting, before.Waiting)
	tr, err := demoIndia.client.Track(ctx, queued)
	if err != nil {
		return fmt.Errorf("track %s: %w", queued, err)
	}
	leg := tr.Legs[0]
	fmt.Fprintf(out, "  UETR %s  reference %s  status %s  reason %s (%s)\n", queued, leg.Reference, leg.Status, leg.Reason,
		leg.Events[len(leg.Events)-2].Detail)
	return nil
}

// demoReleasedNextDay shows the value-dated payment settled on the new
// business day: its tracker, and the pacs.002 the Indian bank received,
// whose settlement date is that day.
func demoReleasedNextDay(ctx context.Context, out io.Writer, uetr corridor.UETR, next corridor.Date) error {
	if err := demoTrack(ctx, out, uetr); err != nil {
		return err
	}
	tr, err := demoIndia.client.Track(ctx, uetr)
	if err != nil {
		return fmt.Errorf("track %s: %w", uetr, err)
	}
	if leg := tr.Legs[0]; leg.Status != string(corridor.StatusSettled) || leg.SettlementDate != next.String() {
		return fmt.Errorf("the value-dated payment is %s on %s; want ACSC on %s", leg.Status, leg.SettlementDate, next)
	}
	msgs, err := demoIndia.client.Inbox(ctx, 0, 0)
	if err != nil {
		return fmt.Errorf("read %s inbox: %w", demoIndia.BIC, err)
	}
	for _, m := range msgs {
		if m.MsgDefID != "pacs.002.001.10" || m.UETR != string(uetr) {
			continue
		}
		sr, err := iso20022.DecodeStatusReport([]byte(m.Body))
		if err != nil {
			return fmt.Errorf("the value-dated payment's pacs.002: %w", err)
		}
		if sr.Status != corridor.StatusSettled || sr.SettlementDate != next {
			return fmt.Errorf("the value-dated payment's pacs.002 says %s on %s; want ACSC on %s", sr.Status, sr.SettlementDate, next)
		}
		fmt.Fprintf(out, "%s's pacs.002 #%d: %s, FctvIntrBkSttlmDt %s: RELEASED at the next day's open and settled on the new business day\n",
			demoIndia.BIC, m.Seq, sr.Status, sr.SettlementDate)
		return nil
	}
	return fmt.Errorf("%s received no pacs.002 for the value-dated payment %s", demoIndia.BIC, uetr)
}

// statementOf reads the key fields out of a delivered camt.053: each
// statement's id, its electronic and legal sequence numbers, its opening
// and closing balances and how many entries it lists.
func statementOf(m httpapi.InboxMessageBody) string {
	msg, err := iso20022.Decode([]byte(m.Body))
	if err != nil {
		return "  (unreadable statement: " + err.Error() + ")"
	}
	doc, ok := msg.Document.(*iso20022.Camt053Document)
	if !ok {
		return "  (not a camt.053 document)"
	}
	var s string
	for _, st := range doc.BkToCstmrStmt.Stmt {
		s += fmt.Sprintf("\n      statement %s  ElctrncSeqNb %s  LglSeqNb %s  %d entries", st.Id, deref(st.ElctrncSeqNb), deref(st.LglSeqNb), len(st.Ntry))
		for _, b := range st.Bal {
			s += fmt.Sprintf("\n      %s %s %s %s on %s", deref(b.Tp.CdOrPrtry.Cd), b.Amt.Value, b.Amt.Ccy, b.CdtDbtInd, deref(b.Dt.Dt))
		}
	}
	return s
}

// deref is *p, or "-" for nil.
func deref(p *string) string {
	if p == nil {
		return "-"
	}
	return *p
}
