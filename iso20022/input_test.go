package iso20022

import (
	"testing"
	"time"

	"github.com/corridor-network/corridor"
)

// FuzzIsDay: isDay(d) is what input.date checked before it, that
// corridor.ParseDate(d.String()) reads back d and d's year is past 0.
func FuzzIsDay(f *testing.F) {
	for _, d := range []corridor.Date{{Year: 2026, Month: 3, Day: 2}, {Year: 2024, Month: 2, Day: 29}, {Year: 2025, Month: 2, Day: 29},
		{Year: 0, Month: 1, Day: 1}, {Year: 9999, Month: 12, Day: 31}, {Year: 9999, Month: 12, Day: 32}, {Year: 10000, Month: -11, Day: 1}, {Year: 1, Month: 0, Day: 0}} {
		f.Add(d.Year, int(d.Month), d.Day)
	}
	f.Fuzz(func(t *testing.T, year, month, day int) {
		d := corridor.Date{Year: year, Month: time.Month(month), Day: day}
		back, err := corridor.ParseDate(d.String())
		if want := err == nil && back == d && d.Year >= 1; isDay(d) != want {
			t.Fatalf("isDay(%+v) = %t; ParseDate(%q) = %+v, %v", d, isDay(d), d.String(), back, err)
		}
	})
}
