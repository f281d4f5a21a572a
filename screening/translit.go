package screening

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Transliteration: every name is compared in Latin letters. Cyrillic,
// Devanagari and Arabic are transliterated by the tables below; other scripts
// are kept as they are (and then match only names in the same script).

// scriptOf names the script of the first letter of s that is not Latin.
func scriptOf(s string) string {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			return "Cyrillic"
		case unicode.Is(unicode.Devanagari, r):
			return "Devanagari"
		case unicode.Is(unicode.Arabic, r):
			return "Arabic"
		case unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r):
			return "Other"
		}
	}
	return "Latin"
}

// System is a romanisation system for Cyrillic.
type System int

// The Cyrillic romanisation systems the matcher knows. BGN/PCGN is the
// canonical one; the others give the variants a payment may carry. ISO 9
// and GOST 7.79 system A write the háček letters (č š ž) and ŝ that the
// fold writes as ch, sh, zh and sh, so they meet the systems below.
const (
	BGN        System = iota // BGN/PCGN 1947, and Russian passports 1997-2010: щ shch, х kh, ц ts, ю yu, я ya, й y, ж zh.
	ICAO                     // ICAO Doc 9303 (Russian passports since 2013): ю iu, я ia, й i, ъ ie.
	GOST                     // GOST 7.79-2000 system B: щ shh, х x, ц cz, й j, ё yo.
	Scientific               // Scholarly, diacritics dropped: щ sc, х ch, ц c, ж z, ю ju, я ja, й j.
	Common                   // Everyday English spellings: щ sch, х h, ж zh, ё yo, е ye after a vowel.
	Ukrainian                // Ukraine's national system (2010): г h, и y, і i, ї yi, є ye, й y, ю yu, я ya (i, ie, iu, ia inside a word).
)

// systems are the Cyrillic systems Latin romanises in, in order.
var systems = [...]System{BGN, ICAO, GOST, Scientific, Common, Ukrainian}

// cyrillic maps each lower-case Cyrillic letter to its romanisation in
// BGN, ICAO, GOST, Scientific, Common and Ukrainian order. Ukrainian and
// Belarusian letters are included; ь and ъ are dropped (apart from ICAO ъ).
// The Ukrainian column gives the forms inside a word (see ukrainianInitial).
var cyrillic = map[rune][6]string{
	'а': {"a", "a", "a", "a", "a", "a"}, 'б': {"b", "b", "b", "b", "b", "b"}, 'в': {"v", "v", "v", "v", "v", "v"},
	'г': {"g", "g", "g", "g", "g", "h"}, 'д': {"d", "d", "d", "d", "d", "d"}, 'е': {"e", "e", "e", "e", "e", "e"},
	'ё': {"e", "e", "yo", "e", "yo", "io"}, 'ж': {"zh", "zh", "zh", "z", "zh", "zh"}, 'з': {"z", "z", "z", "z", "z", "z"},
	'и': {"i", "i", "i", "i", "i", "y"}, 'й': {"y", "i", "j", "j", "y", "i"}, 'к': {"k", "k", "k", "k", "k", "k"},
	'л': {"l", "l", "l", "l", "l", "l"}, 'м': {"m", "m", "m", "m", "m", "m"}, 'н': {"n", "n", "n", "n", "n", "n"},
	'о': {"o", "o", "o", "o", "o", "o"}, 'п': {"p", "p", "p", "p", "p", "p"}, 'р': {"r", "r", "r", "r", "r", "r"},
	'с': {"s", "s", "s", "s", "s", "s"}, 'т': {"t", "t", "t", "t", "t", "t"}, 'у': {"u", "u", "u", "u", "u", "u"},
	'ф': {"f", "f", "f", "f", "f", "f"}, 'х': {"kh", "kh", "x", "ch", "h", "kh"}, 'ц': {"ts", "ts", "cz", "c", "ts", "ts"},
	'ч': {"ch", "ch", "ch", "c", "ch", "ch"}, 'ш': {"sh", "sh", "sh", "s", "sh", "sh"},
	'щ': {"shch", "shch", "shh", "sc", "sch", "shch"}, 'ъ': {"", "ie", "", "", "", ""}, 'ы': {"y", "y", "y", "y", "y", "y"},
	'ь': {"", "", "", "", "", ""}, 'э': {"e", "e", "e", "e", "e", "e"}, 'ю': {"yu", "iu", "yu", "ju", "yu", "iu"},
	'я': {"ya", "ia", "ya", "ja", "ya", "ia"}, 'і': {"i", "i", "i", "i", "i", "i"}, 'ї': {"yi", "i", "yi", "ji", "yi", "i"},
	'є': {"ye", "ie", "ye", "je", "ye", "ie"}, 'ґ': {"g", "g", "g", "g", "g", "g"}, 'ў': {"w", "u", "u", "u", "w", "u"},
}

