package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// benchReport is the bench's final report, printed as text or, with --json, as JSON.
type benchReport struct {
	Options      benchOptionsReport `json:"options"`
	ListEntries  int                `json:"listEntries"` // Sanctions entries every payment is screened against.
	Submitted    int64              `json:"submitted"`
	Acknowledged int64              `json:"acknowledged"`         // Answered 202.
	Settled      int64              `json:"settled"`              // Acknowledged, with an ACSC pacs.002 in the sender's inbox.
	Answered     map[string]int     `json:"acknowledgedByStatus"` // 202s by the payment's status in them.
	Refused      map[string]int     `json:"refused"`              // Not acknowledged, by "HTTP status reason".
	InboxErrors  map[string]int     `json:"inboxErrors"`          // Failed inbox reads and acknowledgements.

	SendSeconds           float64 `json:"sendSeconds"`   // From the first submission to the last answer.
	SettleSeconds         float64 `json:"settleSeconds"` // From the first submission to the last pacs.002.
	AcknowledgedPerSecond float64 `json:"acknowledgedPerSecond"`
	SettledPerSecond      float64 `json:"settledPerSecond"`

	SubmitLatency benchLatency `json:"submitTo202"`
	ReportLatency benchLatency `json:"submitToPacs002"`

	CPUMicrosPerPayment float64 `json:"cpuMicrosPerPayment"` // User and system CPU of the whole process (hub and banks) per acknowledged payment.
	AllocsPerPayment    float64 `json:"allocsPerPayment"`
	BytesPerPayment     float64 `json:"allocatedBytesPerPayment"`

	Delivered        int64  `json:"messagesDelivered"` // Inbox messages of both banks.
	AcknowledgedMsgs int64  `json:"messagesAcknowledged"`
	LoadAverage      string `json:"loadAverage,omitempty"` // /proc/loadavg at the end, where there is one.

	Invariants benchInvariants `json:"invariants"`
}

type benchOptionsReport struct {
	Payments    int    `json:"payments"`
	Duration    string `json:"duration,omitempty"`
	Rate        int    `json:"rate,omitempty"`
	Concurrency int    `json:"concurrency"`
	Screening   bool   `json:"screening"`
}

func (o benchOptions) report() benchOptionsReport {
	r := benchOptionsReport{Payments: o.payments, Rate: o.rate, Concurrency: o.concurrency, Screening: o.screen}
	if o.duration > 0 {
		r.Duration = o.duration.String()
	}
	return r
}

// benchLatency holds percentiles in microseconds.
type benchLatency struct {
	Count int   `json:"count"`
	P50   int64 `json:"p50Micros"`
	P90   int64 `json:"p90Micros"`
	P99   int64 `json:"p99Micros"`
	P999  int64 `json:"p999Micros"`
	Max   int64 `json:"maxMicros"`
}

func latencyOf(d []time.Duration) benchLatency {
	slices.Sort(d)
	at := func(perMille int) int64 {
		if len(d) == 0 {
			return 0
		}
		return d[min(len(d)-1, len(d)*perMille/1000)].Microseconds()
	}
	return benchLatency{Count: len(d), P50: at(500), P90: at(900), P99: at(990), P999: at(999), Max: at(1000)}
}

func (l benchLatency) String() string {
	us := func(v int64) time.Duration { return (time.Duration(v) * time.Microsecond).Round(10 * time.Microsecond) }
	return fmt.Sprintf("p50 %s, p90 %s, p99 %s, p99.9 %s, max %s (%d)", us(l.P50), us(l.P90), us(l.P99), us(l.P999), us(l.Max), l.Count)
}

// benchInvariants is the final check: every 202 settled exactly once,
// nothing refused settled, balances conserved, every message acknowledged.
type benchInvariants struct {
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
}

func (iv *benchInvariants) check(ok bool, format string, args ...any) {
	if !ok {
		iv.Problems = append(iv.Problems, fmt.Sprintf(format, args...))
	}
}

// benchUsage is the process's CPU time and allocations so far.
type benchUsage struct {
	cpu            time.Duration
	allocs, allocd uint64
}

