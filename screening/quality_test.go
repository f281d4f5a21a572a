package screening_test

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/corridor-network/corridor/screening"
)

type scored struct {
	name  string
	score float64
}

// TestQuality measures recall on variants of listed names and the false
// positive rate on ordinary Indian and Russian names that are not listed, at
// the default threshold. Targets: recall ≥ 0.98, false positives ≤ 1%.
func TestQuality(t *testing.T) {
	lists, s := mustLists(t), mustSampleScreener(t)
	cases := listedCases(lists)
	missed := listedMisses(t, s, cases)
	recall := float64(len(cases)-missed) / float64(len(cases))
	clean, excluded := ordinaryNames(lists)
	ordinary := make([]labelled, len(clean)) // Negatives: no list, no entry.
	for i, n := range clean {
		ordinary[i] = labelled{label: "ordinary Indian or Russian name", name: n}
	}
	falsePositives := heldByLabel(t, s, ordinary)
	fpr := float64(falsePositives) / float64(len(clean))
	t.Logf("threshold %.2f: recall %.4f (%d of %d listed-name variants hit), false-positive rate %.4f (%d of %d ordinary names held; %d generated names excluded as containing a listed name)",
		s.Config().Threshold, recall, len(cases)-missed, len(cases), fpr, falsePositives, len(clean), excluded)
	if len(clean) < 1000 {
		t.Errorf("only %d ordinary names; want at least 1000", len(clean))
	}
	if recall < 0.98 {
		t.Errorf("recall %.4f < 0.98", recall)
	}
	if fpr > 0.01 {
		t.Errorf("false-positive rate %.4f > 0.01", fpr)
	}
}

// listedMisses screens every case and returns how many miss their entry. It
// logs the first misses and the misses per kind of variant.
func listedMisses(tb testing.TB, s *screening.Screener, cases []labelled) int {
	results := screenAll(s, namesOf(cases))
	missed := 0
	byHow, missedHow := map[string]int{}, map[string]int{}
	for i, c := range cases {
		byHow[c.label]++
		if !hits(s, results[i], c) {
			missed++
			missedHow[c.label]++
			if missed <= 40 {
				tb.Logf("miss: %s %s %q (%s) %s", c.list, c.entry, c.name, c.label, best(s, c.name))
			}
		}
	}
	for _, how := range slices.Sorted(maps.Keys(byHow)) {
		tb.Logf("%-22s %5d cases, %3d missed", how, byHow[how], missedHow[how])
	}
	return missed
}

// screenAll screens every name, on every CPU, and returns the results in
// order: the quality figures take some 7,000 screenings.
func screenAll(s *screening.Screener, names []string) []screening.Result {
	out := make([]screening.Result, len(names))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(names); i += workers {
				out[i] = s.Screen(screening.Party{Name: names[i]})
			}
		})
	}
	wg.Wait()
	return out
}

// hits reports whether r, the result of screening c's name, hits c's entry
// at the threshold.
func hits(s *screening.Screener, r screening.Result, c labelled) bool {
	for _, h := range r.Hits {
		if h.List == c.list && h.EntryID == c.entry && h.Score >= s.Config().Threshold {
			return true
		}
	}
	return false
}

func best(s *screening.Screener, name string) string {
	r := s.Screen(screening.Party{Name: name})
	if len(r.Hits) == 0 {
		return "no candidate"
	}
	h := r.Hits[0]
	return fmt.Sprintf("best %.3f %s %s %q: %s", h.Score, h.List, h.EntryID, h.MatchedName, h.Why)
}

// listedCases are, for every individual and entity: each name and alias as
// listed, its words reversed, a one-letter replacement and a one-letter
// deletion in its first word of at least 5 letters, the romanisation of a
// name in another script, and for Russian and Ukrainian individuals their
// name written in Cyrillic.
func listedCases(lists []*screening.List) []labelled {
	var cases []labelled
	eachListed(lists, func(e screening.Entry, add func(how, name string)) {
		for _, n := range e.Names {
			add("as listed", n.Full)
			if n.Script != "Latin" {
				add("romanised "+n.Script, screening.Latin(n.Full)[0])
				continue
			}
			if words := nameWords(n.Full); len(words) > 1 {
				add("words reversed", strings.Join(reversed(words), " "))
			}
			if typo, ok := typoReplace(n.Full); ok {
				add("one letter replaced", typo)
			}
			if typo, ok := typoDelete(n.Full); ok {
				add("one letter deleted", typo)
			}
		}
		if e.Kind == screening.KindIndividual && russian(e) {
			add("written in Cyrillic", toCyrillic(e.Names[0].Full))
		}
	}, &cases)
	return cases
}

func nameWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
}

func reversed(words []string) []string {
	out := slices.Clone(words)
	slices.Reverse(out)
	return out
}

// typoWord finds the first word of at least 5 ASCII letters.
func typoWord(s string) (start, end int, ok bool) {
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z') {
			j++
		}
		if j-i >= 5 {
			return i, j, true
		}
		i = j + 1
	}
	return 0, 0, false
}

// typoReplace replaces the middle letter of the first long word by the next
// letter of the alphabet.
func typoReplace(s string) (string, bool) {
	i, j, ok := typoWord(s)
	if !ok {
		return "", false
	}
	m := i + (j-i)/2
	c := s[m]
	next := c + 1
	if c|0x20 == 'z' {
		next = c - 25
	}
	return s[:m] + string(next) + s[m+1:], true
}

// typoDelete deletes the second-to-last letter of the first long word.
func typoDelete(s string) (string, bool) {
	i, j, ok := typoWord(s)
	if !ok {
		return "", false
	}
	_ = i
	return s[:j-2] + s[j-1:], true
}

func russian(e screening.Entry) bool {
	for _, n := range append(slices.Clone(e.Nationalities), e.Countries...) {
		if n == "Russia" || n == "Ukraine" {
			return true
		}
	}
	for _, p := range e.Programs {
		if strings.HasPrefix(p, "UKRAINE") || strings.Contains(p, "RUSSIA") {
			return true
		}
	}
	return false
}

// latinToCyrillic writes a romanised Russian name back in Cyrillic, longest
// spelling first: how a Russian bank would write the listed person's name.
var latinToCyrillic = strings.NewReplacer(
	"shch", "щ", "kh", "х", "zh", "ж", "ts", "ц", "ch", "ч", "sh", "ш", "yu", "ю", "ya", "я", "yo", "ё",
	"iy", "ий", "yy", "ый", "ye", "е", "y", "ы", "a", "а", "b", "б", "v", "в", "g", "г", "d", "д", "e", "е",
	"z", "з", "i", "и", "k", "к", "l", "л", "m", "м", "n", "н", "o", "о", "p", "п", "r", "р", "s", "с",
	"t", "т", "u", "у", "f", "ф", "x", "кс", "j", "й", "h", "х", "c", "к", "w", "в", "q", "к", "'", "ь",
)

func toCyrillic(name string) string {
	return latinToCyrillic.Replace(strings.ToLower(name))
}
