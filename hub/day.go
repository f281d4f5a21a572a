package hub

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// The journal kinds of the business-day commands.
const (
	kindDayOpen   = "day.open"
	kindDayCutoff = "day.cutoff"
	kindDayClose  = "day.close"
)

// dayOpenCmd opens the first business day of a currency that has a calendar
// in the settlement configuration. Later days open when the one before ends.
type dayOpenCmd struct {
	Currency corridor.Currency
	Date     corridor.Date // A business day of the currency's calendar, computed at the edge in its zone.
}

// dayCutoffCmd is a currency's cut-off for one payment type: payments of the
// type for the day are refused from here on.
type dayCutoffCmd struct {
	Currency corridor.Currency
	Type     settlement.PaymentType
}

// dayCloseCmd ends a currency's business day: its queues and its net cycle
// are finished, every account gets its camt.053, and the next business day
// opens, releasing the payments warehoused for it.
type dayCloseCmd struct {
	Currency corridor.Currency
}

func (dayOpenCmd) kind() string                                     { return kindDayOpen }
func (c dayOpenCmd) apply(s *state, _ uint64, now time.Time) result { return s.openDay(c, now) }

func (dayCutoffCmd) kind() string                                     { return kindDayCutoff }
func (c dayCutoffCmd) apply(s *state, _ uint64, now time.Time) result { return s.cutoffDay(c, now) }

func (dayCloseCmd) kind() string                                     { return kindDayClose }
func (c dayCloseCmd) apply(s *state, _ uint64, now time.Time) result { return s.closeDay(c, now) }

// businessDay is one currency's business day at the hub.
type businessDay struct {
	Day    settlement.Day
	Opened time.Time // When the day opened: the start of its statements' period.
}

// DayView is a currency's business day, as GET /v1/days shows it.
type DayView struct {
	Currency corridor.Currency
	Zone     string // The calendar's time zone.
	Date     corridor.Date
	Phase    settlement.Phase // Empty when no day has opened yet.
	Opened   time.Time
	Waiting  int // Payments warehoused for later business days.
}

// calendar is cur's calendar in the settlement configuration.
func (s *state) calendar(cur corridor.Currency) (settlement.Calendar, bool) {
	i := slices.IndexFunc(s.config.Calendars, func(c settlement.Calendar) bool { return c.Currency == cur })
	if i < 0 {
		return settlement.Calendar{}, false
	}
	return s.config.Calendars[i], true
}

// businessDate is cur's business date: that of its open business day, or,
// for a currency without a calendar, the UTC date of now (as before
// business days existed). Limits per business day count on it.
func (s *state) businessDate(cur corridor.Currency, now time.Time) corridor.Date {
	if d := s.days[cur]; d != nil {
		return d.Day.Date
	}
	return corridor.DateOf(now.UTC())
}

// dayClock is a time whose UTC date is cur's business date, for the
// settlement rules that still take a time and count per UTC date (the
// limits' usage): now itself for a currency without a calendar.
func (s *state) dayClock(cur corridor.Currency, now time.Time) time.Time {
	d := s.days[cur]
	if d == nil {
		return now
	}
	return time.Date(d.Day.Date.Year, d.Day.Date.Month, d.Day.Date.Day, 12, 0, 0, 0, time.UTC)
}

// admitDate checks p's settlement date against its currency's business day:
// the UTC date without a calendar; with one, the day's rules (see
// settlement.Day.Admit), or DT01 before the first day opens.
func (s *state) admitDate(p corridor.Payment, msgType string, now time.Time) error {
	cal, ok := s.calendar(p.Currency)
	if !ok {
		if today := corridor.DateOf(now.UTC()); p.SettlementDate != today {
			return corridor.Reject(corridor.ReasonInvalidDate,
				fmt.Sprintf("settlement date %s is not the business date %s", p.SettlementDate, today))
		}
		return nil
	}
	d := s.days[p.Currency]
	if d == nil {
		return corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("no %s business day has opened yet", p.Currency))
	}
	_, err := d.Day.Admit(cal, paymentType(msgType), p.SettlementDate)
	return err
}

