package screening

//go:generate go run ./internal/unigen -data internal/unigen/data -out unicode_tables.go

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Flag is something a name carries that a reader does not see or may
// misread. Screen reports the flags of a party's name in Result.Flags,
// whatever the name matches; FlagBidiControl also holds the payment.
type Flag string

// The flags, in the order Result.Flags lists them.
const (
	// FlagBidiControl: the name has bidi embedding, override or isolate
	// controls (U+202A-U+202E, U+2066-U+2069), which can show its letters in
	// another order than they are stored: such a name is held for review.
	// It is matched both as stored and as shown.
	FlagBidiControl Flag = "bidi control characters"
	// FlagMixedScript: a word mixes letters of two scripts (Latin with
	// Cyrillic or Greek lookalikes, say); it is matched written in one.
	FlagMixedScript Flag = "mixed scripts in one word"
	// FlagInvisible: the name had invisible format characters or fillers
	// (zero-width spaces, soft hyphens, Hangul fillers, braille blanks),
	// removed or read as spaces before matching.
	FlagInvisible Flag = "invisible characters"
	// FlagStyled: letters were written in fullwidth, mathematical, circled
	// or other compatibility forms, read as plain letters before matching.
	FlagStyled Flag = "styled or fullwidth letters"
)

// Holds reports whether f holds a payment on its own, whatever the score.
func (f Flag) Holds() bool { return f == FlagBidiControl }

// flagSet is a set of flags, one bit each in the order of allFlags.
type flagSet uint8

var allFlags = [...]Flag{FlagBidiControl, FlagMixedScript, FlagInvisible, FlagStyled}

const (
	flagBidi flagSet = 1 << iota
	flagMixed
	flagInvisible
	flagStyled
)

// list writes the set as flags, in order; nil when empty.
func (fs flagSet) list() []Flag {
	var out []Flag
	for i, f := range allFlags {
		if fs&(1<<i) != 0 {
			out = append(out, f)
		}
	}
	return out
}

// holds reports whether some flag of the set holds a payment on its own.
func (fs flagSet) holds() bool {
	return slices.ContainsFunc(fs.list(), Flag.Holds)
}

// runeRange is an inclusive range of code points.
type runeRange struct{ lo, hi rune }

// latinLookalike is a letter and the ASCII letters it reads as.
type latinLookalike struct {
	r     rune
	latin string
}

// cyrillicLookalike is a Latin or Greek letter and the Cyrillic letter it
// reads as.
type cyrillicLookalike struct{ r, cyrillic rune }

// latinOf is what r reads as in ASCII letters, if it has a lookalike there.
func latinOf(r rune) (string, bool) {
	i, ok := slices.BinarySearchFunc(latinLookalikes[:], r, func(l latinLookalike, r rune) int { return int(l.r - r) })
	if !ok {
		return "", false
	}
	return latinLookalikes[i].latin, true
}

// cyrillicOf is the Cyrillic letter r reads as, if it has one.
func cyrillicOf(r rune) (rune, bool) {
	i, ok := slices.BinarySearchFunc(cyrillicLookalikes[:], r, func(l cyrillicLookalike, r rune) int { return int(l.r - r) })
	if !ok {
		return 0, false
	}
	return cyrillicLookalikes[i].cyrillic, true
}

// isIgnorable reports whether r is a Default_Ignorable_Code_Point or a
// format character (Cf): both invisible in a name.
func isIgnorable(r rune) bool {
	_, ok := slices.BinarySearchFunc(ignorableRanges[:], r, func(g runeRange, r rune) int {
		switch {
		case r < g.lo:
			return 1
		case r > g.hi:
			return -1
		}
		return 0
	})
	return ok || unicode.Is(unicode.Cf, r)
}

// isFiller reports whether r is shown as blank space though it is not a
// space character: the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) and
// the braille blank (U+2800). A name using one as a space is read with a
// space.
func isFiller(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800:
		return true
	}
	return false
}

// isBidiControl reports whether r is a bidi embedding, override or isolate
// control.
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// quietIgnorable are invisible characters that ordinary text carries:
// joiners in Indic and Persian words, direction marks in Arabic and Hebrew
// text, variation selectors after CJK characters. They are removed without
// FlagInvisible.
func quietIgnorable(r rune) bool {
	return r == 0x200C || r == 0x200D || r == 0x200E || r == 0x200F || r == 0x061C || r >= 0xFE00 && r <= 0xFE0F
}

