package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/internal/crashpoint"
	"github.com/corridor-network/corridor/postgres"
)

// Bounds of `corridor bench`.
const (
	maxBenchPayments    = 1_000_000
	maxBenchConcurrency = 1024
	maxBenchRate        = 1_000_000 // Payments per second of the open loop.
	maxBenchDuration    = 24 * time.Hour
	benchDrain          = 30 * time.Second // How long the banks may wait for the last pacs.002s.
	minKillEvery        = 100 * time.Millisecond
)

// benchOptions are the flags of `corridor bench`.
type benchOptions struct {
	payments    int           // At most this many submissions.
	duration    time.Duration // Zero: until payments are sent.
	rate        int           // Submissions per second (open loop); zero: closed loop.
	concurrency int
	batch       int // Messages per request: 1 is POST /v1/messages, more POST /v1/messages/batch.
	screen      bool
	json        bool
	quiet       bool
	mix         benchMix
	killEvery   time.Duration // Zero: the hub is never killed (and runs in process unless child).
	child       bool          // The hub runs as a child process, as with killEvery, and its memory is read.
	killJitter  time.Duration
	crashPoints []string              // With killEvery: every other kill is at the next of these points.
	hubBinary   string                // The corridor binary the child hub runs; "" is this one. Tests set it.
	maxKills    int                   // Zero: no bound. Tests set it.
	killPlan    func(i int) benchKill // Nil: benchKillPlan of the flags. Tests set it.
	progress    io.Writer             // Where the progress line goes.
	stores      []string              // The journal stores to run on, one after another: "sqlite" or a postgres:// URL.
	baseline    string                // "postgres-rowlock": also run the classic SQL ledger, on baselineURL.
	baselineURL string
	cpuProfile  string        // A file for the CPU profile of the whole run (hub and banks, in process); "" for none.
	memProfile  string        // A file for the heap profile when the sending ends (hub and banks, in process); "" for none.
	retention   time.Duration // The in-process hub's retention (a child hub takes CORRIDOR_RETENTION).
}

// runBench is `corridor bench`: a hub on the embedded store in a temporary
// directory, three banks (one an FX provider), and a mix of payments sent
// through the real API (mutual TLS, signatures, parsing, screening against
// the UN and OFAC samples, the journal's fsync) by concurrent clients, while
// two banks read and acknowledge their inboxes. It reports only what the hub
// acknowledged (202), every refusal by status and reason, figures by kind,
// latencies, CPU and allocations per payment, and checks through the API
// that what was acknowledged is there exactly once and the money adds up.
// With --kill-every the hub is a child process, killed with SIGKILL under
// load and restarted, and the check runs after every restart too.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := benchFlags(args, stdout, stderr)
	if err != nil {
		return err
	}
	if o.cpuProfile == "" {
		return benchMain(ctx, o, stdout, stderr)
	}
	f, err := os.Create(o.cpuProfile)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return errors.Join(fmt.Errorf("bench: %w", err), f.Close())
	}
	err = benchMain(ctx, o, stdout, stderr)
	pprof.StopCPUProfile()
	return errors.Join(err, f.Close())
}

// benchMain runs the bench that o describes, on each of its stores in turn,
// and compares them when there are several.
func benchMain(ctx context.Context, o benchOptions, stdout, stderr io.Writer) error {
	if len(o.stores) <= 1 {
		store := "" // The data directory's SQLite file.
		if len(o.stores) == 1 {
			store = o.stores[0]
		}
		r, err := benchOn(ctx, o, store, stdout, stderr)
		if err != nil || o.baseline == "" {
			return err
		}
		return benchBaseline(ctx, o, r, stdout)
	}
	var throughput []float64 // Acknowledged payments per second, per store: a measurement, not money.
	for _, store := range o.stores {
		fmt.Fprintf(stdout, "== journal on %s\n", benchStoreName(store))
		r, err := benchOn(ctx, o, store, stdout, stderr)
		if err != nil {
			return err
		}
		throughput = append(throughput, r.AcknowledgedPerSecond)
	}
	fmt.Fprintln(stdout, "== stores compared, acknowledged payments/s:")
	for i, store := range o.stores {
		fmt.Fprintf(stdout, "  %-60s %8.0f  (%.2f× the first)\n", benchStoreName(store), throughput[i], throughput[i]/throughput[0])
	}
	return nil
}

