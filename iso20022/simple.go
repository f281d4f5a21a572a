package iso20022

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// xmlSpace is the white space XSD's collapse facet removes around a value.
const xmlSpace = " \t\r\n"

// trimSpace is strings.Trim(s, xmlSpace), without making the set of
// xmlSpace again at each call: the checker trims the text of every element.
func trimSpace(s string) string {
	start, end := 0, len(s)
	for start < end && isSpace(s[start]) {
		start++
	}
	for end > start && isSpace(s[end-1]) {
		end--
	}
	return s[start:end]
}

// checkSimple checks the text s of an element or attribute against the
// simple type t. It returns "" when s is valid, else the rule broken and
// the reason code that goes with it.
func checkSimple(t *xsdType, s string) (string, corridor.ReasonCode) {
	if t.base != baseString {
		s = trimSpace(s) // Every base but xs:string collapses white space.
	}
	if rule := lexical(t.base, s); rule != "" {
		return rule, simpleReason(t)
	}
	if t.base == baseDecimal {
		return decimalFacets(t, s)
	}
	if rule := facets(t, s); rule != "" {
		return rule, simpleReason(t)
	}
	return "", ""
}

// simpleReason is the ISO reason code of a value that breaks type t.
func simpleReason(t *xsdType) corridor.ReasonCode {
	switch {
	case strings.Contains(t.name, "BIC"):
		return corridor.ReasonUnknownBIC
	case strings.Contains(t.name, "CurrencyCode"):
		return corridor.ReasonCurrency
	case t.base == baseDate || t.base == baseDateTime:
		return corridor.ReasonInvalidDate
	}
	return corridor.ReasonInvalidFormat
}

// lexical checks s against the lexical space of a built-in type.
func lexical(b xsdBase, s string) string {
	ok := true
	switch b {
	case baseDecimal:
		_, _, ok = decimalDigits(s)
	case baseBoolean:
		ok = s == "true" || s == "false" || s == "1" || s == "0"
	case baseDate:
		ok = isDate(s)
	case baseDateTime:
		ok = isDateTime(s)
	case baseTime:
		ok = isTime(s)
	case baseGYearMonth:
		ok = isYearMonth(s)
	}
	if ok {
		return ""
	}
	return fmt.Sprintf("%s is not %s", quote(s), baseNames[b])
}

var baseNames = [...]string{
	baseString: "a string", baseDecimal: "a decimal number", baseBoolean: "true, false, 1 or 0",
	baseDate: "a date (YYYY-MM-DD)", baseDateTime: "a date and time (YYYY-MM-DDThh:mm:ss)",
	baseTime: "a time (hh:mm:ss)", baseGYearMonth: "a year and month (YYYY-MM)",
}

// quote shows at most 40 characters of s, quoted, in a problem.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return fmt.Sprintf("%q...", string([]rune(s)[:40]))
	}
	return fmt.Sprintf("%q", s)
}

// facets checks s, a lexically valid string, against t's facets.
func facets(t *xsdType, s string) string {
	if t.minLen >= 0 || t.maxLen >= 0 {
		n := int32(utf8.RuneCountInString(s))
		if (t.minLen >= 0 && n < t.minLen) || (t.maxLen >= 0 && n > t.maxLen) {
			return lengthRule(t, n)
		}
	}
	if t.pattern != 0 && !xsdPatterns[t.pattern-1].match(s) {
		return fmt.Sprintf("%s is not %s (%s, pattern %s)", quote(s), patternMeaning(t.name), t.name, xsdPatterns[t.pattern-1].text)
	}
	if len(t.enum) > 0 && !contains(t.enum, s) {
		if len(t.enum) <= 12 {
			return fmt.Sprintf("%s is not one of %s (%s)", quote(s), strings.Join(t.enum, ", "), t.name)
		}
		return fmt.Sprintf("%s is not a code of %s", quote(s), t.name)
	}
	return ""
}

// patternMeaning says in words what the pattern of the type named name is.
func patternMeaning(name string) string {
	switch {
	case strings.Contains(name, "BIC"):
		return "an ISO 9362 BIC"
	case name == "UUIDv4Identifier":
		return "a lower-case UUIDv4"
	case strings.HasPrefix(name, "IBAN"):
		return "an IBAN"
	case name == "LEIIdentifier":
		return "an ISO 17442 LEI"
	case name == "CountryCode":
		return "an ISO 3166 country code"
	case strings.Contains(name, "CurrencyCode"):
		return "an ISO 4217 currency code"
	}
	return "well formed"
}

