package corridor_test

import (
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in       string
		currency corridor.Currency
		want     corridor.Amount
		reason   corridor.ReasonCode
	}{
		{"1000.50", "INR", 100050, ""},
		{"1000.5", "INR", 100050, ""},
		{"1000", "RUB", 100000, ""},
		{"1000.", "RUB", 100000, ""},
		{".01", "USD", 1, ""},
		{"0.01", "EUR", 1, ""},
		{"7", "JPY", 7, ""},
		{"1.234", "KWD", 1234, ""},
		{"9999999999999999.99", "INR", 999_999_999_999_999_999, ""},
		{"10.505", "INR", 0, "CH20"},
		{"10.00", "JPY", 0, "CH20"},
		{"10.500", "INR", 0, "CH20"},
		{"0", "INR", 0, "AM01"},
		{"0.00", "INR", 0, "AM01"},
		{"10000000000000000.00", "INR", 0, "AM02"},
		{"", "INR", 0, "FF01"},
		{".", "INR", 0, "FF01"},
		{"-5", "INR", 0, "FF01"},
		{"+5", "INR", 0, "FF01"},
		{"1,5", "INR", 0, "FF01"},
		{"1e5", "INR", 0, "FF01"},
		{"1.2.3", "INR", 0, "FF01"},
		{" 1", "INR", 0, "FF01"},
		{strings.Repeat("1", 41), "INR", 0, "FF01"},
	}
	for _, tt := range tests {
		got, err := corridor.ParseAmount(tt.in, tt.currency)
		reason, _ := corridor.ReasonOf(err)
		if got != tt.want || reason != tt.reason {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d, reason %q", tt.in, tt.currency, got, err, tt.want, tt.reason)
		}
	}
}

func TestAmountFormat(t *testing.T) {
	tests := []struct {
		a    corridor.Amount
		c    corridor.Currency
		want string
	}{
		{100050, "INR", "1000.50"}, {1, "RUB", "0.01"}, {0, "USD", "0.00"}, {7, "JPY", "7"}, {5, "KWD", "0.005"},
	}
	for _, tt := range tests {
		if got := tt.a.Format(tt.c); got != tt.want {
			t.Errorf("Amount(%d).Format(%s) = %q; want %q", tt.a, tt.c, got, tt.want)
		}
	}
}

func TestAmountAdd(t *testing.T) {
	if _, ok := corridor.MaxAmount.Add(1); ok {
		t.Error("MaxAmount+1 did not report overflow")
	}
	if s, ok := corridor.Amount(2).Add(3); !ok || s != 5 {
		t.Errorf("2+3 = %d, %v", s, ok)
	}
	if _, ok := corridor.Amount(2).Sub(3); ok {
		t.Error("2-3 did not report a negative result")
	}
}

func TestParseCurrency(t *testing.T) {
	for _, code := range []string{"INR", "RUB", "USD", "EUR", "CNY", "AED"} {
		if _, err := corridor.ParseCurrency(code); err != nil {
			t.Errorf("ParseCurrency(%q): %v", code, err)
		}
	}
	for _, code := range []string{"XXX", "inr", "", "INRR"} {
		if _, err := corridor.ParseCurrency(code); err == nil {
			t.Errorf("ParseCurrency(%q) accepted", code)
		} else if r, _ := corridor.ReasonOf(err); r != corridor.ReasonCurrency {
			t.Errorf("ParseCurrency(%q) reason %q; want AM03", code, r)
		}
	}
}
