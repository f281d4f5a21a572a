package screening

// ScreenUncached is Screen without the cache, for tests that compare the two.
func (s *Screener) ScreenUncached(p Party) Result { return s.screen(p) }

// Cached is the cached Result of p, if any, without screening.
func (s *Screener) Cached(p Party) (Result, bool) {
	k, ok := keyOf(p)
	if !ok {
		return Result{}, false
	}
	return s.cache.get(k, p)
}

// CachedParties counts the Results s's cache holds.
func (s *Screener) CachedParties() int { return s.cache.len() }

// ClearCache empties s's cache.
func (s *Screener) ClearCache() {
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	clear(s.cache.results)
}