func lengthRule(t *xsdType, n int32) string {
	switch {
	case t.minLen < 0:
		return fmt.Sprintf("must be at most %d characters; it has %d (%s)", t.maxLen, n, t.name)
	case t.maxLen < 0:
		return fmt.Sprintf("must be at least %d characters; it has %d (%s)", t.minLen, n, t.name)
	}
	return fmt.Sprintf("must be %d to %d characters; it has %d (%s)", t.minLen, t.maxLen, n, t.name)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// decimalFacets checks s, a lexically valid decimal, against
// totalDigits, fractionDigits and minInclusive 0. Too many digits in an
// amount is AM02, too many decimals CH20.
func decimalFacets(t *xsdType, s string) (string, corridor.ReasonCode) {
	total, fraction, _ := decimalDigits(s)
	amount := strings.Contains(t.name, "Amount")
	switch {
	case t.totalDigits >= 0 && total > int(t.totalDigits):
		rule := fmt.Sprintf("%s has %d digits; %s allows %d", quote(s), total, t.name, t.totalDigits)
		if amount {
			return "amount exceeds the maximum: " + rule, corridor.ReasonAmountExceeded
		}
		return rule, corridor.ReasonInvalidFormat
	case t.fractionDigits >= 0 && fraction > int(t.fractionDigits):
		rule := fmt.Sprintf("%s has %d decimals; %s allows %d", quote(s), fraction, t.name, t.fractionDigits)
		if amount {
			return rule, corridor.ReasonDecimals
		}
		return rule, corridor.ReasonInvalidFormat
	case t.minZero && s[0] == '-' && total > 0:
		return fmt.Sprintf("%s is not a decimal number of at least 0 (%s)", quote(s), t.name), corridor.ReasonInvalidFormat
	}
	return "", ""
}

// decimalDigits reads s as an xs:decimal, [+-]?(d+(.d*)?|.d+), and counts
// its significant digits as XSD does: leading zeros of the integer part and
// trailing zeros of the fraction do not count.
func decimalDigits(s string) (total, fraction int, ok bool) {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if (whole == "" && frac == "") || !allDigits(whole) || !allDigits(frac) {
		return 0, 0, false
	}
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	return len(whole) + len(frac), len(frac), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// digitsAt reads n digits of s at i.
func digitsAt(s string, i, n int) (int, bool) {
	if i < 0 || i+n > len(s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// yearMonth reads -?YYYY-MM at the start of s and returns the year, the
// month and the rest of s. A year has four digits or more, without a
// leading zero past four; year 0000 does not exist in XSD 1.0.
func yearMonth(s string) (year, month int, rest string, ok bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n < 4 || n > 9 || (n > 4 && s[0] == '0') || n+3 > len(s) || s[n] != '-' {
		return 0, 0, "", false
	}
	year, _ = digitsAt(s, 0, n)
	month, ok = digitsAt(s, n+1, 2)
	if !ok || year == 0 || month < 1 || month > 12 {
		return 0, 0, "", false
	}
	if neg {
		year = -year
	}
	return year, month, s[n+3:], true
}

// date reads -?YYYY-MM-DD at the start of s and returns the rest.
func date(s string) (string, bool) {
	year, month, rest, ok := yearMonth(s)
	if !ok || len(rest) < 3 || rest[0] != '-' {
		return "", false
	}
	day, ok := digitsAt(rest, 1, 2)
	if !ok || day < 1 || day > daysIn(year, month) {
		return "", false
	}
	return rest[3:], true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// clock reads hh:mm:ss(.s+)? at the start of s and returns the rest;
// 24:00:00 is midnight at the end of the day.
func clock(s string) (string, bool) {
	h, ok1 := digitsAt(s, 0, 2)
	m, ok2 := digitsAt(s, 3, 2)
	sec, ok3 := digitsAt(s, 6, 2)
	if !ok1 || !ok2 || !ok3 || s[2] != ':' || s[5] != ':' || m > 59 || sec > 59 || h > 24 {
		return "", false
	}
	rest := s[8:]
	frac := 0
	if strings.HasPrefix(rest, ".") {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			if rest[n] != '0' {
				frac = 1
			}
			n++
		}
		if n == 1 {
			return "", false
		}
		rest = rest[n:]
	}
	if h == 24 && (m != 0 || sec != 0 || frac != 0) {
		return "", false
	}
	return rest, true
}

// isZone reports whether s is empty or a zone: Z or ±hh:mm within ±14:00.
func isZone(s string) bool {
	if s == "" || s == "Z" {
		return true
	}
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return false
	}
	h, ok1 := digitsAt(s, 1, 2)
	m, ok2 := digitsAt(s, 4, 2)
	return ok1 && ok2 && m <= 59 && (h < 14 || (h == 14 && m == 0))
}

func isDate(s string) bool {
	rest, ok := date(s)
	return ok && isZone(rest)
}

func isDateTime(s string) bool {
	rest, ok := date(s)
	if !ok || !strings.HasPrefix(rest, "T") {
		return false
	}
	rest, ok = clock(rest[1:])
	return ok && isZone(rest)
}

func isTime(s string) bool {
	rest, ok := clock(s)
	return ok && isZone(rest)
}

func isYearMonth(s string) bool {
	_, _, rest, ok := yearMonth(s)
	return ok && isZone(rest)
}
