package hub

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
)

// stagedEntry is an entry posted with retention whose journal entry is not
// yet durable: the store does not hold it yet, so statements read it here.
type stagedEntry struct {
	acct ledger.AccountID
	n    uint64
	e    entry
}

// bookEntries are the store rows of staged, for the journal entry of the
// command that posted them.
func bookEntries(staged []stagedEntry) []corridor.BookEntry {
	if len(staged) == 0 {
		return nil
	}
	out := make([]corridor.BookEntry, len(staged))
	for i := range staged {
		st := &staged[i]
		out[i] = corridor.BookEntry{Account: st.acct.String(), N: st.n, Record: appendEntryRecord(nil, &st.e)}
	}
	return out
}

// stage moves the entries the command just applied posted with retention
// into its journal entry's rows, and keeps them for reads until the append
// is durable (written).
func (s *state) stage() []corridor.BookEntry {
	rows := bookEntries(s.staged)
	s.unwritten = append(s.unwritten, s.staged...)
	s.staged = s.staged[:0]
	return rows
}

// written is called once the batch's append is durable: the store holds
// every staged entry.
func (s *state) written() { s.unwritten = s.unwritten[:0] }

// pagePlan is one page of a statement or report, planned on the
// sequencer: what it says and where its entries are. Parts that memory
// holds carry their entries; the rest are in the store, which complete
// reads, off the sequencer. A page an inbox holds whose entries the store
// keeps is a plan until it is read (see inboxMsg.plan); its fields are
// exported for the snapshot and the state hash.
type pagePlan struct {
	P       period // Its Entries are set by complete.
	Parts   []pagePart
	Trimmed bool // The book dropped entries it kept in memory.
	HubBIC  corridor.BIC
	Svc     string
	Now     time.Time
}

// pagePart is entries First to First+Count-1 of the page's account: in
// Entries, or in the store when Entries is nil.
type pagePart struct {
	First, Count uint64
	Entries      []entry
}

// planPage plans page p.Page of p, whose entries are the runs of its day,
// with the entries memory holds, and of those staged for the store when
// staged (a plan read at once, not one an inbox keeps).
func (s *state) planPage(b *book, p period, runs []dayRun, now time.Time, staged bool) (pagePlan, error) {
	total := uint64(0)
	for _, r := range runs {
		total += r.Count
	}
	first := uint64(p.Page-1) * MaxStatementEntries
	if first > total || (first == total && p.Page > 1) {
		return pagePlan{}, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("page %d is past the last page", p.Page))
	}
	p.Last = first+MaxStatementEntries >= total
	p.ID = periodID(p, s.lastSeq)
	plan := pagePlan{P: p, Trimmed: !b.Trimmed.IsZero(), HubBIC: s.hubBIC, Svc: bizSvc(s.config.Messages), Now: now}
	var pending map[uint64]entry
	if staged {
		pending = s.stagedOf(p.Acct)
	}
	pl := planner{plan: &plan}
	for _, r := range pageNumbers(runs, first, MaxStatementEntries) {
		for n := r.First; n < r.end(); n++ {
			if i, ok := b.kept(n); ok {
				pl.addKept(n, b.Entries, i)
			} else if e, ok := pending[n]; ok {
				pl.add(n, &e)
			} else {
				pl.add(n, nil)
			}
		}
	}
	return plan, nil
}

// planner puts entries on a page, part by part. start is where the last
// part starts in the book's Entries when it is a kept part, else -1.
type planner struct {
	plan  *pagePlan
	start int
}

// addKept puts entry n, kept at es[i], on the page. Parts share the book's
// Entries (a book only appends and drops from the front), capped so that
// nothing ever writes into them; kept entries with consecutive numbers are
// next to each other there, so a run of them is one part.
func (pl *planner) addKept(n uint64, es []entry, i int) {
	if last := pl.last(); last != nil && pl.start >= 0 && last.First+last.Count == n && pl.start+int(last.Count) == i {
		last.Count++
		last.Entries = es[pl.start : i+1 : i+1]
		return
	}
	pl.plan.Parts = append(pl.plan.Parts, pagePart{First: n, Count: 1, Entries: es[i : i+1 : i+1]})
	pl.start = i
}

// add puts entry n on the page: e, or in the store when e is nil.
func (pl *planner) add(n uint64, e *entry) {
	if last := pl.last(); last != nil && pl.start < 0 && last.First+last.Count == n && (last.Entries == nil) == (e == nil) {
		last.Count++
		if e != nil {
			last.Entries = append(last.Entries, *e)
		}
		return
	}
	part := pagePart{First: n, Count: 1}
	if e != nil {
		part.Entries = []entry{*e}
	}
	pl.plan.Parts = append(pl.plan.Parts, part)
	pl.start = -1
}

