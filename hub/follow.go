package hub

import (
	"context"
	"errors"
	"fmt"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
)

// ErrForked is returned by CatchUp when the journal no longer continues the
// entries this hub applied: another writer rewrote history it had read.
var ErrForked = errors.New("hub: the journal does not continue the entries this hub applied")

// CatchUp applies the journal entries another node appended after the last
// one this hub applied, and returns the seq it reached. A standby (Open with
// Config.Standby) calls it to keep its state current while the active hub
// writes, and once more in TakeOver. It must not be called once Run started:
// until then the caller owns the state.
func (h *Hub) CatchUp(ctx context.Context) (uint64, error) {
	first := true
	err := h.cfg.Journal.Replay(ctx, h.state.lastSeq, func(e corridor.JournalEntry) error {
		if first && e.PrevHash != h.lastHash {
			return fmt.Errorf("%w: entry %d does not follow entry %d as applied", ErrForked, e.Seq, h.state.lastSeq)
		}
		first = false
		h.lastHash = e.Hash
		return applyEntry(h.state, e)
	})
	if err != nil {
		return h.state.lastSeq, fmt.Errorf("catch up with the journal: %w", err)
	}
	markReplayed(h.state)
	h.publish()
	return h.state.lastSeq, nil
}

// applyEntry executes one journal entry into s. Each entry was accepted
// once, so each must change the state again: a command that does not is a
// determinism bug.
func applyEntry(s *state, e corridor.JournalEntry) error {
	c, err := decodeCommand(e.Kind, e.Payload)
	if err != nil {
		return fmt.Errorf("journal entry %d: %w", e.Seq, err)
	}
	r := s.execute(c, e.Seq, e.Time)
	assert.That(r.changed, "journal entry %d (%s) changed nothing on replay", e.Seq, e.Kind)
	s.letGone = s.letGone[:0] // Archived when the entry was written…
	s.staged = s.staged[:0]   // …and its book entries stored.
	return nil
}

// markReplayed ends a replay into s: what was delivered before counts as
// read (a reader that asks again gets it marked a possible duplicate), and
// nothing waits to be woken.
func markReplayed(s *state) {
	for _, in := range s.inboxes {
		in.markAllRead()
	}
	clear(s.woken)
}

// TakeOver makes a standby the active hub: it applies the rest of the
// journal, then has the sequencer journal the configuration, as a hub that
// starts does, when it differs. Call it once the node holds the journal's
// lease (so no other node appends any more), then Run.
func (h *Hub) TakeOver(ctx context.Context) (uint64, error) {
	assert.That(h.cfg.Standby, "TakeOver of a hub that is not a standby")
	seq, err := h.CatchUp(ctx)
	if err != nil {
		return seq, err
	}
	h.configure()
	return seq, nil
}
