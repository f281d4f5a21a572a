package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// Bounds of `corridor bench`.
const (
	maxBenchPayments    = 1_000_000
	maxBenchConcurrency = 1024
)

// runBench is `corridor bench`: a hub on the embedded store in a temporary
// directory, two banks, and payments sent through the real API (mutual TLS,
// signatures, parsing, screening, the journal's fsync) by concurrent clients.
// It prints the throughput and the latency of the 202s.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("payments", 5000, "payments to send")
	conc := fs.Int("concurrency", 64, "concurrent submitters")
	screen := fs.Bool("screening", true, "load the demo watchlist, so every payment is screened")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *n < 1 || *n > maxBenchPayments || *conc < 1 || *conc > maxBenchConcurrency {
		return fmt.Errorf("bench: --payments 1..%d, --concurrency 1..%d", maxBenchPayments, maxBenchConcurrency)
	}
	dir, cleanup, err := demoDataDir("")
	if err != nil {
		return err
	}
	defer cleanup()
	m := NewMain()
	m.Config.DataDir, m.Config.Addr = dir, "127.0.0.1:0"
	m.Config.RateLimit, m.Config.RateBurst = maxRateLimit, maxRateLimit // The bench measures the hub, not a bank's allowance.
	m.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	err = benchRun(ctx, m, *n, *conc, *screen, stdout)
	return errors.Join(err, m.Close())
}

func benchRun(ctx context.Context, m *Main, n, conc int, screen bool, out io.Writer) error {
	if err := m.Run(ctx); err != nil {
		return err
	}
	op, err := (&operatorFlags{hub: m.API.URL(), data: m.Config.DataDir}).client()
	if err != nil {
		return err
	}
	defer op.Close()
	if err := benchSetUp(ctx, op, m, screen); err != nil {
		return err
	}
	msgs, err := benchMessages(n)
	if err != nil {
		return err
	}
	lat, elapsed, failed, firstErr := benchSend(ctx, demoIndia.client, msgs, conc)
	slices.Sort(lat)
	fmt.Fprintf(out, "%d payments, %d submitters, screening %v: %.0f payments/s; 202 latency p50 %s, p99 %s, max %s; %d failed\n",
		n, conc, screen, float64(len(lat))/elapsed.Seconds(), pct(lat, 50), pct(lat, 99), pct(lat, 100), failed)
	if failed > 0 {
		return fmt.Errorf("bench: %d payments failed, the first: %w", failed, firstErr)
	}
	return nil
}

func benchSetUp(ctx context.Context, op *httpapi.Client, m *Main, screen bool) error {
	for _, b := range []*demoBank{&demoIndia, &demoRussia} {
		if err := b.connect(ctx, op, m.API.URL(), m.Config.DataDir, io.Discard); err != nil {
			return err
		}
	}
	if _, err := op.Fund(ctx, httpapi.FundRequest{BIC: string(demoIndia.BIC), Currency: "INR", Amount: "9000000000000.00"}); err != nil {
		return err
	}
	if !screen {
		return nil
	}
	_, err := op.LoadList(ctx, httpapi.ListRequest{Name: "demo-watchlist", Format: "csv", Files: [][]byte{demoWatchlist}})
	return err
}

// benchMessages are n payments of the Indian bank to the Russian bank,
// encoded before the clock starts.
func benchMessages(n int) ([][]byte, error) {
	msgs := make([][]byte, n)
	for i := range msgs {
		msg, _, err := demoPacs008(&demoIndia, &demoRussia, time.Now(), "1000.00", "INR")
		if err != nil {
			return nil, err
		}
		msgs[i] = msg
	}
	return msgs, nil
}

// benchSend submits msgs from conc goroutines and returns each 202's
// latency, the time it all took, and the failures with the first of them.
func benchSend(ctx context.Context, c *httpapi.Client, msgs [][]byte, conc int) ([]time.Duration, time.Duration, int, error) {
	var next, failed atomic.Int64
	lat := make([]time.Duration, len(msgs))
	var first sync.Once
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(msgs); i = int(next.Add(1)) - 1 {
				t0 := time.Now()
				resp, err := c.Submit(ctx, msgs[i])
				lat[i] = time.Since(t0)
				if err == nil && resp.Status != string(corridor.StatusSettled) {
					err = fmt.Errorf("payment %s is %s %s", resp.UETR, resp.Status, resp.Reason)
				}
				if err != nil {
					failed.Add(1)
					first.Do(func() { firstErr = err })
				}
			}
		}()
	}
	wg.Wait()
	return lat, time.Since(start), int(failed.Load()), firstErr
}

// pct is the p-th percentile of sorted durations.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)-1, len(sorted)*p/100)
	return sorted[i].Round(10 * time.Microsecond)
}
