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
//
// The journal append of one batch runs while the sequencer executes the
// next (see inflight): a batch's answers wait for its own append, and the
// next batch's append starts only when the one before is durable, so the
// journal's order is the execution order and nothing is answered before it
// is durable.
func (h *Hub) Run(ctx context.Context) error {
	defer close(h.stopped)
	var wg sync.WaitGroup // The recovery, while the journal is down.
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	buffers := [2][]request{make([]request, 0, MaxBatch), make([]request, 0, MaxBatch)}
	free := 0 // The buffer the batch in flight does not hold.
	var flying *inflight
	for {
		batch := buffers[free][:0]
		select {
		case <-ctx.Done():
			if err := h.land(flying); err != nil {
				h.log.Error("journal append failed as the hub stopped", "error", err)
			}
			return nil
		case in := <-h.rebuilt:
			if h.adopt(in) {
				if err := h.reconfigure(ctx, &wg); err != nil {
					return err
				}
			}
			continue
		case err := <-flying.appended():
			if err = h.complete(flying, err, true); err != nil && !h.degrade(ctx, &wg, err) {
				return err
			}
			flying = nil
			continue
		case r := <-h.requests:
			batch = append(batch, r)
		}
		batch = h.drain(batch)
		buffers[free] = batch
		if h.down != nil {
			h.refuse(batch)
			continue
		}
		var err error
		if flying, err = h.process(ctx, batch, flying); err != nil && !h.degrade(ctx, &wg, err) {
			return err
		}
		if flying != nil {
			free ^= 1
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

// inflight is a batch executed into the state whose journal append is
// running: its answers are held until the append is durable.
type inflight struct {
	batch     []request
	results   []result
	journaled bool       // Some of it was journaled.
	letGo     int        // The batches of let-go payments it added to state.recentLetGo.
	done      chan error // The append's outcome.
}

// appended is the channel the append of f reports on; nil, which never
// reports, for no batch in flight.
func (f *inflight) appended() <-chan error {
	if f == nil {
		return nil
	}
	return f.done
}

// process executes a batch, hands its entries to the journal in one append,
// and returns it in flight. It first lands the batch before (flying), whose
// append ran while this one executed: when that append failed, this batch
// was never written and is answered as not taken. A batch that changes what
// the API reads outside the sequencer (publish) is appended and answered
// here, so that no one sees it before it is durable. Queries run on the
// state after their batch and are answered with it, once it is durable.
func (h *Hub) process(ctx context.Context, batch []request, flying *inflight) (*inflight, error) {
	f, entries := h.execute(batch)
	if err := h.land(flying); err != nil {
		h.answerNotTaken(batch)
		return nil, err
	}
	if len(entries) == 0 {
		return nil, h.complete(f, nil, true)
	}
	f.done = make(chan error, 1)
	go func() { f.done <- h.cfg.Journal.Append(context.WithoutCancel(ctx), entries) }()
	if h.state.unpublished() {
		return nil, h.complete(f, <-f.done, true)
	}
	return f, nil
}

// processNow processes batch, with no batch in flight, and answers it once
// it is durable.
func (h *Hub) processNow(ctx context.Context, batch []request) error {
	f, err := h.process(ctx, batch, nil)
	if err != nil || f == nil {
		return err
	}
	return h.complete(f, <-f.done, true)
}

// land waits for the append of f, if any, and answers its batch. It
// publishes nothing: the state may already hold the batch after f.
func (h *Hub) land(f *inflight) error {
	if f == nil {
		return nil
	}
	return h.complete(f, <-f.done, false)
}

// execute runs batch's commands and then its queries on the state, and
// returns it with the journal entries of the commands that changed it.
func (h *Hub) execute(batch []request) (*inflight, []corridor.JournalEntry) {
	now := h.cfg.Now().UTC()
	h.state.remember(nil, now) // Forgets what was let go of long enough ago.
	f := &inflight{batch: batch, results: make([]result, len(batch))}
	var entries []corridor.JournalEntry
	for i, r := range batch {
		if r.cmd == nil {
			continue
		}
		seq := h.state.lastSeq + 1
		h.state.check = r.check
		res := h.state.execute(r.cmd, seq, now)
		h.state.check = archiveCheck{}
		f.results[i] = res
		if !res.changed {
			assert.That(len(h.state.staged) == 0, "%s changed nothing and posted %d entries", r.cmd.kind(), len(h.state.staged))
			continue
		}
		e := journalEntry(r.cmd, seq, now, h.lastHash)
		e.Booked = h.state.stage()
		if len(h.state.letGone) > 0 {
			e.Archived = archived(h.state.letGone) // Written with the entry whose command let them go.
			h.state.remember(h.state.letGone, now)
			h.state.letGone = nil
			f.letGo++
		}
		h.lastHash = e.Hash
		entries = append(entries, e)
		if rc, ok := receiptOf(r.cmd, e); ok {
			f.results[i].payment.Receipt = rc // Answered only once the entry is durable.
		}
	}
	for _, r := range batch {
		if r.query != nil {
			r.query(h.state)
		}
	}
	h.observeBatch(len(batch), len(entries))
	f.journaled = len(entries) > 0
	return f, entries
}

// complete answers f's batch once its append reported err. With publish,
// f is the last batch executed, and what it changed that the API reads is
// published before anyone is answered: a caller told that a revocation or
// a list load is done must find it in force at its next request.
func (h *Hub) complete(f *inflight, err error, publish bool) error {
	if err != nil {
		h.answerFailed(f.batch, f.results)
		return err
	}
	if f.journaled {
		h.state.durablyLetGo(f.letGo, h.cfg.Now())
	}
	crashpoint.Hit(crashpoint.ReplyBefore)
	if publish {
		h.publish()
	}
	for i, r := range f.batch {
		r.reply <- f.results[i]
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

// answerNotTaken answers a batch executed behind one whose append failed:
// none of it was written.
func (h *Hub) answerNotTaken(batch []request) {
	for _, r := range batch {
		stopped := ErrJournalDown
		if r.cmd == nil {
			stopped = errRebuilding
		}
		r.reply <- result{err: fmt.Errorf("journal: %w", stopped)}
	}
}

// unpublished says whether the state holds changes that publish copies
// out for the API to read without the sequencer.
func (s *state) unpublished() bool {
	return s.screening.changed || s.operatorsChanged || len(s.republish) > 0
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
