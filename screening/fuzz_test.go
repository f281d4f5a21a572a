package screening_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/corridor-network/corridor/screening"
)

// maxFuzzBytes caps fuzz inputs; the loaders' own bounds are tested in
// TestLoadErrors.
const maxFuzzBytes = 64 << 10

// checkList asserts a loaded list keeps its bounds and screens without
// panicking: every entry has a name, and screening that name runs.
func checkList(t *testing.T, l *screening.List, err error) {
	if err != nil {
		return
	}
	if len(l.Entries) == 0 || len(l.Entries) > screening.MaxEntries || len(l.Hash) != 64 {
		t.Fatalf("list breaks its bounds: %d entries, hash %q", len(l.Entries), l.Hash)
	}
	for _, e := range l.Entries {
		if len(e.Names) == 0 || len(e.Names) > screening.MaxNamesPerEntry {
			t.Fatalf("entry %q has %d names", e.ID, len(e.Names))
		}
		for _, n := range e.Names {
			if n.Full == "" || utf8.RuneCountInString(n.Full) > screening.MaxNameRunes {
				t.Fatalf("entry %q has name %q", e.ID, n.Full)
			}
		}
	}
	s, err := screening.NewScreener(screening.Config{}, l)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Screen(screening.Party{Name: l.Entries[0].Names[0].Full})
	if len(r.Hits) > screening.DefaultMaxHits {
		t.Fatalf("%d hits", len(r.Hits))
	}
}

func FuzzLoadUN(f *testing.F) {
	f.Add(mustRead(f, "un/UN_consolidated.xml")[:4000])
	f.Add([]byte(`<CONSOLIDATED_LIST dateGenerated="x"><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`))
	f.Add([]byte(`<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>X (Y) ; Z</FIRST_NAME><ENTITY_ALIAS><ALIAS_NAME>(</ALIAS_NAME></ENTITY_ALIAS></ENTITY></ENTITIES></CONSOLIDATED_LIST>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzBytes {
			return
		}
		l, err := screening.LoadUN(data)
		checkList(t, l, err)
	})
}

func FuzzLoadOFACXML(f *testing.F) {
	f.Add(mustRead(f, "ofac-xml/sdn.xml"))
	f.Add([]byte(`<sdnList><sdnEntry><uid>1</uid><lastName>X</lastName><remarks>SWIFT/BIC ABCDRUMM; DOB 1 Jan 1970; a.k.a. 'Y</remarks><idList><id><idType>SWIFT/BIC</idType><idNumber>abcdrumm</idNumber></id></idList></sdnEntry></sdnList>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzBytes {
			return
		}
		l, err := screening.LoadOFACXML(data)
		checkList(t, l, err)
	})
}

func FuzzLoadOFACCSV(f *testing.F) {
	dir := "ofac-csv-small/"
	f.Add(mustRead(f, dir+"sdn.csv"), mustRead(f, dir+"add.csv"), mustRead(f, dir+"alt.csv"))
	f.Add([]byte("1,\"A\",individual,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1970; a.k.a. 'B'.\"\n"), []byte("1,2,x,y,Russia,-0-\n"), []byte("1,3,\"aka\",\"C\",-0-\n"))
	f.Fuzz(func(t *testing.T, sdn, add, alt []byte) {
		if len(sdn)+len(add)+len(alt) > maxFuzzBytes {
			return
		}
		l, err := screening.LoadOFACCSV(sdn, add, alt)
		checkList(t, l, err)
	})
}

func FuzzLoadCSV(f *testing.F) {
	f.Add(mustRead(f, "us-csl/consolidated.csv"))
	f.Add([]byte("id,kind,name,aliases,country,dob,bic\nR1,entity,ООО «Ромашка»,Romashka;Ромашка,RU,1970,ROMAROMM\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzBytes {
			return
		}
		l, err := screening.LoadCSV("own", data)
		checkList(t, l, err)
	})
}

// FuzzScreen screens arbitrary names: never a panic, hits within bounds
// and in order, the same result twice.
func FuzzScreen(f *testing.F) {
	s := mustSampleScreener(f)
	for _, p := range benchParties {
		f.Add(p.Name, p.DateOfBirth, p.Country)
	}
	f.Add("राम कुमार शर्मा", "circa 1960", "Russia")
	f.Fuzz(func(t *testing.T, name, dob, country string) {
		if len(name)+len(dob)+len(country) > 4096 {
			return
		}
		p := screening.Party{Name: name, DateOfBirth: dob, Country: country}
		r := s.Screen(p)
		if len(r.Hits) > screening.DefaultMaxHits {
			t.Fatalf("%d hits", len(r.Hits))
		}
		for _, h := range r.Hits {
			if h.Score < 0 || h.Score > 1 {
				t.Fatalf("score %v", h.Score)
			}
		}
		if again := s.Screen(p); len(again.Hits) != len(r.Hits) || again.Hold != r.Hold {
			t.Fatalf("not deterministic: %+v vs %+v", r, again)
		}
	})
}

// FuzzNormalize folds arbitrary names: never a panic, every romanisation at
// most MaxTokens words of at most MaxWordRunes letters, and folding a folded
// name gives it back (fold(fold(x)) == fold(x)).
func FuzzNormalize(f *testing.F) {
	for _, p := range benchParties {
		f.Add(p.Name)
	}
	for _, n := range []string{"Ｉｇｏｒ\u3164Sеch\u200Bin", "\u202Enihces rogI", "ꜱʜᴄʜᴇʀʙᴀᴋᴏᴠ", "Ѕесһіո", "ﷺ ﷺ",
		"صدام حسين التكريتي", "दीपक ज़ैदी", "Щербaков Игорь Петрович", "O'Brien S.A. de C.V.", "\u202D\u202E\u2067x\u202C"} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if len(name) > 1024 {
			return
		}
		for _, v := range screening.Normalize(name) {
			words := strings.Fields(v)
			if len(words) == 0 || len(words) > screening.MaxTokens {
				t.Fatalf("Normalize(%q) has %q, of %d words", name, v, len(words))
			}
			for _, w := range words {
				if utf8.RuneCountInString(w) > screening.MaxWordRunes {
					t.Fatalf("Normalize(%q) has a word of %d runes", name, utf8.RuneCountInString(w))
				}
			}
			if again := screening.Normalize(v); len(again) == 0 || again[0] != v {
				t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q", name, v, v, again)
			}
		}
	})
}
