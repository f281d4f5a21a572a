package main

import (
	"cmp"
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

	"github.com/corridor-network/corridor"
)

// benchReport is the bench's final report, printed as text or, with --json, as JSON.
type benchReport struct {
	Options      benchOptionsReport `json:"options"`
	ListEntries  int                `json:"listEntries"` // Sanctions entries every payment is screened against.
	Submitted    int64              `json:"submitted"`
	Acknowledged int64              `json:"acknowledged"` // Answered 202 (duplicates included).
	Settled      int64              `json:"settled"`      // Acknowledged, with an ACSC pacs.002 in the sender's inbox.
	Retries      int64              `json:"retries"`      // Submissions sent again, same bytes, after a connection error or a 503.
	Kinds        []benchKindReport  `json:"kinds"`
	InboxErrors  map[string]int     `json:"inboxErrors"`       // Failed inbox reads and acknowledgements.
	Released     int64              `json:"releasedByFunding"` // Minor units the operator funded at the end for what still queued.

	SendSeconds           float64 `json:"sendSeconds"`   // From the first submission to the last answer.
	SettleSeconds         float64 `json:"settleSeconds"` // From the first submission to the last pacs.002.
	AcknowledgedPerSecond float64 `json:"acknowledgedPerSecond"`
	SettledPerSecond      float64 `json:"settledPerSecond"`

	SubmitLatency benchLatency `json:"submitTo202"`
	ReportLatency benchLatency `json:"submitToPacs002"` // Gross payments.

	CPUMicrosPerPayment float64 `json:"cpuMicrosPerPayment"` // User and system CPU of the bench's process per acknowledged payment (the hub's too when in process).
	AllocsPerPayment    float64 `json:"allocsPerPayment"`
	BytesPerPayment     float64 `json:"allocatedBytesPerPayment"`

	Delivered        int64  `json:"messagesDelivered"` // Inbox messages of the three banks.
	AcknowledgedMsgs int64  `json:"messagesAcknowledged"`
	LoadAverage      string `json:"loadAverage,omitempty"` // /proc/loadavg at the end, where there is one.

	Kills      *benchKillReport   `json:"kills,omitempty"`
	HubMemory  *benchMemoryReport `json:"hubMemory,omitempty"` // With --child and no kills.
	Invariants benchInvariants    `json:"invariants"`
}

// benchKindReport is the figures of one kind of payment.
type benchKindReport struct {
	Kind         string         `json:"kind"`
	Sent         int64          `json:"sent"`
	Acknowledged int64          `json:"acknowledged"`
	Duplicates   int64          `json:"answeredDuplicate"` // 202s that said duplicate: all of kind dup, and retries of others whose first try was taken.
	Settled      int64          `json:"settled"`           // With an ACSC pacs.002 (not dup: a duplicate gets none).
	Answered     map[string]int `json:"acknowledgedByStatus"`
	Final        map[string]int `json:"finalByStatus"` // The tracker's status at the final check.
	Refused      map[string]int `json:"refused"`       // Not acknowledged, by "HTTP status reason".
	Report       benchLatency   `json:"submitToPacs002"`
}

// benchKillReport is what --kill-every did.
type benchKillReport struct {
	Kills        int            `json:"kills"`
	ByPoint      map[string]int `json:"byCrashPoint"`                // "sigkill" for the bench's own.
	Missed       map[string]int `json:"crashPointsNotHit,omitempty"` // Armed hubs that did not reach their point within benchPointWait, and got a SIGKILL.
	Recovery     benchLatency   `json:"killToFirst202"`
	Unrecovered  int            `json:"unrecovered"`
	CrashedEarly int            `json:"crashedBeforeFirst202"` // An armed hub that hit its crash point before its first 202.
	Checks       int            `json:"checks"`                // Checks after a restart that ran to the end.
	Interrupted  int            `json:"checksInterrupted"`     // Checks an armed hub's crash cut short.
	Problems     []string       `json:"problems"`
}

type benchOptionsReport struct {
	Payments    int    `json:"payments"`
	Mix         string `json:"mix"`
	KillEvery   string `json:"killEvery,omitempty"`
	KillJitter  string `json:"killJitter,omitempty"`
	Duration    string `json:"duration,omitempty"`
	Rate        int    `json:"rate,omitempty"`
	Concurrency int    `json:"concurrency"`
	Batch       int    `json:"batch,omitempty"` // Messages per request, when more than 1.
	Screening   bool   `json:"screening"`
}

