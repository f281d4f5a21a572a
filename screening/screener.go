package screening

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/corridor-network/corridor"
)

// Defaults of Config, documented in doc.go.
const (
	DefaultThreshold = 0.88 // A score at or above it holds the payment.
	DefaultMinScore  = 0.75 // Candidates below it are not reported.
	DefaultMaxHits   = 5
	MaxHitsLimit     = 50
	// TokenMatchMin is the similarity under which two words count as not
	// matching at all: partial credit for unlike words would let two common
	// first names and any surname reach the threshold.
	TokenMatchMin = 0.84
	// TypoSim is the least similarity of two words of at least 5 letters that
	// are one edit (insertion, deletion, substitution, transposition) apart.
	TypoSim = 0.92
	// OmittedPenalty is what a person's patronymic or middle name costs when
	// the other name leaves it out ("Igor Shcherbakov" against "SHCHERBAKOV,
	// Igor Petrovich"): a small penalty, not the weight of an unmatched word.
	OmittedPenalty = 0.04
)

// Config tunes a Screener. The zero value means the defaults.
type Config struct {
	Threshold float64 // Score in [0,1] at or above which a payment is held; DefaultThreshold when 0.
	MinScore  float64 // Smallest score reported as a candidate; DefaultMinScore when 0.
	MaxHits   int     // Candidates reported per party; DefaultMaxHits when 0.
}

func (c Config) withDefaults() (Config, error) {
	if c.Threshold == 0 {
		c.Threshold = DefaultThreshold
	}
	if c.MinScore == 0 {
		c.MinScore = min(DefaultMinScore, c.Threshold)
	}
	if c.MaxHits == 0 {
		c.MaxHits = DefaultMaxHits
	}
	var errs []error
	if math.IsNaN(c.Threshold) || c.Threshold <= 0 || c.Threshold > 1 {
		errs = append(errs, fmt.Errorf("threshold %v is not in (0, 1]", c.Threshold))
	}
	if math.IsNaN(c.MinScore) || c.MinScore < 0 || c.MinScore > c.Threshold {
		errs = append(errs, fmt.Errorf("min score %v is not in [0, threshold]", c.MinScore))
	}
	if c.MaxHits < 1 || c.MaxHits > MaxHitsLimit {
		errs = append(errs, fmt.Errorf("max hits %d is not in [1, %d]", c.MaxHits, MaxHitsLimit))
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("screening: config: %w", errors.Join(errs...))
	}
	return c, nil
}

// Party is one name a payment carries: a debtor, a creditor, an ultimate
// party or an agent.
type Party struct {
	Name        string
	Country     string       // ISO 3166 alpha-2 (or a country name); optional.
	DateOfBirth string       // YYYY-MM-DD or YYYY; optional, individuals only.
	BIC         corridor.BIC // Agents; optional.
	Role        Role         // Debtor, creditor, an agent...: carried into the result, not scored.
}

// Hit is one candidate list entry for a party.
type Hit struct {
	Score       float64 // In [0, 1]; not money, so float64.
	List        string
	ListVersion string
	EntryID     string
	Kind        Kind
	MatchedName string // The entry's name as listed that scored best.
	Why         string // Which words matched how well, and the attribute adjustments.
}

// Result is the outcome of screening one party.
type Result struct {
	Party Party
	Hits  []Hit // Best first; ties by list name, then entry ID. At most Config.MaxHits.
	Hold  bool  // Some hit scores at or above Config.Threshold, or a flag holds (see Flag.Holds).
	// Flags are what the party's name carries that a reader does not see or
	// may misread (bidi controls, mixed scripts, invisible characters,
	// styled letters), in the order of the Flag constants; nil when none.
	Flags []Flag
	// Compared counts the listed names the index chose for scoring: a small
	// share of Names(), never all of them.
	Compared int
	Screener string // The ID of the Screener that produced it: which list versions and thresholds.
}

