package hub

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/screening"
)

// Bounds of sanctions screening.
const (
	MaxLists         = 16       // Lists loaded at once.
	MaxListFiles     = 3        // Files of one list (OFAC's CSV trio).
	MaxListBytes     = 64 << 20 // All files of one list together.
	MaxWhitelist     = 100_000  // Confirmed false positives.
	MaxDecisionChars = 500      // An operator's reason for a decision.
)

// The list formats the hub loads.
const (
	ListFormatUN      = "un"       // UN Security Council consolidated list, XML.
	ListFormatOFACXML = "ofac-xml" // OFAC SDN list, XML.
	ListFormatOFACCSV = "ofac-csv" // OFAC SDN list, the legacy CSV trio sdn, add, alt.
	ListFormatCSV     = "csv"      // The operator's own list (see screening.LoadCSV).
)

// screeningState is the hub's sanctions lists, the screener built from them,
// the confirmed false positives and the payments held for a decision.
type screeningState struct {
	lists     map[string]*screening.List
	screener  *screening.Screener // Nil until a list is loaded.
	whitelist map[whiteKey]string // Who confirmed the false positive, and why.
	holds     map[uint64]*payment // By the seq that accepted the payment.
	approvals map[uint64]approval // First releases of held payments that wait for a second operator (four eyes).
	changed   bool                // The screener changed since the last commit; not state.
}

// whiteKey is a confirmed false positive: a party (by its spelling-independent
// key, or its BIC) against one list entry.
type whiteKey struct {
	Party, List, Entry string
}

// approval is the first of the two releases four eyes requires.
type approval struct {
	By  string // The operator, from its certificate.
	Why string
}

func newScreeningState() screeningState {
	return screeningState{lists: map[string]*screening.List{}, whitelist: map[whiteKey]string{}, holds: map[uint64]*payment{},
		approvals: map[uint64]approval{}}
}

// listCmd loads (or replaces) a sanctions list from its published files.
type listCmd struct {
	Name    string
	Version string // The list's own version, as parsed when it was loaded.
	Hash    string // SHA-256 of its files, as parsed when it was loaded.
	Format  string
	Files   [][]byte
	parsed  *screening.List // Parsed by the caller, outside the sequencer; nil on replay.
}

// decideCmd is the operator's decision on a held payment.
type decideCmd struct {
	UETR      corridor.UETR
	Release   bool   // Else reject.
	By        string // The operator, from its certificate.
	Why       string
	Whitelist bool // On release: the hits were false positives; do not hold these parties for these entries again.
}

// screeningRecord is what screening found for a payment, journaled with it.
type screeningRecord struct {
	Screener string // The list versions and threshold used.
	Results  []screening.Result
}

// ParseList reads the files of a list in one of the formats the hub loads.
func ParseList(name, format string, files [][]byte) (*screening.List, error) {
	if err := checkListInput(name, files); err != nil {
		return nil, err
	}
	var l *screening.List
	var err error
	switch {
	case format == ListFormatUN && len(files) == 1:
		l, err = screening.LoadUN(files[0])
	case format == ListFormatOFACXML && len(files) == 1:
		l, err = screening.LoadOFACXML(files[0])
	case format == ListFormatOFACCSV && len(files) == 3:
		l, err = screening.LoadOFACCSV(files[0], files[1], files[2])
	case format == ListFormatCSV && len(files) == 1:
		l, err = screening.LoadCSV(name, files[0])
	default:
		return nil, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf(
			"list format %.20q with %d files: want un, ofac-xml or csv with one file, or ofac-csv with sdn, add and alt", format, len(files)))
	}
	if err != nil {
		return nil, corridor.Reject(corridor.ReasonInvalidFormat, "list "+name+": "+err.Error())
	}
	l.Name = name
	return l, nil
}

func checkListInput(name string, files [][]byte) error {
	if n := utf8.RuneCountInString(name); n == 0 || n > 35 {
		return corridor.Reject(corridor.ReasonInvalidFormat, "a list name has 1 to 35 characters")
	}
	total := 0
	for _, f := range files {
		total += len(f)
	}
	if len(files) == 0 || len(files) > MaxListFiles || total > MaxListBytes {
		return corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("a list is 1 to %d files of at most %d bytes together", MaxListFiles, MaxListBytes))
	}
	return nil
}

// loadList replaces or adds a list and rebuilds the screener.
func (s *state) loadList(c listCmd) result {
	l := c.parsed
	if l == nil {
		var err error
		if l, err = ParseList(c.Name, c.Format, c.Files); err != nil {
			return refused(err)
		}
	}
	if c.Version != l.Version || c.Hash != l.Hash {
		return refused(corridor.Reject(corridor.ReasonInvalidFormat, "list "+c.Name+": version or hash does not match its files"))
	}
	if _, ok := s.screening.lists[c.Name]; !ok && len(s.screening.lists) >= MaxLists {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("at most %d lists", MaxLists)))
	}
	lists := maps.Clone(s.screening.lists)
	lists[c.Name] = l
	scr, err := buildScreener(lists, s.config.ScreeningThreshold)
	if err != nil {
		return refused(corridor.Reject(corridor.ReasonInvalidFormat, err.Error()))
	}
	s.screening.lists, s.screening.screener, s.screening.changed = lists, scr, true
	return result{list: listInfo(l.Info()), changed: true}
}

