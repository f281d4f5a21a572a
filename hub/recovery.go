package hub

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
)

// Bounds of the recovery from a journal that cannot be written.
const (
	FirstProbeWait  = 100 * time.Millisecond // The wait before the first probe of the store; it doubles after each failure…
	MaxProbeWait    = 5 * time.Second        // …up to this.
	ProgressLogWait = 30 * time.Second       // At most one progress line this often while the journal is down.
)

// ErrJournalDown is ErrStopped while the journal cannot be written (a full
// disk, an fsync error, a read-only store): the hub takes no command until
// a write works again, and it took nothing, so the caller retries later.
// Reads go on, from what the journal durably holds.
var ErrJournalDown = fmt.Errorf("hub: the journal cannot be written, so the request was not taken; retry later: %w", corridor.ErrStopped)

// errRebuilding is ErrStopped for a read that came before the hub had
// rebuilt its state from the journal after a failed append.
var errRebuilding = fmt.Errorf("hub: the journal cannot be written and the state is being rebuilt from it; retry later: %w", corridor.ErrStopped)

// Recoverer is a journal that can be recovered after a failed Append, so
// that the hub waits for the store instead of stopping. sqlite.Journal
// implements it; with any other journal a failed append stops the hub.
type Recoverer interface {
	// Reopen drops the store's connections and opens the file again, so
	// that LastSeq and Replay then answer what the file durably holds.
	Reopen(ctx context.Context) error
	// LastSeq is the last durable entry's seq and hash.
	LastSeq() (uint64, [32]byte)
	// Probe makes one small durable write that is not a journal entry.
	Probe(ctx context.Context) error
	// Release drops the store's connections until the next Reopen.
	Release(ctx context.Context) error
}

// outage is the sequencer's record of a journal it cannot write. While it
// is set, commands are refused with ErrJournalDown; reads are answered once
// readable, from a state rebuilt from the journal alone.
type outage struct {
	since    time.Time
	readable bool // h.state was rebuilt from the journal: no effect of the failed batch that is not durable.
}

// probeFailure is why the last write to the store failed.
type probeFailure struct{ err error }

// rebuilt is what the recovery hands the sequencer: a state replayed from
// the journal (nil to keep the one it has), and whether to acknowledge
// again.
type rebuilt struct {
	state    *state
	lastHash [32]byte
	resume   bool
}

// degrade is the sequencer's answer to a failed append: it stops taking
// commands, forgets that its state can be read (it holds the failed batch,
// which may or may not be durable), and starts the recovery. It returns
// false when the journal cannot be recovered and the hub must stop.
func (h *Hub) degrade(ctx context.Context, wg *sync.WaitGroup, err error) bool {
	j, ok := h.cfg.Journal.(Recoverer)
	if !ok {
		h.log.Error("journal append failed; the hub stops", "error", err)
		return false
	}
	h.log.Error("journal cannot be written: the hub takes no command (503 not-taken) until a write works again, "+
		"and serves reads from the journal once it has rebuilt its state from it", "error", err)
	h.down = &outage{since: time.Now()}
	h.lastProbe.Store(&probeFailure{err})
	h.journalDown.Store(true)
	wg.Add(1)
	go func() {
		defer wg.Done()
		h.recoverJournal(ctx, j)
	}()
	return true
}

// refuse answers a batch while the journal is down: every command with
// ErrJournalDown, every read from the rebuilt state, or errRebuilding
// before there is one.
func (h *Hub) refuse(batch []request) {
	for _, r := range batch {
		switch {
		case r.cmd != nil:
			h.refused.Add(1)
			r.reply <- result{err: ErrJournalDown}
		case !h.down.readable:
			r.reply <- result{err: errRebuilding}
		default:
			if r.query != nil {
				r.query(h.state)
			}
			r.reply <- result{}
		}
	}
}

// adopt takes in, on the sequencer, what the recovery rebuilt. It returns
// true when the hub acknowledges again.
func (h *Hub) adopt(in rebuilt) bool {
	assert.That(h.down != nil, "a rebuilt state arrived while the journal is up")
	if in.state != nil {
		h.swapState(in.state, in.lastHash)
		h.down.readable = true
		h.log.Info("state rebuilt from the journal; reads are served from it", corridor.LogKeySeq, in.state.lastSeq)
	}
	if !in.resume {
		return false
	}
	assert.That(h.down.readable, "resuming on a state not rebuilt from the journal")
	h.log.Info("journal writable again: the hub acknowledges again", corridor.LogKeySeq, h.state.lastSeq,
		"down", time.Since(h.down.since).Round(time.Millisecond), "refused", h.refused.Load())
	h.down = nil
	h.journalDown.Store(false)
	h.lastProbe.Store(nil)
	return true
}