func benchUsageNow() benchUsage {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru) // Cannot fail for RUSAGE_SELF.
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return benchUsage{cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), allocs: ms.Mallocs, allocd: ms.TotalAlloc}
}

// benchMeasure runs the banks' inbox readers, the progress line and the
// submitters, waits for the last pacs.002s, and reports.
func benchMeasure(ctx context.Context, o benchOptions, progress io.Writer) (benchReport, error) {
	tr := newBenchTracker(min(o.payments, 1<<16))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, b := range []*demoBank{&demoIndia, &demoRussia} {
		wg.Add(1)
		go func() { defer wg.Done(); benchRead(ctx, b, tr, stop) }()
	}
	u0, start := benchUsageNow(), time.Now()
	wg.Add(1)
	go func() { defer wg.Done(); benchProgress(progress, tr, start, stop) }()
	sent := benchSend(ctx, o, tr)
	benchDrainInboxes(ctx, tr)
	u1 := benchUsageNow()
	close(stop)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return benchReport{}, err
	}
	return tr.result(start, sent, u0, u1), nil
}

// benchDrainInboxes waits, at most benchDrain, until every acknowledged
// payment's pacs.002 has reached the sender.
func benchDrainInboxes(ctx context.Context, tr *benchTracker) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(benchDrain)
	for tr.awaiting() > 0 && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (tr *benchTracker) result(start time.Time, sent time.Duration, u0, u1 benchUsage) benchReport {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	r := benchReport{Submitted: tr.submitted.Load(), Acknowledged: tr.acked.Load(), Settled: tr.settled.Load(),
		Answered: tr.answered, Refused: tr.refusals, InboxErrors: tr.readProblems, SendSeconds: sent.Seconds(),
		SubmitLatency: latencyOf(tr.submitLat), ReportLatency: latencyOf(tr.reportLat),
		Delivered: tr.delivered.Load(), AcknowledgedMsgs: tr.acknowledged.Load(), LoadAverage: benchLoadAverage()}
	if !tr.lastReport.IsZero() {
		r.SettleSeconds = tr.lastReport.Sub(start).Seconds()
	}
	if r.SendSeconds > 0 {
		r.AcknowledgedPerSecond = float64(r.Acknowledged) / r.SendSeconds
	}
	if r.SettleSeconds > 0 {
		r.SettledPerSecond = float64(r.Settled) / r.SettleSeconds
	}
	if n := float64(r.Acknowledged); n > 0 {
		r.CPUMicrosPerPayment = float64((u1.cpu - u0.cpu).Microseconds()) / n
		r.AllocsPerPayment = float64(u1.allocs-u0.allocs) / n
		r.BytesPerPayment = float64(u1.allocd-u0.allocd) / n
	}
	r.Invariants = tr.invariants()
	return r
}

// invariants checks, per payment, that every 202 got exactly one ACSC
// pacs.002 and that no refused payment got one. The caller holds tr.mu.
func (tr *benchTracker) invariants() benchInvariants {
	var missing, doubled, refusedSettled int
	for _, p := range tr.payments {
		switch {
		case p.acked && p.settled == 0:
			missing++
		case p.acked && p.reports > 1:
			doubled++
		case !p.acked && p.settled > 0:
			refusedSettled++
		}
	}
	var iv benchInvariants
	iv.check(missing == 0, "%d acknowledged payments have no ACSC pacs.002 in the sender's inbox", missing)
	iv.check(doubled == 0, "%d acknowledged payments have more than one pacs.002", doubled)
	iv.check(refusedSettled == 0, "%d refused payments settled", refusedSettled)
	iv.check(tr.stray == 0, "%d pacs.002s name payments the bench never sent", tr.stray)
	return iv
}

func benchLoadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "" // Not Linux: the report goes without it.
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}

