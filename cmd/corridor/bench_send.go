package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// benchPayment is what the bench knows of one submission (a duplicate has
// none of its own: it is counted in its kind's figures).
type benchPayment struct {
	kind     benchKind
	uetr     corridor.UETR
	from     *demoBank
	effects  []benchEffect
	start    time.Time // When it was (or, open loop, was due to be) submitted.
	acked    bool      // The hub answered 202.
	refusal  string    // Why not, when it was not.
	definite bool      // The refusal is a 4xx: the hub did not take it.
	answered string    // The payment's status in the 202.
	reports  int       // pacs.002s in the sender's inbox (redeliveries marked possible duplicates not counted).
	settled  int       // Of them, ACSC.
	reported corridor.PaymentStatus

	// What the hub said at the last check: set by the checks only.
	legs   int
	status string
	wait   string
	reason string
}

// terminal reports whether the last check found p settled or rejected, so
// that later checks need not ask again.
func (p *benchPayment) terminal() bool {
	return p.legs == 1 && (p.status == string(corridor.StatusSettled) || p.status == string(corridor.StatusRejected))
}

// benchKindCounts are the live counters of one kind.
type benchKindCounts struct {
	sent, acked, refused, duplicates, firstAgain atomic.Int64
}

// benchTracker follows every submission from its submit to its pacs.002.
type benchTracker struct {
	mu           sync.Mutex               // guards the fields up to lastReport
	payments     map[msgKey]*benchPayment // Until they are finished (bench_done.go).
	done         benchDoneList            // Finished payments, in the order they finished.
	doneAt       map[benchDoneKey]int     // Their index in done.
	banks        []*demoBank              // A record's from indexes them.
	refusals     [numKinds]map[string]int // By "status reason"; bounded by the few statuses and reasons the hub has.
	answered     [numKinds]map[string]int // 202s by the payment's status in them (ACSC, PDNG and its wait, RJCT and its reason).
	submitLat    []time.Duration
	reportLat    [numKinds][]time.Duration
	stray        int            // pacs.002s of payments the bench never sent.
	readProblems map[string]int // Failed inbox reads and acknowledgements, by error.
	lastReport   time.Time

	kinds                              [numKinds]benchKindCounts
	submitted, acked, refused, settled atomic.Int64
	answers                            atomic.Int64 // Submissions answered, 202 or not.
	delivered, acknowledged            atomic.Int64 // Inbox messages of both banks.
	expecting, reportedAcked           atomic.Int64 // Acknowledged payments (not duplicates), and of them those with a pacs.002.
	retries                            atomic.Int64 // Submissions sent again after a connection error or a 503.
	lastAck                            atomic.Int64 // Unix nanoseconds of the latest 202.
}

func newBenchTracker(n int, banks []*demoBank) *benchTracker {
	tr := &benchTracker{payments: make(map[msgKey]*benchPayment, n), doneAt: map[benchDoneKey]int{}, banks: banks,
		readProblems: map[string]int{}, submitLat: make([]time.Duration, 0, n)}
	for k := range numKinds {
		tr.refusals[k], tr.answered[k] = map[string]int{}, map[string]int{}
	}
	return tr
}