// ukrainianInitial are the Ukrainian system's forms at the start of a word.
var ukrainianInitial = map[rune]string{'є': "ye", 'ї': "yi", 'й': "y", 'ю': "yu", 'я': "ya"}

// otherCyrillic romanises the Cyrillic letters of other languages than
// Russian, Ukrainian and Belarusian (Serbian, Macedonian, Kazakh, Tajik,
// Bashkir...), the same in every system.
var otherCyrillic = map[rune]string{
	'ђ': "dj", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dzh", 'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",
	'ә': "a", 'ғ': "gh", 'қ': "q", 'ң': "ng", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h", 'ҷ': "j", 'ҳ': "h",
	'ҡ': "q", 'ҙ': "z", 'ҫ': "s", 'ӏ': "",
}

// cyrillicLetter romanises a lower-case Cyrillic letter that the cyrillic
// table lacks: by otherCyrillic, else as its base letter (ӣ is и with a
// macron), else as its Latin lookalike; a letter with none is dropped, so
// that no Cyrillic letter is left in a romanised name.
func cyrillicLetter(lr rune, sys System) string {
	if t, ok := otherCyrillic[lr]; ok {
		return t
	}
	if base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(lr))); base != lr {
		if t, ok := cyrillic[base]; ok {
			return t[sys]
		}
	}
	if l, ok := latinOf(lr); ok {
		return strings.ToLower(l)
	}
	return ""
}

// Cyrillic romanises s in system sys; letters of other scripts pass through.
// The Scientific system's č š ž are written here without their háček (see
// the diacritics table, which writes them as ch sh zh when a name already
// carries them).
func Cyrillic(s string, sys System) string {
	var b strings.Builder
	prev := ' '
	rs := []rune(s)
	for i, r := range rs {
		lr := unicode.ToLower(r)
		t, ok := cyrillic[lr]
		if !ok && !unicode.Is(unicode.Cyrillic, r) {
			b.WriteRune(r)
			prev = r
			continue
		}
		out := t[sys]
		if !ok {
			out = cyrillicLetter(lr, sys)
		}
		switch {
		case sys == Common && lr == 'е' && (isVowelRune(prev) || !unicode.IsLetter(prev)):
			out = "ye" // Yevgeny, Andreyev: е at a word's start or after a vowel.
		case sys == Ukrainian && !unicode.IsLetter(prev) && ukrainianInitial[lr] != "":
			out = ukrainianInitial[lr] // Yevhen, Yurii: the initial forms.
		}
		b.WriteString(matchCase(out, r, rs, i))
		prev = lr
	}
	return b.String()
}

// matchCase writes out, the romanisation of rs[i] == r, in r's case: Щ
// is Shch, and ЩЕРБАКОВ is SHCHERBAKOV (an upper-case letter next to
// another is all upper case).
func matchCase(out string, r rune, rs []rune, i int) string {
	if out == "" || !unicode.IsUpper(r) {
		return out
	}
	if (i+1 < len(rs) && unicode.IsUpper(rs[i+1])) || (i > 0 && unicode.IsUpper(rs[i-1])) {
		return strings.ToUpper(out)
	}
	return strings.ToUpper(out[:1]) + out[1:]
}

func isVowelRune(r rune) bool {
	return strings.ContainsRune("аеёиоуыэюяaeiou", unicode.ToLower(r))
}

// Devanagari tables, Hunterian style (the Government of India's spelling of
// names): long vowels are written like short ones (ā a, ī i, ū u), श and ष
// sh, व v, the inherent vowel a is written after a consonant that carries no
// vowel sign and no virama, except at the end of a word (राम ram).
var devaConsonants = map[rune]string{
	'क': "k", 'ख': "kh", 'ग': "g", 'घ': "gh", 'ङ': "n", 'च': "ch", 'छ': "chh", 'ज': "j", 'झ': "jh", 'ञ': "n",
	'ट': "t", 'ठ': "th", 'ड': "d", 'ढ': "dh", 'ण': "n", 'त': "t", 'थ': "th", 'द': "d", 'ध': "dh", 'न': "n",
	'प': "p", 'फ': "ph", 'ब': "b", 'भ': "bh", 'म': "m", 'य': "y", 'र': "r", 'ल': "l", 'व': "v", 'श': "sh",
	'ष': "sh", 'स': "s", 'ह': "h", 'ळ': "l", '\u0958': "q", '\u0959': "kh", '\u095A': "g", '\u095B': "z", '\u095C': "r", '\u095D': "rh", '\u095E': "f",
}