// benchCheck adds the hub-side invariants to r: balances per currency
// conserved and moved by exactly the settled payments, and no inbox holding
// an unacknowledged message.
func benchCheck(ctx context.Context, r *benchReport, before []demoBalance) error {
	after, err := demoBalances(ctx)
	if err != nil {
		return err
	}
	const paymentMinor = 100_000 // INR 1000.00, what every bench payment pays.
	moved := map[string]int64{}
	for i, b := range after {
		moved[b.currency] += b.minor - before[i].minor
		switch b.bank {
		case demoIndia.BIC:
			r.Invariants.check(b.currency != "INR" || before[i].minor-b.minor == r.Settled*paymentMinor,
				"%s paid %d INR minor units; %d settled payments pay %d", b.bank, before[i].minor-b.minor, r.Settled, r.Settled*paymentMinor)
		case demoRussia.BIC:
			r.Invariants.check(b.currency != "INR" || b.minor-before[i].minor == r.Settled*paymentMinor,
				"%s received %d INR minor units; %d settled payments pay %d", b.bank, b.minor-before[i].minor, r.Settled, r.Settled*paymentMinor)
		}
	}
	for cur, d := range moved {
		r.Invariants.check(d == 0, "%s is not conserved: the banks' balances moved by %d minor units", cur, d)
	}
	for _, b := range []*demoBank{&demoIndia, &demoRussia} {
		left, err := b.client.Inbox(ctx, 0, 0)
		if err != nil {
			return fmt.Errorf("read %s inbox: %w", b.BIC, err)
		}
		r.Invariants.check(len(left) == 0, "%s has %d delivered messages it did not acknowledge", b.BIC, len(left))
	}
	r.Invariants.check(r.Delivered == r.AcknowledgedMsgs, "%d messages delivered, %d acknowledged", r.Delivered, r.AcknowledgedMsgs)
	r.Invariants.OK = len(r.Invariants.Problems) == 0
	return nil
}

// write prints r as text or JSON.
func (r benchReport) write(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	r.writeHeader(w)
	fmt.Fprintf(w, "submitted %d, acknowledged (202) %d, refused %d, settled %d\n", r.Submitted, r.Acknowledged, r.Submitted-r.Acknowledged, r.Settled)
	for _, st := range slices.Sorted(maps.Keys(r.Answered)) {
		fmt.Fprintf(w, "  202 %s: %d\n", st, r.Answered[st])
	}
	for _, why := range slices.Sorted(maps.Keys(r.Refused)) {
		fmt.Fprintf(w, "  refused %s: %d\n", why, r.Refused[why])
	}
	for _, why := range slices.Sorted(maps.Keys(r.InboxErrors)) {
		fmt.Fprintf(w, "  inbox error %s: %d\n", why, r.InboxErrors[why])
	}
	fmt.Fprintf(w, "acknowledged %.0f payments/s over %.2fs, settled %.0f payments/s over %.2fs\n",
		r.AcknowledgedPerSecond, r.SendSeconds, r.SettledPerSecond, r.SettleSeconds)
	fmt.Fprintf(w, "submit→202:     %s\nsubmit→pacs.002: %s\n", r.SubmitLatency, r.ReportLatency)
	fmt.Fprintf(w, "per payment: %.0f µs CPU (hub and banks, one process), %.0f allocations, %.0f bytes allocated\n",
		r.CPUMicrosPerPayment, r.AllocsPerPayment, r.BytesPerPayment)
	fmt.Fprintf(w, "messages delivered %d, acknowledged %d; load average %s\n", r.Delivered, r.AcknowledgedMsgs, r.LoadAverage)
	if r.Invariants.OK {
		fmt.Fprintln(w, "invariants hold: every 202 settled exactly once, INR conserved, every delivered message acknowledged")
		return nil
	}
	for _, p := range r.Invariants.Problems {
		fmt.Fprintln(w, "INVARIANT BROKEN: "+p)
	}
	return nil
}

// writeHeader prints what the bench was asked to do.
func (r benchReport) writeHeader(w io.Writer) {
	o := r.Options
	upTo := ""
	if o.Duration != "" {
		upTo = "up to "
	}
	fmt.Fprintf(w, "%s%d payments, %d submitters, screening %v (%d list entries)", upTo, o.Payments, o.Concurrency, o.Screening, r.ListEntries)
	if o.Rate > 0 {
		fmt.Fprintf(w, ", open loop at %d/s", o.Rate)
	}
	if o.Duration != "" {
		fmt.Fprintf(w, ", for %s", o.Duration)
	}
	fmt.Fprintln(w)
}
