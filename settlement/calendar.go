package settlement

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/corridor-network/corridor"
)

// Limits of a calendar file.
const (
	MaxCalendarBytes    = 64 << 10 // A calendar file's size.
	MaxCalendarHolidays = 1_000    // Holidays and extra working days, together.
	MaxZoneChars        = 64       // An IANA time zone name.
)

// Calendar is one currency's settlement calendar: the time zone its
// business day runs in, the weekdays it does not settle on, its holidays and
// the weekend days it settles on by decree (a transferred working day). It
// says nothing of hours: the phases' times belong to whoever schedules them.
type Calendar struct {
	Currency corridor.Currency
	Zone     string          // IANA name, such as "Asia/Kolkata"; loaded by the scheduler, not here.
	Weekend  []time.Weekday  // Sorted.
	Holidays []corridor.Date // Sorted, no repeats.
	Workdays []corridor.Date // Weekend days that are business days; sorted, no repeats.
}

// BusinessDay reports whether d is a day the currency settles on.
func (c Calendar) BusinessDay(d corridor.Date) bool {
	if slices.Contains(c.Workdays, d) {
		return true
	}
	if slices.Contains(c.Holidays, d) {
		return false
	}
	return !slices.Contains(c.Weekend, dateTime(d).Weekday())
}

// Next is the first business day after d. A calendar has at least one
// working weekday (ParseCalendar checks it), so within a year of holidays
// there is always one; past MaxCalendarHolidays days it gives up and
// returns the day after d, which cannot happen for a parsed calendar.
func (c Calendar) Next(d corridor.Date) corridor.Date {
	t := dateTime(d)
	for range MaxCalendarHolidays + 8 {
		t = t.AddDate(0, 0, 1)
		if c.BusinessDay(corridor.DateOf(t)) {
			return corridor.DateOf(t)
		}
	}
	return corridor.DateOf(dateTime(d).AddDate(0, 0, 1))
}

// OnOrAfter is d when it is a business day, else the next one.
func (c Calendar) OnOrAfter(d corridor.Date) corridor.Date {
	if c.BusinessDay(d) {
		return d
	}
	return c.Next(d)
}

// dateTime is d at midnight UTC, for date arithmetic.
func dateTime(d corridor.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// DaysBetween is the number of calendar days from a to b (negative when b is before a).
func DaysBetween(a, b corridor.Date) int {
	return int(dateTime(b).Sub(dateTime(a)) / (24 * time.Hour))
}

// CompareDates orders dates: negative when a is before b, zero when equal.
func CompareDates(a, b corridor.Date) int { return DaysBetween(b, a) }

var weekdays = map[string]time.Weekday{"Sun": time.Sunday, "Mon": time.Monday, "Tue": time.Tuesday,
	"Wed": time.Wednesday, "Thu": time.Thursday, "Fri": time.Friday, "Sat": time.Saturday}

// ParseCalendar reads a calendar file (docs/business-day.md describes it):
// one directive a line, "#" starts a comment, and
//
//	currency INR
//	zone Asia/Kolkata
//	weekend Sat Sun
//	holiday 2026-01-26 Republic Day
//	workday 2026-11-01 Saturday worked for a holiday moved (Russia)
//
// currency and zone are required, once each. It refuses, with the line, a
// file over MaxCalendarBytes, an unknown directive, a malformed date, a
// date given twice, and a week without a working day.
func ParseCalendar(b []byte) (Calendar, error) {
	if len(b) > MaxCalendarBytes {
		return Calendar{}, fmt.Errorf("calendar: over %d bytes", MaxCalendarBytes)
	}
	var c Calendar
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if err := c.directive(f); err != nil {
			return Calendar{}, fmt.Errorf("calendar line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return Calendar{}, fmt.Errorf("calendar: %w", err)
	}
	return c, c.check()
}

// directive applies one line's fields to c.
func (c *Calendar) directive(f []string) error {
	switch {
	case f[0] == "currency" && len(f) == 2 && c.Currency == "":
		c.Currency = corridor.Currency(f[1])
	case f[0] == "zone" && len(f) == 2 && c.Zone == "" && len(f[1]) <= MaxZoneChars:
		c.Zone = f[1]
	case f[0] == "weekend" && c.Weekend == nil:
		c.Weekend = []time.Weekday{}
		for _, w := range f[1:] {
			d, ok := weekdays[w]
			if !ok || slices.Contains(c.Weekend, d) {
				return fmt.Errorf("weekend day %q is not one of Mon … Sun, once each", w)
			}
			c.Weekend = append(c.Weekend, d)
		}
		slices.Sort(c.Weekend)
	case (f[0] == "holiday" || f[0] == "workday") && len(f) >= 2:
		return c.addDate(f[0], f[1])
	default:
		return fmt.Errorf("%q: want currency, zone (once each), weekend (once), holiday or workday", strings.Join(f, " "))
	}
	return nil
}

// addDate adds a holiday or an extra working day.
func (c *Calendar) addDate(kind, s string) error {
	d, err := corridor.ParseDate(s)
	if err != nil {
		return err
	}
	if slices.Contains(c.Holidays, d) || slices.Contains(c.Workdays, d) {
		return fmt.Errorf("date %s given twice", d)
	}
	if len(c.Holidays)+len(c.Workdays) >= MaxCalendarHolidays {
		return fmt.Errorf("over %d dates", MaxCalendarHolidays)
	}
	if kind == "holiday" {
		c.Holidays = append(c.Holidays, d)
		slices.SortFunc(c.Holidays, CompareDates)
	} else {
		c.Workdays = append(c.Workdays, d)
		slices.SortFunc(c.Workdays, CompareDates)
	}
	return nil
}

// check reports what a complete calendar lacks.
func (c Calendar) check() error {
	switch {
	case !c.Currency.Valid():
		return fmt.Errorf("calendar: currency %.3q is not processable", string(c.Currency))
	case c.Zone == "":
		return fmt.Errorf("calendar %s: no zone", c.Currency)
	case len(c.Weekend) >= 7:
		return fmt.Errorf("calendar %s: no working weekday", c.Currency)
	}
	return nil
}
