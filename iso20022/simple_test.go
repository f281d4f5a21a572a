package iso20022

import (
	"strings"
	"testing"
)

// FuzzTrimSpace: trimSpace is strings.Trim(s, xmlSpace).
func FuzzTrimSpace(f *testing.F) {
	for _, s := range []string{"", " ", "\t\r\n x \r\n\t", "x", " \u00a0x\u2028 ", "\v\fx\f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimSpace(s), strings.Trim(s, xmlSpace); got != want {
			t.Fatalf("trimSpace(%q) = %q; strings.Trim gives %q", s, got, want)
		}
	})
}
