package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds on the data files: the Unicode 15.0.0 files are well inside them.
const (
	maxLines       = 100_000 // Lines per file; confusables.txt has 9,638.
	maxLineBytes   = 4096    // One line, with its comment.
	maxTargetRunes = 32      // Code points in one confusable's prototype; the longest has 18.
)

// rangeOf is an inclusive range of code points.
type rangeOf struct{ lo, hi rune }

// readLines calls fn with each line of r without its comment, trimmed,
// skipping empty ones, and with the text of comment lines that start the
// file, where Unicode files give their name and version.
func readLines(r io.Reader, header func(string), fn func(line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, maxLineBytes), maxLineBytes)
	inHeader := true
	for n := 1; sc.Scan(); n++ {
		if n > maxLines {
			return fmt.Errorf("more than %d lines", maxLines)
		}
		line := strings.TrimPrefix(sc.Text(), "\uFEFF")
		if inHeader && strings.HasPrefix(line, "#") {
			header(strings.TrimSpace(strings.TrimPrefix(line, "#")))
			continue
		}
		inHeader = false
		line, _, _ = strings.Cut(line, "#")
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

// parseCodePoint reads one code point written in hex, as the Unicode files
// write them.
func parseCodePoint(s string) (rune, error) {
	s = strings.TrimSpace(s)
	if len(s) < 4 || len(s) > 6 {
		return 0, fmt.Errorf("code point %q: want 4 to 6 hex digits", s)
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("code point %q: %w", s, err)
	}
	r := rune(v)
	if !utf8.ValidRune(r) {
		return 0, fmt.Errorf("code point %q is not a Unicode scalar value", s)
	}
	return r, nil
}

// confusables is what confusables.txt says: each source code point's
// prototype, and the Unicode version of the file.
type confusables struct {
	version    string
	prototypes map[rune][]rune
}

// parseConfusables reads UTS #39 confusables.txt: lines "source ; prototype
// ; MA", the prototype a sequence of code points. A source given twice, a
// type other than MA or a file that names no version is an error.
func parseConfusables(r io.Reader) (confusables, error) {
	c := confusables{prototypes: map[rune][]rune{}}
	header := func(h string) {
		if v, ok := strings.CutPrefix(h, "Version: "); ok && c.version == "" {
			c.version = strings.TrimSpace(v)
		}
	}
	err := readLines(r, header, func(line string) error {
		fields := strings.Split(line, ";")
		if len(fields) != 3 || strings.TrimSpace(fields[2]) != "MA" {
			return fmt.Errorf("want \"source ; prototype ; MA\", got %q", line)
		}
		src, err := parseCodePoint(fields[0])
		if err != nil {
			return err
		}
		if _, dup := c.prototypes[src]; dup {
			return fmt.Errorf("source %04X given twice", src)
		}
		target, err := parseSequence(fields[1])
		if err != nil {
			return err
		}
		c.prototypes[src] = target
		return nil
	})
	if err == nil && c.version == "" {
		err = errors.New("no \"# Version:\" line")
	}
	return c, err
}

// parseSequence reads code points separated by spaces.
func parseSequence(s string) ([]rune, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 || len(fields) > maxTargetRunes {
		return nil, fmt.Errorf("prototype %q: want 1 to %d code points", s, maxTargetRunes)
	}
	out := make([]rune, len(fields))
	for i, f := range fields {
		r, err := parseCodePoint(f)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// parseProperty reads the ranges that a UCD property file (such as
// DerivedCoreProperties.txt) gives property prop, lines "lo..hi ; prop" or
// "cp ; prop", and the Unicode version its first line names
// ("DerivedCoreProperties-15.0.0.txt").
func parseProperty(r io.Reader, prop string) (string, []rangeOf, error) {
	var version string
	var out []rangeOf
	header := func(h string) {
		if i := strings.LastIndex(h, "-"); version == "" && i >= 0 && strings.HasSuffix(h, ".txt") {
			version = strings.TrimSuffix(h[i+1:], ".txt")
		}
	}
	err := readLines(r, header, func(line string) error {
		cps, name, ok := strings.Cut(line, ";")
		if !ok || strings.TrimSpace(name) != prop {
			return nil
		}
		rg, err := parseRange(cps)
		if err == nil {
			out = append(out, rg)
		}
		return err
	})
	if err == nil && version == "" {
		err = errors.New("no version in the file's first line")
	}
	return version, out, err
}

// parseRange reads "lo..hi" or a single code point.
func parseRange(s string) (rangeOf, error) {
	lo, hi, isRange := strings.Cut(s, "..")
	a, err := parseCodePoint(lo)
	if err != nil {
		return rangeOf{}, err
	}
	b := a
	if isRange {
		if b, err = parseCodePoint(hi); err != nil {
			return rangeOf{}, err
		}
	}
	if b < a {
		return rangeOf{}, fmt.Errorf("range %q ends before it starts", s)
	}
	return rangeOf{a, b}, nil
}

// parseNames reads the code point and name fields of UnicodeData.txt lines
// ("0262;LATIN LETTER SMALL CAPITAL G;Ll;...").
func parseNames(r io.Reader) (map[rune]string, error) {
	out := map[rune]string{}
	err := readLines(r, func(string) {}, func(line string) error {
		fields := strings.Split(line, ";")
		if len(fields) < 3 {
			return fmt.Errorf("want at least 3 fields, got %q", line)
		}
		cp, err := parseCodePoint(fields[0])
		if err != nil {
			return err
		}
		out[cp] = fields[1]
		return nil
	})
	return out, err
}
