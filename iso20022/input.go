package iso20022

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// input collects what an encoder cannot write faithfully from the domain
// values it was given. The checks are cheap and read only those values: no
// encoder reads back what it wrote. Each rule is the XSD's (or the usage
// layer's) for the element the value is written to, which names it; the
// tests run Validate and xmllint on what the encoders write.
type input struct {
	msgDef string
	bad    []string
}

func (in *input) add(path, format string, args ...any) {
	in.bad = append(in.bad, path+": "+fmt.Sprintf(format, args...))
}

// err is nil, or one error naming every field that cannot be written.
func (in *input) err() error {
	if len(in.bad) == 0 {
		return nil
	}
	return fmt.Errorf("iso20022: encode %s: %s", in.msgDef, strings.Join(in.bad, "; "))
}

// text checks a MaxNText s: 1 to max characters XML can carry.
func (in *input) text(path, s string, max int) {
	if n := utf8.RuneCountInString(s); n < 1 || n > max {
		in.add(path, "must be 1 to %d characters; it has %d", max, n)
		return
	}
	if err := checkXMLText(s); err != nil {
		in.add(path, "%v", err)
	}
}

// optionalText checks s as text when it is not "" (the element is omitted).
func (in *input) optionalText(path, s string, max int) {
	if s != "" {
		in.text(path, s, max)
	}
}

// bic checks that b is a BIC in the 11-character form ParseBIC gives.
func (in *input) bic(path string, b corridor.BIC) {
	got, err := corridor.ParseBIC(string(b))
	switch {
	case err != nil:
		in.add(path, "%v", err)
	case got != b:
		in.add(path, "BIC %s is not in its 11-character form %s", b, got)
	}
}

// optionalBIC checks b as a BIC when it is not "".
func (in *input) optionalBIC(path string, b corridor.BIC) {
	if b != "" {
		in.bic(path, b)
	}
}

// uetr checks u as a UUIDv4Identifier.
func (in *input) uetr(path string, u corridor.UETR) {
	if _, err := corridor.ParseUETR(string(u)); err != nil {
		in.add(path, "%v", err)
	}
}

// currency checks that the hub knows c, and so its minor units (AM03).
func (in *input) currency(path string, c corridor.Currency) bool {
	if !c.Valid() {
		in.add(path, "%v", corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("currency %.3q is not processable", c)))
		return false
	}
	return true
}

// amount checks a settlement amount: in a currency the hub knows, more
// than zero (AM01) and at most MaxAmount (AM02).
func (in *input) amount(path string, a corridor.Amount, c corridor.Currency) {
	if in.currency(path+"/@Ccy", c) {
		in.positive(path, a)
	}
}

// positive checks an amount in a currency already checked: more than zero
// (AM01) and at most MaxAmount (AM02).
func (in *input) positive(path string, a corridor.Amount) {
	switch {
	case a <= 0:
		in.add(path, "%v", corridor.Reject(corridor.ReasonZeroAmount, "amount is zero"))
	case a > corridor.MaxAmount:
		in.add(path, "%v", corridor.Reject(corridor.ReasonAmountExceeded, fmt.Sprintf("amount %d exceeds the maximum of %d minor units", a, corridor.MaxAmount)))
	}
}

// balance checks a signed balance in minor units: its magnitude is at most
// MaxAmount (AM02), zero included.
func (in *input) balance(path string, v int64) {
	if v > int64(corridor.MaxAmount) || v < -int64(corridor.MaxAmount) {
		in.add(path, "%v", corridor.Reject(corridor.ReasonAmountExceeded, fmt.Sprintf("balance %d exceeds the maximum of %d minor units", v, corridor.MaxAmount)))
	}
}

// date checks d as an ISODate that reads back as d.
func (in *input) date(path string, d corridor.Date) {
	if !isDay(d) {
		in.add(path, "%04d-%02d-%02d is not a date", d.Year, int(d.Month), d.Day)
	}
}

// isDay reports whether d is a day of the years 1 to 9999: what
// corridor.ParseDate(d.String()) reading back d (with a year past 0) tells,
// without writing d for each message. d.String() writes the day time.Date
// makes of d, which reads back as d only when it is d, in four digits.
func isDay(d corridor.Date) bool {
	return d.Year >= 1 && d.Year <= 9999 && corridor.DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) == d
}

// dateTime checks t as an ISODateTime with a zone offset that CBPR+ and
// the XSD accept: years 1 to 9999, an offset of whole minutes within 14 hours.
func (in *input) dateTime(path string, t time.Time) {
	_, off := t.Zone()
	d := time.Duration(off) * time.Second
	switch {
	case t.IsZero():
		in.add(path, "time is zero")
	case t.Year() < 1 || t.Year() > 9999:
		in.add(path, "year %d is not 1 to 9999", t.Year())
	case d%time.Minute != 0 || d > maxTimeOffset || d < -maxTimeOffset:
		in.add(path, "zone offset %s is not whole minutes within 14 hours", d)
	}
}

// code checks that s is one of codes.
func (in *input) code(path, s string, codes ...string) {
	for _, c := range codes {
		if s == c {
			return
		}
	}
	in.add(path, "%.20q is not one of %s", s, strings.Join(codes, ", "))
}
