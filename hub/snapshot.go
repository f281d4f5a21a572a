package hub

// State snapshots: the hub starts from the latest snapshot its store holds
// and the journal entries after it, instead of replaying the whole journal.
// A snapshot is an optimisation, never a source of truth: it is used only
// when it decodes, holds the state its state hash says, and stands for an
// entry the journal holds with the same hash; otherwise the hub says why at
// WARN and replays the whole journal, as a hub without snapshots does.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
)

// Snapshots is a store of state snapshots beside the journal: a journal
// that implements it gives the hub a start from its latest snapshot. The
// store writes a snapshot with the journal's durability (returning once it
// is durable) and keeps at least the latest one. sqlite.Journal implements
// it; a PostgreSQL journal implements the same two methods.
type Snapshots interface {
	// SaveSnapshot stores data, the snapshot of the state after journal
	// entry seq, whose hash is entryHash, with stateHash, the state hash.
	SaveSnapshot(ctx context.Context, seq uint64, entryHash, stateHash [32]byte, data []byte) error
	// LatestSnapshot returns the snapshot of the highest seq, or seq 0 and
	// nil data when there is none. It refuses one of more than maxBytes
	// with an error, without reading it.
	LatestSnapshot(ctx context.Context, maxBytes int) (seq uint64, entryHash, stateHash [32]byte, data []byte, err error)
}

// Snapshot is the state's snapshot after journal entry Seq.
type Snapshot struct {
	Seq       uint64
	EntryHash [32]byte // Entry Seq's hash.
	StateHash [32]byte // The state hash (StateSum) of the state it holds.
	Data      []byte   // The encoded state.

	Held   time.Duration // How long the sequencer was held, copying the state.
	Encode time.Duration // Encoding the copy, off the sequencer.
}

// Snapshot takes a snapshot of the state. It runs on the sequencer like a
// query, after the batch it came with is durable, only to copy the state;
// it encodes the copy on the caller's goroutine. The state hash is the
// SHA-256 of the image it wrote (imageHash); a hub that starts from the
// snapshot checks that the state it decodes writes the same image again,
// so that the hub taking it neither decodes it nor holds a second copy of
// the state. It returns ErrSnapshotTooLarge past MaxSnapshotBytes.
func (h *Hub) Snapshot(ctx context.Context) (Snapshot, error) {
	var c *captured
	var snap Snapshot
	_, err := h.do(ctx, request{query: func(s *state) {
		start := time.Now()
		c, snap.EntryHash = s.capture(), h.lastHash
		snap.Held = time.Since(start)
	}})
	if err != nil {
		return Snapshot{}, err
	}
	start := time.Now()
	im := c.finish()
	snap.Seq = im.LastSeq
	if snap.Data, err = encodeImage(im, int(h.snapshotBytes.Load()), snapshotYieldBytes); err != nil {
		return Snapshot{}, err
	}
	h.snapshotBytes.Store(int64(len(snap.Data)))
	snap.StateHash = imageHash(snap.Data)
	snap.Encode = time.Since(start)
	return snap, nil
}

// errNoSnapshot is loadSnapshot's answer for a store without one.
var errNoSnapshot = errors.New("hub: no snapshot")

// snapshotUnusable is why a snapshot cannot be used: the hub replays the
// whole journal instead.
type snapshotUnusable struct{ err error }

func (e *snapshotUnusable) Error() string { return e.err.Error() }
func (e *snapshotUnusable) Unwrap() error { return e.err }

func unusable(format string, args ...any) error {
	return &snapshotUnusable{fmt.Errorf(format, args...)}
}