// maxBenchStores bounds --store: each is a whole run.
const maxBenchStores = 4

// benchStoreName names a --store for the report: "" is SQLite.
func benchStoreName(store string) string {
	if store == "" {
		return "sqlite"
	}
	return Config{Store: store}.storeName()
}

// benchOn runs the bench with the journal on store ("" for SQLite).
func benchOn(ctx context.Context, o benchOptions, store string, stdout, stderr io.Writer) (*benchReport, error) {
	dir, cleanup, err := demoDataDir("")
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if o.killEvery > 0 || o.child {
		addr, err := benchAddr()
		if err != nil {
			return nil, err
		}
		child, err := startBenchChild(ctx, o.hubBinary, dir, addr, benchChildEnv(o.crashPoints))
		if err != nil {
			return nil, err
		}
		r, err := benchRun(ctx, child, o, stdout, stderr)
		if err != nil {
			err = fmt.Errorf("%w\nthe child hub's log (%s) ends:\n%s", err, child.logPath(), child.logTail(benchLogTail))
		}
		return r, errors.Join(err, child.stop())
	}
	m := NewMain()
	m.Config.DataDir, m.Config.Addr, m.Config.Store = dir, "127.0.0.1:0", store
	m.Config.RateLimit, m.Config.RateBurst = maxRateLimit, maxRateLimit // The bench measures the hub, not a bank's allowance.
	m.Config.ResolveEvery, m.Config.CycleEvery = 0, 0                   // Nothing but the bench's payments moves money.
	m.Config.Retention = o.retention
	m.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	if err := m.Run(ctx); err != nil {
		return nil, errors.Join(err, m.Close())
	}
	r, err := benchRun(ctx, inProcessHub{m}, o, stdout, stderr)
	return r, errors.Join(err, m.Close())
}

