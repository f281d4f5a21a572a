package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// maxFuzzBytes caps fuzz inputs.
const maxFuzzBytes = 64 << 10

func mustReadData(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("data", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestParseData(t *testing.T) {
	c, err := parseConfusables(bytes.NewReader(mustReadData(t, confusablesFile)))
	if err != nil {
		t.Fatal(err)
	}
	if c.version != "15.0.0" || len(c.prototypes) != 6311 {
		t.Errorf("confusables: version %q, %d entries; want 15.0.0, 6311", c.version, len(c.prototypes))
	}
	if got := string(c.prototypes['а']); got != "a" {
		t.Errorf("prototype of Cyrillic а = %q; want a", got)
	}
	v, ranges, err := parseProperty(bytes.NewReader(mustReadData(t, ignorableFile)), "Default_Ignorable_Code_Point")
	if err != nil || v != "15.0.0" || !slices.Contains(ranges, rangeOf{0x3164, 0x3164}) {
		t.Errorf("ignorables: %q, %v, %v; want 15.0.0 with U+3164", v, ranges, err)
	}
	names, err := parseNames(bytes.NewReader(mustReadData(t, smallCapsFile)))
	if caps := smallCapitals(names); err != nil || caps[0x1D00] != "a" || caps[0x0276] != "oe" || caps[0x1D06] != "" {
		t.Errorf("small capitals: %v, %v", caps, err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"0041 ; 0061 ; MA\n",                                 // No version.
		"# Version: 1\n0041 ; 0061\n",                        // Two fields.
		"# Version: 1\n0041 ; 0061 ; SL\n",                   // Not MA.
		"# Version: 1\nD800 ; 0061 ; MA\n",                   // A surrogate.
		"# Version: 1\n0041 ; ; MA\n",                        // No prototype.
		"# Version: 1\n0041 ; 0061 ; MA\n0041 ; 0062 ; MA\n", // Twice.
		"# Version: 1\n41 ; 0061 ; MA\n",                     // Two digits.
		"# Version: 1\n0041 ; " + strings.Repeat("0061 ", maxTargetRunes+1) + "; MA\n",
	} {
		if _, err := parseConfusables(strings.NewReader(in)); err == nil {
			t.Errorf("parseConfusables(%q) = nil error", in)
		}
	}
	for _, in := range []string{"# X-1.txt\n0042..0041 ; P\n", "0041 ; P\n", "# X-1.txt\nZZZZ ; P\n"} {
		if _, _, err := parseProperty(strings.NewReader(in), "P"); err == nil {
			t.Errorf("parseProperty(%q) = nil error", in)
		}
	}
}

// writeConfusables writes c back in the file's format.
func writeConfusables(c confusables) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Version: %s\n", c.version)
	for _, src := range slices.Sorted(maps.Keys(c.prototypes)) {
		var t []string
		for _, r := range c.prototypes[src] {
			t = append(t, fmt.Sprintf("%04X", r))
		}
		fmt.Fprintf(&b, "%04X ;\t%s ;\tMA\t# comment\n", src, strings.Join(t, " "))
	}
	return b.String()
}

// FuzzParseConfusables reads arbitrary files: never a panic, prototypes
// within bounds, and what it read, written back, reads the same.
func FuzzParseConfusables(f *testing.F) {
	data := mustReadData(f, confusablesFile)
	f.Add(data[:900]) // The header and the first entries: small seeds, so that minimising stays quick.
	f.Add(data[len(data)-600:])
	f.Add([]byte("\uFEFF# Version: 15.0.0\n0430 ;\t0061 ;\tMA\t# ( а → a )\n006D ;\t0072 006E ;\tMA\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > maxFuzzBytes {
			return
		}
		c, err := parseConfusables(bytes.NewReader(in))
		if err != nil {
			return
		}
		for src, p := range c.prototypes {
			if len(p) == 0 || len(p) > maxTargetRunes {
				t.Fatalf("prototype of %04X has %d code points", src, len(p))
			}
		}
		if strings.ContainsAny(c.version, "\n") || c.version == "" {
			t.Fatalf("version %q", c.version)
		}
		again, err := parseConfusables(strings.NewReader(writeConfusables(c)))
		if err != nil {
			t.Fatalf("written back: %v", err)
		}
		if again.version != strings.TrimSpace(c.version) || !maps.EqualFunc(c.prototypes, again.prototypes, slices.Equal) {
			t.Fatalf("round trip differs: %+v vs %+v", c, again)
		}
	})
}

// FuzzParseProperty reads arbitrary property files: never a panic, and
// every range in order.
func FuzzParseProperty(f *testing.F) {
	f.Add(mustReadData(f, ignorableFile))
	f.Add([]byte("# P-1.0.txt\n0041..005A ; P # letters\n0061 ; Q\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > maxFuzzBytes {
			return
		}
		_, ranges, err := parseProperty(bytes.NewReader(in), "Default_Ignorable_Code_Point")
		if err != nil {
			return
		}
		for _, r := range ranges {
			if r.hi < r.lo {
				t.Fatalf("range %v", r)
			}
		}
	})
}

// FuzzParseNames reads arbitrary UnicodeData lines: never a panic, and
// every name it returns has no field separator.
func FuzzParseNames(f *testing.F) {
	f.Add(mustReadData(f, smallCapsFile))
	f.Add([]byte("0041;LATIN CAPITAL LETTER A;Lu;0;L;;;;;N;;;;0061;\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > maxFuzzBytes {
			return
		}
		names, err := parseNames(bytes.NewReader(in))
		if err != nil {
			return
		}
		for r, n := range names {
			if strings.Contains(n, ";") {
				t.Fatalf("name of %04X is %q", r, n)
			}
		}
		_ = smallCapitals(names)
	})
}

// TestGeneratedTables checks that screening's unicode_tables.go is what
// the generator writes from data/: run go generate ./screening after
// changing either.
func TestGeneratedTables(t *testing.T) {
	out := filepath.Join(t.TempDir(), "unicode_tables.go")
	if err := run("data", out); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "unicode_tables.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("screening/unicode_tables.go is not what unigen writes from data/: run go generate ./screening")
	}
}
