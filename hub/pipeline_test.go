package hub_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/sqlite"
)

// gatedJournal is the real SQLite journal whose next append, once armed,
// reports that it started and then waits for its outcome: nil writes the
// batch, an error fails the append with nothing written.
type gatedJournal struct {
	*sqlite.Journal
	mu      sync.Mutex
	armed   bool
	entered chan struct{}
	outcome chan error
}

func (g *gatedJournal) arm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed = true
}

func (g *gatedJournal) Append(ctx context.Context, entries []corridor.JournalEntry) error {
	g.mu.Lock()
	armed := g.armed
	g.armed = false
	g.mu.Unlock()
	if armed {
		g.entered <- struct{}{}
		if err := <-g.outcome; err != nil {
			return err
		}
	}
	return g.Journal.Append(ctx, entries)
}

// batchSignal tells of every batch the sequencer executed.
type batchSignal chan int

func (b batchSignal) BatchCommitted(requests, entries int) { b <- entries }
func (batchSignal) Screened(time.Duration, int)            {}

// mustGatedHub runs a set-up hub on a gated journal; batches reports each
// batch the sequencer executes from then on.
func mustGatedHub(t *testing.T) (*hub.Hub, *gatedJournal, batchSignal) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "corridor.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	g := &gatedJournal{Journal: db.Journal(), entered: make(chan struct{}), outcome: make(chan error)}
	batches := make(batchSignal, 1024)
	h, _ := mustRunHubOn(t, db, g, hub.Config{Now: func() time.Time { return businessDay }, Observer: batches})
	t.Cleanup(func() { _ = db.Close() }) // After the hub stops; a second Close is a no-op.
	mustSetUp(t, h, "1000000.00")
	for len(batches) > 0 {
		<-batches
	}
	return h, g, batches
}

type submitted struct {
	res hub.PaymentResult
	err error
}

// submitAsync submits p from the Indian bank and answers on the channel.
func submitAsync(t *testing.T, h *hub.Hub, p corridor.Payment) <-chan submitted {
	msg := mustMessage(t, p)
	out := make(chan submitted, 1)
	go func() {
		res, err := h.SubmitPayment(context.Background(), bankIN, p, "", corridor.SignedMessage{Body: msg})
		out <- submitted{res, err}
	}()
	return out
}

// mustWaitExecuted waits until the sequencer has executed a batch that
// journals entries (the one behind the gated append).
func mustWaitExecuted(t *testing.T, batches batchSignal) {
	t.Helper()
	for {
		select {
		case n := <-batches:
			if n > 0 {
				return
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the sequencer executed no batch behind the gated append")
		}
	}
}

func mustNotAnswered[T any](t *testing.T, what string, ch <-chan T) {
	t.Helper()
	select {
	case v := <-ch:
		t.Fatalf("%s answered before its append was durable: %+v", what, v)
	case <-time.After(20 * time.Millisecond):
	}
}

// TestPipelinedAppend: the sequencer executes the next batch while the one
// before is appended, and answers neither, nor a query behind them, until
// its own append is durable; the journal holds them in execution order.
func TestPipelinedAppend(t *testing.T) {
	h, g, batches := mustGatedHub(t)
	g.arm()
	first := submitAsync(t, h, payment(1, 100))
	<-g.entered
	second := submitAsync(t, h, payment(2, 100))
	mustWaitExecuted(t, batches)
	sum := make(chan error, 1)
	go func() { _, _, err := h.StateSum(context.Background()); sum <- err }()
	mustNotAnswered(t, "the first payment", first)
	mustNotAnswered(t, "the payment behind it", second)
	mustNotAnswered(t, "a query behind them", sum)

	g.outcome <- nil
	for i, ch := range []<-chan submitted{first, second} {
		if got := <-ch; got.err != nil || got.res.Status != corridor.StatusSettled {
			t.Fatalf("payment %d: %+v, %v; want it settled", i+1, got.res, got.err)
		}
	}
	if err := <-sum; err != nil {
		t.Fatalf("state sum: %v", err)
	}
	var kinds []string
	if err := g.Replay(context.Background(), 0, func(e corridor.JournalEntry) error {
		kinds = append(kinds, e.Kind)
		return nil
	}); err != nil {
		t.Fatalf("replay: %v", err)
	}
	if n := len(kinds); n < 2 || kinds[n-2] != "payment.submit" || kinds[n-1] != "payment.submit" {
		t.Fatalf("journal ends %v; want the two payments", kinds[max(0, n-4):])
	}
}

// TestPipelinedAppendFails: when the append in flight fails, its batch's
// outcome is unknown and the batch executed behind it was never written,
// so it is answered as not taken; once the store works again both are
// taken as new, each once.
func TestPipelinedAppendFails(t *testing.T) {
	h, g, batches := mustGatedHub(t)
	g.arm()
	p1, p2 := payment(1, 100), payment(2, 100)
	first := submitAsync(t, h, p1)
	<-g.entered
	second := submitAsync(t, h, p2)
	mustWaitExecuted(t, batches)
	g.outcome <- errors.New("injected: the disk went away")
	if got := <-first; !errors.Is(got.err, corridor.ErrOutcomeUnknown) {
		t.Fatalf("the failed batch's payment: %+v, %v; want outcome unknown", got.res, got.err)
	}
	if got := <-second; !errors.Is(got.err, hub.ErrJournalDown) {
		t.Fatalf("the payment behind it: %+v, %v; want not taken (journal down)", got.res, got.err)
	}

	for _, p := range []corridor.Payment{p1, p2} {
		deadline := time.Now().Add(30 * time.Second)
		for {
			got := <-submitAsync(t, h, p)
			if errors.Is(got.err, hub.ErrJournalDown) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond) // The recovery probes the store and resumes.
				continue
			}
			if got.err != nil || got.res.Duplicate || got.res.Status != corridor.StatusSettled {
				t.Fatalf("%s again: %+v, %v; want it taken as new and settled", p.MsgID, got.res, got.err)
			}
			break
		}
	}
	tracks, err := h.Track(context.Background(), corridor.Identity{Role: corridor.RoleParticipant, BIC: bankIN}, p2.UETR)
	if err != nil || len(tracks) != 1 {
		t.Fatalf("track %s: %d legs, %v; want one", p2.UETR, len(tracks), err)
	}
}