var devaVowels = map[rune]string{
	'अ': "a", 'आ': "a", 'इ': "i", 'ई': "i", 'उ': "u", 'ऊ': "u", 'ऋ': "ri", 'ए': "e", 'ऐ': "ai", 'ओ': "o", 'औ': "au",
	'ऑ': "o", 'ॐ': "om", 'ऍ': "e", 'ॲ': "a", 'ऎ': "e", 'ऒ': "o",
}

var devaSigns = map[rune]string{
	'ा': "a", 'ि': "i", 'ी': "i", 'ु': "u", 'ू': "u", 'ृ': "ri", 'े': "e", 'ै': "ai", 'ो': "o", 'ौ': "au", 'ॉ': "o",
	'ॅ': "e", 'ॆ': "e", 'ॊ': "o",
}

// nukta turns a consonant into its Perso-Arabic counterpart: ज़ is ज then ़.
var devaNukta = map[rune]rune{'क': '\u0958', 'ख': '\u0959', 'ग': '\u095A', 'ज': '\u095B', 'ड': '\u095C', 'ढ': '\u095D', 'फ': '\u095E'}

const (
	devaVirama     = '्'
	devaNuktaSign  = '़'
	devaAnusvara   = 'ं'
	devaCandrabind = 'ँ'
	devaVisarga    = 'ः'
)

// Devanagari romanises s. A consonant's inherent vowel is written unless a
// vowel sign or virama follows it or it ends a word (schwa deletion at the
// word's end only: कुमार kumar, शर्मा sharma, अग्रवाल agraval).
func Devanagari(s string) string {
	rs := []rune(strings.ReplaceAll(s, "ज्ञ", "ग्य")) // ज्ञ is written gy: ज्ञान Gyan, ज्ञानेश्वर Gyaneshwar.
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if i+1 < len(rs) && rs[i+1] == devaNuktaSign {
			if n, ok := devaNukta[r]; ok {
				r = n
			}
			rs = append(rs[:i+1], rs[i+2:]...) // Drop the nukta; rs is our own copy.
		}
		if c, ok := devaConsonants[r]; ok {
			b.WriteString(c)
			if devaInherent(rs, i) {
				b.WriteString("a")
			}
			continue
		}
		b.WriteString(devaOther(r))
	}
	return b.String()
}

// devaInherent reports whether the consonant at i sounds its inherent a.
func devaInherent(rs []rune, i int) bool {
	if i+1 >= len(rs) {
		return false
	}
	next := rs[i+1]
	if _, sign := devaSigns[next]; sign || next == devaVirama {
		return false
	}
	if next == devaAnusvara || next == devaCandrabind || next == devaVisarga {
		return true
	}
	return unicode.Is(unicode.Devanagari, next)
}

func devaOther(r rune) string {
	if v, ok := devaVowels[r]; ok {
		return v
	}
	if v, ok := devaSigns[r]; ok {
		return v
	}
	switch r {
	case devaVirama, devaNuktaSign:
		return ""
	case devaAnusvara, devaCandrabind:
		return "n"
	case devaVisarga:
		return "h"
	case '।', '॥':
		return " "
	}
	if r >= '०' && r <= '९' {
		return string('0' + (r - '०'))
	}
	return string(r)
}

// arabic romanises the Arabic letters consonant by consonant (the script
// writes no short vowels): alif a, waw w, ya y, ta marbuta a, hamza and ayn
// dropped, except at a word's start, where it is a. It serves the UN list's
// NAME_ORIGINAL_SCRIPT names.
var arabic = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h",
	'خ': "kh", 'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t",
	'ظ': "z", 'ع': "", 'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h",
	'ة': "a", 'و': "w", 'ي': "y", 'ى': "a", 'ء': "", 'ئ': "y", 'ؤ': "w", 'پ': "p", 'چ': "ch", 'ژ': "zh",
	'گ': "g", 'ک': "k", 'ی': "y",
	// Urdu, Kurdish and Maghrebi letters.
	'ٹ': "t", 'ڈ': "d", 'ڑ': "r", 'ں': "n", 'ھ': "h", 'ہ': "h", 'ۃ': "a", 'ے': "y", 'ۓ': "y", 'ڤ': "v",
	'ڨ': "g", 'ڭ': "g", 'ۆ': "o", 'ێ': "e", 'ڵ': "l", 'ڕ': "r", 'ۋ': "v", 'ې': "e",
	// Arabic-Indic and Persian digits.
	'٠': "0", '١': "1", '٢': "2", '٣': "3", '٤': "4", '٥': "5", '٦': "6", '٧': "7", '٨': "8", '٩': "9",
	'۰': "0", '۱': "1", '۲': "2", '۳': "3", '۴': "4", '۵': "5", '۶': "6", '۷': "7", '۸': "8", '۹': "9",
}