// load builds a new state from the journal: from its store's latest
// snapshot and the entries after it when the snapshot can be used, else
// from every entry. It returns the state and its last entry's hash. Open
// and the recovery after a failed append (rebuild) both start so.
func (h *Hub) load(ctx context.Context) (*state, [32]byte, error) {
	if store, ok := h.cfg.Journal.(Snapshots); ok {
		s, hash, err := h.loadSnapshot(ctx, store)
		var bad *snapshotUnusable
		switch {
		case err == nil:
			return s, hash, nil
		case errors.As(err, &bad) && ctx.Err() == nil:
			h.log.Warn("snapshot not used: replaying the whole journal", "why", err)
		case !errors.Is(err, errNoSnapshot):
			return nil, [32]byte{}, err
		}
	}
	s := newState(h.cfg.BIC)
	hash, err := h.replayInto(ctx, s)
	if err != nil {
		return nil, [32]byte{}, err
	}
	return s, hash, nil
}

// loadSnapshot decodes the store's latest snapshot, checks it against its
// state hash and the journal's entry at its seq, and applies the entries
// after it. It returns errNoSnapshot when there is none, a snapshotUnusable
// when it cannot be used, and the journal's error when an entry after it
// cannot be read.
func (h *Hub) loadSnapshot(ctx context.Context, store Snapshots) (*state, [32]byte, error) {
	start := time.Now()
	seq, entryHash, stateHash, data, err := store.LatestSnapshot(ctx, MaxSnapshotBytes)
	switch {
	case err != nil:
		return nil, [32]byte{}, unusable("read the latest snapshot: %w", err)
	case seq == 0:
		return nil, [32]byte{}, errNoSnapshot
	}
	s, err := decodeSnapshot(data, h.cfg.BIC)
	switch {
	case err != nil:
		return nil, [32]byte{}, unusable("snapshot of entry %d: %w", seq, err)
	case s.lastSeq != seq:
		return nil, [32]byte{}, unusable("snapshot of entry %d holds the state after entry %d", seq, s.lastSeq)
	}
	again, err := encodeImage(s.capture().finish(), len(data), 0)
	if err != nil {
		return nil, [32]byte{}, unusable("snapshot of entry %d: the state it holds does not encode again: %w", seq, err)
	}
	if sum := imageHash(again); sum != stateHash {
		return nil, [32]byte{}, unusable("snapshot of entry %d: the state it holds hashes %x, not its state hash %x", seq, sum, stateHash)
	}
	decoded := time.Since(start)
	last, tail, err := h.applyAfter(ctx, s, seq, entryHash)
	if err != nil {
		return nil, [32]byte{}, err
	}
	markReplayed(s)
	h.log.Info("state loaded from snapshot", "snapshot", seq, "bytes", len(data), "decode", decoded.Round(time.Millisecond),
		"tail", tail, corridor.LogKeySeq, s.lastSeq, "duration", time.Since(start).Round(time.Millisecond))
	return s, last, nil
}

// applyAfter reads the journal from entry seq, which must be there with
// hash entryHash, and applies every entry after it to s. It returns the
// last entry's hash and how many it applied.
func (h *Hub) applyAfter(ctx context.Context, s *state, seq uint64, entryHash [32]byte) ([32]byte, int, error) {
	var last [32]byte
	found, tail := false, 0
	err := h.cfg.Journal.Replay(ctx, seq-1, func(e corridor.JournalEntry) error {
		if !found {
			if e.Seq != seq || e.Hash != entryHash {
				return unusable("snapshot of entry %d: the journal's entry %d has hash %x, not the snapshot's entry hash %x", seq, e.Seq, e.Hash, entryHash)
			}
			found, last = true, e.Hash
			return nil
		}
		if e.Seq%replayLogStep == 0 {
			h.log.Info("replaying journal", corridor.LogKeySeq, e.Seq)
		}
		last = e.Hash
		tail++
		return applyEntry(s, e)
	})
	var bad *snapshotUnusable
	switch {
	case errors.As(err, &bad):
		return [32]byte{}, 0, bad
	case err != nil && !found:
		return [32]byte{}, 0, unusable("snapshot of entry %d: read the journal at it: %w", seq, err)
	case err != nil:
		return [32]byte{}, 0, fmt.Errorf("replay journal after snapshot %d: %w", seq, err)
	case !found:
		return [32]byte{}, 0, unusable("snapshot of entry %d: the journal ends before it", seq)
	}
	return last, tail, nil
}
