package iso20022

import (
	"bytes"
	"encoding/xml"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
)

// FuzzEscapeText: escapeText writes what xml.EscapeText writes for every
// text checkXMLText lets through.
func FuzzEscapeText(f *testing.F) {
	for _, s := range []string{"", "plain", `Ltd "Oil" & <Gas> 'Co'`, "line\nnext\r\ttab", "Ελληνικά & русский", "\u2028\U0001F600"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if checkXMLText(s) != nil {
			return
		}
		var got, want bytes.Buffer
		escapeText(&got, s)
		if err := xml.EscapeText(&want, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("escapeText(%q) = %q; xml.EscapeText writes %q", s, got.Bytes(), want.Bytes())
		}
	})
}

// FuzzWriterDates: the writer's dateTime and date write what text writes
// of the strings they used to be given, t.Format(dateTimeLayout) and
// d.String(), for any instant, zone offset and date, normalised or not.
func FuzzWriterDates(f *testing.F) {
	f.Add(int64(1772427600), int64(0), int32(5*3600+1800), 2026, 3, 2)
	f.Add(int64(-62135596800), int64(999999999), int32(-14*3600), 0, 13, 32)
	f.Add(int64(253402300799), int64(120000000), int32(0), 10000, -1, 0)
	f.Fuzz(func(t *testing.T, sec, nsec int64, off int32, year, month, day int) {
		at := time.Unix(sec, nsec).In(time.FixedZone("", int(off)))
		d := corridor.Date{Year: year, Month: time.Month(month), Day: day}
		got, want := newWriter(), newWriter()
		got.depth, want.depth = 2, 2
		got.dateTime("CreDt", at)
		got.date("Dt", d)
		want.text("CreDt", at.Format(dateTimeLayout))
		want.text("Dt", d.String())
		g, errG := got.bytes()
		w, errW := want.bytes()
		if errG != nil || errW != nil || !bytes.Equal(g, w) {
			t.Fatalf("dateTime and date wrote %q (%v); text writes %q (%v)", g, errG, w, errW)
		}
	})
}
