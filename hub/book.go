package hub

import (
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// MaxAccountEntries bounds the entries the hub keeps per settlement account
// for statements and reports; past it the oldest go, and statements of the
// days they were on are refused.
const MaxAccountEntries = 100_000

// The hub's own bank transaction codes of the entries, as statements show them.
const (
	codePayment  = "PMNT" // A payment, gross, offset or converted.
	codeReturn   = "RTRN" // A return (pacs.004).
	codeFund     = "FUND" // Liquidity from the central account.
	codeDefund   = "DFND" // Liquidity back to the central account (pacs.009).
	codeNet      = "NETS" // A net settlement cycle's movement.
	codeRounding = "FXRD" // FX rounding booked between a provider and the rounding account.
)

// entry is one posting on a settlement account, as statements show it.
type entry struct {
	Time       time.Time
	Transfer   ledger.TransferID
	Debit      bool // DBIT; else CRDT.
	Amount     corridor.Amount
	Balance    int64  // The account's balance after it, in minor units.
	Ref        string // The hub's reference of what posted it.
	UETR       corridor.UETR
	MsgID      string
	EndToEndID string
	Code       string
	Info       string         `json:",omitempty"` // AddtlNtryInf, where the code needs words.
	Day        *corridor.Date `json:",omitempty"` // The business day it was booked on; nil without a calendar, whose day is Time's UTC date.
}

// book is a settlement account's entries, in the order they were posted.
// Each entry has a number on the account (1, 2, 3 …). Posted with
// retention (configCmd.Retention) an entry is written to the store with the
// journal entry of its command (corridor.BookEntry) and leaves memory;
// posted without, it stays in Entries, the last MaxAccountEntries of them.
// Either way the book remembers each day's run of numbers and its
// balances, which is all a statement needs to find its entries.
type book struct {
	Start      int64             // The balance before the first entry kept in memory.
	Trimmed    time.Time         // When set, entries kept in memory before this time were dropped.
	Entries    []entry           // The entries kept in memory: those posted without retention.
	Balance    int64             // After the last entry: the ledger's balance, checked after every command.
	Statements []statementRecord `json:",omitempty"` // The end-of-day statements issued, the last MaxStatementsKept.

	// The rest is summed once the store holds part of the book (bookSum):
	// before, it follows from the entries above.
	Posted      uint64   `json:",omitempty"` // The number of the last entry.
	Stored      uint64   `json:",omitempty"` // How many of them were written to the store.
	Kept        []numRun `json:",omitempty"` // The numbers of Entries, in order.
	Days        []dayRun `json:",omitempty"` // The runs of entries by day, the last maxDayRuns.
	DaysDropped bool     `json:",omitempty"` // Runs before the first of Days were dropped.
}

// numRun is the numbers First to First+Count-1.
type numRun struct{ First, Count uint64 }

func (r numRun) end() uint64 { return r.First + r.Count }

// dayRun is entries First to First+Count-1, booked on Date (an entry's
// business day, or its UTC date), and the account's balance before and
// after them.
type dayRun struct {
	Date             corridor.Date
	First, Count     uint64
	Opening, Closing int64
}

// maxDayRuns bounds the day runs a book remembers: more than the
// statements it keeps (MaxStatementsKept), so that every statement kept
// can be issued again.
const maxDayRuns = MaxStatementsKept + 112

// legacyBook is how the state hash has always written a book that the
// store holds nothing of: the fields above Posted, as they were.
type legacyBook struct {
	Start      int64
	Trimmed    time.Time
	Entries    []entry
	Balance    int64
	Statements []statementRecord `json:",omitempty"`
}

// bookSum is b as the state hash writes it.
func bookSum(b *book) any {
	if b.Stored == 0 {
		return legacyBook{Start: b.Start, Trimmed: b.Trimmed, Entries: b.Entries, Balance: b.Balance, Statements: b.Statements}
	}
	return b
}

// source is what posted a transfer, for its entries.
type source struct {
	ref, msgID, endToEndID, code string
	info                         string
	uetr                         corridor.UETR
}

// paymentSource is the source of p's transfers.
func paymentSource(p *payment) source {
	code := codePayment
	if p.msgDef == msgDefPacs004 {
		code = codeReturn
	}
	pay := p.cmd.Payment
	return source{ref: p.ref, msgID: pay.MsgID, endToEndID: pay.EndToEndID, code: code, uetr: pay.UETR}
}

// bookTransfers books each of ts.
func (s *state) bookTransfers(ts []ledger.Transfer, now time.Time, src source) {
	for _, t := range ts {
		s.book(t, now, src)
	}
}

// book records t, which the ledger posted, as an entry on each settlement
// account it touches, and notifies the owners who asked for camt.054. Every
// transfer is booked exactly once (checkBooks asserts it).
func (s *state) book(t ledger.Transfer, now time.Time, src source) {
	s.booked++
	for _, side := range [...]struct {
		id    ledger.AccountID
		debit bool
	}{{t.Debit, true}, {t.Credit, false}} {
		if side.id.Kind != ledger.KindSettlement {
			continue
		}
		b := s.books[side.id]
		if b == nil {
			b = &book{}
			s.books[side.id] = b
		}
		if side.debit {
			b.Balance -= int64(t.Amount)
		} else {
			b.Balance += int64(t.Amount)
		}
		e := entry{Time: now, Transfer: t.ID, Debit: side.debit, Amount: t.Amount, Balance: b.Balance, Ref: src.ref, UETR: src.uetr,
			MsgID: src.msgID, EndToEndID: src.endToEndID, Code: src.code, Info: src.info, Day: s.bookingDay(side.id.Currency)}
		stored := s.booksStored()
		if n := b.add(e, stored); stored {
			s.staged = append(s.staged, stagedEntry{acct: side.id, n: n, e: e})
		}
		s.touched = append(s.touched, side.id)
		if s.camt054[side.id.Owner] && !(src.code == codeNet && s.config.Messages >= MessagesISO) {
			s.notifyEntry(side.id, e, now) // A net posting's camt.054 is the cycle's own: one per posting.
		}
	}
}

// booksStored reports whether an entry posted now goes to the store: with
// retention, history is the store's, under the message rules that say so
// (an older journal's store has no book rows for its entries).
func (s *state) booksStored() bool {
	return s.config.Retention != 0 && s.config.Messages >= MessagesBooksStored
}

// add posts e as the book's next entry, in the store when stored, and
// returns its number.
func (b *book) add(e entry, stored bool) uint64 {
	b.Posted++
	n := b.Posted
	b.addToDay(entryDate(e), n, e.Balance-e.signed(), e.Balance)
	if stored {
		b.Stored++
		return n
	}
	if len(b.Entries) >= MaxAccountEntries {
		first := b.Entries[0]
		b.Start = first.Balance
		b.Entries = b.Entries[1:]
		b.Trimmed = b.Entries[0].Time
		b.Kept[0].First++
		if b.Kept[0].Count--; b.Kept[0].Count == 0 {
			b.Kept = b.Kept[1:]
		}
	}
	b.Entries = append(b.Entries, e)
	if k := len(b.Kept); k > 0 && b.Kept[k-1].end() == n {
		b.Kept[k-1].Count++
	} else {
		b.Kept = append(b.Kept, numRun{First: n, Count: 1})
	}
	return n
}

// signed is e's amount as it moved the balance.
func (e *entry) signed() int64 {
	if e.Debit {
		return -int64(e.Amount)
	}
	return int64(e.Amount)
}

// addToDay counts entry n, which moved the balance from opening to
// closing, in the run of date.
func (b *book) addToDay(date corridor.Date, n uint64, opening, closing int64) {
	if k := len(b.Days); k > 0 && b.Days[k-1].Date == date {
		b.Days[k-1].Count++
		b.Days[k-1].Closing = closing
		return
	}
	if len(b.Days) >= maxDayRuns {
		b.Days = slices.Delete(b.Days, 0, 1)
		b.DaysDropped = true
	}
	b.Days = append(b.Days, dayRun{Date: date, First: n, Count: 1, Opening: opening, Closing: closing})
}

// checkNumbers reports the first way the book's numbers disagree: the runs
// of Kept and of Days must be in order, within Posted, and Kept must
// number every entry in memory.
func (b *book) checkNumbers() error {
	kept, next := uint64(0), uint64(1)
	for _, r := range b.Kept {
		if r.Count == 0 || r.First < next || r.end()-1 > b.Posted {
			return fmt.Errorf("kept numbers %d+%d out of order or past %d", r.First, r.Count, b.Posted)
		}
		kept, next = kept+r.Count, r.end()
	}
	if kept != uint64(len(b.Entries)) || kept+b.Stored > b.Posted {
		return fmt.Errorf("%d entries in memory, %d numbered, %d stored of %d", len(b.Entries), kept, b.Stored, b.Posted)
	}
	next = 1
	if len(b.Days) > 0 && b.DaysDropped {
		next = b.Days[0].First
	}
	for _, r := range b.Days {
		if r.Count == 0 || r.First != next {
			return fmt.Errorf("day %s from entry %d, not %d", r.Date, r.First, next)
		}
		next = r.end()
	}
	if next != b.Posted+1 {
		return fmt.Errorf("days end at entry %d, not %d", next-1, b.Posted)
	}
	return nil
}

func (r dayRun) end() uint64 { return r.First + r.Count }

// parts appends to out entries r of the book as page parts: the runs
// memory keeps, sharing Entries (a book only appends and drops from the
// front, and the parts are capped so that nothing writes into them), and
// between them the runs the store holds.
func (b *book) parts(out []pagePart, r numRun) []pagePart {
	n, at := r.First, 0 // at: where kept run k starts in Entries.
	for _, k := range b.Kept {
		if lo, hi := max(n, k.First), min(r.end(), k.end()); lo < hi {
			if n < lo {
				out = append(out, pagePart{First: n, Count: lo - n})
			}
			i, j := at+int(lo-k.First), at+int(hi-k.First)
			out = append(out, pagePart{First: lo, Count: hi - lo, Entries: b.Entries[i:j:j]})
			n = hi
		}
		at += int(k.Count)
	}
	if n < r.end() {
		out = append(out, pagePart{First: n, Count: r.end() - n})
	}
	return out
}

// checkBooks asserts, after a command, that every transfer the ledger
// posted was booked and that the books of the accounts it touched agree
// with the ledger.
func (s *state) checkBooks() {
	assert.That(s.booked == s.ledger.Transfers(), "%d transfers posted, %d booked", s.ledger.Transfers(), s.booked)
	for _, id := range s.touched {
		a, _ := s.ledger.Account(id)
		assert.That(s.books[id].Balance == a.Balance(), "book of %s at %d, ledger at %d", id, s.books[id].Balance, a.Balance())
	}
	s.touched = s.touched[:0]
}

// dayOf is what b knows of date (a business day, or a UTC date): the
// balance before its first entry and after its last, and the runs of its
// entries in order. ok is false when the day is older than the runs kept.
func (b *book) dayOf(date corridor.Date) (opening, closing int64, runs []dayRun, ok bool) {
	if b.DaysDropped && (len(b.Days) == 0 || settlement.CompareDates(date, b.Days[0].Date) <= 0) {
		return 0, 0, nil, false
	}
	opening = b.Balance
	if len(b.Days) > 0 {
		opening = b.Days[0].Opening
	}
	for _, r := range b.Days {
		switch c := settlement.CompareDates(r.Date, date); {
		case c == 0:
			if len(runs) == 0 {
				opening = r.Opening
			}
			runs = append(runs, r)
		case c < 0 && len(runs) == 0:
			opening = r.Closing
		}
	}
	closing = opening
	if len(runs) > 0 {
		closing = runs[len(runs)-1].Closing
	}
	return opening, closing, runs, true
}