// Arabic romanises s with the arabic table; harakat and tatweel are dropped
// and the article ال at a word's start is written apart ("al tkryty").
func Arabic(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if r == 'ا' && i+1 < len(rs) && rs[i+1] == 'ل' && (i == 0 || unicode.IsSpace(rs[i-1])) && i+3 < len(rs) {
			b.WriteString("al ")
			continue
		}
		if r == 'ل' && i > 0 && rs[i-1] == 'ا' && (i == 1 || unicode.IsSpace(rs[i-2])) && i+2 < len(rs) {
			continue
		}
		if r == 'ع' && arabicWordStart(rs, i) {
			b.WriteString("a") // A word's first ayn carries a vowel: عمر amr (Omar), علي aly (Ali), عبد abd.
		} else if t, ok := arabic[r]; ok {
			b.WriteString(t)
		} else if !unicode.Is(unicode.Mn, r) && r != 'ـ' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// arabicWordStart reports whether rs[i] starts a word, or follows a word's
// article ال.
func arabicWordStart(rs []rune, i int) bool {
	if i >= 2 && rs[i-1] == 'ل' && rs[i-2] == 'ا' {
		i -= 2
	}
	return i == 0 || unicode.IsSpace(rs[i-1])
}

// Latin returns the romanisations of s the matcher compares: s read the
// way a person reads it (see canonicalize), its Cyrillic words in every
// system (duplicates removed), its Devanagari and Arabic words romanised;
// then the same for s in the order it is shown, when bidi controls reorder
// it, and s in the Latin letters it looks like, when it has that reading.
func Latin(s string) []string {
	var out []string
	for _, v := range canonicalize(s).romanisations() {
		out = appendValue(out, v.text)
	}
	return out
}

// romanised is one romanisation of a name.
type romanised struct {
	text  string
	abjad bool // Romanised from Arabic script, which writes no short vowels.
}

// romanisations are the romanisations of c: of its text, of its visual
// order and of its lookalike reading.
func (c canonical) romanisations() []romanised {
	out := romanise(c.text, nil)
	if c.visual != "" {
		out = romanise(c.visual, out)
	}
	if c.lookalike != "" {
		out = append(out, romanised{text: c.lookalike})
	}
	return out
}

// romanise appends the romanisations of s to out: its Devanagari and
// Arabic letters romanised, then its Cyrillic letters in each system.
func romanise(s string, out []romanised) []romanised {
	has := scriptsIn(s)
	if has&inDevanagari != 0 {
		s = Devanagari(s) // Before Arabic, which drops every combining mark.
	}
	abjad := has&inArabic != 0
	if abjad {
		s = Arabic(s)
	}
	if has&inCyrillic == 0 {
		return append(out, romanised{latinWords(s), abjad})
	}
	seen := map[string]bool{}
	for _, sys := range systems {
		if v := latinWords(Cyrillic(s, sys)); !seen[v] {
			seen[v] = true
			out = append(out, romanised{v, abjad})
		}
	}
	return out
}

// latinWords writes the letters of other scripts left in the Latin words of
// a romanised name as their Latin lookalikes, where they have one, as
// canonicalize does before romanising, in lower case as the fold compares
// them: so romanising a romanised name changes nothing.
func latinWords(s string) string {
	if isASCII(s) {
		return s
	}
	s, _ = oneScriptWords(strings.ToLower(s))
	return s
}

// The scripts that scriptsIn finds, one bit each.
const (
	inCyrillic = 1 << iota
	inDevanagari
	inArabic
)

// scriptsIn reports which of the romanised scripts s has letters of.
func scriptsIn(s string) int {
	has := 0
	for _, r := range s {
		switch {
		case r < 0x0400:
		case unicode.Is(unicode.Cyrillic, r):
			has |= inCyrillic
		case unicode.Is(unicode.Devanagari, r):
			has |= inDevanagari
		case unicode.Is(unicode.Arabic, r):
			has |= inArabic
		}
	}
	return has
}
