package screening

import (
	"slices"
	"sync"

	"github.com/corridor-network/corridor"
)

// Bounds of a Screener's result cache.
const (
	// MaxCachedParties is how many parties' results one Screener keeps. When
	// it is full it is cleared: bounded, simple, and a working set that fits
	// fills it again at once.
	MaxCachedParties = 4096
	// MaxCachedAttrBytes bounds a cached party's country, date of birth and
	// BIC together; a party with more is screened, not cached.
	MaxCachedAttrBytes = 64
)

// cacheKey is every input of Screen that changes its Result: the name as
// analysed (its first MaxNameRunes runes), the country, the date of birth
// and the BIC. The role is not scored, so a name seen as a debtor is found
// again as a creditor; the caller's Party is set on the copy returned.
//
// The name is the name as received, not folded: folding and analysing it
// is most of what a screening costs (59% in the profile of issue 12), so a
// key that needs it would save only the scoring. A payment flow repeats its
// parties byte for byte; two spellings that fold alike are two entries.
type cacheKey struct {
	name, country, birth string
	bic                  corridor.BIC
}

// keyOf is p's cache key; false when p's attributes are past
// MaxCachedAttrBytes.
func keyOf(p Party) (cacheKey, bool) {
	if len(p.Country)+len(p.DateOfBirth)+len(p.BIC) > MaxCachedAttrBytes {
		return cacheKey{}, false
	}
	return cacheKey{name: truncateRunes(p.Name, MaxNameRunes), country: p.Country, birth: p.DateOfBirth, bic: p.BIC}, true
}

// resultCache holds the Results of one Screener: it dies with it, so a new
// list version (a new Screener) starts with an empty cache. The lock is
// held only to look up or store, never while scoring.
type resultCache struct {
	mu      sync.RWMutex
	results map[cacheKey]Result // Guarded by mu. At most MaxCachedParties; Party is zero.
}

func newResultCache() *resultCache {
	return &resultCache{results: make(map[cacheKey]Result)}
}

// get returns a copy of the cached Result for k, with p as its Party.
func (c *resultCache) get(k cacheKey, p Party) (Result, bool) {
	c.mu.RLock()
	r, ok := c.results[k]
	c.mu.RUnlock()
	if !ok {
		return Result{}, false
	}
	r.Party = p
	return withOwnSlices(r), true
}

// put stores a copy of r under k, clearing the cache first when it is full.
func (c *resultCache) put(k cacheKey, r Result) {
	r = withOwnSlices(r)
	r.Party = Party{} // The caller's Party is set on every copy returned.
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.results[k]; !ok && len(c.results) >= MaxCachedParties {
		clear(c.results)
	}
	c.results[k] = r
}

// withOwnSlices copies r's slices, so that no caller shares them with the
// cache or another caller. Nil stays nil and empty stays empty.
func withOwnSlices(r Result) Result {
	r.Hits = slices.Clone(r.Hits)
	r.Flags = slices.Clone(r.Flags)
	return r
}

// len counts the cached results.
func (c *resultCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.results)
}