func benchFlags(args []string, stdout, stderr io.Writer) (benchOptions, error) {
	var o benchOptions
	var mix, points string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.payments, "payments", 5000, "payments to submit (with --duration: at most this many, default the limit)")
	fs.DurationVar(&o.duration, "duration", 0, "submit for this long instead of a count, such as 30s")
	fs.IntVar(&o.rate, "rate", 0, "open loop: submit this many payments a second whatever the answers take (0: closed loop)")
	fs.IntVar(&o.concurrency, "concurrency", 64, "concurrent submitters (closed loop) or most submissions in flight (open loop)")
	fs.IntVar(&o.batch, "batch", 1, fmt.Sprintf("messages per request: 1 sends each alone (POST /v1/messages), 2..%d that many in one batch under one signature (POST /v1/messages/batch)", httpapi.MaxBatchMessages))
	fs.StringVar(&mix, "mix", defaultMix, "weights of the payment kinds: gross, queued (waits for liquidity), fx (PvP through a quote), dup (the same bytes again), return (pacs.004)")
	fs.BoolVar(&o.screen, "screening", true, "load the UN and OFAC sample lists, so every payment is screened")
	fs.BoolVar(&o.json, "json", false, "write the final report as JSON instead of text (no progress line)")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress line on stderr")
	fs.BoolVar(&o.child, "child", false, "run the hub as a child process (its settings from CORRIDOR_* variables), never killed, and report its resident memory and the p99 of the first and last tenth of the run: a soak")
	fs.DurationVar(&o.killEvery, "kill-every", 0, "run the hub as a child process and SIGKILL it this often under load, restart it and check (0: in process, never killed)")
	fs.DurationVar(&o.killJitter, "kill-jitter", 0, "with --kill-every: each interval is --kill-every plus or minus a random share of this")
	fs.Func("store", "the journal's store, repeatable to compare: sqlite (the default) or a postgres:// URL of an empty database", func(v string) error {
		switch {
		case len(o.stores) == maxBenchStores:
			return fmt.Errorf("at most %d stores", maxBenchStores)
		case v == "sqlite":
			v = "" // Config.Store's name for the data directory's SQLite file.
		case !(Config{Store: v}).onPostgres():
			return fmt.Errorf("want sqlite or a postgres:// URL, not %q", v)
		}
		o.stores = append(o.stores, v)
		return nil
	})
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the run (hub and banks, in process) to this file, for go tool pprof")
	fs.DurationVar(&o.retention, "retention", DefaultRetention, "the in-process hub's retention of final payments in memory (a --child or --kill-every hub reads CORRIDOR_RETENTION)")
	fs.StringVar(&o.memProfile, "memprofile", "", "write a heap profile (hub and banks, in process) to this file when the sending ends, for go tool pprof")
	fs.StringVar(&o.baseline, "baseline", "", "also run a classic SQL ledger on the same accounts and compare: postgres-rowlock (needs --baseline-url)")
	fs.StringVar(&o.baselineURL, "baseline-url", "", "with --baseline postgres-rowlock: a postgres:// URL of a database the baseline may create its tables in")
	fs.StringVar(&points, "crash-points", "", "with --kill-every: every other kill is at the next of these crash points (comma-separated, or all: "+strings.Join(crashpoint.Names, ", ")+")")
	if err := parseFlags(fs, args, stdout); err != nil {
		return o, err
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "payments" })
	if o.duration > 0 && !given {
		o.payments = maxBenchPayments
	}
	if o.payments < 1 || o.payments > maxBenchPayments || o.concurrency < 1 || o.concurrency > maxBenchConcurrency ||
		o.rate < 0 || o.rate > maxBenchRate || o.duration < 0 || o.duration > maxBenchDuration || o.batch < 1 || o.batch > httpapi.MaxBatchMessages {
		return o, usageError{fmt.Errorf("bench: --payments 1..%d, --concurrency 1..%d, --rate 0..%d, --duration 0..%s, --batch 1..%d",
			maxBenchPayments, maxBenchConcurrency, maxBenchRate, maxBenchDuration, httpapi.MaxBatchMessages)}
	}
	var err error
	if o.mix, err = parseMix(mix); err != nil {
		return o, usageError{fmt.Errorf("bench: %w", err)}
	}
	if o.crashPoints, err = parseCrashPoints(points); err != nil {
		return o, usageError{fmt.Errorf("bench: %w", err)}
	}
	if err := o.checkKills(); err != nil {
		return o, usageError{fmt.Errorf("bench: %w", err)}
	}
	if o.baseline != "" && (o.baseline != "postgres-rowlock" || !(Config{Store: o.baselineURL}).onPostgres()) {
		return o, usageError{errors.New("bench: --baseline takes postgres-rowlock, with --baseline-url postgres://…")}
	}
	if o.killEvery > 0 && (len(o.stores) > 1 || len(o.stores) == 1 && o.stores[0] != "") {
		return o, usageError{errors.New("bench: --kill-every runs the hub on its own SQLite journal; --store postgres is for the in-process bench")}
	}
	return o, nil
}

// checkKills checks --kill-every, --kill-jitter and --crash-points together.
func (o benchOptions) checkKills() error {
	switch {
	case o.killEvery == 0 && (o.killJitter != 0 || len(o.crashPoints) > 0):
		return errors.New("--kill-jitter and --crash-points need --kill-every")
	case o.killEvery != 0 && (o.killEvery < minKillEvery || o.killEvery > maxBenchDuration):
		return fmt.Errorf("--kill-every must be %s to %s", minKillEvery, maxBenchDuration)
	case o.killJitter < 0 || o.killJitter >= o.killEvery && o.killEvery > 0:
		return errors.New("--kill-jitter must be at least 0 and below --kill-every")
	}
	return nil
}