// buildScreener indexes the lists, in name order, at the threshold.
func buildScreener(lists map[string]*screening.List, threshold float64) (*screening.Screener, error) {
	if len(lists) == 0 {
		return nil, nil
	}
	names := slices.Sorted(maps.Keys(lists))
	ordered := make([]*screening.List, len(names))
	for i, n := range names {
		ordered[i] = lists[n]
	}
	return screening.NewScreener(screening.Config{Threshold: threshold}, ordered...)
}

func listInfo(i screening.ListInfo) ListInfo {
	return ListInfo{Name: i.Name, Version: i.Version, Hash: i.Hash, Entries: i.Entries}
}

// screenPayment screens every party of p with scr. It runs on the caller's
// goroutine, outside the sequencer, which only checks that the lists did not
// change meanwhile.
func screenPayment(scr *screening.Screener, p corridor.Payment) *screeningRecord {
	if scr == nil {
		return nil
	}
	rec := &screeningRecord{Screener: scr.ID()}
	for _, party := range screening.PaymentParties(p) {
		rec.Results = append(rec.Results, scr.Screen(party))
	}
	return rec
}

// screeningOf is what screening found for c: the caller's results when they
// came from the screener in force, else the sequencer screens again.
func (s *state) screeningOf(c paymentCmd) *screeningRecord {
	scr := s.screening.screener
	if scr == nil {
		return nil
	}
	if c.Screening != nil && c.Screening.Screener == scr.ID() {
		return c.Screening
	}
	return screenPayment(scr, c.Payment)
}

// holdingHits are the hits of rec at or above the threshold that no
// confirmed false positive covers: any of them holds the payment.
func (s *state) holdingHits(rec *screeningRecord) []ScreeningHit {
	if rec == nil {
		return nil
	}
	threshold := s.screening.screener.Config().Threshold
	var out []ScreeningHit
	for _, r := range rec.Results {
		out = append(out, flagHits(r)...)
		for _, h := range r.Hits {
			hit := screeningHit(r.Party, h)
			hit.Whitelisted = s.whitelisted(r.Party, h)
			if h.Score >= threshold && !hit.Whitelisted {
				out = append(out, hit)
			}
		}
	}
	return out
}

func (s *state) whitelisted(p screening.Party, h screening.Hit) bool {
	_, ok := s.screening.whitelist[whiteKeyOf(p, h)]
	return ok
}

func whiteKeyOf(p screening.Party, h screening.Hit) whiteKey {
	party := string(p.BIC)
	if p.Name != "" {
		party = screening.PartyKey(p.Name)
	}
	return whiteKey{Party: party, List: h.List, Entry: h.EntryID}
}

// flagHits are the holds a party's name carries whatever it matches, such
// as bidi controls that make it display other than it reads: no list entry,
// and no whitelist can cover them; only an operator's decision ends them.
func flagHits(r screening.Result) []ScreeningHit {
	var out []ScreeningHit
	for _, f := range r.Flags {
		if f.Holds() {
			hit := screeningHit(r.Party, screening.Hit{})
			hit.Why = "the name carries " + string(f) + ": it may display other than it reads"
			out = append(out, hit)
		}
	}
	return out
}

func screeningHit(p screening.Party, h screening.Hit) ScreeningHit {
	party := p.Name
	if party == "" {
		party = string(p.BIC)
	}
	return ScreeningHit{Party: party, Role: string(p.Role), List: h.List, ListVersion: h.ListVersion, EntryID: h.EntryID,
		MatchedName: h.MatchedName, ScorePermille: int(h.Score*1000 + 0.5), Why: h.Why}
}

// hold keeps p for the operator's decision. Both banks see it pending, with
// no word of lists or entries.
func (s *state) hold(p *payment, now time.Time) {
	s.record(p, now)
	p.moveTo(corridor.StatusPending, WaitCompliance)
	p.detail = "held for compliance review"
	p.event(PaymentEvent{Time: now, Status: corridor.StatusPending, Event: "held", Detail: "compliance review"})
	s.screening.holds[p.seq] = p
}

