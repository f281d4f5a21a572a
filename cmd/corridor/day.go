package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/settlement"
)

// dayTick is how often the scheduler looks at the business days.
const dayTick = 30 * time.Second

// DayTimes are the local times, in each calendar's zone, at which the
// scheduler runs a business day's phases, as offsets from midnight.
type DayTimes struct {
	Open, CustomerCutoff, InterbankCutoff, Close time.Duration
}

// DefaultDayTimes: open 09:00, customer cut-off 16:00, interbank cut-off 18:00, end of day 19:00.
var DefaultDayTimes = DayTimes{Open: 9 * time.Hour, CustomerCutoff: 16 * time.Hour, InterbankCutoff: 18 * time.Hour, Close: 19 * time.Hour}

// check reports phase times out of order or past midnight.
func (t DayTimes) check() error {
	if !(0 <= t.Open && t.Open < t.CustomerCutoff && t.CustomerCutoff <= t.InterbankCutoff &&
		t.InterbankCutoff <= t.Close && t.Close < 24*time.Hour) {
		return errors.New("day times must be open < customer cut-off <= interbank cut-off <= close, within a day")
	}
	return nil
}

// clockFlag is a flag.Value of a local time of day, HH:MM.
type clockFlag time.Duration

func (c *clockFlag) String() string {
	d := time.Duration(*c)
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

func (c *clockFlag) Set(s string) error {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return fmt.Errorf("%q is not HH:MM", s)
	}
	*c = clockFlag(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	return nil
}

// loadCalendar reads and parses a calendar file, at most MaxCalendarBytes.
func loadCalendar(path string) (settlement.Calendar, error) {
	f, err := os.Open(path)
	if err != nil {
		return settlement.Calendar{}, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, settlement.MaxCalendarBytes+1))
	if err != nil {
		return settlement.Calendar{}, fmt.Errorf("read calendar %s: %w", path, err)
	}
	c, err := settlement.ParseCalendar(b)
	if err != nil {
		return settlement.Calendar{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// runDays is the business-day scheduler: every dayTick it runs each
// calendar currency's phase that is due in its zone, until ctx is done.
func (m *Main) runDays(ctx context.Context) {
	if len(m.Config.Calendars) == 0 {
		return
	}
	m.every(ctx, dayTick, "business day", func(ctx context.Context) error {
		days, err := m.Hub.Days(ctx)
		if err != nil {
			return err
		}
		var errs []error
		for _, d := range days {
			errs = append(errs, m.runDue(ctx, d, time.Now()))
		}
		return errors.Join(errs...)
	})
}

// runDue runs d's phase that is due at now, if any.
func (m *Main) runDue(ctx context.Context, d hub.DayView, now time.Time) error {
	loc, err := time.LoadLocation(d.Zone)
	if err != nil {
		return err
	}
	var run func() (hub.DayView, error)
	switch duePhase(d, now.In(loc), m.Config.DayTimes) {
	case "open":
		run = func() (hub.DayView, error) { return m.Hub.OpenDay(ctx, d.Currency) }
	case "customer":
		run = func() (hub.DayView, error) { return m.Hub.CutoffDay(ctx, d.Currency, settlement.Customer) }
	case "interbank":
		run = func() (hub.DayView, error) { return m.Hub.CutoffDay(ctx, d.Currency, settlement.Interbank) }
	case "close":
		run = func() (hub.DayView, error) { return m.Hub.CloseDay(ctx, d.Currency) }
	default:
		return nil
	}
	after, err := run()
	if err == nil {
		m.Logger.Info("business day", "currency", d.Currency, "date", after.Date.String(), "phase", after.Phase)
	}
	return err
}

// duePhase is the phase of d due at local, a time in d's zone: "open" for
// a currency with no day yet, "customer", "interbank" or "close" when the
// day's date has reached that time, "" when nothing is due. A day whose
// date has passed (the hub was down) closes at once.
func duePhase(d hub.DayView, local time.Time, t DayTimes) string {
	today := corridor.DateOf(local)
	y, mo, dd := local.Date()
	since := local.Sub(time.Date(y, mo, dd, 0, 0, 0, 0, local.Location()))
	ahead := settlement.DaysBetween(today, d.Date)
	switch {
	case d.Phase == "":
		if since >= t.Open {
			return "open"
		}
		return ""
	case ahead > 0 || (ahead == 0 && since < t.CustomerCutoff):
		return ""
	case ahead < 0 || since >= t.Close:
		return "close"
	case since >= t.InterbankCutoff && d.Phase != settlement.PhaseInterbankCutoff:
		return "interbank"
	case d.Phase == settlement.PhaseOpen:
		return "customer"
	}
	return ""
}

// runDayCommand is `corridor day list|open|cutoff|close --currency CUR [--type customer|interbank]`.
func runDayCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: corridor day list|open|cutoff|close --currency CUR [--type customer|interbank] --data DIR [--hub URL]")
		return errors.New("day: list, open, cutoff or close?")
	}
	action := args[0]
	fs, op := operatorFlagSet("day "+action, stderr)
	var cur, typ string
	if action != "list" { // Each subcommand's help lists only the flags it takes.
		fs.StringVar(&cur, "currency", "", "the currency whose business day to run")
	}
	if action == "cutoff" {
		fs.StringVar(&typ, "type", "", "the cut-off's payment type: customer or interbank")
	}
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return err
	}
	c, err := op.client()
	if err != nil {
		return fmt.Errorf("day %s: %w", action, err)
	}
	defer c.Close()
	if action == "list" {
		days, err := c.Days(ctx)
		for _, d := range days {
			fmt.Fprintf(stdout, "%s %s %s %s waiting %d\n", d.Currency, d.Zone, d.Date, d.Phase, d.Waiting)
		}
		return err
	}
	if action == "cutoff" && typ == "" {
		typ = string(settlement.Customer)
	}
	d, err := c.Day(ctx, corridor.Currency(cur), action, settlement.PaymentType(typ))
	if err != nil {
		return fmt.Errorf("day %s: %w", action, err)
	}
	fmt.Fprintf(stdout, "%s business day %s: %s\n", d.Currency, d.Date, d.Phase)
	return nil
}