// paymentType is the cut-off a message type ("pacs.008", "pacs.004") falls under.
func paymentType(msgType string) settlement.PaymentType {
	if msgType == "pacs.008" {
		return settlement.Customer
	}
	return settlement.Interbank
}

// future reports whether p is dated for a later business day than its
// currency's open one: it waits in the warehouse.
func (s *state) future(p *payment) bool {
	d := s.days[p.cmd.Payment.Currency]
	return d != nil && settlement.DaysBetween(d.Day.Date, p.cmd.Payment.SettlementDate) > 0
}

// warehouseAdd puts p in the warehouse until its settlement date opens.
func (s *state) warehouseAdd(p *payment, now time.Time) {
	s.record(p, now)
	p.moveTo(corridor.StatusPending, WaitValueDate)
	s.warehouse = append(s.warehouse, p.seq)
	p.event(PaymentEvent{Time: now, Status: corridor.StatusPending, Event: "warehoused",
		Detail: "waits for its settlement date " + p.cmd.Payment.SettlementDate.String() + " to open"})
}

// warehouseRemove takes p out of the warehouse, reporting whether it was there.
func (s *state) warehouseRemove(p *payment) bool {
	i := slices.Index(s.warehouse, p.seq)
	if i < 0 {
		return false
	}
	s.warehouse = slices.Delete(s.warehouse, i, i+1)
	return true
}

// openDay opens cur's first business day.
func (s *state) openDay(c dayOpenCmd, now time.Time) result {
	cal, ok := s.calendar(c.Currency)
	switch {
	case !ok:
		return refused(corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("%.3s has no business-day calendar", string(c.Currency))))
	case s.days[c.Currency] != nil:
		return refused(corridor.Reject(corridor.ReasonNotAllowed,
			fmt.Sprintf("%s business day %s is already open; the next opens when it closes", c.Currency, s.days[c.Currency].Day.Date)))
	case !cal.BusinessDay(c.Date):
		return refused(corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("%s is not a %s business day", c.Date, c.Currency)))
	}
	s.days[c.Currency] = &businessDay{Day: settlement.Day{Currency: c.Currency, Date: c.Date, Phase: settlement.PhaseOpen}, Opened: now}
	return applied()
}

// cutoffDay moves cur's business day past its cut-off for c.Type. It
// changes nothing when the day is already past it.
func (s *state) cutoffDay(c dayCutoffCmd, _ time.Time) result {
	d := s.days[c.Currency]
	if d == nil {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("no %.3s business day is open", string(c.Currency))))
	}
	next, ok := d.Day.Cutoff(c.Type)
	if !ok {
		return result{}
	}
	d.Day = next
	return applied()
}

// closeDay ends cur's business day: a last release and gridlock resolution;
// what is still queued for the day is rejected AM04, and cur's part of the
// open net cycle is closed; every settlement account in cur gets its camt.053; then the
// next business day opens and its warehoused payments enter settlement.
func (s *state) closeDay(c dayCloseCmd, now time.Time) result {
	d := s.days[c.Currency]
	if d == nil {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("no %.3s business day is open", string(c.Currency))))
	}
	cal, _ := s.calendar(c.Currency)
	s.finishDay(c.Currency, now)
	s.issueStatements(d, now)
	d.Day, d.Opened = d.Day.End(cal), now
	s.releaseWarehouse(c.Currency, now)
	return applied()
}

