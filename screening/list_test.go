package screening_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/screening"
)

func entry(tb testing.TB, l *screening.List, id string) screening.Entry {
	tb.Helper()
	for _, e := range l.Entries {
		if e.ID == id {
			return e
		}
	}
	tb.Fatalf("list %s has no entry %s", l.Name, id)
	return screening.Entry{}
}

func names(e screening.Entry) []string {
	var out []string
	for _, n := range e.Names {
		out = append(out, n.Full)
	}
	return out
}

func TestLoadUN(t *testing.T) {
	l, err := screening.LoadUN(mustRead(t, "un/UN_consolidated.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(l.Entries); got != 110 {
		t.Errorf("entries = %d; want 110 (70 individuals, 40 entities)", got)
	}
	if l.Version != "2026-02-27T00:00:09.554Z" || len(l.Hash) != 64 || l.Name != "un" {
		t.Errorf("info = %+v", l.Info())
	}
	e := entry(t, l, "CDi.002")
	want := []string{"FRANK KAKOLELE BWAMBALE", "FRANK KAKORERE", "FRANK KAKORERE BWAMBALE", "AIGLE BLANC"}
	if !slices.Equal(names(e), want) || e.Kind != screening.KindIndividual {
		t.Errorf("CDi.002 names = %q, kind %s; want %q, individual", names(e), e.Kind, want)
	}
	if !slices.Equal(e.Nationalities, []string{"Democratic Republic of the Congo"}) || !slices.Contains(e.Addresses, "Kinshasa, Democratic Republic of the Congo") {
		t.Errorf("CDi.002 nationalities %q, addresses %q", e.Nationalities, e.Addresses)
	}
	saddam := entry(t, l, "IQi.001")
	if !slices.Equal(saddam.DatesOfBirth, []string{"1937-04-28"}) {
		t.Errorf("IQi.001 dates of birth = %q", saddam.DatesOfBirth)
	}
	if !slices.ContainsFunc(saddam.Names, func(n screening.Name) bool {
		return n.Script == "Arabic" && n.Full == "صدام حسين التكريتي"
	}) {
		t.Errorf("IQi.001 lacks its original-script name: %+v", saddam.Names)
	}
	glbc := entry(t, l, "CDe.003")
	for _, n := range []string{"COMPAGNIE AERIENNE DES GRANDS LACS", "CAGL", "GREAT LAKES BUSINESS COMPANY", "GLBC"} {
		if !slices.Contains(names(glbc), n) {
			t.Errorf("CDe.003 names %q lack %q", names(glbc), n)
		}
	}
}

func TestLoadOFACXML(t *testing.T) {
	l, err := screening.LoadOFACXML(mustRead(t, "ofac-xml/sdn.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Entries) != 2 || l.Version != "10/29/2020" {
		t.Fatalf("entries %d, version %q; want 2, 10/29/2020", len(l.Entries), l.Version)
	}
	e := entry(t, l, "36")
	if !slices.Equal(names(e), []string{"AEROCARIBBEAN AIRLINES", "AERO-CARIBBEAN"}) || e.Kind != screening.KindEntity {
		t.Errorf("36: names %q kind %s", names(e), e.Kind)
	}
	if !slices.Equal(e.Countries, []string{"Cuba"}) || !slices.Equal(e.Programs, []string{"CUBA"}) {
		t.Errorf("36: countries %q programs %q", e.Countries, e.Programs)
	}
}

func TestLoadOFACCSV(t *testing.T) {
	dir := "ofac-csv-2021-slice/"
	l, err := screening.LoadOFACCSV(mustRead(t, dir+"sdn.csv"), mustRead(t, dir+"add.csv"), mustRead(t, dir+"alt.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Entries) != 380 || !strings.HasPrefix(l.Version, "sha256:") {
		t.Fatalf("entries %d version %q; want 380, sha256:...", len(l.Entries), l.Version)
	}
	sechin := entry(t, l, "16692")
	if sechin.Kind != screening.KindIndividual || !slices.Equal(sechin.DatesOfBirth, []string{"07 Sep 1960"}) {
		t.Errorf("16692: kind %s dob %q", sechin.Kind, sechin.DatesOfBirth)
	}
	rossiya := entry(t, l, "16681")
	if !slices.Equal(rossiya.BICs, []corridor.BIC{"ROSYRU2PXXX"}) || len(rossiya.Names) < 2 {
		t.Errorf("16681: BICs %q names %q", rossiya.BICs, names(rossiya))
	}
	small, err := screening.LoadOFACCSV(mustRead(t, "ofac-csv-small/sdn.csv"), mustRead(t, "ofac-csv-small/add.csv"), mustRead(t, "ofac-csv-small/alt.csv"))
	if err != nil {
		t.Fatal(err)
	}
	logan := entry(t, small, "10278")
	if !slices.Contains(names(logan), "BURTON BURGESS") || !slices.Equal(logan.DatesOfBirth, []string{"28 Jul 1963"}) {
		t.Errorf("10278: names %q dob %q", names(logan), logan.DatesOfBirth)
	}
}

func TestLoadCSV(t *testing.T) {
	own := "id,kind,name,aliases,country,dob,bic\n" +
		"R1,entity,ООО «Ромашка»,Romashka LLC;Ромашка,RU,,ROMAROMMXXX\n" +
		"R2,individual,Щербаков Игорь Петрович,,RU,1965-04-01,\n"
	l, err := screening.LoadCSV("own", []byte(own))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Entries) != 2 || l.Name != "own" {
		t.Fatalf("entries %d name %q", len(l.Entries), l.Name)
	}
	r1 := entry(t, l, "R1")
	if !slices.Equal(names(r1), []string{"ООО «Ромашка»", "Romashka LLC", "Ромашка"}) || r1.Names[0].Script != "Cyrillic" {
		t.Errorf("R1 names %+v", r1.Names)
	}
	if !slices.Equal(r1.BICs, []corridor.BIC{"ROMAROMMXXX"}) || !slices.Equal(r1.Countries, []string{"RU"}) {
		t.Errorf("R1 BICs %q countries %q", r1.BICs, r1.Countries)
	}
	csl, err := screening.LoadCSV("us-csl", mustRead(t, "us-csl/consolidated.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(csl.Entries) != 13 {
		t.Errorf("US CSL entries = %d; want 13", len(csl.Entries))
	}
}

func TestLoadErrors(t *testing.T) {
	big := bytes.Repeat([]byte("x"), screening.MaxListBytes+1)
	tooManyNames := "id,name,aliases\n1,A," + strings.Repeat("alias;", screening.MaxNamesPerEntry) + "\n"
	var tooManyNamesDistinct strings.Builder
	tooManyNamesDistinct.WriteString("id,name,aliases\n1,A,")
	for i := 0; i <= screening.MaxNamesPerEntry; i++ {
		tooManyNamesDistinct.WriteString("alias" + strings.Repeat("x", i%50) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ";")
	}
	tests := []struct {
		name string
		load func() (*screening.List, error)
		want string
	}{
		{"UNEmpty", func() (*screening.List, error) { return screening.LoadUN(nil) }, "empty"},
		{"UNTooBig", func() (*screening.List, error) { return screening.LoadUN(big) }, "MaxListBytes"},
		{"UNNotXML", func() (*screening.List, error) { return screening.LoadUN([]byte("id,name\n")) }, "UN list"},
		{"UNWrongRoot", func() (*screening.List, error) { return screening.LoadUN(mustRead(t, "ofac-xml/sdn.xml")) }, "CONSOLIDATED_LIST"},
		{"UNNoEntries", func() (*screening.List, error) { return screening.LoadUN([]byte("<CONSOLIDATED_LIST/>")) }, "no entries"},
		{"OFACXMLTruncated", func() (*screening.List, error) {
			return screening.LoadOFACXML(mustRead(t, "ofac-xml/sdn.xml")[:500])
		}, "OFAC XML"},
		{"OFACCSVShortRow", func() (*screening.List, error) { return screening.LoadOFACCSV([]byte("123\n"), nil, nil) }, "fields"},
		{"OFACCSVDuplicate", func() (*screening.List, error) {
			return screening.LoadOFACCSV([]byte("1,\"A\"\n1,\"B\"\n"), nil, nil)
		}, "duplicate"},
		{"OFACCSVNoName", func() (*screening.List, error) { return screening.LoadOFACCSV([]byte("1,-0- \n"), nil, nil) }, "no name"},
		{"CSVDuplicateID", func() (*screening.List, error) { return screening.LoadCSV("own", []byte("id,name\n1,A\n1,B\n")) }, "two entries"},
		{"CSVNoNameColumn", func() (*screening.List, error) { return screening.LoadCSV("own", []byte("id,alias\n1,x\n")) }, `no "name" column`},
		{"CSVTooManyNames", func() (*screening.List, error) {
			return screening.LoadCSV("own", []byte(tooManyNamesDistinct.String()+"\n"))
		}, "MaxNamesPerEntry"},
		{"CSVTooManyEntries", func() (*screening.List, error) {
			return screening.LoadCSV("own", []byte("name\n"+strings.Repeat("x\n", screening.MaxEntries+1)))
		}, "MaxEntries"},
		{"CSVNameTooLong", func() (*screening.List, error) {
			return screening.LoadCSV("own", []byte("name\n"+strings.Repeat("я", screening.MaxNameRunes+1)+"\n"))
		}, "MaxNameRunes"},
		{"CSVDuplicateAliasesCollapse", func() (*screening.List, error) { return screening.LoadCSV("own", []byte(tooManyNames)) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.load()
			if tt.want == "" {
				if err != nil {
					t.Errorf("err = %v; want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want one containing %q", err, tt.want)
			}
		})
	}
}