// canonical is a name ready to romanise (see canonicalize).
type canonical struct {
	text      string  // As stored: NFKC, invisible characters removed, each word in one script where it can be.
	visual    string  // As shown, when it has bidi controls (see visualOrder); else "".
	lookalike string  // The name in the Latin letters it looks like, when every other letter has one; else "".
	flags     flagSet // What the name carries.
}

// canonicalize writes a name the way a reader sees it: bidi controls are
// flagged (and the name also read in the order it is shown), invisible
// characters removed and fillers read as spaces, compatibility forms
// (fullwidth, mathematical bold, ligatures) written as plain letters by
// NFKC, and a word mixing scripts written in one of them by the UTS #39
// confusables, so that "Shcherbаkov" with a Cyrillic а is Shcherbakov.
func canonicalize(name string) canonical {
	if isASCII(name) {
		return canonical{text: name}
	}
	var c canonical
	c.text = c.readAs(name)
	if c.flags&flagBidi != 0 {
		if v := c.readAs(visualOrder(name)); v != c.text {
			c.visual = v
		}
	}
	if l, ok := latinLookalikeName(c.text); ok && l != c.text {
		c.lookalike = l
	}
	return c
}

// readAs is canonicalize's reading of s, as stored, noting flags in c.
func (c *canonical) readAs(s string) string {
	if strings.IndexFunc(s, isInvisible) >= 0 {
		s = c.visible(s)
	}
	if !norm.NFKC.IsNormalString(s) {
		n := norm.NFKC.String(s)
		if styled(s) {
			c.flags |= flagStyled
		}
		s = n
	}
	s, mixed := oneScriptWords(s)
	if mixed {
		c.flags |= flagMixed
	}
	return s
}

// isInvisible reports whether canonicalize removes r or reads it as a space.
func isInvisible(r rune) bool {
	return r >= 0x80 && (isBidiControl(r) || isFiller(r) || isIgnorable(r))
}

// visible is s without its bidi controls and ignorable characters, and with
// its fillers written as spaces, noting flags in c.
func (c *canonical) visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case isBidiControl(r):
			c.flags |= flagBidi
		case isFiller(r):
			c.flags |= flagInvisible
			b.WriteByte(' ')
		case isIgnorable(r):
			if !quietIgnorable(r) {
				c.flags |= flagInvisible
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// styled reports whether s has a letter or digit in a compatibility form
// that NFKC writes plainly: fullwidth, mathematical, circled, superscript,
// a ligature; not a no-break space.
func styled(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf {
			continue
		}
		one := string(r)
		if k := norm.NFKC.String(one); k != norm.NFC.String(one) && strings.IndexFunc(k, isLetterOrDigit) >= 0 {
			return true
		}
	}
	return false
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// maxBidiDepth bounds the nesting of bidi controls that visualOrder follows;
// Unicode's own limit (UAX #9) is 125.
const maxBidiDepth = 125

// visualOrder writes s in the order it is shown when it carries bidi
// overrides: the text after a right-to-left override (U+202E) up to its
// pop (U+202C), or to the end, is shown reversed, and so is Arabic or Hebrew
// text after a left-to-right override (U+202D), which a reader of those
// scripts then reads from the right. Embeddings and isolates only move
// whole words, which the matcher compares in any order. It is an
// approximation of UAX #9 for names (an override nested in a reversed one is
// reversed with it); the flag holds the payment in any case.
func visualOrder(s string) string {
	out, _ := visualRun([]rune(s), 0, 0)
	return string(out)
}

// visualRun reads rs from i up to the pop that closes the current level (or
// the end), reversing what an override requires, and returns it with the
// index after it.
func visualRun(rs []rune, i, depth int) ([]rune, int) {
	var out []rune
	for i < len(rs) {
		r := rs[i]
		i++
		switch {
		case r == 0x202C || r == 0x2069: // A pop; one with nothing to close is dropped.
			if depth > 0 {
				return out, i
			}
		case isBidiControl(r) && depth < maxBidiDepth:
			var inner []rune
			inner, i = visualRun(rs, i, depth+1)
			if r == 0x202E || r == 0x202D && hasRTL(inner) {
				slices.Reverse(inner)
			}
			out = append(out, inner...)
		default:
			out = append(out, r)
		}
	}
	return out, i
}

// hasRTL reports whether rs has a letter of a right-to-left script.
func hasRTL(rs []rune) bool {
	return slices.ContainsFunc(rs, func(r rune) bool {
		return unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko)
	})
}

// Script classes of letters, for the mixed-script rule.
const (
	scriptNone = iota // Not a letter, or a letter of the Common or Inherited script.
	scriptLatin
	scriptCyrillic
	scriptGreek
	scriptOther
)

