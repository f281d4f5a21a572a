package hub

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/internal/crashpoint"
)

// replay builds the hub's state from the journal at Open (from the latest
// snapshot when there is one it can use, see load) and publishes it.
func (h *Hub) replay(ctx context.Context) error {
	s, hash, err := h.load(ctx)
	if err != nil {
		return err
	}
	h.state, h.lastHash = s, hash
	h.publish()
	return nil
}

// replayInto executes every journal entry in order into s, which is new,
// and returns the last entry's hash. Each entry was accepted once, so each
// must change the state again: a command that does not is a determinism bug.
// It touches nothing of the hub but its journal and its log, so it can run
// beside the sequencer while the journal cannot be written.
func (h *Hub) replayInto(ctx context.Context, s *state) ([32]byte, error) {
	var last [32]byte
	err := h.cfg.Journal.Replay(ctx, 0, func(e corridor.JournalEntry) error {
		if e.Seq%replayLogStep == 0 {
			h.log.Info("replaying journal", corridor.LogKeySeq, e.Seq)
		}
		last = e.Hash
		return applyEntry(s, e)
	})
	if err != nil {
		return [32]byte{}, fmt.Errorf("replay journal: %w", err)
	}
	markReplayed(s)
	h.log.Info("journal replayed", corridor.LogKeySeq, s.lastSeq)
	return last, nil
}

// Run is the sequencer. It alone touches the state until it returns, which
// it does when ctx is done. When a journal append fails, the in-memory state
// is ahead of the durable one: with a journal that is a Recoverer the hub
// refuses commands, rebuilds its state from the journal, serves reads from
// it and resumes once the store can be written again (see degrade); with any
// other journal Run returns the append's error and the hub must be restarted.
func (h *Hub) Run(ctx context.Context) error {
	defer close(h.stopped)
	var wg sync.WaitGroup // The recovery, while the journal is down.
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batch := make([]request, 0, MaxBatch)
	for {
		select {
		case <-ctx.Done():
			return nil
		case in := <-h.rebuilt:
			if h.adopt(in) {
				if err := h.reconfigure(ctx, &wg); err != nil {
					return err
				}
			}
			continue
		case r := <-h.requests:
			batch = append(batch[:0], r)
		}
		batch = h.drain(batch)
		if h.down != nil {
			h.refuse(batch)
			continue
		}
		if err := h.process(ctx, batch); err != nil && !h.degrade(ctx, &wg, err) {
			return err
		}
	}
}

// drain adds waiting requests to batch without blocking, up to MaxBatch.
func (h *Hub) drain(batch []request) []request {
	for len(batch) < MaxBatch {
		select {
		case r := <-h.requests:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// process executes a batch, makes the changes durable in one journal append,
// and answers. Queries run after the append, so no caller ever sees state that
// is not yet durable.
func (h *Hub) process(ctx context.Context, batch []request) error {
	now := h.cfg.Now().UTC()
	h.state.remember(nil, now) // Forgets what was let go of long enough ago.
	entries := make([]corridor.JournalEntry, 0, len(batch))
	results := make([]result, len(batch))
	prev := h.lastHash
	for i, r := range batch {
		if r.cmd == nil {
			continue
		}
		seq := h.state.lastSeq + 1
		h.state.check = r.check
		res := h.state.execute(r.cmd, seq, now)
		h.state.check = archiveCheck{}
		results[i] = res
		if !res.changed {
			assert.That(len(h.state.staged) == 0, "%s changed nothing and posted %d entries", r.cmd.kind(), len(h.state.staged))
			continue
		}
		e := journalEntry(r.cmd, seq, now, prev)
		e.Booked = h.state.stage()
		if len(h.state.letGone) > 0 {
			e.Archived = archived(h.state.letGone) // Written with the entry whose command let them go.
			h.state.remember(h.state.letGone, now)
			h.state.letGone = nil
		}
		prev = e.Hash
		entries = append(entries, e)
		if rc, ok := receiptOf(r.cmd, e); ok {
			results[i].payment.Receipt = rc // Answered only once the entry is durable.
		}
	}
	if len(entries) > 0 {
		if err := h.cfg.Journal.Append(context.WithoutCancel(ctx), entries); err != nil {
			h.answerFailed(batch, results)
			return err
		}
		h.lastHash = prev
		h.state.durablyLetGo(h.cfg.Now())
		crashpoint.Hit(crashpoint.ReplyBefore)
	}
	h.observeBatch(len(batch), len(entries))
	// Publish before answering: a caller told that a revocation or a list
	// load is done must find it in force at its next request.
	h.publish()
	for i, r := range batch {
		if r.query != nil {
			r.query(h.state)
		}
		r.reply <- results[i]
	}
	crashpoint.Hit(crashpoint.ReplyAfter)
	h.wake()
	return nil
}

// answerFailed answers a batch whose append failed: a command that was in
// it may be on disk all the same; one that changed nothing, and a query,
// were not taken.
func (h *Hub) answerFailed(batch []request, results []result) {
	for i, r := range batch {
		stopped := ErrJournalDown
		switch {
		case results[i].changed:
			stopped = corridor.ErrOutcomeUnknown
		case r.cmd == nil:
			stopped = errRebuilding
		}
		r.reply <- result{err: fmt.Errorf("journal: %w", stopped)}
	}
}

// publish copies the memberships changed since the last commit into the
// registry that the API reads.
func (h *Hub) publish() {
	if h.state.screening.changed {
		h.screener.Store(h.state.screening.screener)
		h.state.screening.changed = false
	}
	if h.state.operatorsChanged {
		h.mu.Lock()
		h.revokedOperators = maps.Clone(h.state.revokedOperators)
		h.mu.Unlock()
		h.state.operatorsChanged = false
	}
	if len(h.state.republish) == 0 {
		return
	}
	h.mu.Lock()
	for _, bic := range h.state.republish {
		h.registry[bic] = h.state.participants[bic].membership()
		h.standing[bic]++
		h.state.woken[bic] = true // Its long polls end, so that the API checks the caller again.
	}
	h.mu.Unlock()
	h.state.republish = h.state.republish[:0]
}

func journalEntry(c command, seq uint64, now time.Time, prev [32]byte) corridor.JournalEntry {
	payload, err := encodeCommand(c)
	assert.That(err == nil, "encode %s: %v", c.kind(), err)
	e := corridor.JournalEntry{Seq: seq, Time: now, Kind: c.kind(), Payload: payload, PrevHash: prev}
	e.Hash = e.ComputeHash()
	return e
}

// wake tells the long polls of every inbox that got messages in this batch.
func (h *Hub) wake() {
	for bic := range h.state.woken {
		if ch, ok := h.wakers[bic]; ok {
			close(ch)
			delete(h.wakers, bic)
		}
	}
	clear(h.state.woken)
}

// waker is the channel closed at the next delivery into bic's inbox.
func (h *Hub) waker(bic corridor.BIC) <-chan struct{} {
	ch, ok := h.wakers[bic]
	if !ok {
		ch = make(chan struct{})
		h.wakers[bic] = ch
	}
	return ch
}
