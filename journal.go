package corridor

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// JournalEntry is one accepted input to the hub, in the order the sequencer
// applied it. Replaying every entry in order rebuilds the hub's state.
type JournalEntry struct {
	Seq      uint64    // 1, 2, 3 …, without gaps.
	Time     time.Time // The sequencer's clock when it took the entry; UTC, nanoseconds.
	Kind     string    // The command, such as "payment.submit".
	Payload  []byte    // The command's own encoding.
	PrevHash [32]byte  // Hash of entry Seq-1; zero for the first.
	Hash     [32]byte  // SHA-256 over Seq, Time, Kind, Payload and PrevHash.

	// Archived are the payments this entry's command let go of from memory
	// (ArchivedPayment). Append writes them with the entry; they are not part
	// of its hash, for they follow from the entries before, and Replay does
	// not return them.
	Archived []ArchivedPayment
	// Booked are the entries this entry's command posted on settlement
	// accounts that the hub keeps in the store (BookEntry), written with the
	// entry on the same terms as Archived.
	Booked []BookEntry
}

// ComputeHash returns the SHA-256 that chains e to its predecessor.
func (e *JournalEntry) ComputeHash() [32]byte {
	h := sha256.New()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], e.Seq)
	binary.BigEndian.PutUint64(b[8:], uint64(e.Time.UnixNano()))
	h.Write(b[:])
	binary.BigEndian.PutUint64(b[:8], uint64(len(e.Kind)))
	h.Write(b[:8])
	h.Write([]byte(e.Kind))
	binary.BigEndian.PutUint64(b[:8], uint64(len(e.Payload)))
	h.Write(b[:8])
	h.Write(e.Payload)
	h.Write(e.PrevHash[:])
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// Journal is the durable, append-only record of the hub's inputs. The sqlite
// package implements it.
type Journal interface {
	// Append writes entries, which continue the journal without a gap, in one
	// transaction and returns only once they are durable (fsynced).
	Append(ctx context.Context, entries []JournalEntry) error
	// Replay calls fn for every entry in order, starting after seq after. It
	// returns an error if an entry's hash does not chain to its predecessor.
	Replay(ctx context.Context, after uint64, fn func(JournalEntry) error) error
	// Close releases the store.
	Close() error
}

// Checkpoint is the hub's signature over the head of its journal: whoever
// rewrites the journal from some entry on cannot make the signatures of the
// checkpoints after it match.
type Checkpoint struct {
	Seq       uint64    // The journal entry signed.
	Hash      [32]byte  // That entry's Hash.
	Signature []byte    // The hub's signature over CheckpointMessage(Seq, Hash).
	Time      time.Time // When the hub signed it.
}

// CheckpointMessage is the byte string a checkpoint signature covers.
func CheckpointMessage(seq uint64, hash [32]byte) []byte {
	const label = "corridor journal checkpoint v1\n"
	b := make([]byte, 0, len(label)+8+32)
	b = append(b, label...)
	b = binary.BigEndian.AppendUint64(b, seq)
	return append(b, hash[:]...)
}

// ErrJournalCorrupt reports a stored journal whose entries are malformed,
// leave a gap, do not chain or do not match their hashes. Every store's
// ErrCorrupt is this one error, so errors.Is works the same on all of them.
var ErrJournalCorrupt = errors.New("journal corrupt")

// EntryFromColumns is the entry a store keeps as these columns. It returns
// an error wrapping ErrJournalCorrupt when they cannot be an entry.
func EntryFromColumns(seq, timeNS int64, kind string, payload, prev, hash []byte) (JournalEntry, error) {
	if seq <= 0 {
		return JournalEntry{}, fmt.Errorf("%w: entry %d: seq is not positive", ErrJournalCorrupt, seq)
	}
	if len(prev) != len(JournalEntry{}.PrevHash) {
		return JournalEntry{}, fmt.Errorf("%w: entry %d: prev_hash is %d bytes", ErrJournalCorrupt, seq, len(prev))
	}
	if len(hash) != len(JournalEntry{}.Hash) {
		return JournalEntry{}, fmt.Errorf("%w: entry %d: hash is %d bytes", ErrJournalCorrupt, seq, len(hash))
	}
	e := JournalEntry{Seq: uint64(seq), Time: time.Unix(0, timeNS).UTC(), Kind: kind, Payload: payload}
	copy(e.PrevHash[:], prev)
	copy(e.Hash[:], hash)
	return e, nil
}

