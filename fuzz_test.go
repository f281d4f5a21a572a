package corridor_test

import (
	"errors"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// maxFuzzInputBytes caps what the identifier fuzz targets feed their parser:
// each identifier is a few dozen bytes at most, and every longer input is
// refused by length before any other check.
const maxFuzzInputBytes = 128

// The patterns of the ISO 20022 schemas, as an oracle independent of the
// hand-written parsers.
var (
	bicOracle  = regexp.MustCompile(`^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$`)
	uetrOracle = regexp.MustCompile(`^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$`)
)

// checkReject fails unless err is a reject with the reason want whose detail
// fits in AddtlInf, however long or strange the input was.
func checkReject(t *testing.T, call string, err error, want corridor.ReasonCode) {
	t.Helper()
	var re *corridor.RejectError
	if !errors.As(err, &re) {
		t.Fatalf("%s error %v is not a reject", call, err)
	}
	if re.Reason != want {
		t.Fatalf("%s reason %s; want %s", call, re.Reason, want)
	}
	if n := utf8.RuneCountInString(re.Detail); n > 105 || !utf8.ValidString(re.Detail) {
		t.Fatalf("%s detail of %d characters (valid UTF-8: %v); want at most 105: %q", call, n, utf8.ValidString(re.Detail), re.Detail)
	}
}

// checkIdentifier parses s, which the oracle finds valid or not, and checks
// that parse agrees: a refusal is a reject with reason, and what it accepts
// parses again to itself. It reports whether parse accepted s.
func checkIdentifier[T ~string](t *testing.T, name, s string, parse func(string) (T, error), valid bool, reason corridor.ReasonCode) (T, bool) {
	t.Helper()
	v, err := parse(s)
	if (err == nil) != valid {
		t.Fatalf("%s(%q) = %q, %v; the oracle says valid=%v", name, s, v, err, valid)
	}
	if err != nil {
		checkReject(t, name, err, reason)
		return v, false
	}
	if back, err := parse(string(v)); err != nil || back != v {
		t.Fatalf("round trip of %q: %s gives %q, then %q, %v", s, name, v, back, err)
	}
	return v, true
}

func FuzzParseBIC(f *testing.F) {
	for _, s := range []string{"DEMOINBB", "DEMOINBBXXX", "CHASGB2LXXX", "SBIN0INBB12", "demoinbb", "DEMOINB", "DEMO1NBBXXX",
		"DEMOINBB\x00XX", "ДЕМОINBB", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > maxFuzzInputBytes {
			return
		}
		b, ok := checkIdentifier(t, "ParseBIC", s, corridor.ParseBIC, bicOracle.MatchString(s), corridor.ReasonUnknownBIC)
		if !ok {
			return
		}
		if len(b) != 11 || !strings.HasPrefix(string(b), s) || (len(s) == 8 && !strings.HasSuffix(string(b), "XXX")) {
			t.Fatalf("ParseBIC(%q) = %q; want its 11-character form", s, b)
		}
		if b.Country() != s[4:6] {
			t.Fatalf("ParseBIC(%q).Country() = %q; want %q", s, b.Country(), s[4:6])
		}
	})
}

func FuzzParseUETR(f *testing.F) {
	for _, s := range []string{"174c245f-2682-4291-ad67-2a41e530cd27", "00000000-0000-4000-8000-000000000000",
		"174C245F-2682-4291-AD67-2A41E530CD27", "174c245f-2682-1291-ad67-2a41e530cd27", "174c245f-2682-4291-cd67-2a41e530cd27",
		"174c245f26824291ad672a41e530cd27", "{174c245f-2682-4291-ad67-2a41e530cd27}", "174c245f-2682-4291-ad67-2a41e530cd2\u00e9", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > maxFuzzInputBytes {
			return
		}
		u, ok := checkIdentifier(t, "ParseUETR", s, corridor.ParseUETR, uetrOracle.MatchString(s), corridor.ReasonInvalidFormat)
		if ok && string(u) != s {
			t.Fatalf("ParseUETR(%q) = %q; want it unchanged", s, u)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-25", "2024-02-29", "2026-02-29", "2026-02-30", "2026-1-5", "25/11/2026", "0000-01-01",
		"9999-12-31", "+026-11-25", "2026-11-25T00:00:00Z", "2026-11-25 ", " 2026-11-25", "２０２６-11-25", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > maxFuzzInputBytes {
			return
		}
		d, err := corridor.ParseDate(s)
		if err != nil {
			checkReject(t, "ParseDate", err, corridor.ReasonInvalidDate)
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) = %v, which prints as %q: the parser accepts a form that is not YYYY-MM-DD", s, d, d.String())
		}
		back, err := corridor.ParseDate(d.String())
		if err != nil || back != d {
			t.Fatalf("round trip of %q: %v -> %q -> %v, %v", s, d, d.String(), back, err)
		}
	})
}

