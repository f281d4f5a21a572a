package hub_test

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// The soak's flags: a long run is
//
//	go test ./hub -run '^$' -bench BenchmarkSoak -benchtime 1x -soak.duration 10m -soak.rate 2000
var (
	soakDuration  = flag.Duration("soak.duration", 20*time.Second, "BenchmarkSoak: how long to submit")
	soakRate      = flag.Int("soak.rate", 1000, "BenchmarkSoak: payments a second, whatever the answers take")
	soakRetention = flag.Duration("soak.retention", 10*time.Second, "BenchmarkSoak: the hub's retention")
	soakWindow    = flag.Duration("soak.window", 10*time.Second, "BenchmarkSoak: how often to sample the heap and the latency")
)

// BenchmarkSoak submits payments to a hub on the real SQLite journal and
// the real clock at a fixed rate (open loop, 32 submitters), the banks
// reading and acknowledging their inboxes as they go, with final payments
// let go of after -soak.retention. Each window it logs the payments so
// far, the heap in use after a collection and the p50 and p99 of
// submit→answer in the window; it reports the first and the last window's,
// so that a flat heap and a steady p99 show as equal pairs.
func BenchmarkSoak(b *testing.B) {
	for b.Loop() {
		runSoak(b)
	}
}

// soakWindowFigures is one window of the soak.
type soakWindowFigures struct {
	payments int64
	heapMB   float64
	p50, p99 time.Duration
}

func runSoak(b *testing.B) {
	h, stop := mustSoakHub(b)
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), *soakDuration)
	defer cancel()
	var sent atomic.Int64
	lat := &soakLatencies{}
	var wg sync.WaitGroup
	tokens := make(chan int64, 1024)
	wg.Go(func() { soakPace(ctx, tokens) })
	for range 32 {
		wg.Go(func() { soakSubmit(b, h, tokens, lat, &sent) })
	}
	wg.Go(func() { soakAck(ctx, b, h) })
	var windows []soakWindowFigures
	tick := time.NewTicker(*soakWindow)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-tick.C:
		}
		w := soakSample(sent.Load(), lat.take())
		b.Logf("%7d payments: heap %6.1f MB, submit p50 %v p99 %v", w.payments, w.heapMB, w.p50, w.p99)
		windows = append(windows, w)
	}
	wg.Wait()
	first, last := windows[0], windows[len(windows)-1]
	b.ReportMetric(float64(last.payments), "payments")
	b.ReportMetric(first.heapMB, "heap-first-MB")
	b.ReportMetric(last.heapMB, "heap-last-MB")
	b.ReportMetric(float64(first.p99.Microseconds())/1000, "p99-first-ms")
	b.ReportMetric(float64(last.p99.Microseconds())/1000, "p99-last-ms")
}

// mustSoakHub starts a hub with the soak's retention on the real clock,
// with two banks, the payer funded for the whole run.
func mustSoakHub(b *testing.B) (*hub.Hub, func()) {
	h, _, stop := mustRunHub(b, b.TempDir(), hub.Config{Now: time.Now, Retention: *soakRetention})
	mustSetUp(b, h, "9000000000.00")
	return h, stop
}

// soakPace hands out payment numbers at -soak.rate a second until ctx
// ends, then closes tokens.
func soakPace(ctx context.Context, tokens chan<- int64) {
	defer close(tokens)
	start, n := time.Now(), int64(0)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			for due := int64(now.Sub(start)) * int64(*soakRate) / int64(time.Second); n < due; n++ { // Integer: payments, not seconds' fractions.
				select {
				case tokens <- n + 1:
				case <-ctx.Done():
					return
				}
			}
		}
	}
}

// soakSubmit submits the payment of each token and records how long the
// answer took.
func soakSubmit(b *testing.B, h *hub.Hub, tokens <-chan int64, lat *soakLatencies, sent *atomic.Int64) {
	for i := range tokens {
		p := payment(int(i), 100)
		p.SettlementDate = corridor.DateOf(time.Now().UTC()) // The real clock's day.
		msg := mustMessage(b, p)
		t0 := time.Now()
		if _, err := h.SubmitPayment(context.Background(), bankIN, p, "", corridor.SignedMessage{Body: msg}); err != nil {
			b.Error(fmt.Errorf("payment %d: %w", i, err))
			return
		}
		lat.add(time.Since(t0))
		sent.Add(1)
	}
}

// soakAck has both banks read and acknowledge their inboxes, a page at a
// time, every 50 ms.
func soakAck(ctx context.Context, b *testing.B, h *hub.Hub) {
	for ctx.Err() == nil {
		for _, bic := range []corridor.BIC{bankIN, bankRU} {
			for {
				msgs, err := h.Inbox(ctx, bic, 0, 0)
				if err == nil && len(msgs) > 0 {
					err = h.Ack(ctx, bic, msgs[len(msgs)-1].Seq)
				}
				if err != nil && ctx.Err() == nil {
					b.Error(err)
					return
				}
				if err != nil || len(msgs) == 0 {
					break
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// soakLatencies collects a window's latencies.
type soakLatencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *soakLatencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// take returns the window's latencies, sorted, and starts the next.
func (l *soakLatencies) take() []time.Duration {
	l.mu.Lock()
	d := l.d
	l.d = nil
	l.mu.Unlock()
	slices.Sort(d)
	return d
}

// soakSample is the window's figures: the heap after a collection, and the
// percentiles of its sorted latencies d.
func soakSample(payments int64, d []time.Duration) soakWindowFigures {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	w := soakWindowFigures{payments: payments, heapMB: float64(ms.HeapInuse) / (1 << 20)}
	if len(d) > 0 {
		w.p50, w.p99 = d[len(d)/2], d[len(d)*99/100]
	}
	return w
}