// CheckLink returns an error wrapping ErrJournalCorrupt unless e is entry
// seq+1, chains to prev and matches its own hash.
func CheckLink(e *JournalEntry, seq uint64, prev [32]byte) error {
	switch {
	case e.Seq > seq+1:
		return fmt.Errorf("%w: entry %d is missing, the next is entry %d", ErrJournalCorrupt, seq+1, e.Seq)
	case e.Seq != seq+1:
		return fmt.Errorf("%w: entry %d does not follow entry %d", ErrJournalCorrupt, e.Seq, seq)
	}
	if e.PrevHash != prev {
		return fmt.Errorf("%w: entry %d: prev_hash is not entry %d's hash", ErrJournalCorrupt, e.Seq, seq)
	}
	return CheckHash(e)
}

// CheckHash returns an error wrapping ErrJournalCorrupt unless e's Hash
// matches its contents.
func CheckHash(e *JournalEntry) error {
	if e.Hash != e.ComputeHash() {
		return fmt.Errorf("%w: entry %d: hash does not match its contents", ErrJournalCorrupt, e.Seq)
	}
	return nil
}

// CheckBatch returns an error unless entries continue, without a gap, the
// chain that ends at entry seq with hash: what a store's Append requires
// of its caller, whose mistake it is.
func CheckBatch(seq uint64, hash [32]byte, entries []JournalEntry) error {
	for i := range entries {
		if err := CheckLink(&entries[i], seq, hash); err != nil {
			return err
		}
		seq, hash = entries[i].Seq, entries[i].Hash
	}
	return nil
}

// ReplayPages is Replay for a store that reads its entries a page at a
// time: anchor gives the hash entry after+1 must chain to, page at most
// size entries after a seq, in order. ReplayPages checks every link and
// calls fn for each entry; it stops at the first page that comes back
// short, so entries appended meanwhile are replayed too.
func ReplayPages(after uint64, size int, anchor func(after uint64) ([32]byte, error),
	page func(seq uint64) ([]JournalEntry, error), fn func(JournalEntry) error) error {
	prev, err := anchor(after)
	if err != nil {
		return fmt.Errorf("replay journal after %d: %w", after, err)
	}
	seq := after
	for {
		entries, err := page(seq)
		if err != nil {
			return fmt.Errorf("replay journal after %d: %w", seq, err)
		}
		for _, e := range entries {
			if err := CheckLink(&e, seq, prev); err != nil {
				return fmt.Errorf("replay journal: %w", err)
			}
			if err := fn(e); err != nil {
				return fmt.Errorf("replay journal entry %d: %w", e.Seq, err)
			}
			seq, prev = e.Seq, e.Hash
		}
		if len(entries) < size {
			return nil
		}
	}
}

// AuditReport is what an audit found in an intact journal.
type AuditReport struct {
	Entries        uint64   // Entries in the journal; the last one's seq.
	Head           [32]byte // Hash of the last entry.
	Checkpoints    int      // Signed checkpoints verified.
	LastCheckpoint uint64   // Seq of the newest checkpoint, 0 if none.
}

// AuditJournal walks a store's whole journal with replay (a Replay from the
// start, which checks every entry's hash and link), then checks each
// checkpoint against the entry hashAt reads and with verify, the hub's
// signature check (nil: against its entry only). Its errors wrap
// ErrJournalCorrupt and name the first entry or checkpoint that does not
// match.
func AuditJournal(replay func(fn func(JournalEntry) error) error, checkpoints []Checkpoint,
	hashAt func(seq uint64) ([32]byte, error), verify func(Checkpoint) error) (AuditReport, error) {
	var r AuditReport
	err := replay(func(e JournalEntry) error {
		r.Entries, r.Head = e.Seq, e.Hash
		return nil
	})
	if err != nil {
		return r, err
	}
	for _, cp := range checkpoints {
		hash, err := hashAt(cp.Seq)
		if err != nil || cp.Seq > r.Entries || hash != cp.Hash {
			return r, fmt.Errorf("%w: checkpoint at entry %d does not match the journal", ErrJournalCorrupt, cp.Seq)
		}
		if verify != nil {
			if err := verify(cp); err != nil {
				return r, fmt.Errorf("%w: checkpoint at entry %d: signature: %v", ErrJournalCorrupt, cp.Seq, err)
			}
		}
		r.Checkpoints++
		r.LastCheckpoint = cp.Seq
	}
	return r, nil
}