func scriptClass(r rune) int {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r|0x20 && r|0x20 <= 'z' {
			return scriptLatin
		}
		return scriptNone
	case !unicode.IsLetter(r):
		return scriptNone
	case unicode.Is(unicode.Latin, r):
		return scriptLatin
	case unicode.Is(unicode.Cyrillic, r):
		return scriptCyrillic
	case unicode.Is(unicode.Greek, r):
		return scriptGreek
	case unicode.In(r, unicode.Common, unicode.Inherited):
		return scriptNone
	}
	return scriptOther
}

// oneScriptWords writes every word of s whose letters mix scripts in one
// script (see oneScript), and reports whether any did.
func oneScriptWords(s string) (string, bool) {
	if !mixesScripts(s) {
		return s, false
	}
	var b strings.Builder
	for len(s) > 0 {
		end := strings.IndexFunc(s, isWordBreak)
		if end < 0 {
			end = len(s)
		}
		word, _ := oneScript(s[:end])
		b.WriteString(word)
		if end == len(s) {
			break
		}
		_, n := utf8.DecodeRuneInString(s[end:])
		b.WriteString(s[end : end+n])
		s = s[end+n:]
	}
	return b.String(), true
}

// mixesScripts reports whether a word of s has letters of two scripts.
func mixesScripts(s string) bool {
	var seen [scriptOther + 1]bool
	scripts := 0
	for _, r := range s {
		if isWordBreak(r) {
			seen, scripts = [scriptOther + 1]bool{}, 0
			continue
		}
		if c := scriptClass(r); c != scriptNone && !seen[c] {
			seen[c] = true
			scripts++
		}
		if scripts > 1 {
			return true
		}
	}
	return false
}

// isWordBreak reports whether r separates words: not a letter, mark or
// digit.
func isWordBreak(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r)
}

// oneScript writes a word that mixes scripts in one, by the confusables: in
// whichever of Latin and Cyrillic most of its letters have (Latin on a tie)
// when every other letter has a lookalike there, else in the other of the
// two if every letter has a lookalike there, else as far as lookalikes go
// in the first; never in Cyrillic when it has no Cyrillic letter. It reports
// whether the word mixed scripts.
func oneScript(word string) (string, bool) {
	var count [scriptOther + 1]int
	for _, r := range word {
		count[scriptClass(r)]++
	}
	scripts := 0
	for _, n := range count[scriptLatin:] {
		if n > 0 {
			scripts++
		}
	}
	if scripts < 2 {
		return word, false
	}
	first, second := scriptLatin, scriptCyrillic
	if count[scriptCyrillic] > count[scriptLatin] {
		first, second = second, first
	}
	for _, target := range []int{first, second} {
		if target == scriptCyrillic && count[scriptCyrillic] == 0 {
			continue // Latin with Greek or Devanagari: never written in Cyrillic.
		}
		if w, ok := inScript(word, target); ok {
			return w, true
		}
	}
	if count[scriptCyrillic] == 0 {
		first = scriptLatin
	}
	w, _ := inScript(word, first)
	return w, true
}

// inScript writes word's letters of other scripts as their lookalikes in
// script (scriptLatin or scriptCyrillic), and reports whether every one had
// a lookalike; those without are kept.
func inScript(word string, script int) (string, bool) {
	var b strings.Builder
	all := true
	for _, r := range word {
		class := scriptClass(r)
		if class == scriptNone || class == script {
			b.WriteRune(r)
			continue
		}
		if l, ok := lookalikeIn(r, script); ok {
			b.WriteString(l)
			continue
		}
		all = false
		b.WriteRune(r)
	}
	return b.String(), all
}

// lookalikeIn is r's lookalike in script, if it has one.
func lookalikeIn(r rune, script int) (string, bool) {
	if script == scriptLatin {
		return latinOf(r)
	}
	if c, ok := cyrillicOf(r); ok {
		return string(c), true
	}
	return "", false
}

// latinLookalikeName writes a name that has letters of other scripts than
// Latin in the Latin letters they look like, when all of them have one:
// "АВВА" in Cyrillic letters reads ABBA.
func latinLookalikeName(s string) (string, bool) {
	other := false
	for _, r := range s {
		if c := scriptClass(r); c != scriptNone && c != scriptLatin {
			other = true
			break
		}
	}
	if !other {
		return "", false
	}
	return inScript(s, scriptLatin)
}

// normVersion is the Unicode version of the NFKC tables in use: it must be
// unicodeTablesVersion and the unicode package's (TestUnicodeVersions).
const normVersion = norm.Version