// swapState replaces the sequencer's state with s, replayed from the
// journal, and publishes all of it: the registry, the screener and the
// revoked operators become s's, and every waiting long poll reads again.
func (h *Hub) swapState(s *state, lastHash [32]byte) {
	// What was let go of lately stays remembered: a submission checked
	// against the archive before may still come.
	h.state.forgetUndurable() // The failed batch's let-go is not in the archive, and its payments are back in s.
	s.recent, s.recentLetGo = h.state.recent, h.state.recentLetGo
	h.state, h.lastHash = s, lastHash
	h.mu.Lock()
	for bic := range h.registry {
		if _, ok := s.participants[bic]; !ok { // Registered only by the failed batch.
			delete(h.registry, bic)
			h.standing[bic]++
		}
	}
	h.mu.Unlock()
	s.republish = s.republish[:0]
	for bic := range s.participants {
		s.republish = append(s.republish, bic)
	}
	s.screening.changed, s.operatorsChanged = true, true
	h.publish()
	for bic, ch := range h.wakers {
		close(ch)
		delete(h.wakers, bic)
	}
}

// recoverJournal runs beside the sequencer while the journal is down. It
// probes the store with a real durable write, backing off from
// FirstProbeWait to MaxProbeWait; until a probe works it hands the
// sequencer a state replayed from the journal, for reads. Once a probe
// works it hands over the state to resume with and returns.
func (h *Hub) recoverJournal(ctx context.Context, j Recoverer) {
	wait := FirstProbeWait
	var read replayed
	var logged time.Time
	for attempt := 1; ; attempt++ {
		err := h.recoverOnce(ctx, j, &read)
		if err == nil || ctx.Err() != nil {
			return
		}
		h.lastProbe.Store(&probeFailure{err})
		if time.Since(logged) >= ProgressLogWait {
			logged = time.Now()
			h.log.Warn("journal still cannot be written; probing the store", "attempts", attempt, "next", wait,
				"refused", h.refused.Load(), "error", err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(2*wait, MaxProbeWait)
	}
}

// replayed is the journal's end when the recovery last handed the
// sequencer a state for reads.
type replayed struct {
	ok   bool
	seq  uint64
	hash [32]byte
}

// recoverOnce probes the store. When the write works it hands the sequencer
// the state to resume with (a new replay, unless the journal still ends
// where the state for reads was replayed to) and returns nil. Otherwise it
// hands the sequencer, the first time, a state replayed for reads, releases
// the store and returns why the write failed.
func (h *Hub) recoverOnce(ctx context.Context, j Recoverer, read *replayed) error {
	err := reopenAndProbe(ctx, j)
	if err == nil {
		seq, hash := j.LastSeq()
		in := rebuilt{resume: true}
		if !read.ok || seq != read.seq || hash != read.hash {
			in.state, in.lastHash, err = h.rebuild(ctx)
		}
		if err == nil {
			h.hand(ctx, in)
			return nil
		}
	}
	if !read.ok && ctx.Err() == nil {
		s, hash, rerr := h.rebuild(ctx)
		if rerr == nil {
			*read = replayed{ok: true, seq: s.lastSeq, hash: hash}
			h.hand(ctx, rebuilt{state: s, lastHash: hash})
		}
		err = errors.Join(err, rerr)
	}
	return errors.Join(err, j.Release(ctx))
}

// reopenAndProbe reopens the store and makes one durable write.
func reopenAndProbe(ctx context.Context, j Recoverer) error {
	if err := j.Reopen(ctx); err != nil {
		return err
	}
	return j.Probe(ctx)
}

// rebuild reopens the journal and replays it into a new state, off the
// sequencer: what the file durably holds and nothing else. It starts from
// the latest snapshot, as Open does (see load).
func (h *Hub) rebuild(ctx context.Context) (*state, [32]byte, error) {
	j := h.cfg.Journal.(Recoverer) // Only a Recoverer's hub recovers.
	if err := j.Reopen(ctx); err != nil {
		return nil, [32]byte{}, err
	}
	s, hash, err := h.load(ctx)
	if err != nil {
		return nil, [32]byte{}, err
	}
	seq, last := j.LastSeq()
	assert.That(s.lastSeq == seq, "replayed to entry %d; the journal ends at %d", s.lastSeq, seq)
	assert.That(hash == last, "replayed entry %d's hash is not the journal's last", seq)
	return s, hash, nil
}

// hand gives the sequencer in, unless ctx ends first.
func (h *Hub) hand(ctx context.Context, in rebuilt) {
	select {
	case h.rebuilt <- in:
	case <-ctx.Done():
	}
}

// JournalDown returns an error wrapping ErrJournalDown, with why the last
// write to the store failed, while the journal cannot be written and the hub
// refuses commands; nil while it takes them.
func (h *Hub) JournalDown() error {
	if !h.journalDown.Load() {
		return nil
	}
	if f := h.lastProbe.Load(); f != nil {
		return fmt.Errorf("%w (the last write to the store: %v)", ErrJournalDown, f.err)
	}
	return ErrJournalDown
}
