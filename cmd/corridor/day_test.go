package main

import (
	"embed"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/settlement"
)

//go:embed calendars/*.cal
var exampleCalendars embed.FS

// TestExampleCalendars parses the example calendars and checks days their
// sources name.
func TestExampleCalendars(t *testing.T) {
	for file, want := range map[string]map[string]bool{
		"calendars/inr-rbi.cal": {"2026-01-26": false, "2026-01-27": true, "2026-12-25": false, "2026-12-12": false, "2026-12-05": true},
		"calendars/rub-cbr.cal": {"2026-01-08": false, "2026-01-12": true, "2026-05-11": false, "2026-12-31": false, "2027-01-11": true},
	} {
		b, err := exampleCalendars.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		c, err := settlement.ParseCalendar(b)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if _, err := time.LoadLocation(c.Zone); err != nil {
			t.Errorf("%s: zone: %v", file, err)
		}
		for s, business := range want {
			d, _ := corridor.ParseDate(s)
			if got := c.BusinessDay(d); got != business {
				t.Errorf("%s: BusinessDay(%s) = %v; want %v", file, s, got, business)
			}
		}
	}
}

// TestDuePhase checks what the scheduler runs when, in Kolkata.
func TestDuePhase(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	dec1 := corridor.Date{Year: 2026, Month: 12, Day: 1}
	at := func(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, loc) }
	for _, tt := range []struct {
		day   hub.DayView
		local time.Time
		want  string
	}{
		{hub.DayView{}, at(1, 8, 59), ""},
		{hub.DayView{}, at(1, 9, 0), "open"},
		{hub.DayView{Date: dec1, Phase: settlement.PhaseOpen}, at(1, 15, 59), ""},
		{hub.DayView{Date: dec1, Phase: settlement.PhaseOpen}, at(1, 16, 0), "customer"},
		{hub.DayView{Date: dec1, Phase: settlement.PhaseCustomerCutoff}, at(1, 17, 0), ""},
		{hub.DayView{Date: dec1, Phase: settlement.PhaseCustomerCutoff}, at(1, 18, 0), "interbank"},
		{hub.DayView{Date: dec1, Phase: settlement.PhaseOpen}, at(1, 18, 30), "interbank"},
		{hub.DayView{Date: dec1, Phase: settlement.PhaseInterbankCutoff}, at(1, 18, 59), ""},
		{hub.DayView{Date: dec1, Phase: settlement.PhaseInterbankCutoff}, at(1, 19, 0), "close"},
		{hub.DayView{Date: dec1, Phase: settlement.PhaseOpen}, at(2, 10, 0), "close"}, // Overdue: the hub was down.
		{hub.DayView{Date: corridor.Date{Year: 2026, Month: 12, Day: 3}, Phase: settlement.PhaseOpen}, at(1, 23, 0), ""},
	} {
		if got := duePhase(tt.day, tt.local, DefaultDayTimes); got != tt.want {
			t.Errorf("duePhase(%s %s, %s) = %q; want %q", tt.day.Date, tt.day.Phase, tt.local, got, tt.want)
		}
	}
}