func FuzzParseCurrency(f *testing.F) {
	for _, s := range []string{"INR", "RUB", "JPY", "KWD", "inr", "XXX", "IN", "INRR", "ИНР", "\xffIN", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > maxFuzzInputBytes {
			return
		}
		_, known := corridor.CurrencyExponents[corridor.Currency(s)]
		c, ok := checkIdentifier(t, "ParseCurrency", s, corridor.ParseCurrency, known, corridor.ReasonCurrency)
		if ok && (string(c) != s || !c.Valid()) {
			t.Fatalf("ParseCurrency(%q) = %q, valid %v; want it unchanged and valid", s, c, c.Valid())
		}
	})
}

// FuzzParseAmount reads s in every currency the hub knows, so
// that each ISO 4217 exponent is covered, and checks the result against
// math/big's exact decimal reading of s.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1000.50", "0.01", "10.505", "1.234", "7", "", ".", "5.", ".5", "9999999999999999.99",
		"999999999999999999", "999999999999999.999", "00000.10", "0", "-1", "+1", "1e3", "0x10", "1/2", "1_000", " 1"} {
		f.Add(s)
	}
	currencies := slices.Sorted(maps.Keys(corridor.CurrencyExponents))
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > maxFuzzInputBytes {
			return
		}
		for _, c := range currencies {
			checkAmount(t, s, c)
		}
	})
}

// checkAmount checks ParseAmount(s, c) against an exact reading of s.
func checkAmount(t *testing.T, s string, c corridor.Currency) {
	t.Helper()
	a, err := corridor.ParseAmount(s, c)
	want, reason := exactAmount(s, c.Exponent())
	if err != nil {
		checkReject(t, "ParseAmount in "+string(c), err, reason)
		return
	}
	if reason != "" || want != a {
		t.Fatalf("ParseAmount(%q, %s) = %d; an exact reading says %d, reason %q", s, c, a, want, reason)
	}
	text := a.Format(c)
	back, err := corridor.ParseAmount(text, c)
	if err != nil || back != a {
		t.Fatalf("round trip of %q in %s: %d -> %q -> %d, %v", s, c, a, text, back, err)
	}
	if again := back.Format(c); again != text {
		t.Fatalf("Format of %q in %s is not stable: %q then %q", s, c, text, again)
	}
}

// amountSyntax is what ParseAmount reads: digits, at most one point, and a
// digit on at least one side of it.
var amountSyntax = regexp.MustCompile(`^([0-9]+\.?[0-9]*|\.[0-9]+)$`)

// exactAmount reads s with math/big into minor units of a currency with exp
// decimals, or says which reason ParseAmount must give, in the order
// ParseAmount checks them.
func exactAmount(s string, exp int) (corridor.Amount, corridor.ReasonCode) {
	if len(s) > corridor.MaxAmountChars || !amountSyntax.MatchString(s) {
		return 0, corridor.ReasonInvalidFormat
	}
	if _, frac, _ := strings.Cut(s, "."); len(frac) > exp {
		return 0, corridor.ReasonDecimals
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("math/big cannot read the decimal " + s)
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)))
	if !r.IsInt() {
		panic("a decimal with at most exp decimals is not whole in minor units: " + s)
	}
	minor := r.Num()
	switch {
	case minor.Cmp(big.NewInt(int64(corridor.MaxAmount))) > 0:
		return 0, corridor.ReasonAmountExceeded
	case minor.Sign() == 0:
		return 0, corridor.ReasonZeroAmount
	}
	return corridor.Amount(minor.Int64()), ""
}
