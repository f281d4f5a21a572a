package screening

import (
	"strings"
	"unicode/utf8"
)

// MaxTokens bounds the words of one name that are compared; the rest are
// ignored (no list name has more).
const MaxTokens = 16

// token is one word of a name, ready to compare.
type token struct {
	form    []rune // The folded word: lower case, no diacritics.
	key     string // phoneticKey(form).
	keyR    []rune
	skel    string  // The key without vowels, for names written in Arabic script.
	weight  float64 // 1, GenericWeight or InitialWeight, times the list frequency factor.
	generic bool
	abjad   bool // Romanised from Arabic script, which writes no short vowels.
}

// analyse turns a name into its comparable forms: one list of tokens per
// distinct romanisation (several for Cyrillic, see Latin).
func analyse(name string) [][]token {
	if utf8.RuneCountInString(name) > MaxNameRunes {
		name = string([]rune(name)[:MaxNameRunes])
	}
	abjad := scriptOf(name) == "Arabic"
	var out [][]token
	seen := map[string]bool{}
	for _, v := range Latin(name) {
		toks := tokenize(v, abjad)
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
	return out
}

func joinKeys(toks []token) string {
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = t.key
	}
	return strings.Join(keys, " ")
}

// tokenize folds a romanised name into words, joins the Arabic article to
// its noun (al-Tikriti, Al Tikriti and Altikriti are one word), removes
// legal forms and stop words, and writes synonyms in their English form.
func tokenize(s string, abjad bool) []token {
	words := strings.Fields(fold(s))
	words = joinArticles(words)
	keys := make([]string, len(words))
	for i, w := range words {
		keys[i] = phoneticKey(w)
	}
	keep := removeLegal(keys)
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
	t := token{form: []rune(w), key: key, keyR: []rune(key), abjad: abjad, weight: 1}
	t.skel = skeleton(key)
	switch {
	case genericKeys[key]:
		t.generic, t.weight = true, GenericWeight
	case len(t.form) == 1:
		t.weight = InitialWeight
	}
	return t
}

func joinArticles(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		if (w == "al" || w == "el") && i+1 < len(words) && len(words[i+1]) >= 3 {
			w += words[i+1]
			i++
		}
		out = append(out, w)
	}
	return out
}

// removeLegal marks which words to keep: not legal forms (as phrases first,
// then single words) and not stop words, unless that would remove every word.
func removeLegal(keys []string) []bool {
	keep := make([]bool, len(keys))
	for i := range keep {
		keep[i] = true
	}
	for i := range keys {
		for _, p := range phraseKeys {
			if hasPhrase(keys, i, p) {
				for k := range p {
					keep[i+k] = false
				}
			}
		}
		if legalKeys[keys[i]] || stopKeys[keys[i]] {
			keep[i] = false
		}
	}
	for _, k := range keep {
		if k {
			return keep
		}
	}
	for i := range keep {
		keep[i] = !stopKeys[keys[i]]
	}
	return keep
}

func hasPhrase(keys []string, at int, phrase []string) bool {
	if at+len(phrase) > len(keys) {
		return false
	}
	for k, w := range phrase {
		if keys[at+k] != w {
			return false
		}
	}
	return true
}

// Normalize returns the words of name as the matcher compares them, for
// each romanisation: folded, legal forms and stop words removed. It is what
// the "why" of a hit and the tests show.
func Normalize(name string) []string {
	var out []string
	for _, toks := range analyse(name) {
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
	for _, toks := range analyse(name) {
		out = append(out, joinKeys(toks))
	}
	return out
}