// finishDay settles or rejects everything of cur's day still waiting: the
// RTGS queue and the limit queue after a last release and resolution, and
// cur's part of the open net cycle.
func (s *state) finishDay(cur corridor.Currency, now time.Time) {
	s.release(now)
	s.resolve(now)
	if s.netted(cur) {
		s.closeCycleOf(cur, now) // The other net currencies' payments wait for their own day's end.
	}
	deadline := s.deadline(cur, now)
	for _, rj := range s.queue.ExpireFunc(func(q settlement.Queued) bool {
		return q.Currency == cur && !q.Deadline.After(deadline)
	}) {
		s.rejected(s.queuedPayment(rj.Payment), now, rj.Reason, rj.Detail)
	}
	s.expireWaitingOf(func(c corridor.Currency) bool { return c == cur }, now)
}

// expireWaitingOf rejects AM04 every payment in the limit queue in a
// currency that match selects.
func (s *state) expireWaitingOf(match func(corridor.Currency) bool, now time.Time) int {
	n := 0
	for _, sp := range s.gate.Waiting() {
		if !match(sp.Currency) {
			continue
		}
		p := s.queuedPayment(sp)
		assert.That(s.unwait(p), "payment %s waits on a limit but is not in the limit queue", p.ref)
		s.rejected(p, now, corridor.ReasonInsufficientFunds, "not settled by the end of the business day")
		n++
	}
	return n
}

// releaseWarehouse lets into settlement, in the order they came, the
// payments warehoused for cur's business day now open.
func (s *state) releaseWarehouse(cur corridor.Currency, now time.Time) {
	var due []*payment
	for _, seq := range s.warehouse {
		if p := s.bySeq[seq]; p.cmd.Payment.Currency == cur && !s.future(p) {
			due = append(due, p)
		}
	}
	for _, p := range due {
		s.warehouseRemove(p)
		p.event(PaymentEvent{Time: now, Event: "value date", Detail: "business day " + s.businessDate(cur, now).String() + " opened"})
		if err := s.route(p, now); err != nil {
			s.rejected(p, now, corridor.ReasonSettlementFailed, rejectDetail(err))
		}
	}
}

// deadline is when a payment in cur queued at now is rejected if it has not
// settled: the end of its business date (as a UTC midnight, the time the
// RTGS queue counts in), or, without a calendar, the end of now's UTC date.
func (s *state) deadline(cur corridor.Currency, now time.Time) time.Time {
	if d := s.days[cur]; d != nil {
		return time.Date(d.Day.Date.Year, d.Day.Date.Month, d.Day.Date.Day+1, 0, 0, 0, 0, time.UTC)
	}
	return endOfDay(now)
}

// warehouseView lists the warehoused payments after the queue: all of
// them for the operator, a participant's own for it.
func (s *state) warehouseView(caller corridor.Identity) []QueuedPayment {
	return s.waitingView(caller, s.warehouse, WaitValueDate)
}

// daysView is every calendar currency's business day.
func (s *state) daysView() []DayView {
	out := make([]DayView, 0, len(s.config.Calendars))
	for _, cal := range s.config.Calendars {
		v := DayView{Currency: cal.Currency, Zone: cal.Zone}
		if d := s.days[cal.Currency]; d != nil {
			v.Date, v.Phase, v.Opened = d.Day.Date, d.Day.Phase, d.Opened
		}
		for _, seq := range s.warehouse {
			if s.bySeq[seq].cmd.Payment.Currency == cal.Currency {
				v.Waiting++
			}
		}
		out = append(out, v)
	}
	return out
}

// daysSum is the business days in currency order, for the state hash.
func (s *state) daysSum() []businessDay {
	var out []businessDay // nil when there are none, as the hash had it before business days.
	for _, d := range s.days {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b businessDay) int { return cmp.Compare(a.Day.Currency, b.Day.Currency) })
	return out
}

// settlementAccounts lists the settlement accounts in cur, in the ledger's order.
func (s *state) settlementAccounts(cur corridor.Currency) []ledger.AccountID {
	var out []ledger.AccountID
	for _, a := range s.ledger.Accounts() {
		if a.ID.Kind == ledger.KindSettlement && a.ID.Currency == cur {
			out = append(out, a.ID)
		}
	}
	return out
}
