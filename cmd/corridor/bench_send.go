package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// benchPayment is what the bench knows of one submission.
type benchPayment struct {
	start   time.Time // When it was (or, open loop, was due to be) submitted.
	acked   bool      // The hub answered 202.
	reports int       // pacs.002s in the sender's inbox.
	settled int       // Of them, ACSC.
}

// benchTracker follows every submission from its submit to its pacs.002.
type benchTracker struct {
	mu           sync.Mutex // guards the fields up to lastReport
	payments     map[corridor.UETR]*benchPayment
	refusals     map[string]int // By "status reason"; bounded by the few statuses and reasons the hub has.
	answered     map[string]int // 202s by the payment's status in them (ACSC, PDNG and its wait, RJCT and its reason).
	submitLat    []time.Duration
	reportLat    []time.Duration
	stray        int            // pacs.002s of payments the bench never sent.
	readProblems map[string]int // Failed inbox reads and acknowledgements, by error.
	lastReport   time.Time

	submitted, acked, refused, settled atomic.Int64
	delivered, acknowledged            atomic.Int64 // Inbox messages of both banks.
	reportedAcked                      atomic.Int64 // Acknowledged payments with a pacs.002.
}

func newBenchTracker(n int) *benchTracker {
	return &benchTracker{payments: make(map[corridor.UETR]*benchPayment, n), refusals: map[string]int{}, answered: map[string]int{}, readProblems: map[string]int{},
		submitLat: make([]time.Duration, 0, n), reportLat: make([]time.Duration, 0, n)}
}

func (tr *benchTracker) begin(uetr corridor.UETR, start time.Time) {
	tr.submitted.Add(1)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.payments[uetr] = &benchPayment{start: start}
}

// answer records the hub's answer to a submission.
func (tr *benchTracker) answer(uetr corridor.UETR, resp httpapi.SubmitResponse, err error, now time.Time) {
	why := benchRefusal(err)
	if why != "" {
		tr.refused.Add(1)
	} else {
		tr.acked.Add(1)
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	p := tr.payments[uetr]
	if why != "" {
		tr.refusals[why]++
		return
	}
	p.acked = true
	tr.answered[strings.TrimSpace(resp.Status+" "+resp.Wait+" "+resp.Reason)]++
	if p.reports > 0 { // The pacs.002 came before the 202.
		tr.reportedAcked.Add(1)
	}
	tr.submitLat = append(tr.submitLat, now.Sub(p.start))
}

// benchRefusal says why a submission was not acknowledged, or "" when the
// hub answered 202. A 202 with a status other than ACSC is acknowledged (it
// waits or was rejected after journaling) and shows up as not settled.
func benchRefusal(err error) string {
	var apiErr *httpapi.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.Body.Reason != "":
		return fmt.Sprintf("%d %s", apiErr.Status, apiErr.Body.Reason)
	case errors.As(err, &apiErr):
		return fmt.Sprintf("%d %s", apiErr.Status, benchShort(apiErr.Body.Error))
	case err != nil:
		return "no answer: " + benchShort(err.Error())
	}
	return "" // A 202, whatever the payment's status in it: answer counts that.
}

// benchShort cuts a message to a length fit for a table key.
func benchShort(s string) string {
	const maxRunes = 60
	if r := []rune(s); len(r) > maxRunes {
		return string(r[:maxRunes]) + "…"
	}
	return s
}

// report records a pacs.002 that reached the sender's inbox.
func (tr *benchTracker) report(uetr corridor.UETR, status corridor.PaymentStatus, now time.Time) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	p, ok := tr.payments[uetr]
	if !ok {
		tr.stray++
		return
	}
	p.reports++
	if p.reports == 1 && p.acked {
		tr.reportedAcked.Add(1)
	}
	tr.lastReport = now
	if status == corridor.StatusSettled {
		p.settled++
		tr.settled.Add(1)
		tr.reportLat = append(tr.reportLat, now.Sub(p.start))
	}
}

// awaiting counts the acknowledged payments whose pacs.002 has not arrived.
func (tr *benchTracker) awaiting() int64 { return tr.acked.Load() - tr.reportedAcked.Load() }

// benchSend submits payments until o.payments are sent or o.duration has
// passed: closed loop from o.concurrency submitters, or open loop at o.rate
// with at most o.concurrency in flight. It returns the time it took.
func benchSend(ctx context.Context, o benchOptions, tr *benchTracker) time.Duration {
	start := time.Now()
	var deadline time.Time
	if o.duration > 0 {
		deadline = start.Add(o.duration)
	}
	var next func() (time.Time, bool)
	var wg sync.WaitGroup
	if o.rate == 0 {
		var sent atomic.Int64
		next = func() (time.Time, bool) { // No due time: the payment starts once encoded.
			return time.Time{}, ctx.Err() == nil && sent.Add(1) <= int64(o.payments) && (deadline.IsZero() || time.Now().Before(deadline))
		}
	} else {
		due := make(chan time.Time, o.concurrency)
		wg.Add(1)
		go func() { defer wg.Done(); benchSchedule(ctx, o, start, deadline, due) }()
		next = func() (time.Time, bool) { t, ok := <-due; return t, ok }
	}
	for range o.concurrency {
		wg.Add(1)
		go func() { defer wg.Done(); benchSubmitter(ctx, tr, next) }()
	}
	wg.Wait()
	return time.Since(start)
}

// benchSchedule sends the open loop's due times, o.rate a second, and
// closes due at the end. A due time stays the payment's start even when the
// submitters are behind, so their queueing counts in the latency.
func benchSchedule(ctx context.Context, o benchOptions, start, deadline time.Time, due chan<- time.Time) {
	defer close(due)
	interval := time.Second / time.Duration(o.rate)
	for i := range o.payments {
		t := start.Add(time.Duration(i) * interval)
		if !deadline.IsZero() && !t.Before(deadline) {
			return
		}
		timer := time.NewTimer(time.Until(t))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		select {
		case due <- t:
		case <-ctx.Done():
			return
		}
	}
}

// benchSubmitter submits a payment of the Indian bank to the Russian bank
// each time next says so. A payment starts at its due time (open loop) or
// once its message is encoded (closed loop).
func benchSubmitter(ctx context.Context, tr *benchTracker, next func() (time.Time, bool)) {
	for start, ok := next(); ok; start, ok = next() {
		msg, uetr, err := demoPacs008(&demoIndia, &demoRussia, time.Now(), "1000.00", "INR")
		if start.IsZero() {
			start = time.Now()
		}
		if err != nil {
			tr.begin(uetr, start)
			tr.answer(uetr, httpapi.SubmitResponse{}, fmt.Errorf("encode: %w", err), time.Now())
			continue
		}
		tr.begin(uetr, start)
		resp, err := demoIndia.client.Submit(ctx, msg)
		tr.answer(uetr, resp, err, time.Now())
	}
}

// benchProgress writes a line to w every second until stop is closed.
func benchProgress(w io.Writer, tr *benchTracker, start time.Time, stop <-chan struct{}) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var last int64
	for {
		select {
		case <-stop:
			return
		case now := <-tick.C:
			acked := tr.acked.Load()
			fmt.Fprintf(w, "bench %4.0fs: submitted %d, acknowledged %d (%d/s), refused %d, settled %d, messages delivered %d, acknowledged %d\n",
				now.Sub(start).Seconds(), tr.submitted.Load(), acked, acked-last, tr.refused.Load(), tr.settled.Load(),
				tr.delivered.Load(), tr.acknowledged.Load())
			last = acked
		}
	}
}
