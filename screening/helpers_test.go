package screening_test

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
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

// sampleLists loads the sample lists once per test binary: under the race
// detector, loading them and indexing them cost half a second each time.
// Lists and a Screener are read-only once built, so tests can share them.
var sampleLists = sync.OnceValues(loadLists)

// sampleScreener is the screener of the sample lists with the default
// configuration, built once per test binary.
var sampleScreener = sync.OnceValues(func() (*screening.Screener, error) {
	lists, err := sampleLists()
	if err != nil {
		return nil, err
	}
	return screening.NewScreener(screening.Config{}, lists...)
})

// mustLists returns every sample list in testdata: the UN slice, the OFAC
// 2021 CSV slice, the OFAC XML extract and the US CSL sample. The lists are
// shared by every test: a test that changes a list loads its own.
func mustLists(tb testing.TB) []*screening.List {
	tb.Helper()
	lists, err := sampleLists()
	if err != nil {
		tb.Fatal(err)
	}
	return slices.Clone(lists)
}

// The sample lists' files in testdata.
const (
	unXML     = "un/UN_consolidated.xml"
	ofacSDN   = "ofac-csv-2021-slice/sdn.csv"
	ofacAdd   = "ofac-csv-2021-slice/add.csv"
	ofacAlt   = "ofac-csv-2021-slice/alt.csv"
	ofacXML   = "ofac-xml/sdn.xml"
	usCSLFile = "us-csl/consolidated.csv"
)

// loadLists loads every sample list in testdata.
func loadLists() ([]*screening.List, error) {
	f := map[string][]byte{}
	for _, path := range []string{unXML, ofacSDN, ofacAdd, ofacAlt, ofacXML, usCSLFile} {
		b, err := os.ReadFile(filepath.Join("testdata", path))
		if err != nil {
			return nil, err
		}
		f[path] = b
	}
	un, err := screening.LoadUN(f[unXML])
	if err != nil {
		return nil, err
	}
	csv, err := screening.LoadOFACCSV(f[ofacSDN], f[ofacAdd], f[ofacAlt])
	if err != nil {
		return nil, err
	}
	csv.Name = "ofac-csv"
	xml, err := screening.LoadOFACXML(f[ofacXML])
	if err != nil {
		return nil, err
	}
	csl, err := screening.LoadCSV("us-csl", f[usCSLFile])
	if err != nil {
		return nil, err
	}
	return []*screening.List{un, csv, xml, csl}, nil
}

// mustSampleScreener returns the shared screener of the sample lists with
// the default configuration.
func mustSampleScreener(tb testing.TB) *screening.Screener {
	tb.Helper()
	s, err := sampleScreener()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// mustScreener builds a new screener of the sample lists with cfg.
func mustScreener(tb testing.TB, cfg screening.Config) *screening.Screener {
	tb.Helper()
	s, err := screening.NewScreener(cfg, mustLists(tb)...)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
