package iso20022

import (
	"strings"
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

// parseDateTimeBefore is parseDateTime as it was, which put every time
// with an offset into a zone of its own, made again.
func parseDateTimeBefore(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") || s[10] != 'T' || strings.ContainsRune(s, ',') {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 1 {
		return time.Time{}, false
	}
	_, off := t.Zone()
	d := time.Duration(off) * time.Second
	if d > maxTimeOffset || d < -maxTimeOffset {
		return time.Time{}, false
	}
	if off == 0 {
		return t.UTC(), true
	}
	return t.In(time.FixedZone("", off)), true
}

// FuzzParseDateTime: parseDateTime gives the instant, the zone (name and
// offset) and the location's name that it gave before.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2026-03-02T10:30:00+05:30", "2026-03-02T10:30:00.123+00:00", "2026-03-02T10:30:00Z",
		"2026-03-02T10:30:00-14:00", "2026-03-02T10:30:00+14:01", "0001-01-01T00:00:00+01:00", "2026-03-02T10:30:00+05:45"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseDateTime(s)
		want, wantOK := parseDateTimeBefore(s)
		gotName, gotOff := got.Zone()
		wantName, wantOff := want.Zone()
		if ok != wantOK || !got.Equal(want) || gotName != wantName || gotOff != wantOff || got.Location().String() != want.Location().String() {
			t.Fatalf("parseDateTime(%q) = %v (%q %d), %t; before: %v (%q %d), %t", s, got, gotName, gotOff, ok, want, wantName, wantOff, wantOK)
		}
	})
}
