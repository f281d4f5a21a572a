package screening

import (
	"strings"
	"unicode"
)

// diacritics maps Latin letters with diacritics, and a few ligatures, to
// plain letters. Slavic háček letters keep their sound (č ch, š sh, ž zh),
// so that a scholarly "Ščerbakov" meets "Shcherbakov"; Turkish and
// Romanian ş ș and Romanian ț do the same, but ç is c (François, Gonçalves). Everything else loses its mark. Combining marks
// (U+0300-U+036F) are dropped wherever they occur.
var diacritics = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a", 'ǎ': "a",
	'æ': "ae", 'ç': "c", 'ć': "c", 'ĉ': "c", 'ċ': "c", 'č': "ch", 'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ĕ': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ĝ': "g", 'ğ': "g", 'ġ': "g", 'ģ': "g", 'ĥ': "h", 'ħ': "h", 'ḥ': "h", 'ì': "i", 'í': "i", 'î': "i",
	'ï': "i", 'ĩ': "i", 'ī': "i", 'ĭ': "i", 'į': "i", 'ı': "i", 'ǐ': "i", 'ĵ': "j", 'ķ': "k", 'ĺ': "l",
	'ļ': "l", 'ľ': "l", 'ŀ': "l", 'ł': "l", 'ñ': "n", 'ń': "n", 'ņ': "n", 'ň': "n", 'ṅ': "n", 'ṇ': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ŏ': "o", 'ő': "o", 'ǒ': "o",
	'œ': "oe", 'ŕ': "r", 'ŗ': "r", 'ř': "r", 'ṛ': "r", 'ś': "sh", 'ŝ': "sh", 'ş': "sh", 'š': "sh", 'ș': "sh",
	'ṣ': "sh", 'ß': "ss", 'ţ': "t", 'ť': "t", 'ț': "ts", 'ṭ': "t", 'þ': "th", 'ù': "u", 'ú': "u", 'û': "u",
	'ü': "u", 'ũ': "u", 'ū': "u", 'ŭ': "u", 'ů': "u", 'ű': "u", 'ų': "u", 'ǔ': "u", 'ŵ': "w", 'ý': "y",
	'ÿ': "y", 'ŷ': "y", 'ź': "z", 'ż': "z", 'ž': "zh", 'ḍ': "d", 'ṃ': "m", 'ṁ': "m",
}

// fold lower-cases s, writes diacritics and ligatures as plain letters,
// deletes apostrophes and the dots of initials ("S.A." sa), and turns all
// other punctuation and symbols into spaces. The result is one string of
// space-separated words.
func fold(s string) string {
	var b strings.Builder
	run := 0 // Letters since the last non-letter.
	rs := []rune(s)
	for i, r := range rs {
		r = unicode.ToLower(r)
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteString(foldLetter(r))
			run++
			continue
		case strings.ContainsRune("'’ʼ‘`´ʹʺ", r):
			continue // O'Brien, Mar'yana, L'vovich: one word.
		case r == '.' && run == 1 && i+1 < len(rs) && unicode.IsLetter(rs[i+1]):
			continue // S.A., C.V., J.P.: the initials make one word.
		}
		b.WriteByte(' ')
		run = 0
	}
	return b.String()
}

// foldLetter writes a lower-case letter or digit as the fold compares it:
// by the diacritics table, or, for a Latin letter outside it with an ASCII
// lookalike (small capitals ᴀ ʙ ᴄ, script ɡ, Latin alpha ɑ), as that
// lookalike, else as it is.
func foldLetter(r rune) string {
	if r < 0x80 {
		return string(r)
	}
	if t, ok := diacritics[r]; ok {
		return t
	}
	if scriptClass(r) == scriptLatin {
		if l, ok := latinOf(r); ok {
			return strings.ToLower(l)
		}
	}
	return string(r)
}

// legalForms are the words of company legal forms, in English, Russian
// (romanised), Ukrainian, Indian and common European use. They are removed
// from a name unless nothing else would remain. Matching is on the phonetic
// key, so ooo, OOO and ООО are one word, as are obshchestvo and obschestvo.
//
// "bank" is NOT a legal form: "Bank Rossiya" and "Rossiya" (an insurer) are
// different entities, so bank stays as a word, with the weight of a generic
// word (see genericWords).
var legalForms = []string{
	"llc", "ltd", "pvt", "pte", "pty", "jsc", "pjsc", "ojsc", "cjsc", "ooo", "pao", "ao", "zao", "oao",
	"nao", "tov", "pat", "prat", "gmbh", "plc", "inc", "corp", "co", "company", "limited", "corporation",
	"incorporated", "llp", "lp", "sa", "sac", "sas", "sarl", "srl", "sl", "spa", "ag", "bv", "nv", "oy",
	"ab", "kg", "fze", "fzc", "fzco", "sdn", "bhd", "opc", "obshchestvo", "aktsionernoe", "zakrytoe",
	"otkrytoe", "publichnoe", "nepublichnoe", "ogranichennoy", "otvetstvennostyu", "kompaniya",
	"tovarishchestvo", "ip", "obschestvo", "obshestvo", "otkrytoye", "aktsionernoye", "zakrytoye", "publichnoye",
}

