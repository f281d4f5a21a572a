package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/corridor-network/corridor/httpapi"
)

// Bounds of `corridor bench`.
const (
	maxBenchPayments    = 1_000_000
	maxBenchConcurrency = 1024
	maxBenchRate        = 1_000_000 // Payments per second of the open loop.
	maxBenchDuration    = 24 * time.Hour
	benchDrain          = 30 * time.Second // How long the banks may wait for the last pacs.002s.
)

// benchOptions are the flags of `corridor bench`.
type benchOptions struct {
	payments    int           // At most this many submissions.
	duration    time.Duration // Zero: until payments are sent.
	rate        int           // Submissions per second (open loop); zero: closed loop.
	concurrency int
	screen      bool
	json        bool
}

// runBench is `corridor bench`: a hub on the embedded store in a temporary
// directory, two banks, and payments sent through the real API (mutual TLS,
// signatures, parsing, screening against the UN and OFAC samples, the
// journal's fsync) by concurrent clients, while each bank reads and
// acknowledges its inbox. It reports only what the hub acknowledged (202),
// every refusal by status and reason, latencies, CPU and allocations per
// payment, and checks that what was acknowledged settled exactly once.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := benchFlags(args, stdout, stderr)
	if err != nil {
		return err
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
	err = benchRun(ctx, m, o, stdout, stderr)
	return errors.Join(err, m.Close())
}

func benchFlags(args []string, stdout, stderr io.Writer) (benchOptions, error) {
	var o benchOptions
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.payments, "payments", 5000, "payments to submit (with --duration: at most this many, default the limit)")
	fs.DurationVar(&o.duration, "duration", 0, "submit for this long instead of a count, such as 30s")
	fs.IntVar(&o.rate, "rate", 0, "open loop: submit this many payments a second whatever the answers take (0: closed loop)")
	fs.IntVar(&o.concurrency, "concurrency", 64, "concurrent submitters (closed loop) or most submissions in flight (open loop)")
	fs.BoolVar(&o.screen, "screening", true, "load the UN and OFAC sample lists, so every payment is screened")
	fs.BoolVar(&o.json, "json", false, "write the final report as JSON instead of text")
	if err := parseFlags(fs, args, stdout); err != nil {
		return o, err
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "payments" })
	if o.duration > 0 && !given {
		o.payments = maxBenchPayments
	}
	if o.payments < 1 || o.payments > maxBenchPayments || o.concurrency < 1 || o.concurrency > maxBenchConcurrency ||
		o.rate < 0 || o.rate > maxBenchRate || o.duration < 0 || o.duration > maxBenchDuration {
		return o, usageError{fmt.Errorf("bench: --payments 1..%d, --concurrency 1..%d, --rate 0..%d, --duration 0..%s",
			maxBenchPayments, maxBenchConcurrency, maxBenchRate, maxBenchDuration)}
	}
	return o, nil
}

func benchRun(ctx context.Context, m *Main, o benchOptions, out, progress io.Writer) error {
	if err := m.Run(ctx); err != nil {
		return err
	}
	op, err := (&operatorFlags{hub: m.API.URL(), data: m.Config.DataDir}).client()
	if err != nil {
		return err
	}
	defer op.Close()
	entries, err := benchSetUp(ctx, op, m, o.screen)
	if err != nil {
		return err
	}
	defer demoIndia.client.Close()
	defer demoRussia.client.Close()
	before, err := demoBalances(ctx)
	if err != nil {
		return err
	}
	r, err := benchMeasure(ctx, o, progress)
	if err != nil {
		return err
	}
	r.Options, r.ListEntries = o.report(), entries
	if err := benchCheck(ctx, &r, before); err != nil {
		return err
	}
	if err := r.write(out, o.json); err != nil {
		return err
	}
	if !r.Invariants.OK {
		return fmt.Errorf("bench: invariants broken: %v", r.Invariants.Problems)
	}
	return nil
}

func benchSetUp(ctx context.Context, op *httpapi.Client, m *Main, screen bool) (int, error) {
	for _, b := range []*demoBank{&demoIndia, &demoRussia} {
		if err := b.connect(ctx, op, m.API.URL(), m.Config.DataDir, io.Discard); err != nil {
			return 0, err
		}
	}
	funding := []httpapi.FundRequest{ // Every account funded, so demoBalances can read it.
		{BIC: string(demoIndia.BIC), Currency: "INR", Amount: "9000000000000.00"},
		{BIC: string(demoRussia.BIC), Currency: "INR", Amount: "1000000.00"},
		{BIC: string(demoRussia.BIC), Currency: "RUB", Amount: "1000000.00"},
	}
	for _, f := range funding {
		if _, err := op.Fund(ctx, f); err != nil {
			return 0, fmt.Errorf("fund %s %s: %w", f.BIC, f.Currency, err)
		}
	}
	if !screen {
		return 0, nil
	}
	return benchLoadLists(ctx, op)
}
