package iso20022

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// Lengths of the ISO 20022 text types the hub reads and writes.
const (
	MaxIDChars             = 35  // Max35Text: message and transaction references.
	MaxNameChars           = 140 // Max140Text: party names.
	MaxAdditionalInfoChars = 105 // Max105Text: StsRsnInf/AddtlInf.
)

// maxTimeOffset is the largest time-zone offset xs:dateTime allows.
const maxTimeOffset = 14 * time.Hour

// text reads e as a MaxNText (1 to max characters, whitespace kept, as the
// XSD's xs:string does). An absent e reads as "".
func (e elem) text(max int) string {
	if e.n == nil {
		return ""
	}
	s := e.n.text
	if n := utf8.RuneCountInString(s); n < 1 || n > max {
		e.ps.add(e.path(), fmt.Sprintf("must be 1 to %d characters; it has %d", max, n), corridor.ReasonInvalidFormat)
		return ""
	}
	return s
}

// token reads e as an XSD value with whitespace collapsed (dates, numbers,
// booleans): surrounding whitespace is dropped.
func (e elem) token() string {
	if e.n == nil {
		return ""
	}
	return trimSpace(e.n.text)
}

// code reads e as one of the listed codes of an XSD enumeration.
func (e elem) code(codes ...string) string {
	if e.n == nil {
		return ""
	}
	for _, c := range codes {
		if e.n.text == c {
			return c
		}
	}
	e.ps.add(e.path(), fmt.Sprintf("%.20q is not one of %s", e.n.text, strings.Join(codes, ", ")), corridor.ReasonInvalidFormat)
	return ""
}

// bic reads the BranchAndFinancialInstitutionIdentification6 e as its
// FinInstnId/BICFI; any other identification is not enough for the hub.
func (e elem) bic() corridor.BIC {
	b := e.req("FinInstnId").req("BICFI")
	if !b.present() {
		return ""
	}
	bic, err := corridor.ParseBIC(b.n.text)
	if err != nil {
		e.ps.reject(b.path(), err)
	}
	return bic
}

// date reads e as an ISODate.
func (e elem) date() corridor.Date {
	if e.n == nil {
		return corridor.Date{}
	}
	d, err := corridor.ParseDate(e.token())
	if err == nil && d.Year < 1 {
		err = corridor.Reject(corridor.ReasonInvalidDate, "year 0000 is not a date")
	}
	if err != nil {
		e.ps.reject(e.path(), err)
		return corridor.Date{}
	}
	return d
}

// dateTime reads e as an ISODateTime with a time-zone offset, which CBPR+
// requires. The result is in UTC when the offset is zero, else in a fixed
// zone of that offset, so it does not depend on the machine's zone.
func (e elem) dateTime() time.Time {
	if e.n == nil {
		return time.Time{}
	}
	t, ok := parseDateTime(e.token())
	if !ok {
		e.ps.add(e.path(), fmt.Sprintf("%.40q is not a date and time with a zone offset (YYYY-MM-DDThh:mm:ss[.f]+hh:mm)", e.n.text), corridor.ReasonInvalidDate)
	}
	return t
}

func parseDateTime(s string) (time.Time, bool) {
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
	switch {
	case off == 0:
		return t.UTC(), true
	case t.Location() == time.Local:
		return t.In(time.FixedZone("", off)), true
	}
	return t, true // Parse put t in a zone of its own: FixedZone("", off) already, made once.
}

// dateTimeLayout writes an ISODateTime that CBPR+ accepts: a numeric
// offset (never Z) and only the fractional digits the time has.
const dateTimeLayout = "2006-01-02T15:04:05.999999999-07:00"

// boolean reads e as an xs:boolean.
func (e elem) boolean() bool {
	if e.n == nil {
		return false
	}
	switch e.token() {
	case "true", "1":
		return true
	case "false", "0":
		return false
	}
	e.ps.add(e.path(), fmt.Sprintf("%.20q is not true or false", e.n.text), corridor.ReasonInvalidFormat)
	return false
}
