package screening

import (
	"slices"
	"testing"
	"unicode"
)

// TestUnicodeVersions fails when the generated tables, the NFKC tables and
// the unicode package follow different Unicode versions, as after a Go
// release moves to a new one: regenerate the tables from that version's
// data files (internal/unigen/data/SOURCES.md says how).
func TestUnicodeVersions(t *testing.T) {
	if unicodeTablesVersion != normVersion || normVersion != unicode.Version {
		t.Errorf("Unicode versions differ: tables %s, NFKC %s, package unicode %s", unicodeTablesVersion, normVersion, unicode.Version)
	}
}

// TestTablesSorted checks the generated tables are sorted, as their binary
// searches need.
func TestTablesSorted(t *testing.T) {
	if !slices.IsSortedFunc(latinLookalikes[:], func(a, b latinLookalike) int { return int(a.r - b.r) }) {
		t.Error("latinLookalikes are not sorted")
	}
	if !slices.IsSortedFunc(cyrillicLookalikes[:], func(a, b cyrillicLookalike) int { return int(a.r - b.r) }) {
		t.Error("cyrillicLookalikes are not sorted")
	}
	for i := 1; i < len(ignorableRanges); i++ {
		if ignorableRanges[i].lo <= ignorableRanges[i-1].hi {
			t.Errorf("ignorableRanges overlap at %v", ignorableRanges[i])
		}
	}
}

func TestVisualOrder(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\u202Enihces rogI", "Igor sechin"},
		{"Igor \u202Enihces\u202C Petrovich", "Igor sechin Petrovich"},
		{"\u202C\u202Eab\u202Cef", "baef"}, // A stray pop is dropped.
		{"\u202Dنيسح\u202C", "حسين"},       // Arabic under a left-to-right override reads reversed.
		{"\u2067abc\u2069", "abc"},         // An isolate moves no letters.
	}
	for _, tt := range tests {
		if got := visualOrder(tt.in); got != tt.want {
			t.Errorf("visualOrder(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
