package hub_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// BenchmarkSubmit sends payments through the sequencer one at a time: every
// payment waits for its own fsync.
func BenchmarkSubmit(b *testing.B) {
	h, msgs, pays := mustBenchHub(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.SubmitPayment(ctx, bankIN, pays[i], "", corridor.SignedMessage{Body: msgs[i]}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "payments/s")
}

// BenchmarkSubmit64 sends payments from 64 concurrent submitters, so the
// sequencer commits them in groups.
func BenchmarkSubmit64(b *testing.B) {
	h, msgs, pays := mustBenchHub(b)
	ctx := context.Background()
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < b.N; i = int(next.Add(1)) - 1 {
				if _, err := h.SubmitPayment(ctx, bankIN, pays[i], "", corridor.SignedMessage{Body: msgs[i]}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "payments/s")
}

func mustBenchHub(b *testing.B) (*hub.Hub, [][]byte, []corridor.Payment) {
	return mustBenchHubWith(b, hub.Config{})
}

func mustBenchHubWith(b *testing.B, cfg hub.Config) (*hub.Hub, [][]byte, []corridor.Payment) {
	h, _, _ := mustHubWith(b, b.TempDir(), cfg)
	mustSetUp(b, h, "9000000000.00")
	pays := make([]corridor.Payment, b.N)
	msgs := make([][]byte, b.N)
	for i := range pays {
		pays[i] = payment(i+1, 100)
		msgs[i] = mustMessage(b, pays[i])
	}
	return h, msgs, pays
}

// BenchmarkHeapPerPayment reports the heap a settled payment keeps once
// both banks have read and acknowledged their inboxes, as real ones do:
// go test ./hub -run XXX -bench HeapPerPayment -benchtime 20000x. With
// retention, BenchmarkHeapPerPayment/retention1s, final payments leave
// memory for the archive a second (of the test's clock, a millisecond a
// reading) after they settle, so that the heap stays flat however many
// payments went through: heap-MB is the heap in use at the end.
func BenchmarkHeapPerPayment(b *testing.B) {
	for name, retention := range map[string]time.Duration{"kept": 0, "retention1s": time.Second} {
		b.Run(name, func(b *testing.B) { benchmarkHeap(b, retention) })
	}
}

func benchmarkHeap(b *testing.B, retention time.Duration) {
	h, msgs, pays := mustBenchHubWith(b, hub.Config{Retention: retention})
	ctx := context.Background()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.SubmitPayment(ctx, bankIN, pays[i], "", corridor.SignedMessage{Body: msgs[i]}); err != nil {
			b.Fatal(err)
		}
		msgs[i] = nil // The bank's copy; the hub keeps its own as long as it needs it.
		if i%256 == 255 || i == b.N-1 {
			mustAckAll(b, h, bankIN, bankRU)
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/float64(b.N), "heap-B/payment")
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MB")
}

// mustAckAll has each bank read and acknowledge its whole inbox.
func mustAckAll(tb testing.TB, h *hub.Hub, banks ...corridor.BIC) {
	tb.Helper()
	for _, bic := range banks {
		msgs, err := h.Inbox(context.Background(), bic, 0, 0)
		if err != nil {
			tb.Fatal(err)
		}
		if len(msgs) > 0 {
			if err := h.Ack(context.Background(), bic, msgs[len(msgs)-1].Seq); err != nil {
				tb.Fatal(err)
			}
		}
	}
}