// entryRef is an entry with what scoring needs precomputed.
type entryRef struct {
	list      int
	entry     *Entry
	countries map[string]bool
	births    []birth
}

// form is one romanisation of one name of one entry.
type form struct {
	entry  int32
	name   int32
	tokens []token
	joined []rune // See joined; nil for one word.
	low    bool   // A low-quality alias.
	person bool   // The entry is an individual: a patronymic or middle name may be left out.
}

// Screener matches parties against a set of lists. Its lists and index are
// immutable once built, and it is safe for concurrent use: to change lists,
// build a new one and swap the pointer. It caches the Results of the parties
// it screened (at most MaxCachedParties), which a new Screener does not
// inherit: a list change starts with an empty cache.
type Screener struct {
	cfg     Config
	lists   []*List
	entries []entryRef
	forms   []form
	index   map[string][]int32 // Word key, and keys one deletion away, to forms.
	bics    map[string][]int32 // BIC (first 8 characters) to entries.
	df      map[string]int     // Word key to the number of entries using it.
	id      string
	cache   *resultCache // Results by party; the only part that changes.
}

// NewScreener indexes lists. The lists must not change afterwards.
func NewScreener(cfg Config, lists ...*List) (*Screener, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Screener{cfg: cfg, lists: lists, index: map[string][]int32{}, bics: map[string][]int32{}, df: map[string]int{},
		cache: newResultCache()}
	seen := map[string]bool{}
	for li, l := range lists {
		if l == nil {
			return nil, errors.New("screening: nil list")
		}
		if seen[l.Name] {
			return nil, fmt.Errorf("screening: two lists named %q", l.Name)
		}
		seen[l.Name] = true
		for ei := range l.Entries {
			s.addEntry(li, &l.Entries[ei])
		}
	}
	s.weigh()
	s.id = screenerID(cfg, lists)
	return s, nil
}

