package hub

import (
	"context"
	"fmt"
	"maps"
	"runtime/metrics"
	"slices"
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
// requests that arrive meanwhile into the next (see pipeline): a batch's
// answers wait for its own append, and the next batch's append starts only
// when the one before is durable, so the journal's order is the execution
// order and nothing is answered before it is durable.
func (h *Hub) Run(ctx context.Context) error {
	defer close(h.stopped)
	var wg sync.WaitGroup // The recovery, while the journal is down.
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var p pipeline
	for {
		var err error
		select {
		case <-ctx.Done():
			h.finish(ctx, &p)
			return nil
		case in := <-h.rebuilt:
			if h.adopt(in) {
				err = h.reconfigure(ctx, &wg)
			}
			if err != nil {
				return err
			}
			continue
		case appendErr := <-p.flying.appended():
			err = h.landed(ctx, &p, appendErr)
		case <-p.lingered():
			err = h.dispatch(ctx, &p, p.takeOpen())
		case r := <-h.admit(&p):
			err = h.take(ctx, &p, r)
		}
		if err != nil && !h.degrade(ctx, &wg, err) {
			return err
		}
	}
}

// pipeline is the sequencer's batches on their way to the journal: the one
// whose append runs (flying), and the one the requests that arrive
// meanwhile are executed into (open), appended when flying lands.
type pipeline struct {
	flying, open *inflight
	spares       []*inflight // Landed batches, whose buffers the next open ones reuse: at most maxSpares.

	// The open batch may wait for company before its append (batchWait).
	linger    *time.Timer
	lingering bool
	lastStart time.Time // When the last append began, on the machine's clock.
}

// DefaultCommitInterval is the longest a batch waits for company before
// its append while the CPU is saturated, counted from the start of the
// append before it. An append costs about the same CPU whether it carries
// one payment or fifty (a transaction, the WAL pages it writes again, a
// checkpoint's share, two fsyncs: about 200 µs here). While goroutines wait
// for a CPU, starting an append takes CPU from them and they will bring
// more requests: a batch that waits for them costs no throughput, and the
// hub sends more payments a second in fewer, larger appends (with 64
// submitters end to end, 2,300 → 3,400 a second, and a lower p99, for the
// submitters wait less for the CPU). While the CPU has room, a batch goes
// at once, as a lone submitter's does; so does a full one.
const DefaultCommitInterval = 4 * time.Millisecond

// batchWait is how long the open batch f, with nothing in flight, waits
// before its append: 0 to go now.
func (h *Hub) batchWait(p *pipeline, f *inflight) time.Duration {
	return commitWait(h.cfg.CommitInterval, time.Since(p.lastStart), len(f.entries), len(f.batch), cpuSaturated)
}

// commitWait is how long a batch of requests, entries of them journaled,
// waits before its append, sinceLast after the append before it began.
// saturated is asked only when the answer depends on it.
func commitWait(interval, sinceLast time.Duration, entries, requests int, saturated func() bool) time.Duration {
	switch {
	case interval < 0 || entries == 0 || requests >= MaxBatch:
		return 0 // Off, queries alone (they need no append), or full.
	case sinceLast >= interval || !saturated():
		return 0
	}
	return interval - sinceLast
}

// cpuSaturated reports whether at least as many goroutines wait for a CPU
// as there are CPUs for Go code. Both come from one read of the runtime's
// metrics: runtime.GOMAXPROCS takes the scheduler's lock, and this runs on
// the sequencer for every request taken while a batch waits.
func cpuSaturated() bool {
	s := [2]metrics.Sample{{Name: runnableMetric}, {Name: gomaxprocsMetric}}
	metrics.Read(s[:])
	runnable, procs := s[0].Value, s[1].Value
	return runnable.Kind() == metrics.KindUint64 && procs.Kind() == metrics.KindUint64 && runnable.Uint64() >= procs.Uint64()
}

const (
	runnableMetric   = "/sched/goroutines/runnable:goroutines"
	gomaxprocsMetric = "/sched/gomaxprocs:threads"
)

// lingered is the channel that says the open batch waited long enough; nil,
// which never says so, when it does not wait.
func (p *pipeline) lingered() <-chan time.Time {
	if !p.lingering {
		return nil
	}
	return p.linger.C
}

// takeOpen is the open batch, which is open no longer and waits no more.
func (p *pipeline) takeOpen() *inflight {
	f := p.open
	p.open = nil
	if p.lingering {
		p.linger.Stop()
		p.lingering = false
	}
	return f
}

// inflight is a batch executed into the state: its requests, their results
// and the journal entries of the commands that changed the state. Its
// answers are held until its append is durable.
type inflight struct {
	batch   []request
	results []result
	entries []corridor.JournalEntry
	letGo   int        // The batches of let-go payments it added to state.recentLetGo.
	done    chan error // The append's outcome, once it runs.
}

// appended is the channel the append of f reports on; nil, which never
// reports, for no batch in flight.
func (f *inflight) appended() <-chan error {
	if f == nil {
		return nil
	}
	return f.done
}

// openBatch is the open batch, made (from a spare's buffers) if none is.
func (p *pipeline) openBatch() *inflight {
	if p.open == nil && len(p.spares) > 0 {
		n := len(p.spares) - 1
		p.open, p.spares[n] = p.spares[n], nil
		p.spares = p.spares[:n]
	}
	if p.open == nil {
		p.open = &inflight{batch: make([]request, 0, MaxBatch), results: make([]result, 0, MaxBatch), done: make(chan error, 1)}
	}
	return p.open
}

// maxSpares is how many landed batches the pipeline keeps: one flies while
// another is open, and both may land before the next is opened.
const maxSpares = 2

// recycle keeps f, answered, as a spare, holding nothing of its batch.
func (p *pipeline) recycle(f *inflight) {
	if len(p.spares) == maxSpares {
		return
	}
	clear(f.batch)
	clear(f.results)
	clear(f.entries)
	f.batch, f.results, f.entries = f.batch[:0], f.results[:0], f.entries[:0]
	f.letGo = 0
	p.spares = append(p.spares, f)
}

// admit is the queue of requests, or nil, which never delivers, while the
// open batch is full: it waits for the append in flight.
func (h *Hub) admit(p *pipeline) <-chan request {
	if p.open != nil && len(p.open.batch) >= MaxBatch {
		return nil
	}
	return h.requests
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

// take executes r and the requests waiting behind it into the open batch.
// With no append in flight the batch goes to the journal at once; with one,
// it stays open, taking more, until that append lands. A batch that
// changes what the API reads outside the sequencer (publish) is appended
// and answered before anything after it executes, so that no one sees it
// before it is durable.
func (h *Hub) take(ctx context.Context, p *pipeline, r request) error {
	if h.down != nil {
		assert.That(p.flying == nil && p.open == nil, "batches in flight while the journal is down")
		h.refuse(h.drain([]request{r}))
		return nil
	}
	f := p.openBatch()
	start := len(f.batch)
	f.batch = h.drain(append(f.batch, r))
	h.execute(f, start)
	switch {
	case h.state.unpublished():
		flying := p.flying
		p.flying = nil
		p.takeOpen()
		if err := h.land(flying); err != nil {
			h.answerNotTaken(f.batch)
			return err
		}
		return h.appendNow(ctx, f)
	case p.flying != nil:
		return nil // It goes when the append in flight lands.
	}
	return h.sendOpen(ctx, p)
}

// sendOpen starts the append of the open batch, with nothing in flight, or
// lets it wait (batchWait) if it has not already begun to.
func (h *Hub) sendOpen(ctx context.Context, p *pipeline) error {
	d := h.batchWait(p, p.open)
	switch {
	case d == 0:
		return h.dispatch(ctx, p, p.takeOpen())
	case !p.lingering:
		if p.linger == nil {
			p.linger = time.NewTimer(d)
		} else {
			p.linger.Reset(d)
		}
		p.lingering = true
	}
	return nil
}

// landed answers the batch in flight, whose append reported err, and sends
// the open batch on. When the append failed, the open batch was never
// written and is answered as not taken.
func (h *Hub) landed(ctx context.Context, p *pipeline, err error) error {
	f, open := p.flying, p.open
	p.flying, p.open = nil, nil
	if err := h.complete(f, err, open == nil); err != nil {
		if open != nil {
			h.answerNotTaken(open.batch)
		}
		return err
	}
	p.recycle(f)
	if open == nil {
		return nil
	}
	p.open = open
	return h.sendOpen(ctx, p)
}

// dispatch starts the append of f, with no append in flight, or answers f at
// once when it journals nothing.
func (h *Hub) dispatch(ctx context.Context, p *pipeline, f *inflight) error {
	if len(f.entries) == 0 {
		err := h.complete(f, nil, true)
		p.recycle(f)
		return err
	}
	p.lastStart = time.Now()
	entries := f.entries
	go func() { f.done <- h.cfg.Journal.Append(context.WithoutCancel(ctx), entries) }()
	p.flying = f
	return nil
}

// appendNow appends f, with no append in flight, and answers it once it is
// durable.
func (h *Hub) appendNow(ctx context.Context, f *inflight) error {
	var err error
	if len(f.entries) > 0 {
		err = h.cfg.Journal.Append(context.WithoutCancel(ctx), f.entries)
	}
	return h.complete(f, err, true)
}

// processNow executes batch, with no batch in flight, and answers it once
// it is durable.
func (h *Hub) processNow(ctx context.Context, batch []request) error {
	f := &inflight{batch: batch, results: make([]result, 0, len(batch))}
	h.execute(f, 0)
	return h.appendNow(ctx, f)
}

// finish lands what is in flight and appends what is open, as the hub
// stops: every request taken is answered.
func (h *Hub) finish(ctx context.Context, p *pipeline) {
	err := h.land(p.flying)
	p.flying = nil
	open := p.takeOpen()
	switch {
	case err != nil && open != nil:
		h.answerNotTaken(open.batch)
	case open != nil:
		err = h.appendNow(ctx, open)
	}
	if err != nil {
		h.log.Error("journal append failed as the hub stopped", "error", err)
	}
}

// land waits for the append of f, if any, and answers its batch. It
// publishes nothing: the state may already hold the batch after f.
func (h *Hub) land(f *inflight) error {
	if f == nil {
		return nil
	}
	return h.complete(f, <-f.done, false)
}

// execute runs the requests of f from start on: their commands, then their
// queries, on the state; it adds their results and the journal entries of
// the commands that changed the state to f.
func (h *Hub) execute(f *inflight, start int) {
	now := h.cfg.Now().UTC()
	h.state.remember(nil, now) // Forgets what was let go of long enough ago.
	f.results = slices.Grow(f.results, len(f.batch)-len(f.results))[:len(f.batch)]
	entries := len(f.entries)
	for i := start; i < len(f.batch); i++ {
		r := f.batch[i]
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
		f.entries = append(f.entries, e)
		if rc, ok := receiptOf(r.cmd, e); ok {
			f.results[i].payment.Receipt = rc // Answered only once the entry is durable.
		}
	}
	for _, r := range f.batch[start:] {
		if r.query != nil {
			r.query(h.state)
		}
	}
	h.observeBatch(len(f.batch)-start, len(f.entries)-entries)
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
	if len(f.entries) > 0 {
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
