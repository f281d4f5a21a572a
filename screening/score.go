package screening

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/corridor-network/corridor"
)

// Screen scores p against the list entries the index finds for it: those
// with a word within one edit of one of p's words (by phonetic key or folded
// form), or with p's name written as one word, or whose BIC is p's. It never
// compares p with all names. Same input, same output: a party screened
// before (the same name, country, date of birth and BIC, in any role) is
// answered from s's cache, a copy of the Result it had then.
func (s *Screener) Screen(p Party) Result {
	k, ok := keyOf(p)
	if !ok {
		return s.screen(p)
	}
	if r, ok := s.cache.get(k, p); ok {
		return r
	}
	r := s.screen(p)
	s.cache.put(k, r)
	return r
}

// screen is Screen without the cache.
func (s *Screener) screen(p Party) Result {
	variants, flags := analyse(truncateRunes(p.Name, MaxNameRunes))
	best := map[int32]candidate{}
	buf := make([]pair, 0, 64)
	compared := 0
	for _, toks := range variants {
		ptoks := s.partyWeights(toks)
		ids := s.candidates(ptoks)
		compared += len(ids)
		pj := joined(ptoks)
		for _, fid := range ids {
			f := &s.forms[fid]
			as, _ := alignScore(ptoks, f, &buf)
			sc := max(as, joinedScore(pj, ptoks, f))
			if f.low {
				sc -= LowQualityPenalty
			}
			if c, ok := best[f.entry]; !ok || sc > c.score {
				best[f.entry] = candidate{score: sc, form: fid, party: ptoks}
			}
		}
	}
	s.bicCandidates(p.BIC, best)
	r := s.result(p, best)
	r.Compared, r.Screener, r.Flags = compared, s.id, flags.list()
	r.Hold = r.Hold || flags.holds()
	return r
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// candidate is the best form of one entry so far.
type candidate struct {
	score float64
	form  int32 // -1 for a BIC match.
	party []token
}

func (s *Screener) partyWeights(toks []token) []token {
	out := slices.Clone(toks)
	for i := range out {
		out[i].weight *= s.frequencyFactor(out[i].key)
	}
	return out
}

// candidates are the forms sharing a word with ptoks, in ascending order.
func (s *Screener) candidates(ptoks []token) []int32 {
	allGeneric := true
	for _, t := range ptoks {
		allGeneric = allGeneric && t.generic
	}
	var ids []int32
	for _, t := range ptoks {
		if t.generic && !allGeneric {
			continue
		}
		for _, k := range lookupKeys(t, t.abjad) {
			ids = append(ids, s.index[k]...)
		}
	}
	if j := joined(ptoks); j != nil {
		ids = append(ids, s.index[string(j)]...)
		ids = append(ids, s.index[phoneticKey(string(j))]...)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func (s *Screener) bicCandidates(bic corridor.BIC, best map[int32]candidate) {
	if len(bic) < 8 {
		return
	}
	for _, eid := range s.bics[string(bic[:8])] {
		best[eid] = candidate{score: 1, form: -1}
	}
}

// alignScore is the weighted token-set similarity of a party's name and a
// listed form: words are paired greedily, most similar first, each at most
// once; a pair counts when its similarity is at least TokenMatchMin. The
// score is
//
//	Σ sim(p,c)·(w(p)+w(c)) / (Σ w(party words) + Σ w(listed words))
//
// so word order does not matter and unmatched words on either side lower it,
// except one left-out patronymic or middle name (see omitted), which only
// costs OmittedPenalty. It returns the score and the word left out.
func alignScore(ptoks []token, f *form, buf *[]pair) (float64, omission) {
	pairs := align(ptoks, f.tokens, *buf)
	*buf = pairs
	om := omitted(ptoks, f, pairs)
	var num, den float64
	for _, t := range ptoks {
		den += t.weight
	}
	for _, t := range f.tokens {
		den += t.weight
	}
	for _, pr := range pairs {
		num += pr.sim * (ptoks[pr.p].weight + f.tokens[pr.c].weight)
	}
	penalty := 0.0
	if om.ok() {
		den -= om.weight(ptoks, f)
		penalty = OmittedPenalty
	}
	if den <= 0 {
		return 0, omission{}
	}
	return num/den - penalty, om
}

// omission is a word of a person's name that the other name leaves out and
// that costs only OmittedPenalty: i is its index, among the listed words or
// among the party's.
type omission struct {
	i     int // -1 for none.
	party bool
}

func (o omission) ok() bool { return o.i >= 0 }

func (o omission) weight(ptoks []token, f *form) float64 {
	if o.party {
		return ptoks[o.i].weight
	}
	return f.tokens[o.i].weight
}

func (o omission) word(ptoks []token, f *form) string {
	if o.party {
		return string(ptoks[o.i].form)
	}
	return string(f.tokens[o.i].form)
}

// omitted finds the one word of a listed person's name that a party may
// leave out at a small cost: when at least two words match, all of them
// exactly (same key: a typo and a missing word are two differences), and
// every word of the party's name matched, the first unmatched listed word that is
// omittable (its patronymic, else a middle name, see markOmittable); when
// every listed word matched, the first unmatched party word that is a
// patronymic (a payment may carry the patronymic the list lacks). Any other
// unmatched word counts in full: "Sergei Shcherbakov" against "SHCHERBAKOV,
// Igor Petrovich" leaves both Sergei and Igor unmatched, and no discount.
func omitted(ptoks []token, f *form, pairs []pair) omission {
	if !f.person || len(pairs) < 2 {
		return omission{i: -1}
	}
	var usedP, usedC uint32
	for _, pr := range pairs {
		if pr.sim < 1 {
			return omission{i: -1}
		}
		usedP |= 1 << pr.p
		usedC |= 1 << pr.c
	}
	allP, allC := usedP == 1<<len(ptoks)-1, usedC == 1<<len(f.tokens)-1
	switch {
	case allP && !allC:
		for i, t := range f.tokens {
			if usedC&(1<<i) == 0 && t.omittable {
				return omission{i: i}
			}
		}
	case allC && !allP:
		for i, t := range ptoks {
			if usedP&(1<<i) == 0 && t.patronymic {
				return omission{i: i, party: true}
			}
		}
	}
	return omission{i: -1}
}

// The alignment marks used words in a uint32.
const _ uint = 32 - MaxTokens

// joinedScore compares a party and a listed name each written as one word
// (see joined), when they have different numbers of words: one of them split
// a compound the other wrote whole. It is 0 when that does not apply.
func joinedScore(pj []rune, ptoks []token, f *form) float64 {
	if len(ptoks) == len(f.tokens) {
		return 0
	}
	a, b := pj, f.joined
	if a == nil && len(ptoks) == 1 {
		a = ptoks[0].form
	}
	if b == nil && len(f.tokens) == 1 {
		b = f.tokens[0].form
	}
	if len(a) < minJoinedRunes || len(b) < minJoinedRunes {
		return 0
	}
	if sim := editSim(a, b); sim >= TokenMatchMin {
		return sim
	}
	return 0
}

type pair struct {
	p, c int
	sim  float64
}

// align pairs words greedily by descending similarity; ties go to the
// earlier party word, then the earlier listed word. It works in buf, which
// it returns (grown if need be) holding the chosen pairs.
func align(ptoks, ctoks []token, buf []pair) []pair {
	cand := buf[:0]
	for i := range ptoks {
		for j := range ctoks {
			if sim := tokenSim(&ptoks[i], &ctoks[j]); sim >= TokenMatchMin {
				cand = append(cand, pair{i, j, sim})
			}
		}
	}
	for i := 1; i < len(cand); i++ { // Insertion sort: stable, few pairs, no allocation.
		for k := i; k > 0 && cand[k].sim > cand[k-1].sim; k-- {
			cand[k], cand[k-1] = cand[k-1], cand[k]
		}
	}
	var usedP, usedC uint32
	n := 0
	for _, pr := range cand {
		if usedP&(1<<pr.p) != 0 || usedC&(1<<pr.c) != 0 {
			continue
		}
		usedP |= 1 << pr.p
		usedC |= 1 << pr.c
		cand[n] = pr
		n++
	}
	return cand[:n]
}

// tokenSim is 1 for words with one phonetic key. Otherwise it is the better
// of editSim over the keys and over the folded words: the key merges
// spelling variants, the words keep a typo to a one-letter difference where
// the key rules might spread it. Initials match only an initial. A word
// romanised from Arabic script scores at least 0.9 against a word with its
// consonant skeleton.
func tokenSim(a, b *token) float64 {
	if a.key == b.key || a.keyX != "" && a.keyX == b.key || b.keyX != "" && b.keyX == a.key {
		return 1
	}
	if len(a.form) == 1 || len(b.form) == 1 {
		if a.form[0] == b.form[0] {
			return 0.9
		}
		return 0
	}
	sim := max(editSim(a.keyR, b.keyR), editSim(a.form, b.form))
	if (a.abjad || b.abjad) && len(a.skel) >= 2 && a.skel == b.skel {
		sim = max(sim, 0.9)
	}
	return sim
}

// editSim is the mean of the Jaro-Winkler similarity and the normalised
// edit similarity (1 - distance/length) of a and b; words one edit apart
// score at least TypoSim (at least 5 letters) or 0.9 (4 letters). Jaro-Winkler
// alone rates a shared prefix so high that Korolev and Korobov would pass for
// one name.
func editSim(a, b []rune) float64 {
	jw := jaroWinkler(a, b)
	if jw < 0.75 {
		return 0 // Under TokenMatchMin whatever the edit distance.
	}
	n := max(len(a), len(b))
	d := editDistance(a, b)
	sim := 0.5*jw + 0.5*(1-float64(d)/float64(n))
	if d == 1 {
		switch short := min(len(a), len(b)); {
		case short >= 5:
			sim = max(sim, TypoSim)
		case short == 4:
			sim = max(sim, 0.9)
		}
	}
	return sim
}

// result adjusts the candidates by the party's attributes and keeps the best.
func (s *Screener) result(p Party, best map[int32]candidate) Result {
	country := countryCode(p.Country)
	births := parseBirths(p.DateOfBirth)
	var hits []Hit
	for eid, c := range best {
		if c.score < s.cfg.MinScore-DOBExactBonus-CountryMatchBonus {
			continue
		}
		ref := &s.entries[eid]
		adj, why := adjust(ref, country, births)
		score := clamp(c.score + adj)
		if c.form < 0 {
			score = 1
		}
		if score < s.cfg.MinScore {
			continue
		}
		hits = append(hits, s.hit(ref, c, score, why))
	}
	sortHits(hits)
	if len(hits) > s.cfg.MaxHits {
		hits = hits[:s.cfg.MaxHits]
	}
	return Result{Party: p, Hits: hits, Hold: len(hits) > 0 && hits[0].Score >= s.cfg.Threshold}
}

func clamp(x float64) float64 {
	x = math.Max(0, math.Min(1, x))
	return math.Round(x*10000) / 10000 // Four places: stable output, no float noise.
}

func (s *Screener) hit(ref *entryRef, c candidate, score float64, adj []string) Hit {
	l := s.lists[ref.list]
	h := Hit{Score: score, List: l.Name, ListVersion: l.Version, EntryID: ref.entry.ID, Kind: ref.entry.Kind}
	if c.form < 0 {
		h.MatchedName = ref.entry.Names[0].Full
		h.Why = "BIC matches " + bicList(ref.entry.BICs)
		return h
	}
	f := &s.forms[c.form]
	h.MatchedName = ref.entry.Names[f.name].Full
	j := joinedScore(joined(c.party), c.party, f)
	as, om := alignScore(c.party, f, new([]pair))
	if j <= as {
		j = 0
	}
	h.Why = explain(c.party, f, adj, j, om)
	return h
}

func oneWord(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(string(t.form))
	}
	return b.String()
}

func bicList(bics []corridor.BIC) string {
	parts := make([]string, len(bics))
	for i, b := range bics {
		parts[i] = string(b)
	}
	return strings.Join(parts, ",")
}

// explain writes which words matched and how, then the adjustments:
// "igor=igor 1.00, sherbakov~shcherbakov 1.00 (key); unmatched: petrovich; country RU +0.03".
func explain(ptoks []token, f *form, adj []string, joinedSim float64, om omission) string {
	if joinedSim > 0 {
		return fmt.Sprintf("written as one word %s~%s %.2f", oneWord(ptoks), oneWord(f.tokens), joinedSim) + explainTail(f, adj)
	}
	pairs := align(ptoks, f.tokens, nil)
	var parts []string
	matchedP, matchedC := map[int]bool{}, map[int]bool{}
	for _, pr := range pairs {
		a, b := &ptoks[pr.p], &f.tokens[pr.c]
		op, note := "~", ""
		if string(a.form) == string(b.form) {
			op = "="
		} else if a.key == b.key {
			note = " (same key " + a.key + ")"
		}
		parts = append(parts, fmt.Sprintf("%s%s%s %.2f%s", string(a.form), op, string(b.form), pr.sim, note))
		matchedP[pr.p], matchedC[pr.c] = true, true
	}
	why := strings.Join(parts, ", ")
	if om.ok() {
		matchedP[om.i] = matchedP[om.i] || om.party
		matchedC[om.i] = matchedC[om.i] || !om.party
	}
	if un := unmatched(ptoks, matchedP); un != "" {
		why += "; party words unmatched: " + un
	}
	if un := unmatched(f.tokens, matchedC); un != "" {
		why += "; listed words unmatched: " + un
	}
	if om.ok() {
		side := "listed"
		if om.party {
			side = "party"
		}
		why += fmt.Sprintf("; %s %s left out -%.2f", side, om.word(ptoks, f), OmittedPenalty)
	}
	return why + explainTail(f, adj)
}

// explainTail writes the quality penalty and the attribute adjustments.
func explainTail(f *form, adj []string) string {
	why := ""
	if f.low {
		why += fmt.Sprintf("; low-quality alias -%.2f", LowQualityPenalty)
	}
	for _, a := range adj {
		why += "; " + a
	}
	return why
}

func unmatched(toks []token, matched map[int]bool) string {
	var words []string
	for i, t := range toks {
		if !matched[i] {
			words = append(words, string(t.form))
		}
	}
	return strings.Join(words, " ")
}

// adjust is the attribute adjustment of an entry for the party's country and
// date of birth, with its explanation.
func adjust(ref *entryRef, country string, births []birth) (float64, []string) {
	var adj float64
	var why []string
	if country != "" && len(ref.countries) > 0 {
		if ref.countries[country] {
			adj += CountryMatchBonus
			why = append(why, fmt.Sprintf("country %s matches +%.2f", country, CountryMatchBonus))
		} else {
			adj -= CountryMismatchPenalty
			why = append(why, fmt.Sprintf("country %s not listed -%.2f", country, CountryMismatchPenalty))
		}
	}
	if len(births) == 0 || len(ref.births) == 0 {
		return adj, why
	}
	d, w := birthAdjustment(births[0], ref.births)
	return adj + d, append(why, w)
}

func birthAdjustment(b birth, listed []birth) (float64, string) {
	yearClose := false
	for _, l := range listed {
		if l.Year == b.Year && l.Month != 0 && l.Month == b.Month && l.Day == b.Day {
			return DOBExactBonus, fmt.Sprintf("date of birth matches +%.2f", DOBExactBonus)
		}
		yearClose = yearClose || abs(l.Year-b.Year) <= 1
	}
	if yearClose {
		return DOBYearBonus, fmt.Sprintf("year of birth matches +%.2f", DOBYearBonus)
	}
	return -DOBMismatchPenalty, fmt.Sprintf("year of birth %d differs -%.2f", b.Year, DOBMismatchPenalty)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