func parseCrashPoints(s string) ([]string, error) {
	switch s {
	case "":
		return nil, nil
	case "all":
		return crashpoint.Names, nil
	}
	var out []string
	for _, name := range strings.Split(s, ",") {
		if _, _, err := crashpoint.Parse(name); err != nil {
			return nil, fmt.Errorf("--crash-points: %w", err)
		}
		out = append(out, name)
	}
	return out, nil
}

// benchHub is the hub the bench sends to: in process, or a child process.
type benchHub interface {
	URL() string
	DataDir() string
}

type inProcessHub struct{ m *Main }

func (h inProcessHub) URL() string     { return h.m.API.URL() }
func (h inProcessHub) DataDir() string { return h.m.Config.DataDir }

// benchEnv is what the bench's submitters, readers and checks share: the
// banks, the operator, the balances before, and, with kills, the gate that
// pauses submissions while the invariants are checked.
type benchEnv struct {
	hub                     benchHub
	op                      *httpapi.Client
	india, russia, provider *demoBank
	pools                   benchPools
	retry                   bool        // Retry connection errors and 503s with the same bytes (with kills).
	gate                    benchGate   // Paused while a check runs.
	stopSending             atomic.Bool // Set when the kills are over (with a bound on them): the submitters stop.
	before                  map[benchAccount]int64
	fundedMu                sync.Mutex             // guards funded
	funded                  map[benchAccount]int64 // Funded after before was read.
}

// benchAccount is one bank's settlement account in one currency.
type benchAccount struct {
	bic corridor.BIC
	ccy corridor.Currency
}

func benchRun(ctx context.Context, h benchHub, o benchOptions, out, progress io.Writer) (*benchReport, error) {
	op, err := (&operatorFlags{hub: h.URL(), data: h.DataDir()}).client()
	if err != nil {
		return nil, err
	}
	defer op.Close()
	india, russia, provider := demoIndia, demoRussia, demoProvider // The bench's own clients.
	e := &benchEnv{hub: h, op: op, india: &india, russia: &russia, provider: &provider, retry: o.killEvery > 0, funded: map[benchAccount]int64{}}
	entries, err := e.setUp(ctx, o.screen)
	if err != nil {
		return nil, err
	}
	defer e.close()
	if o.progress = progress; o.quiet || o.json {
		o.progress = io.Discard
	}
	r, err := benchMeasure(ctx, e, o)
	if err != nil {
		return nil, err
	}
	r.Options, r.ListEntries = o.report(), entries
	if err := r.write(out, o.json); err != nil {
		return nil, err
	}
	if !r.Invariants.OK {
		return nil, fmt.Errorf("bench: invariants broken: %v", r.Invariants.Problems)
	}
	return &r, nil
}

func (e *benchEnv) close() {
	for _, b := range e.banks() {
		if b.client != nil {
			b.client.Close()
		}
	}
}

func (e *benchEnv) banks() []*demoBank { return []*demoBank{e.india, e.russia, e.provider} }

// setUp registers and funds the banks, has the provider quote INR/RUB,
// loads the lists, and reads the balances before.
func (e *benchEnv) setUp(ctx context.Context, screen bool) (int, error) {
	for _, b := range e.banks() {
		if err := b.connect(ctx, e.op, e.hub.URL(), e.hub.DataDir(), io.Discard); err != nil {
			return 0, err
		}
	}
	funding := []httpapi.FundRequest{ // The Russian bank gets no rupees: its payments queue until gross payments pay it.
		{BIC: string(e.india.BIC), Currency: "INR", Amount: "9000000000000.00"},
		{BIC: string(e.provider.BIC), Currency: "RUB", Amount: "9000000000000.00"},
	}
	for _, f := range funding {
		if _, err := e.op.Fund(ctx, f); err != nil {
			return 0, fmt.Errorf("fund %s %s: %w", f.BIC, f.Currency, err)
		}
	}
	if err := e.op.PublishRate(ctx, httpapi.RateBody{Pair: "INR/RUB", Rate: demoFXRate}); err != nil {
		return 0, fmt.Errorf("publish rate: %w", err)
	}
	_, err := e.provider.client.PublishOffer(ctx, httpapi.OfferRequest{Pair: "INR/RUB", Bid: demoProviderBid, Ask: demoProviderAsk,
		Size: "9000000000000.00", LifeSeconds: int64(maxBenchDuration / time.Second)})
	if err != nil {
		return 0, fmt.Errorf("offer: %w", err)
	}
	entries := 0
	if screen {
		if entries, err = benchLoadLists(ctx, e.op); err != nil {
			return 0, err
		}
	}
	e.before, err = e.balances(ctx)
	return entries, err
}

