package screening_test

import (
	"testing"

	"github.com/corridor-network/corridor/screening"
)

// TestArabicScriptAgainstLatin screens the UN list's Arabic-script names
// against the same list with those names removed: only the consonant
// skeleton links "صدام" to "SADDAM". It reports the share found.
func TestArabicScriptAgainstLatin(t *testing.T) {
	un, err := screening.LoadUN(mustRead(t, "un/UN_consolidated.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var orig []struct{ id, name string }
	for i := range un.Entries {
		e := &un.Entries[i]
		var keep []screening.Name
		for _, n := range e.Names {
			if n.Script == "Arabic" {
				orig = append(orig, struct{ id, name string }{e.ID, n.Full})
			} else {
				keep = append(keep, n)
			}
		}
		e.Names = keep
	}
	s, err := screening.NewScreener(screening.Config{}, un)
	if err != nil {
		t.Fatal(err)
	}
	hit := 0
	for _, o := range orig {
		r := s.Screen(screening.Party{Name: o.name})
		ok := false
		for _, h := range r.Hits {
			if h.EntryID == o.id && h.Score >= 0.88 {
				ok = true
			}
		}
		if ok {
			hit++
		}
	}
	t.Logf("Arabic-script names found among Latin-only names: %d of %d", hit, len(orig))
	if hit < len(orig)/2 {
		t.Errorf("only %d of %d Arabic-script names found their Latin entry", hit, len(orig))
	}
}
