package corridor

import (
	"context"
	"fmt"
)

// Bounds of the book entries a store keeps and reads.
const (
	MaxBookAccountBytes = 64      // Bytes of a book entry's account name.
	MaxBookRecord       = 4 << 10 // Bytes of one book entry's record.
	MaxBookEntriesRead  = 5_000   // Entries one BookEntries call returns at most.
)

// BookEntry is one posting on a settlement account as its statements show
// it, which the hub keeps in the store rather than in memory (with
// retention): written with the journal entry whose command posted it, and
// read back for camt.053 statements and camt.052 reports.
type BookEntry struct {
	Account string // The settlement account, as ledger.AccountID.String writes it.
	N       uint64 // Its place on the account: 1, 2, 3 … in posting order, never reused.
	Record  []byte // The entry, in the hub's own encoding.
}

// Check reports the first way b is out of bounds, or nil.
func (b *BookEntry) Check() error {
	switch {
	case b.Account == "" || len(b.Account) > MaxBookAccountBytes:
		return fmt.Errorf("book entry: an account of %d bytes, not 1 to %d", len(b.Account), MaxBookAccountBytes)
	case b.N == 0:
		return fmt.Errorf("book entry of %.64s: number 0", b.Account)
	case len(b.Record) == 0 || len(b.Record) > MaxBookRecord:
		return fmt.Errorf("book entry %d of %.64s: a record of %d bytes, not 1 to %d", b.N, b.Account, len(b.Record), MaxBookRecord)
	}
	return nil
}

// Books is the part of a store that keeps the entries of settlement
// accounts. Rows are written by Journal.Append, in the same transaction as
// the journal entry that carries them (JournalEntry.Booked), and never
// changed; an account's entry number is written once.
type Books interface {
	// BookEntries returns account's entries numbered from from on, in
	// order, at most limit of them (at most MaxBookEntriesRead).
	BookEntries(ctx context.Context, account string, from uint64, limit int) ([]BookEntry, error)
}

// CheckBooked returns an error naming the first book entry carried by
// entries that is out of bounds (BookEntry.Check) or numbered twice for one
// account: the stores call it before an append writes anything.
func CheckBooked(entries []JournalEntry) error {
	seen := map[bookKey]bool{}
	for i := range entries {
		e := &entries[i]
		for k := range e.Booked {
			b := &e.Booked[k]
			if err := b.Check(); err != nil {
				return fmt.Errorf("entry %d: %w", e.Seq, err)
			}
			key := bookKey{b.Account, b.N}
			if seen[key] {
				return fmt.Errorf("entry %d: book entry %d of %s twice", e.Seq, b.N, b.Account)
			}
			seen[key] = true
		}
	}
	return nil
}

type bookKey struct {
	account string
	n       uint64
}
