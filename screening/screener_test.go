package screening_test

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/screening"
)

func TestScreen(t *testing.T) {
	s := mustSampleScreener(t)
	tests := []struct {
		name   string
		party  screening.Party
		hold   bool
		list   string
		entry  string
		reason string // A part of the first hit's Why.
	}{
		{"Exact", screening.Party{Name: "SECHIN, Igor"}, true, "ofac-csv", "16692", "sechin=sechin"},
		{"Cyrillic", screening.Party{Name: "Игорь Сечин"}, true, "ofac-csv", "16692", "igor=igor"},
		{"Swapped", screening.Party{Name: "Igor Sechin"}, true, "ofac-csv", "16692", ""},
		{"Typo", screening.Party{Name: "Igor Sechim"}, true, "ofac-csv", "16692", "sechim~sechin"},
		{"DOBExact", screening.Party{Name: "Igor Sechin", DateOfBirth: "1960-09-07"}, true, "ofac-csv", "16692", "date of birth matches"},
		{"DOBOff", screening.Party{Name: "Igor Sechin", DateOfBirth: "1990-01-01"}, true, "ofac-csv", "16692", "year of birth 1990 differs -0.10"},
		{"Country", screening.Party{Name: "Aerocaribbean Airlines", Country: "CU"}, true, "ofac", "36", "country CU matches"},
		{"CountryOff", screening.Party{Name: "Aero Caribbean", Country: "IN"}, true, "ofac", "36", "country IN not listed"},
		{"BIC", screening.Party{Name: "Some Bank", BIC: "ROSYRU2PXXX"}, true, "ofac-csv", "16681", "BIC matches"},
		{"ArabicScript", screening.Party{Name: "صدام حسين التكريتي"}, true, "un", "IQi.001", ""},
		{"LegalFormsRussian", screening.Party{Name: "ПАО Мособлбанк"}, true, "ofac-csv", "19036", ""},
		{"SplitCompound", screening.Party{Name: "Invest Capital Bank"}, true, "ofac-csv", "16810", "written as one word"},
		{"JoinedCompound", screening.Party{Name: "Aerocaribbean"}, true, "ofac", "36", "aerocaribbean"},
		{"Ordinary", screening.Party{Name: "Ravi Shankar Iyer"}, false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Screen(tt.party)
			if r.Hold != tt.hold {
				t.Errorf("Screen(%+v).Hold = %v; want %v; hits %+v", tt.party, r.Hold, tt.hold, r.Hits)
			}
			if tt.entry == "" {
				return
			}
			if len(r.Hits) == 0 || r.Hits[0].List != tt.list || r.Hits[0].EntryID != tt.entry {
				t.Fatalf("Screen(%+v) hits %+v; want first %s %s", tt.party, r.Hits, tt.list, tt.entry)
			}
			if !strings.Contains(r.Hits[0].Why, tt.reason) {
				t.Errorf("why %q; want it to contain %q", r.Hits[0].Why, tt.reason)
			}
			if r.Compared >= s.Names()/10 {
				t.Errorf("compared %d of %d names: the index did not narrow", r.Compared, s.Names())
			}
		})
	}
}

func TestScreenDeterministic(t *testing.T) {
	s1, s2 := mustScreener(t, screening.Config{}), mustSampleScreener(t) // Two screeners, built apart.
	for _, p := range benchParties {
		a, b := s1.Screen(p), s2.Screen(p)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("Screen(%+v) differs between two screeners: %+v vs %+v", p, a, b)
		}
		if again := s1.Screen(p); !reflect.DeepEqual(a, again) { // From the cache.
			t.Errorf("Screen(%+v) differs the second time: %+v vs %+v", p, a, again)
		}
		for i := 1; i < len(a.Hits); i++ {
			x, y := a.Hits[i-1], a.Hits[i]
			if x.Score < y.Score || x.Score == y.Score && (x.List > y.List || x.List == y.List && x.EntryID > y.EntryID) {
				t.Errorf("hits out of order: %+v before %+v", x, y)
			}
		}
	}
}

func TestScreenConcurrent(t *testing.T) {
	s := mustSampleScreener(t)
	want := make([]screening.Result, len(benchParties))
	for i, p := range benchParties {
		want[i] = s.Screen(p)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, p := range benchParties {
				if got := s.Screen(p); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("concurrent Screen(%q) differs", p.Name)
				}
			}
		}()
	}
	wg.Wait()
}

func TestScreenerConfig(t *testing.T) {
	lists := mustLists(t)
	for _, cfg := range []screening.Config{{Threshold: 1.5}, {Threshold: -1}, {Threshold: 0.8, MinScore: 0.9}, {MaxHits: 1000}} {
		if _, err := screening.NewScreener(cfg, lists...); err == nil {
			t.Errorf("NewScreener(%+v) = nil error", cfg)
		}
	}
	if _, err := screening.NewScreener(screening.Config{}, lists[0], lists[0]); err == nil {
		t.Error("NewScreener accepted two lists of one name")
	}
	s, err := screening.NewScreener(screening.Config{Threshold: 0.99, MaxHits: 1}, lists...)
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Screen(screening.Party{Name: "Igor Sechim"}); r.Hold || len(r.Hits) != 1 {
		t.Errorf("at 0.99 a typo holds: %+v", r)
	}
	if id := s.Screen(screening.Party{Name: "x"}).Screener; id != s.ID() || len(id) != 64 {
		t.Errorf("result names screener %q; want %q", id, s.ID())
	}
	if other := mustSampleScreener(t); other.ID() == s.ID() {
		t.Error("two configurations share a screener ID")
	}
	infos := s.Lists()
	if len(infos) != 4 || infos[0].Name != "un" || infos[0].Entries != 110 || len(infos[1].Hash) != 64 {
		t.Errorf("Lists() = %+v", infos)
	}
}

func TestPaymentParties(t *testing.T) {
	p := corridor.Payment{DebtorName: "Ravi Iyer", CreditorName: "Bank Rossiya", DebtorAgent: "DEMOINBBXXX",
		CreditorAgent: "ROSYRU2PXXX", InstructingAgent: "DEMOINBBXXX", InstructedAgent: "ROSYRU2PXXX"}
	got := screening.PaymentParties(p)
	want := []screening.Party{
		{Name: "Ravi Iyer", Role: screening.RoleDebtor},
		{Name: "Bank Rossiya", Role: screening.RoleCreditor},
		{BIC: "DEMOINBBXXX", Role: screening.RoleDebtorAgent},
		{BIC: "ROSYRU2PXXX", Role: screening.RoleCreditorAgent},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("PaymentParties = %+v; want %+v", got, want)
	}
	s := mustSampleScreener(t)
	held := 0
	for _, party := range got {
		if s.Screen(party).Hold {
			held++
		}
	}
	if held != 2 { // The creditor by name, its agent by BIC.
		t.Errorf("%d parties held; want 2", held)
	}
}

func TestPartyKey(t *testing.T) {
	if a, b := screening.PartyKey("Shcherbakov Igor"), screening.PartyKey("IGOR SHERBAKOV"); a != b || a == "" {
		t.Errorf("PartyKey: %q vs %q", a, b)
	}
	if a, b := screening.PartyKey("Igor Sechin"), screening.PartyKey("Igor Sechkin"); a == b {
		t.Errorf("PartyKey(Sechin) == PartyKey(Sechkin) == %q", a)
	}
}
