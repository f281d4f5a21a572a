package hub

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/settlement"
)

// checkCalendars checks that each calendar is of a processable currency,
// with a zone Go knows, and that no currency has two.
func checkCalendars(cals []settlement.Calendar) error {
	for i, c := range cals {
		if !c.Currency.Valid() {
			return fmt.Errorf("calendar currency %.3q is not processable", string(c.Currency))
		}
		if _, err := time.LoadLocation(c.Zone); err != nil {
			return fmt.Errorf("calendar %s: zone %.64q: %w", c.Currency, c.Zone, err)
		}
		if slices.ContainsFunc(cals[:i], func(o settlement.Calendar) bool { return o.Currency == c.Currency }) {
			return fmt.Errorf("calendar %s given twice", c.Currency)
		}
	}
	return nil
}

// Today is cur's business day that the local date of now, in the zone of
// cur's calendar, falls in: that date when it is a business day, else the
// next one. AG01 for a currency without a calendar.
func (h *Hub) Today(cur corridor.Currency, now time.Time) (corridor.Date, error) {
	i := slices.IndexFunc(h.cfg.Calendars, func(c settlement.Calendar) bool { return c.Currency == cur })
	if i < 0 {
		return corridor.Date{}, corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("%.3s has no business-day calendar", string(cur)))
	}
	cal := h.cfg.Calendars[i]
	loc, err := time.LoadLocation(cal.Zone)
	if err != nil {
		return corridor.Date{}, fmt.Errorf("calendar %s: %w", cur, err) // Checked at Open: not expected.
	}
	return cal.OnOrAfter(corridor.DateOf(now.In(loc))), nil
}

// OpenDay opens cur's first business day: today's in cur's zone, or the
// next business day. AG01 when cur has no calendar or a day is already open
// (a day opens when the one before closes).
func (h *Hub) OpenDay(ctx context.Context, cur corridor.Currency) (DayView, error) {
	date, err := h.Today(cur, h.cfg.Now())
	if err != nil {
		return DayView{}, err
	}
	return h.dayCommand(ctx, cur, dayOpenCmd{Currency: cur, Date: date})
}

// CutoffDay is cur's cut-off for payments of type t: from here on, payments
// of the type for the day are refused TM01. Past the cut-off already, it
// changes nothing.
func (h *Hub) CutoffDay(ctx context.Context, cur corridor.Currency, t settlement.PaymentType) (DayView, error) {
	return h.dayCommand(ctx, cur, dayCutoffCmd{Currency: cur, Type: t})
}

// CloseDay ends cur's business day: queued payments of the day settle or
// are rejected AM04, the open net cycle closes, every account in cur gets
// its camt.053, and the next business day opens with the payments
// warehoused for it. AG01 when no day is open.
func (h *Hub) CloseDay(ctx context.Context, cur corridor.Currency) (DayView, error) {
	return h.dayCommand(ctx, cur, dayCloseCmd{Currency: cur})
}

// dayCommand runs c and answers with cur's business day after it.
func (h *Hub) dayCommand(ctx context.Context, cur corridor.Currency, c command) (DayView, error) {
	if _, err := h.do(ctx, request{cmd: c}); err != nil {
		return DayView{}, err
	}
	days, err := h.Days(ctx)
	i := slices.IndexFunc(days, func(d DayView) bool { return d.Currency == cur })
	if err != nil || i < 0 {
		return DayView{}, firstErr(err, fmt.Errorf("day of %s: %w", cur, corridor.ErrNotFound))
	}
	return days[i], nil
}

// Days is the business day of every currency with a calendar.
func (h *Hub) Days(ctx context.Context) ([]DayView, error) {
	var out []DayView
	_, err := h.do(ctx, request{query: func(s *state) { out = s.daysView() }})
	return out, err
}

// Calendars are the business-day calendars the hub runs with.
func (h *Hub) Calendars() []settlement.Calendar { return slices.Clone(h.cfg.Calendars) }
