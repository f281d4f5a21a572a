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

// stagedEntry is an entry the command being applied posted for the store.
type stagedEntry struct {
	acct ledger.AccountID
	n    uint64
	e    entry
}

// stage hands the entries the command just applied posted for the store
// to its journal entry, as the store's rows, their records in one buffer.
// Only the sequencer's batch writes them; a replay drops them (applyEntry),
// for the store has them. No statement ever reads them from here: queries
// run once the batch is durable, and what the sequencer writes itself
// plans with memory alone (issueStatement).
func (s *state) stage() []corridor.BookEntry {
	if len(s.staged) == 0 {
		return nil
	}
	var buf []byte
	ends := make([]int, len(s.staged))
	for i := range s.staged {
		buf = appendEntryRecord(buf, &s.staged[i].e)
		ends[i] = len(buf)
	}
	rows := make([]corridor.BookEntry, len(s.staged))
	start := 0
	for i := range s.staged {
		st := &s.staged[i]
		rows[i] = corridor.BookEntry{Account: st.acct.String(), N: st.n, Record: buf[start:ends[i]:ends[i]]}
		start = ends[i]
	}
	s.staged = s.staged[:0]
	return rows
}

// pagePlan is one page of a statement or report, planned on the
// sequencer: what it says and where its entries are. Parts that memory
// holds carry their entries; the rest are in the store, which complete
// reads, off the sequencer. A page an inbox holds whose entries the store
// keeps is a plan until it is read (see laterBody); its fields are
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

// planPage plans page p.Page of p, whose entries are the runs of its day:
// the parts memory keeps, and those the store holds.
func (s *state) planPage(b *book, p period, runs []dayRun, now time.Time) (pagePlan, error) {
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
	for _, r := range pageNumbers(runs, first, MaxStatementEntries) {
		plan.Parts = b.parts(plan.Parts, r)
	}
	return plan, nil
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
