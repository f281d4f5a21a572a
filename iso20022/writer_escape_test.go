package iso20022

import (
	"bytes"
	"encoding/xml"
	"testing"
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