// screenerID is the hex SHA-256 of the configuration and of each list's
// name, version and hash, in order.
func screenerID(cfg Config, lists []*List) string {
	h := sha256.New()
	fmt.Fprintf(h, "threshold=%v min=%v hits=%d\n", cfg.Threshold, cfg.MinScore, cfg.MaxHits)
	for _, l := range lists {
		fmt.Fprintf(h, "%q %q %s %d\n", l.Name, l.Version, l.Hash, len(l.Entries))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ID identifies s by its lists (names, versions, hashes) and configuration:
// every Result carries it, so the hub can journal the list versions once per
// Screener and the ID with each result.
func (s *Screener) ID() string { return s.id }

func (s *Screener) addEntry(list int, e *Entry) {
	id := int32(len(s.entries))
	ref := entryRef{list: list, entry: e, countries: map[string]bool{}}
	for _, c := range append(append([]string(nil), e.Countries...), e.Nationalities...) {
		if code := countryCode(c); code != "" {
			ref.countries[code] = true
		}
	}
	for _, d := range e.DatesOfBirth {
		ref.births = append(ref.births, parseBirths(d)...)
	}
	s.entries = append(s.entries, ref)
	for _, b := range e.BICs {
		s.bics[string(b[:8])] = append(s.bics[string(b[:8])], id)
	}
	words := map[string]bool{}
	person := e.Kind == KindIndividual
	for ni, n := range e.Names {
		variants, _ := analyse(n.Full)
		surname := surnameWords(n.Full)
		for _, toks := range variants {
			if person {
				markOmittable(toks, surname)
			}
			f := form{entry: id, name: int32(ni), tokens: toks, joined: joined(toks), low: n.Quality == QualityLow, person: person}
			s.addForm(f)
			for _, t := range toks {
				words[t.key] = true
			}
		}
	}
	for w := range words {
		s.df[w]++
	}
}

// surnameWords counts the words before the comma of a listed person's name
// written "SURNAME, Given Middle" (OFAC's way); 0 without a comma.
func surnameWords(full string) int {
	before, _, ok := strings.Cut(full, ",")
	if !ok {
		return 0
	}
	variants, _ := analyse(before)
	if len(variants) == 0 {
		return 0
	}
	return len(variants[0])
}

// markOmittable marks the words of a listed person's name that a payment
// may leave out at a small cost: its patronymics if it has any; else its
// middle names: after "SURNAME, Given" the words past the given name,
// without a comma the words between the first and the last.
func markOmittable(toks []token, surname int) {
	hasPatronymic := false
	for i := range toks {
		if toks[i].patronymic {
			toks[i].omittable, hasPatronymic = true, true
		}
	}
	if hasPatronymic {
		return
	}
	first, last := 1, len(toks)-2 // Without a comma: between the first and the last word.
	if surname > 0 {
		first, last = surname+1, len(toks)-1
	}
	for i := max(first, 0); i <= last && i < len(toks); i++ {
		toks[i].omittable = true
	}
}

func (s *Screener) addForm(f form) {
	fid := int32(len(s.forms))
	s.forms = append(s.forms, f)
	allGeneric := true
	for _, t := range f.tokens {
		allGeneric = allGeneric && t.generic
	}
	var keys []string
	for _, t := range f.tokens {
		if !t.generic || allGeneric {
			keys = append(keys, lookupKeys(t, true)...)
		}
	}
	if f.joined != nil {
		keys = append(keys, string(f.joined)) // A party writing the name as one word finds it.
	}
	for _, k := range keys {
		if posts := s.index[k]; len(posts) == 0 || posts[len(posts)-1] != fid {
			s.index[k] = append(posts, fid)
		}
	}
}

// lookupKeys are the index keys of a word: its phonetic key (and its key
// reading x as kh), the key with any one character deleted (when it has at
// least 4), and its consonant skeleton: indexed for every listed word,
// looked up for Arabic-script words.
func lookupKeys(t token, skel bool) []string {
	keys := []string{t.key}
	if t.keyX != "" {
		keys = append(keys, t.keyX)
	}
	if f := string(t.form); f != t.key {
		keys = append(keys, f)
		if len(t.form) >= 4 {
			for i := range t.form {
				keys = append(keys, string(t.form[:i])+string(t.form[i+1:]))
			}
		}
	}
	if skel && len(t.skel) >= 2 {
		keys = append(keys, "#"+t.skel)
	}
	if len(t.keyR) < 4 {
		return keys
	}
	for i := range t.keyR {
		keys = append(keys, string(t.keyR[:i])+string(t.keyR[i+1:]))
	}
	return keys
}

// weigh lowers the weight of words that many entries share (common first
// names, patronymics, "al"): weight × 1/(1 + 0.25·ln df).
func (s *Screener) weigh() {
	for fi := range s.forms {
		for ti := range s.forms[fi].tokens {
			t := &s.forms[fi].tokens[ti]
			t.weight *= s.frequencyFactor(t.key)
		}
	}
}

func (s *Screener) frequencyFactor(key string) float64 {
	df := s.df[key]
	if df <= 1 {
		return 1
	}
	return 1 / (1 + 0.25*math.Log(float64(df)))
}

// Lists identifies the lists s screens against: what the hub journals with
// every result.
func (s *Screener) Lists() []ListInfo {
	out := make([]ListInfo, len(s.lists))
	for i, l := range s.lists {
		out[i] = l.Info()
	}
	return out
}

// Names counts the indexed names (each romanisation of each name of each
// entry): what a screening without the index would compare every party with.
func (s *Screener) Names() int { return len(s.forms) }

// Config returns s's configuration with the defaults filled in.
func (s *Screener) Config() Config { return s.cfg }

// sortHits orders hits best first, then by list name and entry ID.
func sortHits(hits []Hit) {
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.List != b.List {
			return a.List < b.List
		}
		return a.EntryID < b.EntryID
	})
}
