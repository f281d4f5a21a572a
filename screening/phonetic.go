package screening

import "strings"

// The phonetic key makes the Latin spellings of one Russian (or Indian)
// name collide. It works on a folded word (lower case, no diacritics) and
// applies, in order:
//
//  1. x → ks, w → v, q → k, ph → f, ck → k
//  2. shch, shh, sch, sh → 1 (Щ and Ш: Shcherbakov, Scherbakov, Sherbakov)
//  3. tch, ch, cz → 2 (Ч)
//  4. zh → 3 (Ж); kh → h (Х: Khodakovsky, Hodakovsky)
//  5. ts, tz, tc (Russian passports 2010-2013), and c before e, i or y → 4
//     (Ц: Tsekov, Tcekov, Cekov); other c → k
//  6. j → y; then y or i before a vowel is dropped, and yo/io become e
//     (Я ya ia ja → a; Ю yu iu ju → u; Е/Ё ye yo → e: Fyodor, Fedor)
//  7. iy, ii, yi → i; remaining y → i (Evgeniy, Evgenii, Yevgeny → evgeni)
//  8. ee → i, oo → u (Hunterian English spellings: Deepak, Dipak; Pooja, Puja)
//  9. doubled letters → one (Hussein, Husein; Aggarwal, Agarwal)
//
// So Shcherbakov, Scherbakov, Sherbakov and Ščerbakov (folded to
// shcherbakov) all have the key "1erbakov". Characters other than a-z pass
// through unchanged.
func phoneticKey(w string) string {
	w = keyReplacer1.Replace(w)
	w = keyReplacer2.Replace(w)
	w = softC(w)
	w = glides(w)
	w = keyReplacer3.Replace(w)
	return dedouble(w)
}

var (
	keyReplacer1 = strings.NewReplacer("x", "ks", "w", "v", "q", "k", "ph", "f", "ck", "k")
	keyReplacer2 = strings.NewReplacer("shch", "1", "shh", "1", "sch", "1", "sh", "1", "tch", "2", "tc", "4", "ch", "2",
		"cz", "2", "zh", "3", "kh", "h", "ts", "4", "tz", "4", "j", "y")
	keyReplacer3 = strings.NewReplacer("ee", "i", "oo", "u")
)

// softC writes c before e, i or y as 4 (ts) and every other c as k.
func softC(w string) string {
	if !strings.Contains(w, "c") {
		return w
	}
	b := []byte(w)
	for i, c := range b {
		if c != 'c' {
			continue
		}
		if i+1 < len(b) && (b[i+1] == 'e' || b[i+1] == 'i' || b[i+1] == 'y') {
			b[i] = '4'
		} else {
			b[i] = 'k'
		}
	}
	return string(b)
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'o' || c == 'u' }

// glides applies rules 6 and 7 of the key.
func glides(w string) string {
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		if (c == 'y' || c == 'i') && i+1 < len(w) && isVowel(w[i+1]) && !(c == 'i' && i == 0 && w[i+1] != 'u' && w[i+1] != 'a') {
			next := w[i+1]
			if next == 'o' {
				next = 'e'
			}
			b = append(b, next)
			i++
			continue
		}
		if c == 'y' {
			c = 'i'
		}
		if c == 'i' && len(b) > 0 && b[len(b)-1] == 'i' {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// dedouble writes each run of one repeated byte once.
func dedouble(w string) string {
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == w[i-1] {
			continue
		}
		b = append(b, w[i])
	}
	return string(b)
}

// skeleton is w's key without vowels: compared only when one side of a pair
// was written in Arabic script, which writes no short vowels.
func skeleton(key string) string {
	b := make([]byte, 0, len(key))
	for i := 0; i < len(key); i++ {
		switch key[i] {
		case 'a', 'e', 'i', 'o', 'u':
			continue
		}
		if len(b) > 0 && b[len(b)-1] == key[i] {
			continue
		}
		b = append(b, key[i])
	}
	return string(b)
}
