package screening_test

import (
	"os"
	"testing"

	"corridor/screening"
)

func TestScratch(t *testing.T) {
	un, err := screening.LoadUN(must(os.ReadFile("testdata/un/UN_consolidated.xml")))
	if err != nil {
		t.Fatal(err)
	}
	ofac, err := screening.LoadOFACCSV(must(os.ReadFile("testdata/ofac-csv-2021-slice/sdn.csv")), must(os.ReadFile("testdata/ofac-csv-2021-slice/add.csv")), must(os.ReadFile("testdata/ofac-csv-2021-slice/alt.csv")))
	if err != nil {
		t.Fatal(err)
	}
	ofac.Name = "ofac-csv"
	x, err := screening.LoadOFACXML(must(os.ReadFile("testdata/ofac-xml/sdn.xml")))
	if err != nil {
		t.Fatal(err)
	}
	csl, err := screening.LoadCSV("us-csl", must(os.ReadFile("testdata/us-csl/consolidated.csv")))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(un.Info(), ofac.Info(), x.Info(), csl.Info())
	s, err := screening.NewScreener(screening.Config{}, un, ofac, x, csl)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Igor Sechin", "Игорь Сечин", "Shcherbakov", "Saddam Hussein al-Tikriti", "صدام حسين التكريتي", "Bank Maskan", "Rosneft Oil Company PJSC", "ПАО НК Роснефть", "Aerocaribbean", "Vladimir Andreevich Kuznetsov", "Igor Valentinovich Korolev", "Sharma Steel Pvt Ltd"} {
		r := s.Screen(screening.Party{Name: n})
		t.Logf("%s: hold=%v %v", n, r.Hold, screening.Keys(n))
		for _, h := range r.Hits {
			t.Logf("   %.3f %s %s %q %s", h.Score, h.List, h.EntryID, h.MatchedName, h.Why)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
