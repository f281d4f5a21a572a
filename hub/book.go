package hub

import (
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
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
type book struct {
	Start   int64     // The balance before the first entry kept.
	Trimmed time.Time // When set, entries before this time were dropped.
	Entries []entry
	Balance int64 // After the last entry: the ledger's balance, checked after every command.

	Statements []statementRecord `json:",omitempty"` // The end-of-day statements issued, the last MaxStatementsKept.
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
		b.add(e)
		s.touched = append(s.touched, side.id)
		if s.camt054[side.id.Owner] && !(src.code == codeNet && s.config.Messages >= MessagesISO) {
			s.notifyEntry(side.id, e, now) // A net posting's camt.054 is the cycle's own: one per posting.
		}
	}
}

func (b *book) add(e entry) {
	if len(b.Entries) >= MaxAccountEntries {
		first := b.Entries[0]
		b.Start = first.Balance
		b.Entries = b.Entries[1:]
		b.Trimmed = b.Entries[0].Time
	}
	b.Entries = append(b.Entries, e)
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

// day is the account's opening balance at from, its entries in [from, to)
// and its balance at to. ok is false when entries of the period were dropped.
func (b *book) day(from, to time.Time) (opening int64, es []entry, closing int64, ok bool) {
	if !b.Trimmed.IsZero() && from.Before(b.Trimmed) {
		return 0, nil, 0, false
	}
	opening = b.Start
	for _, e := range b.Entries {
		switch {
		case e.Time.Before(from):
			opening = e.Balance
		case e.Time.Before(to):
			es = append(es, e)
		}
	}
	closing = opening
	if len(es) > 0 {
		closing = es[len(es)-1].Balance
	}
	return opening, es, closing, true
}
