package screening_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor/screening"
)

// cacheParties are the parties of the labelled set and of TestQuality (each
// in a role), the benchmark's parties (with countries and dates of birth)
// and every BIC the sample lists name.
func cacheParties(tb testing.TB) []screening.Party {
	tb.Helper()
	lists := mustLists(tb)
	var names []string
	for _, set := range [][]labelled{mustReadLabelled(tb, positivesFile), mustReadLabelled(tb, negativesFile), listedCases(lists)} {
		names = append(names, namesOf(set)...)
	}
	ordinary, _ := ordinaryNames(lists)
	names = append(names, ordinary...)
	out := append([]screening.Party(nil), benchParties...)
	for _, n := range names {
		out = append(out, screening.Party{Name: n, Role: screening.RoleDebtor})
	}
	for _, l := range lists {
		for _, e := range l.Entries {
			for _, b := range e.BICs {
				out = append(out, screening.Party{BIC: b, Role: screening.RoleDebtorAgent})
			}
		}
	}
	return out
}

func everyNth(ps []screening.Party, n int) []screening.Party {
	var out []screening.Party
	for i := 0; i < len(ps); i += n {
		out = append(out, ps[i])
	}
	return out
}

// inParallel calls f for every index of n, on GOMAXPROCS goroutines.
func inParallel(n int, f func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				f(i)
			}
		})
	}
	wg.Wait()
}

// TestScreenCacheIdentical screens every party of cacheParties without the
// cache, through it (a miss), and again in another role (a hit): the three
// Results must be the same, byte for byte, but for the role. The parties go
// in chunks of MaxCachedParties so that each chunk's second pass finds all
// of them cached. Under the race detector, which is here for the
// concurrent passes, it takes every tenth party.
func TestScreenCacheIdentical(t *testing.T) {
	s, parties := mustSampleScreener(t), cacheParties(t)
	if raceEnabled {
		parties = everyNth(parties, 10)
	}
	t.Logf("%d parties", len(parties))
	for start := 0; start < len(parties); start += screening.MaxCachedParties {
		chunk := parties[start:min(start+screening.MaxCachedParties, len(parties))]
		s.ClearCache()
		want := make([]screening.Result, len(chunk))
		inParallel(len(chunk), func(i int) {
			want[i] = s.ScreenUncached(chunk[i])
			if diff := cmp.Diff(want[i], s.Screen(chunk[i])); diff != "" {
				t.Errorf("Screen(%+v), a miss, differs from screening without the cache (-want +got):\n%s", chunk[i], diff)
			}
		})
		inParallel(len(chunk), func(i int) {
			p := chunk[i]
			p.Role = screening.RoleUltimateCreditor
			got, ok := s.Cached(p)
			if !ok {
				t.Errorf("%+v is not cached after it was screened as a %s", p, chunk[i].Role)
				return
			}
			w := want[i]
			w.Party = p
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("cached Screen(%+v) differs from screening without the cache (-want +got):\n%s", p, diff)
			}
			if diff := cmp.Diff(w, s.Screen(p)); diff != "" {
				t.Errorf("Screen(%+v), a hit, differs from screening without the cache (-want +got):\n%s", p, diff)
			}
		})
	}
}

func TestScreenCache(t *testing.T) {
	s := mustSampleScreener(t)
	p := screening.Party{Name: "Igor Sechin", Country: "RU", Role: screening.RoleDebtor}
	want := s.Screen(p)
	if len(want.Hits) == 0 {
		t.Fatalf("Screen(%+v) has no hits", p)
	}
	t.Run("CallerOwnsSlices", func(t *testing.T) {
		got := s.Screen(p)
		got.Hits[0].EntryID, got.Flags = "changed", append(got.Flags, screening.FlagStyled)
		if diff := cmp.Diff(want, s.Screen(p)); diff != "" {
			t.Errorf("changing a Result changed the cache (-want +got):\n%s", diff)
		}
	})
	t.Run("KeyHasAttributes", func(t *testing.T) {
		for _, q := range []screening.Party{
			{Name: p.Name, Country: "UA"}, {Name: p.Name, DateOfBirth: "1960-09-07"}, {Name: p.Name, BIC: "AAAARUMMXXX"}, {Name: "Igor  Sechin"},
		} {
			if diff := cmp.Diff(s.ScreenUncached(q), s.Screen(q)); diff != "" {
				t.Errorf("Screen(%+v) after Screen(%+v) (-uncached +cached):\n%s", q, p, diff)
			}
		}
	})
	t.Run("Bounded", func(t *testing.T) {
		for i := range screening.MaxCachedParties + 10 {
			s.Screen(screening.Party{Name: fmt.Sprintf("Party %d", i)})
			if n := s.CachedParties(); n > screening.MaxCachedParties {
				t.Fatalf("%d results cached; at most %d", n, screening.MaxCachedParties)
			}
		}
	})
	t.Run("LongAttributesNotCached", func(t *testing.T) {
		s.ClearCache()
		q := screening.Party{Name: p.Name, Country: string(make([]byte, screening.MaxCachedAttrBytes+1))}
		s.Screen(q)
		if n := s.CachedParties(); n != 0 {
			t.Errorf("a party with %d bytes of attributes was cached", len(q.Country))
		}
	})
	t.Run("NewScreenerStartsEmpty", func(t *testing.T) {
		s.Screen(p)
		fresh, err := screening.NewScreener(screening.Config{}, mustLists(t)[0])
		if err != nil {
			t.Fatal(err)
		}
		if n := fresh.CachedParties(); n != 0 {
			t.Errorf("a new Screener has %d cached results", n)
		}
	})
}
