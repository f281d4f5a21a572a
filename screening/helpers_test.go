package screening_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/corridor-network/corridor/screening"
)

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mustLists loads every sample list in testdata: the UN slice, the OFAC 2021
// CSV slice, the OFAC XML extract and the US CSL sample.
func mustLists(tb testing.TB) []*screening.List {
	tb.Helper()
	un, err := screening.LoadUN(mustRead(tb, "un/UN_consolidated.xml"))
	if err != nil {
		tb.Fatal(err)
	}
	dir := "ofac-csv-2021-slice/"
	csv, err := screening.LoadOFACCSV(mustRead(tb, dir+"sdn.csv"), mustRead(tb, dir+"add.csv"), mustRead(tb, dir+"alt.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	csv.Name = "ofac-csv"
	xml, err := screening.LoadOFACXML(mustRead(tb, "ofac-xml/sdn.xml"))
	if err != nil {
		tb.Fatal(err)
	}
	csl, err := screening.LoadCSV("us-csl", mustRead(tb, "us-csl/consolidated.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	return []*screening.List{un, csv, xml, csl}
}

func mustScreener(tb testing.TB, cfg screening.Config) *screening.Screener {
	tb.Helper()
	s, err := screening.NewScreener(cfg, mustLists(tb)...)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
