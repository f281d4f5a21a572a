package hub_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
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
	h, msgs, pays := mustBenchHub(b, hub.Config{})
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
func BenchmarkSubmit64(b *testing.B) { benchmarkSubmit(b, 64, hub.Config{}) }

// BenchmarkSubmit512 is BenchmarkSubmit64Retention with 512 submitters:
// enough to fill a batch (MaxBatch) while the one before is appended.
func BenchmarkSubmit512(b *testing.B) {
	benchmarkSubmit(b, 512, hub.Config{Retention: 24 * time.Hour})
}

// BenchmarkSubmit64Retention is BenchmarkSubmit64 on a hub with the
// default retention (24 h of the test's clock: nothing is let go of), as a
// hub runs: every submission is checked against the archive, and every
// entry's book rows are written to the store with the journal.
func BenchmarkSubmit64Retention(b *testing.B) {
	benchmarkSubmit(b, 64, hub.Config{Retention: 24 * time.Hour})
}

// benchmarkSubmit sends b.N payments from submitters concurrent callers.
// A caller told the hub is busy sends the same payment again, as a bank
// does; busy/op counts those answers.
func benchmarkSubmit(b *testing.B, submitters int, cfg hub.Config) {
	h, msgs, pays := mustBenchHub(b, cfg)
	ctx := context.Background()
	var next, busy atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for range submitters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < b.N; i = int(next.Add(1)) - 1 {
				_, err := h.SubmitPayment(ctx, bankIN, pays[i], "", corridor.SignedMessage{Body: msgs[i]})
				for ; errors.Is(err, corridor.ErrBusy); busy.Add(1) {
					_, err = h.SubmitPayment(ctx, bankIN, pays[i], "", corridor.SignedMessage{Body: msgs[i]})
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "payments/s")
	b.ReportMetric(float64(busy.Load())/float64(b.N), "busy/op")
}

func mustBenchHub(b *testing.B, cfg hub.Config) (*hub.Hub, [][]byte, []corridor.Payment) {
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
	h, _, _ := mustHubWith(b, b.TempDir(), hub.Config{Retention: retention})
	mustSetUp(b, h, "9000000000.00")
	ctx := context.Background()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := payment(i+1, 100) // Made here, not before: the heap at the end is the hub's.
		if _, err := h.SubmitPayment(ctx, bankIN, p, "", corridor.SignedMessage{Body: mustMessage(b, p)}); err != nil {
			b.Fatal(err)
		}
		if i%256 == 255 || i == b.N-1 {
			mustAckAll(b, h, bankIN, bankRU)
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/float64(b.N), "heap-B/payment")
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MB")
	if *heapProfile != "" {
		mustWriteHeapProfile(b, *heapProfile)
	}
}

var heapProfile = flag.String("heap.profile", "", "BenchmarkHeapPerPayment: write the heap profile at the end, with the hub still running, to this file")

func mustWriteHeapProfile(b *testing.B, file string) {
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// mustAckAll has each bank read and acknowledge its whole inbox, a page
// (hub.MaxInboxRead) at a time.
func mustAckAll(tb testing.TB, h *hub.Hub, banks ...corridor.BIC) {
	tb.Helper()
	for _, bic := range banks {
		for {
			msgs, err := h.Inbox(context.Background(), bic, 0, 0)
			if err != nil {
				tb.Fatal(err)
			}
			if len(msgs) == 0 {
				break
			}
			if err := h.Ack(context.Background(), bic, msgs[len(msgs)-1].Seq); err != nil {
				tb.Fatal(err)
			}
		}
	}
}