func (tr *benchTracker) begin(op benchOp, start time.Time) {
	tr.submitted.Add(1)
	tr.kinds[op.kind].sent.Add(1)
	if op.kind == kindDup {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.payments[op.key] = &benchPayment{kind: op.kind, uetr: op.uetr, from: op.from, effects: op.effects, start: start}
}

// answer records the hub's answer to a submission.
func (tr *benchTracker) answer(op benchOp, resp httpapi.SubmitResponse, err error, now time.Time) {
	tr.answers.Add(1)
	why := benchRefusal(err)
	kc := &tr.kinds[op.kind]
	if why != "" {
		tr.refused.Add(1)
		kc.refused.Add(1)
	} else {
		tr.acked.Add(1)
		kc.acked.Add(1)
		tr.lastAck.Store(now.UnixNano())
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if why != "" {
		tr.refusals[op.kind][why]++
		if p := tr.payments[op.key]; p != nil && op.kind != kindDup {
			p.refusal, p.definite = why, benchDefinite(err)
		}
		return
	}
	tr.answered[op.kind][strings.TrimSpace(resp.Status+" "+resp.Wait+" "+resp.Reason)]++
	if op.kind == kindDup {
		if resp.Duplicate {
			kc.duplicates.Add(1)
		} else {
			kc.firstAgain.Add(1) // The original was lost: the check reports it.
		}
		return
	}
	if resp.Duplicate {
		kc.duplicates.Add(1) // A retry whose first try the hub had journaled.
	}
	p := tr.payments[op.key]
	p.acked, p.answered = true, resp.Status
	tr.expecting.Add(1)
	if p.reports > 0 { // The pacs.002 came before the 202.
		tr.reportedAcked.Add(1)
	}
	tr.submitLat = append(tr.submitLat, now.Sub(p.start))
	tr.retireIfDone(op.key, p)
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

// benchDefinite reports whether err says for certain that the hub did not
// take the message: a 4xx. A 503 may be outcome-unknown, and no answer is no
// answer.
func benchDefinite(err error) bool {
	var apiErr *httpapi.APIError
	return errors.As(err, &apiErr) && apiErr.Status >= 400 && apiErr.Status < 500
}

// benchRetryable reports whether a client sends the same bytes again: the
// connection failed, or the hub answered 503 (busy, recovering, or the
// outcome unknown).
func benchRetryable(err error) bool {
	var apiErr *httpapi.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Status == http.StatusServiceUnavailable
	}
	return err != nil
}

// benchRetryFor bounds how long a client retries one request.
const benchRetryFor = 60 * time.Second

// retrying runs do, and with e.retry runs it again after a retryable error
// until it succeeds, fails otherwise, ctx ends or benchRetryFor passes.
func (e *benchEnv) retrying(ctx context.Context, do func() error) error {
	deadline := time.Now().Add(benchRetryFor)
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		err := do()
		if !e.retry || !benchRetryable(err) || ctx.Err() != nil || time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
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
func (tr *benchTracker) report(key msgKey, status corridor.PaymentStatus, possibleDup bool, now time.Time) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	p, ok := tr.payments[key]
	if !ok {
		d, retired := tr.retired(key)
		if !retired {
			tr.stray++
			return
		}
		if possibleDup {
			return // Delivered again after a crash, and marked so: a bank drops it.
		}
		p = tr.bringBack(d) // A second pacs.002: the checks must see it.
	}
	if possibleDup && p.reports > 0 {
		return // Delivered again after a crash, and marked so: a bank drops it.
	}
	p.reports++
	p.reported = status
	if p.reports == 1 && p.acked {
		tr.reportedAcked.Add(1)
	}
	tr.lastReport = now
	if status == corridor.StatusSettled {
		p.settled++
		tr.settled.Add(1)
		tr.reportLat[p.kind] = append(tr.reportLat[p.kind], now.Sub(p.start))
	}
	tr.retireIfDone(key, p)
}

// awaiting counts the acknowledged payments whose pacs.002 has not arrived.
func (tr *benchTracker) awaiting() int64 { return tr.expecting.Load() - tr.reportedAcked.Load() }

// benchSend submits payments until o.payments are sent or o.duration has
// passed: closed loop from o.concurrency submitters, or open loop at o.rate
// with at most o.concurrency in flight. It returns the time it took.
func benchSend(ctx context.Context, e *benchEnv, o benchOptions, tr *benchTracker) time.Duration {
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
			return time.Time{}, ctx.Err() == nil && !e.stopSending.Load() && sent.Add(1) <= int64(o.payments) && (deadline.IsZero() || time.Now().Before(deadline))
		}
	} else {
		due := make(chan time.Time, o.concurrency)
		wg.Add(1)
		go func() { defer wg.Done(); benchSchedule(ctx, o, start, deadline, due) }()
		next = func() (time.Time, bool) { t, ok := <-due; return t, ok }
	}
	for range o.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if o.batch > 1 {
				benchBatchSubmitter(ctx, e, o, tr, next)
			} else {
				benchSubmitter(ctx, e, o.mix, tr, next)
			}
		}()
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

// benchSubmitter submits a payment of a kind drawn from mix each time next
// says so. A payment starts at its due time (open loop) or once its message
// is encoded (closed loop).
func benchSubmitter(ctx context.Context, e *benchEnv, mix benchMix, tr *benchTracker, next func() (time.Time, bool)) {
	for start, ok := next(); ok; start, ok = next() {
		kind := mix.pick(rand.IntN(mix.total()))
		e.submitOne(ctx, tr, kind, start)
	}
}

// submitOne builds and submits one payment of kind, retrying (with kills)
// the same bytes until the hub answers. A check waits for it to finish.
func (e *benchEnv) submitOne(ctx context.Context, tr *benchTracker, kind benchKind, start time.Time) {
	e.gate.enter()
	defer e.gate.leave()
	op, err := e.newOp(ctx, kind, rand.IntN(maxBenchPool))
	if start.IsZero() {
		start = time.Now()
	}
	if err != nil {
		op.kind = kind
		tr.begin(op, start)
		tr.answer(op, httpapi.SubmitResponse{}, fmt.Errorf("encode: %w", err), time.Now())
		return
	}
	tr.begin(op, start)
	var resp httpapi.SubmitResponse
	tries := 0
	err = e.retrying(ctx, func() error {
		if tries++; tries > 1 {
			tr.retries.Add(1)
		}
		resp, err = op.from.client.Submit(ctx, op.msg)
		return err
	})
	tr.answer(op, resp, err, time.Now())
	if err == nil && op.kind != kindDup {
		e.pools.acked(op, resp.Status == string(corridor.StatusSettled))
	}
}

// benchProgress writes a line to w every second until stop is closed.
func benchProgress(w io.Writer, tr *benchTracker, kills *benchKiller, start time.Time, stop <-chan struct{}) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var last int64
	for {
		select {
		case <-stop:
			return
		case now := <-tick.C:
			acked := tr.acked.Load()
			line := fmt.Sprintf("bench %4.0fs: acknowledged %d, settled %d, in flight %d, %d/s now",
				now.Sub(start).Seconds(), acked, tr.settled.Load(), tr.submitted.Load()-tr.answers.Load(), acked-last)
			if kills != nil {
				line += fmt.Sprintf(", kills %d", kills.count())
			}
			fmt.Fprintln(w, line)
			last = acked
		}
	}
}