func (o benchOptions) report() benchOptionsReport {
	r := benchOptionsReport{Payments: o.payments, Mix: o.mix.String(), Rate: o.rate, Concurrency: o.concurrency, Screening: o.screen}
	if o.batch > 1 {
		r.Batch = o.batch
	}
	if o.killEvery > 0 {
		r.KillEvery, r.KillJitter = o.killEvery.String(), o.killJitter.String()
	}
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

// benchInvariants is the final check (benchEnv.audit) and the checks after
// every restart.
type benchInvariants struct {
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
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

// benchMeasure runs the banks' inbox readers, the progress line, the
// submitters and, with kills, the killer; releases what still queues, waits
// for the last pacs.002s, checks the invariants and reports.
func benchMeasure(ctx context.Context, e *benchEnv, o benchOptions) (benchReport, error) {
	tr := newBenchTracker(min(o.payments, 1<<16), e.banks())
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, b := range e.banks() {
		wg.Add(1)
		go func() { defer wg.Done(); benchRead(ctx, b, tr, stop) }()
	}
	killer := e.killer(o)
	var mem *benchMemory
	if child, ok := e.hub.(*benchChild); ok && killer == nil {
		mem = startBenchMemory(child.cmd.Process.Pid)
	}
	u0, start := benchUsageNow(), time.Now()
	wg.Add(1)
	go func() { defer wg.Done(); benchProgress(o.progress, tr, killer, start, stop) }()
	sent := e.sendAndKill(ctx, o, tr, killer)
	if err := killer.failure(); err != nil { // The hub is down: nothing after this could reach it.
		close(stop)
		wg.Wait()
		return benchReport{}, fmt.Errorf("the hub did not restart: %w", err)
	}
	if err := writeHeapProfile(o.memProfile); err != nil {
		return benchReport{}, err
	}
	released, err := e.release(ctx)
	if err == nil {
		benchDrainInboxes(ctx, tr)
	}
	u1 := benchUsageNow()
	close(stop)
	wg.Wait()
	if err != nil {
		return benchReport{}, err
	}
	if err := ctx.Err(); err != nil {
		return benchReport{}, err
	}
	problems, err := e.audit(ctx, tr, true)
	if err != nil {
		return benchReport{}, fmt.Errorf("final check: %w", err)
	}
	var tenths []int64
	if mem != nil {
		tenths = tr.tenths() // Before result sorts the latencies.
	}
	r := tr.result(start, sent, u0, u1)
	r.Released = released
	if mem != nil {
		r.HubMemory = mem.report()
		r.HubMemory.setTenths(tenths)
	}
	r.Invariants.Problems = problems
	if killer != nil {
		r.Kills = killer.report()
		r.Invariants.Problems = append(r.Invariants.Problems, r.Kills.Problems...)
	}
	r.Invariants.OK = len(r.Invariants.Problems) == 0
	return r, nil
}

// killer is the bench's killer of its child hub, or nil without kills.
func (e *benchEnv) killer(o benchOptions) *benchKiller {
	child, ok := e.hub.(*benchChild)
	if !ok || o.killEvery == 0 {
		return nil
	}
	plan := o.killPlan
	if plan == nil {
		plan = benchKillPlan(o.killEvery, o.killJitter, o.crashPoints)
	}
	return &benchKiller{child: child, plan: plan, max: o.maxKills, atPoints: map[string]int{}, missed: map[string]int{}}
}

// sendAndKill sends the payments while killer (if any) kills the hub, and
// returns once both are done: the sending ends the kills, and the last of a
// bounded number of kills ends the sending.
func (e *benchEnv) sendAndKill(ctx context.Context, o benchOptions, tr *benchTracker, killer *benchKiller) time.Duration {
	if killer == nil {
		return benchSend(ctx, e, o, tr)
	}
	done := make(chan struct{})
	killed := make(chan struct{})
	go func() {
		defer close(killed)
		killer.run(ctx, e, tr, done)
		e.stopSending.Store(true)
	}()
	sent := benchSend(ctx, e, o, tr)
	close(done)
	<-killed
	return sent
}

// release has the operator fund, for every bank and currency, what its
// queued payments still need: liquidity arrives, the queue empties. It
// returns the minor units funded.
func (e *benchEnv) release(ctx context.Context) (int64, error) {
	q, err := e.op.Queue(ctx)
	if err != nil {
		return 0, fmt.Errorf("queue: %w", err)
	}
	need := map[benchAccount]int64{}
	for _, p := range q {
		c, err := corridor.ParseCurrency(p.Currency)
		if err != nil {
			return 0, err
		}
		a, err := corridor.ParseAmount(p.Amount, c)
		if err != nil {
			return 0, fmt.Errorf("queued %s amount %q: %w", p.Reference, p.Amount, err)
		}
		if p.Wait == "" || p.Wait == "queue" {
			need[benchAccount{corridor.BIC(p.Debtor), c}] += int64(a)
		}
	}
	var total int64
	for _, a := range slices.SortedFunc(maps.Keys(need), func(x, y benchAccount) int {
		return cmp.Compare(string(x.bic)+string(x.ccy), string(y.bic)+string(y.ccy))
	}) {
		if err := e.fund(ctx, a, need[a]); err != nil {
			return 0, err
		}
		total += need[a]
	}
	return total, nil
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
	r := benchReport{Submitted: tr.submitted.Load(), Acknowledged: tr.acked.Load(), Settled: tr.settled.Load(), Retries: tr.retries.Load(),
		InboxErrors: tr.readProblems, SendSeconds: sent.Seconds(),
		SubmitLatency: latencyOf(tr.submitLat), ReportLatency: latencyOf(tr.reportLat[kindGross]),
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
	r.Kinds = tr.kindReports()
	return r
}

// kindReports are the figures by kind. The caller holds tr.mu.
func (tr *benchTracker) kindReports() []benchKindReport {
	final := [numKinds]map[string]int{}
	settled := [numKinds]int64{}
	for k := range numKinds {
		final[k] = map[string]int{}
	}
	tr.eachPayment(func(_ msgKey, p *benchPayment) {
		st := strings.TrimSpace(p.status + " " + p.wait + " " + p.reason)
		if p.legs == 0 {
			st = "unknown to the hub"
		}
		final[p.kind][st]++
		if p.settled > 0 {
			settled[p.kind]++
		}
	})
	var out []benchKindReport
	for k := range numKinds {
		kc := &tr.kinds[k]
		if kc.sent.Load() == 0 {
			continue
		}
		out = append(out, benchKindReport{Kind: benchKind(k).String(), Sent: kc.sent.Load(), Acknowledged: kc.acked.Load(),
			Duplicates: kc.duplicates.Load(), Settled: settled[k], Answered: tr.answered[k], Final: final[k],
			Refused: tr.refusals[k], Report: latencyOf(tr.reportLat[k])})
	}
	return out
}

// report is what the killer did.
func (k *benchKiller) report() *benchKillReport {
	k.mu.Lock()
	defer k.mu.Unlock()
	by := map[string]int{}
	for p, n := range k.atPoints {
		if p == "" {
			p = "sigkill"
		}
		by[p] = n
	}
	return &benchKillReport{Kills: k.kills, ByPoint: by, Missed: maps.Clone(k.missed), Recovery: latencyOf(k.recoveries), Unrecovered: k.unrecovered,
		CrashedEarly: k.crashedSoon, Checks: k.checks, Interrupted: k.interrupted, Problems: k.problems}
}

func benchLoadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "" // Not Linux: the report goes without it.
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}

// write prints r as text or JSON.
func (r benchReport) write(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	r.writeHeader(w)
	fmt.Fprintf(w, "submitted %d, acknowledged (202) %d, refused %d, settled %d, retried %d\n", r.Submitted, r.Acknowledged,
		r.Submitted-r.Acknowledged, r.Settled, r.Retries)
	for _, k := range r.Kinds {
		k.write(w)
	}
	for _, why := range slices.Sorted(maps.Keys(r.InboxErrors)) {
		fmt.Fprintf(w, "  inbox error %s: %d\n", why, r.InboxErrors[why])
	}
	if r.Released > 0 {
		fmt.Fprintf(w, "the operator funded INR %s at the end for what still queued; the queue released it\n", corridor.Amount(r.Released).Format("INR"))
	}
	fmt.Fprintf(w, "acknowledged %.0f payments/s over %.2fs, settled %.0f payments/s over %.2fs\n",
		r.AcknowledgedPerSecond, r.SendSeconds, r.SettledPerSecond, r.SettleSeconds)
	fmt.Fprintf(w, "submit→202:     %s\nsubmit→pacs.002: %s (gross)\n", r.SubmitLatency, r.ReportLatency)
	fmt.Fprintf(w, "per payment: %.0f µs CPU (%s), %.0f allocations, %.0f bytes allocated\n",
		r.CPUMicrosPerPayment, map[bool]string{true: "the banks' process; the hub is a child", false: "hub and banks, one process"}[r.Kills != nil || r.HubMemory != nil],
		r.AllocsPerPayment, r.BytesPerPayment)
	fmt.Fprintf(w, "messages delivered %d, acknowledged %d; load average %s\n", r.Delivered, r.AcknowledgedMsgs, r.LoadAverage)
	if r.Kills != nil {
		r.Kills.write(w)
	}
	if r.HubMemory != nil {
		r.HubMemory.write(w)
	}
	if r.Invariants.OK {
		fmt.Fprintln(w, "invariants hold: every 202 is in the hub exactly once, settled or waiting with a reason; no duplicate paid twice; "+
			"balances per bank and currency explained by the settled payments, each currency conserved; every pacs.002 and message delivered once and acknowledged")
		return nil
	}
	for _, p := range r.Invariants.Problems {
		fmt.Fprintln(w, "INVARIANT BROKEN: "+p)
	}
	return nil
}

func (k benchKindReport) write(w io.Writer) {
	fmt.Fprintf(w, "  %-6s sent %d, acknowledged %d (%d as duplicates), settled %d", k.Kind, k.Sent, k.Acknowledged, k.Duplicates, k.Settled)
	if k.Report.Count > 0 {
		fmt.Fprintf(w, ", submit→pacs.002 p50 %s p99 %s", benchMicros(k.Report.P50), benchMicros(k.Report.P99))
	}
	fmt.Fprintln(w)
	for _, st := range slices.Sorted(maps.Keys(k.Answered)) {
		fmt.Fprintf(w, "         202 %s: %d\n", st, k.Answered[st])
	}
	for _, st := range slices.Sorted(maps.Keys(k.Final)) {
		fmt.Fprintf(w, "         now %s: %d\n", st, k.Final[st])
	}
	for _, why := range slices.Sorted(maps.Keys(k.Refused)) {
		fmt.Fprintf(w, "         refused %s: %d\n", why, k.Refused[why])
	}
}

func (k benchKillReport) write(w io.Writer) {
	fmt.Fprintf(w, "kills %d (", k.Kills)
	for i, p := range slices.Sorted(maps.Keys(k.ByPoint)) {
		if i > 0 {
			fmt.Fprint(w, ", ")
		}
		fmt.Fprintf(w, "%s %d", p, k.ByPoint[p])
	}
	fmt.Fprint(w, ")")
	for i, p := range slices.Sorted(maps.Keys(k.Missed)) {
		if i == 0 {
			fmt.Fprintf(w, "; crash points not reached within %s (SIGKILL instead): ", benchPointWait)
		} else {
			fmt.Fprint(w, ", ")
		}
		fmt.Fprintf(w, "%s %d", p, k.Missed[p])
	}
	fmt.Fprintf(w, "; kill→first 202 p50 %s, max %s; unrecovered %d; armed hubs that crashed before their first 202 %d; checks after restarts %d complete, %d cut short by the next crash\n",
		benchMicros(k.Recovery.P50), benchMicros(k.Recovery.Max), k.Unrecovered, k.CrashedEarly, k.Checks, k.Interrupted)
}

func benchMicros(v int64) time.Duration {
	return (time.Duration(v) * time.Microsecond).Round(10 * time.Microsecond)
}

// writeHeader prints what the bench was asked to do.
func (r benchReport) writeHeader(w io.Writer) {
	o := r.Options
	upTo := ""
	if o.Duration != "" {
		upTo = "up to "
	}
	fmt.Fprintf(w, "%s%d payments (mix %s), %d submitters, screening %v (%d list entries)", upTo, o.Payments, o.Mix, o.Concurrency, o.Screening, r.ListEntries)
	if o.Batch > 1 {
		fmt.Fprintf(w, ", %d messages per request (POST /v1/messages/batch)", o.Batch)
	}
	if o.Rate > 0 {
		fmt.Fprintf(w, ", open loop at %d/s", o.Rate)
	}
	if o.Duration != "" {
		fmt.Fprintf(w, ", for %s", o.Duration)
	}
	if o.KillEvery != "" {
		fmt.Fprintf(w, ", hub killed every %s ± %s", o.KillEvery, o.KillJitter)
	}
	fmt.Fprintln(w)
}