// legalContext are words that belong to a legal form only next to one:
// "open joint stock company", "obshchestvo s ogranichennoy otvetstvennostyu",
// "S.A. de C.V.". They are removed when they touch a removed legal word,
// in any order, so "Company Stock Joint Open" loses them too.
var legalContext = []string{"private", "joint", "stock", "liability", "open", "closed", "public", "s",
	"venture", "societe", "anonyme", "rl", "cv", "responsabilidad", "limitada", "de"}

// stopWords carry no identity.
// "al" and "el" are the Arabic (and Spanish) article: al-Tikriti is
// Tikriti, and the Arabic-script article is split off before (see Arabic).
var stopWords = []string{"the", "of", "and", "des", "de", "du", "la", "le", "les", "et", "y", "for", "al", "el"}

// titles are honorifics, removed like stop words: "Mr Omari" is Omari.
var titles = []string{"mr", "mrs", "ms", "dr", "shri", "smt"}

// synonyms write a word the way its English counterpart is written, for
// the few generic words a Russian name often carries translated or not:
// "НК" (neftyanaya kompaniya) is "oil company", gruppa is group.
var synonyms = map[string]string{
	"nk": "oil", "neftyanaya": "oil", "gruppa": "group", "grupp": "group", "kholding": "holding",
	"holdings": "holding", "bankas": "bank", "banka": "bank", "banque": "bank", "banco": "bank",
}

// genericWords identify little on their own: they weigh GenericWeight
// instead of 1 in a score, and are not used to find candidates.
var genericWords = []string{
	"bank", "group", "holding", "trading", "trade", "traders", "international", "industries", "industrial",
	"industry", "enterprise", "enterprises", "oil", "gas", "steel", "services", "service", "investment",
	"investments", "invest", "capital", "finance", "financial", "leasing", "trust", "shipping", "logistics",
	"energy", "airlines", "airline", "technologies", "technology", "systems", "foundation", "organization",
	"organisation", "society", "union", "fund", "national", "state", "central", "commercial", "general",
	"global", "export", "exports", "import", "imports", "exim", "impex", "overseas", "textiles", "pharma",
	"pharmaceuticals", "chemicals", "motors", "agro", "infra", "infrastructure", "construction",
	"engineering", "solutions", "consulting", "power", "metals", "mining", "insurance", "credit",
	"development", "management", "partners", "ventures", "products", "foods", "servis", "trans", "torg",
	"prom", "stroy", "tekh", "tech", "finans", "kapital", "energo", "neft", "gaz", "agency", "office",
}

// GenericWeight is the weight of a generic word (bank, group, trading...) in
// a score; other words weigh 1, initials InitialWeight.
const (
	GenericWeight = 0.3
	InitialWeight = 0.3
)

// wordSet is a set of phonetic keys, built once from a word table.
func wordSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[phoneticKey(w)] = true
	}
	return m
}

var (
	legalKeys   = wordSet(legalForms)
	contextKeys = wordSet(legalContext)
	stopForms   = formSet(stopWords)
	titleForms  = formSet(titles)
	longLegal   = longWords(legalForms)
	longContext = longWords(legalContext)
	genericKeys = wordSet(genericWords)
	synonymKeys = func() map[string]string {
		m := map[string]string{}
		for k, v := range synonyms {
			m[phoneticKey(k)] = v
		}
		return m
	}()
)

// formSet is a set of folded words, built once from a word table.
func formSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// longWords are the words of at least 5 letters.
func longWords(words []string) [][]rune {
	var out [][]rune
	for _, w := range words {
		if len(w) >= 5 {
			out = append(out, []rune(w))
		}
	}
	return out
}

// isLegal reports whether a folded word with its key is a legal form,
// allowing one typo in legal words of at least 5 letters (obshchesto, limitd).
func isLegal(word, key string) bool {
	return legalKeys[key] || nearOne(word, longLegal)
}

// isContext is isLegal for legalContext words.
func isContext(word, key string) bool {
	return contextKeys[key] || nearOne(word, longContext)
}

// nearOne reports whether word is one edit from one of the words.
func nearOne(word string, words [][]rune) bool {
	kr := []rune(word)
	if len(kr) < 4 {
		return false
	}
	for _, l := range words {
		if abs(len(l)-len(kr)) <= 1 && editDistance(kr, l) <= 1 {
			return true
		}
	}
	return false
}
