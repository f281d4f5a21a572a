package screening

import "strings"

// MaxTokens bounds the words of one name that are compared; the rest are
// ignored (no list name has more).
const MaxTokens = 24

// token is one word of a name, ready to compare.
type token struct {
	form    []rune // The folded word: lower case, no diacritics.
	key     string // phoneticKey(form).
	keyR    []rune
	keyX    string  // For a word with an x, its key reading x as kh (GOST 7.79 B writes х x: Mixail); else "".
	skel    string  // The key without vowels, for names written in Arabic script.
	weight  float64 // 1, GenericWeight or InitialWeight, times the list frequency factor.
	generic bool
	abjad   bool // Romanised from Arabic script, which writes no short vowels.
	// patronymic: the word is a patronymic by its suffix (see patronymic).
	patronymic bool
	// omittable: in a listed person's name, a word a payment may leave out
	// at a small cost (see OmittedPenalty): the patronymic, else a middle name.
	omittable bool
}

// MaxWordRunes bounds the letters of one word that are compared; the rest
// are ignored (no listed word has as many).
const MaxWordRunes = 64

// analyse turns a name into its comparable forms: one list of tokens per
// distinct romanisation (several for Cyrillic, see Latin), and the flags of
// the name. Its cost grows linearly with the name; Screen bounds a party's
// name to MaxNameRunes.
func analyse(name string) ([][]token, flagSet) {
	c := canonicalize(name)
	var out [][]token
	seen := map[string]bool{}
	for _, v := range c.romanisations() {
		toks := tokenize(v.text, v.abjad)
		if len(toks) == 0 {
			continue
		}
		id := joinKeys(toks)
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, toks)
	}
	return out, c.flags
}

func joinKeys(toks []token) string {
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = t.key
	}
	return strings.Join(keys, " ")
}

// tokenize folds a romanised name into words, removes legal forms and stop
// words, and writes synonyms in their English form.
func tokenize(s string, abjad bool) []token {
	words := strings.Fields(fold(s))
	keys := make([]string, len(words))
	for i, w := range words {
		keys[i] = phoneticKey(w)
	}
	keep := removeLegal(words, keys)
	var toks []token
	for i, w := range words {
		if !keep[i] || len(toks) == MaxTokens {
			continue
		}
		toks = append(toks, newToken(w, keys[i], abjad))
	}
	return toks
}

func newToken(w, key string, abjad bool) token {
	if syn, ok := synonymKeys[key]; ok {
		w, key = syn, phoneticKey(syn)
	}
	form := []rune(w)
	if len(form) > MaxWordRunes {
		form = form[:MaxWordRunes]
		w, key = string(form), phoneticKey(string(form))
	}
	key = nameKey(w, key)
	_, _, patr := patronymic(w)
	t := token{form: form, key: key, keyR: []rune(key), abjad: abjad, weight: 1, patronymic: patr}
	if strings.ContainsRune(w, 'x') {
		kh := strings.ReplaceAll(w, "x", "kh")
		t.keyX = nameKey(kh, phoneticKey(kh))
	}
	t.skel = skeleton(key)
	switch {
	case genericKeys[key]:
		t.generic, t.weight = true, GenericWeight
	case len(t.form) == 1:
		t.weight = InitialWeight
	}
	return t
}

// removeLegal marks which words to keep: not legal forms, not legal
// context words touching a removed legal word, not stop words; unless that
// would remove every word, when all are kept.
func removeLegal(words, keys []string) []bool {
	keep := make([]bool, len(keys))
	for i, k := range keys {
		keep[i] = !isLegal(words[i], k) && !stopForms[words[i]] && !titleForms[words[i]]
	}
	for changed := true; changed; {
		changed = false
		for i, k := range keys {
			if keep[i] && isContext(words[i], k) && touchesRemoved(keep, words, keys, i) {
				keep[i], changed = false, true
			}
		}
	}
	for _, k := range keep {
		if k {
			return keep
		}
	}
	for i := range keep {
		keep[i] = true
	}
	return keep
}

// touchesRemoved reports whether a neighbour of word i is a removed legal
// (or legal context) word, not merely a stop word.
func touchesRemoved(keep []bool, words, keys []string, i int) bool {
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(keys) && !keep[j] && (isLegal(words[j], keys[j]) || isContext(words[j], keys[j])) {
			return true
		}
	}
	return false
}

// Normalize returns the words of name as the matcher compares them, for
// each romanisation: folded, legal forms and stop words removed. It is what
// the "why" of a hit and the tests show.
func Normalize(name string) []string {
	var out []string
	toks, _ := analyse(name)
	for _, toks := range toks {
		words := make([]string, len(toks))
		for i, t := range toks {
			words[i] = string(t.form)
		}
		out = append(out, strings.Join(words, " "))
	}
	return out
}

// Keys returns the phonetic keys of name's words, for each romanisation.
func Keys(name string) []string {
	var out []string
	toks, _ := analyse(name)
	for _, toks := range toks {
		out = append(out, joinKeys(toks))
	}
	return out
}

// minJoinedRunes is the least length of a name written as one word that is
// compared as such: shorter ones are too easily alike.
const minJoinedRunes = 8

// joined writes a name of several words as one word, the way compound names
// drift between spellings (Aero-Caribbean, Aerocaribbean; Invest Capital
// Bank, Investcapitalbank). It is nil for a one-word or short name.
func joined(toks []token) []rune {
	if len(toks) < 2 {
		return nil
	}
	var out []rune
	for _, t := range toks {
		out = append(out, t.form...)
	}
	if len(out) < minJoinedRunes || len(out) > maxJaroRunes {
		return nil
	}
	return out
}
