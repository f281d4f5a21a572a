package corridor

import (
	"context"
	"fmt"
)

// Bounds of an archived payment, which the stores check before writing it.
const (
	MaxArchivedKeys     = 16       // De-duplication keys per payment.
	MaxArchivedKeyBytes = 256      // Bytes of one key.
	MaxArchivedRecord   = 64 << 10 // Bytes of one record.
	MaxArchivedPerUETR  = 64       // Payments ArchivedByUETR returns at most.
)

// ArchivedPayment is a payment the hub no longer keeps in memory: final for
// the hub's retention window, it is written to the store with the journal
// entry whose command let it go, and read from there by the tracker and the
// duplicate check.
type ArchivedPayment struct {
	Seq    uint64   // The journal entry that accepted it.
	UETR   UETR     // Its UETR, which the archive is searched by.
	Keys   []string // Its de-duplication keys, in the hub's own encoding.
	Record []byte   // What the hub answers for it, in the hub's own encoding.
}

// Check reports the first way a is out of bounds, or nil.
func (a *ArchivedPayment) Check() error {
	switch {
	case a.Seq == 0:
		return fmt.Errorf("archived payment: seq 0")
	case !validUETR(a.UETR):
		return fmt.Errorf("archived payment %d: UETR %.40q is not one", a.Seq, string(a.UETR))
	case len(a.Keys) == 0 || len(a.Keys) > MaxArchivedKeys:
		return fmt.Errorf("archived payment %d: %d keys, not 1 to %d", a.Seq, len(a.Keys), MaxArchivedKeys)
	case len(a.Record) == 0 || len(a.Record) > MaxArchivedRecord:
		return fmt.Errorf("archived payment %d: a record of %d bytes, not 1 to %d", a.Seq, len(a.Record), MaxArchivedRecord)
	}
	for _, k := range a.Keys {
		if k == "" || len(k) > MaxArchivedKeyBytes {
			return fmt.Errorf("archived payment %d: a key of %d bytes, not 1 to %d", a.Seq, len(k), MaxArchivedKeyBytes)
		}
	}
	return nil
}

// Archive is the part of a store that keeps archived payments. Rows are
// written by Journal.Append, in the same transaction as the entry that
// carries them (JournalEntry.Archived), and never changed. A key already
// archived keeps the payment that archived it first.
type Archive interface {
	// ArchivedKey returns the seq of the archived payment with key k.
	ArchivedKey(ctx context.Context, k string) (seq uint64, ok bool, err error)
	// ArchivedPayment returns the archived payment accepted by entry seq.
	ArchivedPayment(ctx context.Context, seq uint64) (ArchivedPayment, bool, error)
	// ArchivedByUETR returns the archived payments of uetr, by seq, at most
	// MaxArchivedPerUETR (the first ones).
	ArchivedByUETR(ctx context.Context, uetr UETR) ([]ArchivedPayment, error)
}

func validUETR(u UETR) bool {
	_, err := ParseUETR(string(u))
	return err == nil
}

// CheckArchived returns an error naming the first payment archived by
// entries that is out of bounds (ArchivedPayment.Check) or was accepted
// after the entry that archives it: the stores call it before an append
// writes anything.
func CheckArchived(entries []JournalEntry) error {
	for i := range entries {
		e := &entries[i]
		for k := range e.Archived {
			a := &e.Archived[k]
			if err := a.Check(); err != nil {
				return fmt.Errorf("entry %d: %w", e.Seq, err)
			}
			if a.Seq > e.Seq {
				return fmt.Errorf("entry %d: archived payment %d: accepted after the entry that archives it", e.Seq, a.Seq)
			}
		}
	}
	return nil
}