// decide releases a held payment into settlement or rejects it RR04. With
// four eyes, a release is recorded until a second, different operator
// releases too. A cancellation request recorded while it was held is then
// answered: the payment, not settled, is cancelled DS02 on a release; on a
// reject it is rejected RR04 and the requester told it will not be paid.
func (s *state) decide(c decideCmd, now time.Time) result {
	p := s.heldLeg(c.UETR)
	if p == nil {
		return refused(fmt.Errorf("held payment %s: %w", c.UETR, corridor.ErrNotFound))
	}
	if err := s.decidable(p, c); err != nil {
		return refused(err)
	}
	if c.Release && s.config.FourEyes {
		if _, ok := s.screening.approvals[p.seq]; !ok {
			s.screening.approvals[p.seq] = approval{By: c.By, Why: c.Why}
			p.event(PaymentEvent{Time: now, Event: "compliance release recorded", Detail: "by " + c.By + ": " + c.Why + "; a second operator must release it"})
			return applied()
		}
	}
	delete(s.screening.holds, p.seq)
	delete(s.screening.approvals, p.seq)
	if !c.Release {
		p.event(PaymentEvent{Time: now, Event: "compliance rejected", Detail: "by " + c.By + ": " + c.Why})
		s.rejected(p, now, corridor.ReasonRegulatory, "rejected for a regulatory reason")
		if p.cancel != nil && p.cancel.Status == caseHeld {
			p.cancel.Status = caseCancelled
			s.deliverResolution(p, now)
		}
		return applied()
	}
	if c.Whitelist {
		s.whitelistHits(p, c)
	}
	p.event(PaymentEvent{Time: now, Event: "compliance released", Detail: "by " + c.By + ": " + c.Why})
	if p.cancel != nil && p.cancel.Status == caseHeld {
		s.cancelUnsettled(p, now)
		return applied()
	}
	if err := s.route(p, now); err != nil {
		reason, _ := corridor.ReasonOf(err)
		s.rejected(p, now, cmp.Or(reason, corridor.ReasonSettlementFailed), rejectDetail(err))
	}
	return applied()
}

// decidable refuses a decision the hub cannot take: no reason, a whitelist
// without a release or room, a full inbox for the answer to a recorded
// cancellation request, or, with four eyes, a second release by the
// operator who made the first (or by no named operator).
func (s *state) decidable(p *payment, c decideCmd) error {
	if n := utf8.RuneCountInString(c.Why); n == 0 || n > MaxDecisionChars {
		return corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("a decision needs a reason of 1 to %d characters", MaxDecisionChars))
	}
	if c.Whitelist && (!c.Release || len(s.screening.whitelist) >= MaxWhitelist) {
		return corridor.Reject(corridor.ReasonNotAllowed, "only a release whitelists, and the whitelist must have room")
	}
	if p.cancel != nil && p.cancel.Status == caseHeld {
		if err := s.roomIn(p.cancel.Requester); err != nil {
			return err
		}
	}
	if !c.Release || !s.config.FourEyes {
		return nil
	}
	if c.By == "" {
		return corridor.Reject(corridor.ReasonNotAllowed, "four eyes: a release must name its operator")
	}
	if first, ok := s.screening.approvals[p.seq]; ok && first.By == c.By {
		return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf(
			"four eyes: %.70s already released payment %s; a different operator must release it", c.By, p.ref))
	}
	return nil
}

// heldSince is when p was held: the time of its "held" event.
func (p *payment) heldSince() time.Time {
	for _, e := range slices.Backward(p.events) {
		if e.Event == "held" {
			return e.Time
		}
	}
	return p.events[len(p.events)-1].Time
}

// heldLeg is the held leg of the payment with this UETR, if any.
func (s *state) heldLeg(uetr corridor.UETR) *payment {
	for _, p := range s.byUETR[uetr] {
		if _, held := s.screening.holds[p.seq]; held {
			return p
		}
	}
	return nil
}

func (s *state) whitelistHits(p *payment, c decideCmd) {
	threshold := s.screening.screener.Config().Threshold
	for _, r := range p.screening.Results {
		for _, h := range r.Hits {
			if h.Score >= threshold {
				s.screening.whitelist[whiteKeyOf(r.Party, h)] = c.By + ": " + c.Why
			}
		}
	}
}

// holds lists the held payments in the order they were accepted.
func (s *state) holds() []ComplianceHold {
	seqs := slices.Sorted(maps.Keys(s.screening.holds))
	out := make([]ComplianceHold, 0, len(seqs))
	for _, seq := range seqs {
		p := s.screening.holds[seq]
		h := ComplianceHold{Reference: p.ref, Payment: p.cmd.Payment, Held: p.heldSince(),
			Screener: p.screening.Screener, ReleasedBy: s.screening.approvals[seq].By}
		if cs := p.cancel; cs != nil && cs.Status == caseHeld {
			h.Cancellation = &HeldCancellation{ID: cs.ID, CaseID: cs.CaseID, Requester: cs.Requester, Reason: cs.Reason}
		}
		for _, r := range p.screening.Results {
			h.Hits = append(h.Hits, flagHits(r)...)
			for _, hit := range r.Hits {
				ch := screeningHit(r.Party, hit)
				ch.Whitelisted = s.whitelisted(r.Party, hit)
				h.Hits = append(h.Hits, ch)
			}
		}
		out = append(out, h)
	}
	return out
}

// lists are the loaded lists, by name.
func (s *state) listInfos() []ListInfo {
	out := make([]ListInfo, 0, len(s.screening.lists))
	for _, n := range slices.Sorted(maps.Keys(s.screening.lists)) {
		out = append(out, listInfo(s.screening.lists[n].Info()))
	}
	return out
}