// balances reads every bank's settlement accounts.
func (e *benchEnv) balances(ctx context.Context) (map[benchAccount]int64, error) {
	out := map[benchAccount]int64{}
	for _, b := range e.banks() {
		var bals []httpapi.BalanceBody
		err := e.retrying(ctx, func() error {
			var err error
			bals, err = b.client.Accounts(ctx)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("%s accounts: %w", b.BIC, err)
		}
		for _, bal := range bals {
			c, err := corridor.ParseCurrency(bal.Currency)
			if err != nil {
				return nil, err
			}
			minor, err := benchBalance(bal.Balance, c)
			if err != nil {
				return nil, fmt.Errorf("%s %s balance %q: %w", b.BIC, bal.Currency, bal.Balance, err)
			}
			out[benchAccount{b.BIC, c}] = minor
		}
	}
	return out, nil
}

// fund has the operator fund an account during the run, and remembers it
// for the balance check.
func (e *benchEnv) fund(ctx context.Context, a benchAccount, minor int64) error {
	req := httpapi.FundRequest{BIC: string(a.bic), Currency: string(a.ccy), Amount: corridor.Amount(minor).Format(a.ccy)}
	if _, err := e.op.Fund(ctx, req); err != nil { // Not retried: a funding lost in a crash would be counted twice.
		return fmt.Errorf("fund %s %s: %w", a.bic, a.ccy, err)
	}
	e.fundedMu.Lock()
	defer e.fundedMu.Unlock()
	e.funded[a] += minor
	return nil
}

// benchHubBinary is the binary a child hub runs: bin, or this program.
func benchHubBinary(bin string) (string, error) {
	if bin != "" {
		return bin, nil
	}
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the corridor binary for the child hub: %w", err)
	}
	return self, nil
}

// benchBalance reads a balance as the API writes it: zero, or an amount with
// a minus sign in front when it is below zero.
func benchBalance(s string, c corridor.Currency) (int64, error) {
	digits, negative := strings.CutPrefix(s, "-")
	if strings.Trim(digits, "0.") == "" {
		return 0, nil
	}
	a, err := corridor.ParseAmount(digits, c)
	if negative {
		return -int64(a), err
	}
	return int64(a), err
}

// benchBaseline runs the PostgreSQL row-locking ledger on the bench's
// accounts (4 banks × 2 currencies) with as many clients and transfers,
// and prints it beside Corridor's figure r.
func benchBaseline(ctx context.Context, o benchOptions, r *benchReport, stdout io.Writer) error {
	res, err := postgres.RunBaseline(ctx, o.baselineURL, postgres.BaselineOptions{Banks: 4, Currencies: 2, Clients: o.concurrency,
		Transfers: o.payments, Duration: o.duration})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "baseline postgres-rowlock: %d transfers committed (%d short) in %.2fs, %.0f transfers/s, %d clients, SELECT … FOR UPDATE on both accounts, one transaction each\n",
		res.Transfers, res.Refused, res.Elapsed.Seconds(), res.PerSecond(), o.concurrency)
	fmt.Fprintf(stdout, "corridor %.0f acknowledged payments/s end to end (signed, screened, journaled, delivered) = %.2f× the baseline\n",
		r.AcknowledgedPerSecond, r.AcknowledgedPerSecond/res.PerSecond())
	return nil
}
