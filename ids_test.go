package corridor_test

import (
	"testing"

	"github.com/corridor-network/corridor"
)

func TestParseBIC(t *testing.T) {
	tests := []struct {
		in   string
		want corridor.BIC
		ok   bool
	}{
		{"DEMOINBB", "DEMOINBBXXX", true},
		{"DEMORUMM", "DEMORUMMXXX", true},
		{"CHASGB2LXXX", "CHASGB2LXXX", true},
		{"SBIN0INBB12", "SBIN0INBB12", false}, // Country must be letters.
		{"demoinbb", "", false},
		{"DEMOINB", "", false},
		{"DEMOINBBXX", "", false},
		{"DEMO1NBBXXX", "", false},
	}
	for _, tt := range tests {
		got, err := corridor.ParseBIC(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseBIC(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseUETR(t *testing.T) {
	good := []string{"174c245f-2682-4291-ad67-2a41e530cd27", "00000000-0000-4000-8000-000000000000"}
	bad := []string{"174C245F-2682-4291-AD67-2A41E530CD27", "174c245f-2682-1291-ad67-2a41e530cd27",
		"174c245f-2682-4291-cd67-2a41e530cd27", "174c245f26824291ad672a41e530cd27", ""}
	for _, s := range good {
		if _, err := corridor.ParseUETR(s); err != nil {
			t.Errorf("ParseUETR(%q): %v", s, err)
		}
	}
	for _, s := range bad {
		if _, err := corridor.ParseUETR(s); err == nil {
			t.Errorf("ParseUETR(%q) accepted", s)
		}
	}
}

func TestParseDate(t *testing.T) {
	if d, err := corridor.ParseDate("2026-11-25"); err != nil || d.String() != "2026-11-25" {
		t.Errorf("ParseDate(2026-11-25) = %v, %v", d, err)
	}
	for _, s := range []string{"2026-02-30", "2026-1-5", "25/11/2026", ""} {
		if r, _ := corridor.ReasonOf(func() error { _, err := corridor.ParseDate(s); return err }()); r != corridor.ReasonInvalidDate {
			t.Errorf("ParseDate(%q) reason %q; want DT01", s, r)
		}
	}
}
