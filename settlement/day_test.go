package settlement_test

import (
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/scenario"
	"github.com/corridor-network/corridor/settlement"
)

// TestDayScenarios runs the business-day scenarios in testdata/day: a
// calendar, then the day's phases and what each admits.
//
//	calendar       its input lines are a calendar file
//	open DATE      the day DATE opens
//	admit TYPE DATE  what the day does with a payment of TYPE dated DATE
//	cutoff TYPE    the cut-off for TYPE
//	end            the day ends and the next opens
//	business DATE  whether DATE is a business day, and the next one
func TestDayScenarios(t *testing.T) {
	scenario.RunDir(t, "testdata/day/*.txt", *update, func(t *testing.T, _ string) func(scenario.Block) []string {
		var cal settlement.Calendar
		var day settlement.Day
		return func(b scenario.Block) []string {
			f := strings.Fields(b.Cmd)
			switch f[0] {
			case "calendar":
				c, err := settlement.ParseCalendar([]byte(strings.Join(b.Input, "\n")))
				if err != nil {
					return []string{err.Error()}
				}
				cal = c
				return []string{string(c.Currency) + " " + c.Zone}
			case "open":
				day = settlement.Day{Currency: cal.Currency, Date: mustDate(t, f[1]), Phase: settlement.PhaseOpen}
			case "admit":
				a, err := day.Admit(cal, settlement.PaymentType(f[1]), mustDate(t, f[2]))
				if err != nil {
					return []string{err.Error()}
				}
				return []string{map[settlement.Admission]string{settlement.SettleToday: "settles today", settlement.Warehouse: "warehoused"}[a]}
			case "cutoff":
				d, ok := day.Cutoff(settlement.PaymentType(f[1]))
				if !ok {
					return []string{"already past the " + f[1] + " cut-off"}
				}
				day = d
			case "end":
				day = day.End(cal)
			case "business":
				d := mustDate(t, f[1])
				return []string{f[1] + map[bool]string{true: " business day", false: " closed"}[cal.BusinessDay(d)] + ", next " + cal.Next(d).String()}
			default:
				t.Fatalf("line %d: unknown command %q", b.Line, b.Cmd)
			}
			return []string{day.Date.String() + " " + string(day.Phase)}
		}
	})
}

func mustDate(tb fataler, s string) corridor.Date {
	tb.Helper()
	d, err := corridor.ParseDate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// dayMachine drives a currency's business days at random: payments dated
// around the open day, cut-offs and ends of day, against a model of which
// days have closed and which payments wait for which day.
type dayMachine struct {
	cal       settlement.Calendar
	day       settlement.Day
	closed    map[corridor.Date]bool
	warehouse map[corridor.Date]int // Payments waiting for each date.
	settled   map[corridor.Date]int // Payments settled on each date.
}

func (m *dayMachine) Submit(t *rapid.T) {
	typ := rapid.SampledFrom([]settlement.PaymentType{settlement.Customer, settlement.Interbank}).Draw(t, "type")
	date := corridor.DateOf(time.Date(m.day.Date.Year, m.day.Date.Month, m.day.Date.Day, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(-3, 8).Draw(t, "ahead")))
	switch a, err := m.day.Admit(m.cal, typ, date); {
	case err != nil && m.closed[date]:
		if r, _ := corridor.ReasonOf(err); r != corridor.ReasonInvalidDate {
			t.Fatalf("payment for closed day %s refused %s, want DT01", date, r)
		}
	case err != nil:
	case a == settlement.SettleToday:
		m.settle(t, date)
	default:
		m.warehouse[date]++
	}
}

func (m *dayMachine) Cutoff(t *rapid.T) {
	if d, ok := m.day.Cutoff(rapid.SampledFrom([]settlement.PaymentType{settlement.Customer, settlement.Interbank}).Draw(t, "type")); ok {
		m.day = d
	}
}

func (m *dayMachine) End(t *rapid.T) {
	m.closed[m.day.Date] = true
	m.day = m.day.End(m.cal)
	for range m.warehouse[m.day.Date] {
		m.settle(t, m.day.Date) // The warehouse is released when its day opens.
	}
	delete(m.warehouse, m.day.Date)
}

// settle records a payment settling on date, the day open now.
func (m *dayMachine) settle(t *rapid.T, date corridor.Date) {
	if date != m.day.Date || m.closed[date] || !m.cal.BusinessDay(date) {
		t.Fatalf("a payment settles on %s while %s is open (closed %v)", date, m.day.Date, m.closed[date])
	}
	m.settled[date]++
}

// Check: no payment settled on a closed day after it closed, none waits
// for a day already closed or one that is not a business day.
func (m *dayMachine) Check(t *rapid.T) {
	for d := range m.warehouse {
		if m.closed[d] || !m.cal.BusinessDay(d) || settlement.CompareDates(d, m.day.Date) <= 0 {
			t.Fatalf("%d payments wait for %s, closed %v, business day %v, open day %s", m.warehouse[d], d, m.closed[d], m.cal.BusinessDay(d), m.day.Date)
		}
	}
	if m.closed[m.day.Date] || !m.cal.BusinessDay(m.day.Date) {
		t.Fatalf("open day %s is closed or not a business day", m.day.Date)
	}
}

// TestDayProperties checks that no payment settles on a closed day.
func TestDayProperties(t *testing.T) {
	cal, err := settlement.ParseCalendar([]byte("currency RUB\nzone Europe/Moscow\nweekend Sat Sun\nholiday 2026-01-01\nholiday 2026-01-02\nholiday 2026-01-07\nworkday 2026-01-03\n"))
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		m := &dayMachine{cal: cal, closed: map[corridor.Date]bool{}, warehouse: map[corridor.Date]int{}, settled: map[corridor.Date]int{},
			day: settlement.Day{Currency: "RUB", Date: corridor.Date{Year: 2025, Month: 12, Day: 30}, Phase: settlement.PhaseOpen}}
		t.Repeat(rapid.StateMachineActions(m))
	})
}