func (pl *planner) last() *pagePart {
	if len(pl.plan.Parts) == 0 {
		return nil
	}
	return &pl.plan.Parts[len(pl.plan.Parts)-1]
}

// stored reports whether the store holds some of the page's entries.
func (plan *pagePlan) stored() bool {
	return slices.ContainsFunc(plan.Parts, func(p pagePart) bool { return p.Entries == nil })
}

// check reports the first way a restored plan is not one planPage makes.
func (plan *pagePlan) check() error {
	total := uint64(0)
	for _, part := range plan.Parts {
		if part.Count == 0 || (part.Entries != nil && uint64(len(part.Entries)) != part.Count) {
			return fmt.Errorf("statement page %s: a part of %d entries holds %d", plan.P.ID, part.Count, len(part.Entries))
		}
		total += part.Count
	}
	if total > MaxStatementEntries || plan.P.Acct.Kind != ledger.KindSettlement || len(plan.P.Entries) > 0 {
		return fmt.Errorf("statement page %s: %d entries of %s", plan.P.ID, total, plan.P.Acct)
	}
	return nil
}

// pageNumbers is the numbers of entries skip to skip+limit-1 of runs, in runs.
func pageNumbers(runs []dayRun, skip, limit uint64) []numRun {
	var out []numRun
	for _, r := range runs {
		if skip >= r.Count {
			skip -= r.Count
			continue
		}
		n := min(r.Count-skip, limit)
		out = append(out, numRun{First: r.First + skip, Count: n})
		skip, limit = 0, limit-n
		if limit == 0 {
			break
		}
	}
	return out
}

// stagedOf is the entries of acct posted with retention and not yet in the
// store, by number.
func (s *state) stagedOf(acct ledger.AccountID) map[uint64]entry {
	var m map[uint64]entry
	for _, list := range [...][]stagedEntry{s.unwritten, s.staged} {
		for i := range list {
			if list[i].acct == acct {
				if m == nil {
					m = make(map[uint64]entry)
				}
				m[list[i].n] = list[i].e
			}
		}
	}
	return m
}

// errEntriesMissing is an entry a book counts that neither memory nor the
// store holds.
var errEntriesMissing = errors.New("entries missing")

// complete reads the plan's entries in the store from books and writes the page.
func (plan *pagePlan) complete(ctx context.Context, books corridor.Books) (InboxMessage, error) {
	p := plan.P
	total := uint64(0)
	for _, part := range plan.Parts {
		total += part.Count
	}
	p.Entries = make([]entry, 0, total)
	for _, part := range plan.Parts {
		if part.Entries != nil {
			p.Entries = append(p.Entries, part.Entries...)
			continue
		}
		at := len(p.Entries)
		p.Entries = p.Entries[:at+int(part.Count)]
		if err := readEntries(ctx, books, p.Acct, part.First, p.Entries[at:]); err != nil {
			if errors.Is(err, errEntriesMissing) && plan.Trimmed {
				return InboxMessage{}, corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("entries of %s of that day are no longer kept", p.Acct))
			}
			return InboxMessage{}, err
		}
	}
	body, err := accountReport(plan.HubBIC, p, plan.Now, plan.Svc)
	assert.That(err == nil, "encode %s of %s: %v", p.MsgDef, p.Acct, err)
	return InboxMessage{MsgDefID: p.MsgDef, Reference: p.ID, Time: plan.Now, Body: body}, nil
}

// readEntries reads acct's entries from first on into out, which they fill.
func readEntries(ctx context.Context, books corridor.Books, acct ledger.AccountID, first uint64, out []entry) error {
	if books == nil {
		return fmt.Errorf("entry %d of %s: %w: the store keeps no book entries", first, acct, errEntriesMissing)
	}
	for len(out) > 0 {
		rows, err := books.BookEntries(ctx, acct.String(), first, min(len(out), corridor.MaxBookEntriesRead))
		if err != nil {
			return fmt.Errorf("read the entries of %s from %d: %w", acct, first, err)
		}
		if len(rows) == 0 || rows[0].N != first {
			return fmt.Errorf("entry %d of %s is neither in memory nor in the store: %w", first, acct, errEntriesMissing)
		}
		for _, r := range rows {
			if r.N != first || len(out) == 0 {
				break
			}
			e, err := decodeEntryRecord(r.Record)
			if err != nil {
				return fmt.Errorf("entry %d of %s in the store: %w: %w", r.N, acct, corridor.ErrJournalCorrupt, err)
			}
			out[0], out, first = e, out[1:], first+1
		}
	}
	return nil
}
