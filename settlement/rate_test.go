package settlement_test

import (
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/settlement"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		reason corridor.ReasonCode
	}{
		{"0.8734", "0.8734", ""},
		{"1", "1", ""},
		{"001.2500", "1.25", ""},
		{".5", "0.5", ""},
		{"5.", "5", ""},
		{"0.000000000001", "0.000000000001", ""},
		{"123456789012345678", "123456789012345678", ""},
		{"0.0000000000001", "", "FF01"},
		{"1234567890123456789", "", "FF01"},
		{"0", "", "FF01"},
		{"0.000", "", "FF01"},
		{"", "", "FF01"},
		{".", "", "FF01"},
		{"-1", "", "FF01"},
		{"1e3", "", "FF01"},
		{"1,5", "", "FF01"},
		{" 1", "", "FF01"},
		{"1.2.3", "", "FF01"},
	}
	for _, tt := range tests {
		r, err := settlement.ParseRate(tt.in)
		reason, _ := corridor.ReasonOf(err)
		if reason != tt.reason || (err == nil && r.String() != tt.want) {
			t.Errorf("ParseRate(%q) = %s, %v; want %s, reason %q", tt.in, r, err, tt.want, tt.reason)
		}
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		amount    corridor.Amount
		from, to  corridor.Currency
		rate      string
		want      corridor.Amount
		remainder int64 // In 10^-15 of a minor unit.
		reason    corridor.ReasonCode
	}{
		{100, "INR", "RUB", "1.0731", 107, 310_000_000_000_000, ""},
		{3, "INR", "RUB", "0.5", 2, -500_000_000_000_000, ""},           // 1.5 rounds to even 2.
		{5, "INR", "RUB", "0.5", 2, 500_000_000_000_000, ""},            // 2.5 rounds to even 2.
		{7, "INR", "RUB", "0.5", 4, -500_000_000_000_000, ""},           // 3.5 rounds to even 4.
		{100, "JPY", "INR", "0.57", 5700, 0, ""},                        // JPY has no minor unit.
		{1000, "KWD", "INR", "271.8", 27180, 0, ""},                     // 1.000 KWD.
		{12345, "INR", "KWD", "0.003679", 454, 172_550_000_000_000, ""}, // 123.45 INR is 454.17255 fils.
		{1, "INR", "RUB", "0.4", 0, 0, "AM01"},
		{1, "INR", "INR", "1", 0, 0, "AM03"},
		{999_999_999_999_999_999, "INR", "RUB", "2", 0, 0, "AM02"},
	}
	for _, tt := range tests {
		r, err := settlement.ParseRate(tt.rate)
		if err != nil {
			t.Fatal(err)
		}
		cv, err := settlement.Convert(tt.amount, tt.from, tt.to, r)
		reason, _ := corridor.ReasonOf(err)
		if reason != tt.reason || (err == nil && (cv.To.Amount != tt.want || cv.Remainder.Units != tt.remainder)) {
			t.Errorf("Convert(%d, %s, %s, %s) = %d rem %d, %v; want %d rem %d, reason %q",
				tt.amount, tt.from, tt.to, tt.rate, cv.To.Amount, cv.Remainder.Units, err, tt.want, tt.remainder, tt.reason)
		}
	}
}

// FuzzParseRate checks that a parsed rate writes back to text that parses to
// the same rate, and that a conversion at it is exact: paid plus remainder is
// the exact value.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0.8734", "1", "001.2500", ".5", "123456789012345678", "0.000000000001", "1e3", "-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 2*settlement.MaxRateChars {
			return
		}
		r, err := settlement.ParseRate(s)
		if err != nil {
			if _, ok := corridor.ReasonOf(err); !ok {
				t.Fatalf("ParseRate(%q): %v is not a reject", s, err)
			}
			return
		}
		again, err := settlement.ParseRate(r.String())
		if err != nil || again != r {
			t.Fatalf("ParseRate(%q) = %s; parsing that gives %s, %v", s, r, again, err)
		}
		cv, err := settlement.Convert(12345, "INR", "KWD", r)
		if err != nil {
			return
		}
		half := int64(5) * 100_000_000_000_000
		if u := cv.Remainder.Units; u > half || u < -half {
			t.Fatalf("remainder %d passes half a minor unit", u)
		}
	})
}
