package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/corridor-network/corridor/internal/crashpoint"
)

// Bounds of the child hub's life.
const (
	benchHubStart   = 60 * time.Second // From exec to "listening on", the journal's replay included.
	benchRecoverMax = 60 * time.Second // From a kill to the first 202 after it.
	benchPointWait  = 10 * time.Second // How long an armed crash point may take to be hit before a SIGKILL.
)

// benchChild is a `corridor hub` the bench runs as a child process on a
// data directory it set up, always on the same address, so that the banks'
// clients reach it again after a restart.
type benchChild struct {
	bin, data, addr string
	env             []string // Added to the hub's environment at every start.
	url             string
	cmd             *exec.Cmd
	exited          chan struct{} // Closed once the process is gone and waited for.
}

// startBenchChild starts the hub on data at addr (127.0.0.1:0 picks a port,
// which later starts keep), with env added to its environment, and waits
// until it listens.
func startBenchChild(ctx context.Context, bin, data, addr string, env []string) (*benchChild, error) {
	bin, err := benchHubBinary(bin)
	if err != nil {
		return nil, err
	}
	c := &benchChild{bin: bin, data: data, addr: addr, env: env}
	return c, c.start(ctx, "")
}

// benchSnapshotEvery is the snapshot interval, in journal entries, of a
// hub killed at the snapshot's crash points, unless CORRIDOR_SNAPSHOT_EVERY
// says otherwise: short enough that an armed hub saves a snapshot within
// benchPointWait of its start at the rates a kill run reaches.
const benchSnapshotEvery = 500

// benchChildEnv is what a bench adds to its child hub's environment: with
// crash points at which only a snapshot's save stops, a snapshot every
// benchSnapshotEvery entries unless the environment sets the interval.
func benchChildEnv(points []string) []string {
	if _, set := os.LookupEnv("CORRIDOR_SNAPSHOT_EVERY"); set || !slices.ContainsFunc(points, crashpoint.PerSnapshot) {
		return nil
	}
	return []string{fmt.Sprintf("CORRIDOR_SNAPSHOT_EVERY=%d", benchSnapshotEvery)}
}

func (c *benchChild) URL() string     { return c.url }
func (c *benchChild) DataDir() string { return c.data }

// logPath is the child hub's log, which every start appends to.
func (c *benchChild) logPath() string { return filepath.Join(c.data, "bench-hub.log") }

// benchLogTail is how much of the child's log a failed bench shows.
const benchLogTail = 8 << 10

// logTail is the last n bytes of the child's log, from a line's start.
func (c *benchChild) logTail(n int64) string {
	f, err := os.Open(c.logPath())
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	off := max(info.Size()-n, 0)
	b, err := io.ReadAll(io.NewSectionReader(f, off, info.Size()-off))
	if err != nil {
		return err.Error()
	}
	if i := bytes.IndexByte(b, '\n'); off > 0 && i >= 0 {
		b = b[i+1:]
	}
	return string(b)
}

func (c *benchChild) start(ctx context.Context, point string) error {
	cmd := exec.Command(c.bin, "hub", "--data", c.data, "--addr", c.addr, "--ops-addr", "127.0.0.1:0",
		"--resolve-every", "0", "--cycle-every", "0", "--rate-limit", fmt.Sprint(maxRateLimit), "--rate-burst", fmt.Sprint(maxRateLimit))
	cmd.Env = slices.DeleteFunc(os.Environ(), func(v string) bool { return strings.HasPrefix(v, crashpoint.Env+"=") })
	cmd.Env = append(cmd.Env, c.env...)
	if point != "" {
		cmd.Env = append(cmd.Env, crashpoint.Env+"="+point)
	}
	logFile, err := os.OpenFile(c.logPath(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("child hub log: %w", err)
	}
	defer logFile.Close() // The child holds its own descriptor.
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the child hub: %w", err)
	}
	c.cmd, c.exited = cmd, make(chan struct{})
	lines := make(chan string, 1)
	go func() { // Ends with the process: its stdout closes.
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n') // A short line says the hub did not start; the log says why.
		lines <- line
		_, _ = io.Copy(io.Discard, r)
	}()
	go func() { _ = cmd.Wait(); close(c.exited) }() // Killed or stopped: the exit status says nothing more.
	return c.listening(ctx, lines)
}

// listening waits for the child's "listening on URL" line.
func (c *benchChild) listening(ctx context.Context, lines <-chan string) error {
	t := time.NewTimer(benchHubStart)
	defer t.Stop()
	select {
	case line := <-lines:
		if !strings.Contains(line, "listening on") {
			<-c.exited
			return fmt.Errorf("the child hub did not start (%q; see %s)", strings.TrimSpace(line), c.logPath())
		}
		c.url = strings.TrimSpace(line[strings.LastIndex(line, " "):])
		u, err := url.Parse(c.url)
		if err != nil {
			return fmt.Errorf("the child hub's address %q: %w", c.url, err)
		}
		c.addr = u.Host
		return nil
	case <-t.C:
	case <-ctx.Done():
	}
	c.kill()
	return fmt.Errorf("the child hub did not listen within %s", benchHubStart)
}

// kill sends SIGKILL and waits until the process is gone.
func (c *benchChild) kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL) // Already gone is as good.
	<-c.exited
}

// stop ends the child as an operator does, with SIGTERM, so it checkpoints.
func (c *benchChild) stop() error {
	select {
	case <-c.exited:
		return nil
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop the child hub: %w", err)
	}
	select {
	case <-c.exited:
		return nil
	case <-time.After(benchHubStart):
		c.kill()
		return errors.New("the child hub did not stop on SIGTERM; killed")
	}
}

// benchKill is how one kill is made: a SIGKILL from the bench after delay,
// or the hub killing itself at a crash point.
type benchKill struct {
	point  string // NAME:N, or "" for a SIGKILL from the bench.
	delay  time.Duration
	missed bool // The hub armed at point did not reach it within benchPointWait: the bench killed it.
}

// armAt is the kill at crash point name on a hit drawn from 10 to 9+most,
// or at its first hit for a point hit once a snapshot
// (crashpoint.PerSnapshot).
func armAt(name string, most int) benchKill {
	if crashpoint.PerSnapshot(name) {
		return benchKill{point: name + ":1"}
	}
	return benchKill{point: fmt.Sprintf("%s:%d", name, 10+rand.IntN(most))}
}

// benchKiller kills the child hub under load, restarts it, measures the
// recovery and has the invariants checked after every restart.
type benchKiller struct {
	child  *benchChild
	plan   func(i int) benchKill // The i-th kill (from 0).
	max    int                   // Zero: until the submitters are done.
	probes sync.WaitGroup        // The recovery probes still waiting for their answer.

	mu          sync.Mutex // guards the fields below
	kills       int
	atPoints    map[string]int  // Kills by crash point name; "" is SIGKILL from the bench.
	missed      map[string]int  // Hubs armed at a crash point that did not reach it, by its name.
	recoveries  []time.Duration // Kill → the first 202 after the restart.
	unrecovered int             // Kills the hub did not recover from within benchRecoverMax.
	crashedSoon int             // Restarts whose crash point killed the hub before its first 202.
	checks      int             // Checks after a restart that ran to the end.
	interrupted int             // Checks a crash point cut short; the next check covers what they did not.
	problems    []string
	err         error // Why the killer stopped early: the hub would not restart.
}

// benchKillPlan is the plan of `corridor bench --kill-every`: every kill a
// SIGKILL after every ± jitter, or, with crash points, every other kill at
// the next point on its N-th hit, N drawn from 10 to 60 (armAt).
func benchKillPlan(every, jitter time.Duration, points []string) func(int) benchKill {
	return func(i int) benchKill {
		d := every
		if jitter > 0 {
			d += time.Duration(rand.Int64N(int64(2*jitter))) - jitter
		}
		if len(points) == 0 || i%2 == 0 {
			return benchKill{delay: d}
		}
		return armAt(points[(i/2)%len(points)], 51)
	}
}

func (k *benchKiller) count() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.kills
}

// run kills and restarts the hub until done is closed or k.max kills are
// made. The hub it leaves running is up, armed at no crash point, and
// checked.
func (k *benchKiller) run(ctx context.Context, e *benchEnv, tr *benchTracker, done <-chan struct{}) {
	defer k.probes.Wait()
	next := k.plan(0)
	for i := 0; k.max == 0 || i < k.max; i++ {
		kl, last := next, k.max > 0 && i+1 == k.max
		killed, hit := k.await(kl, done)
		if !killed {
			if kl.point == "" {
				return
			}
			kl, last = benchKill{}, true // The hub is armed: kill it and restart it unarmed.
			k.child.kill()
		}
		kl.missed = kl.point != "" && !hit
		if next = k.plan(i + 1); last {
			next = benchKill{}
		}
		if !k.restart(ctx, e, tr, kl, next) || last {
			return
		}
	}
}

// failure is why the killer could not start the hub again, or nil; nil
// for no killer.
func (k *benchKiller) failure() error {
	if k == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.err
}

// restart starts the hub again after the kill kl, armed for the kill next,
// waits for its recovery and checks.
func (k *benchKiller) restart(ctx context.Context, e *benchEnv, tr *benchTracker, kl, next benchKill) bool {
	killedAt := time.Now()
	if err := k.child.start(ctx, next.point); err != nil {
		k.mu.Lock()
		k.err = err
		k.mu.Unlock()
		return false
	}
	name, _, _ := strings.Cut(kl.point, ":")
	k.mu.Lock()
	k.kills++
	if kl.missed {
		k.missed[name]++
		name = "" // Killed by the bench.
	}
	k.atPoints[name]++
	k.mu.Unlock()
	if k.recover(ctx, e, tr, killedAt) {
		k.check(ctx, e, tr)
	}
	return true
}

// await makes the kill kl: it waits kl.delay and sends SIGKILL, or waits for
// the armed hub to kill itself (SIGKILL after benchPointWait). It reports
// whether the hub was killed, false with the hub still up when done closes
// first, and whether it ended by itself before the bench's SIGKILL.
func (k *benchKiller) await(kl benchKill, done <-chan struct{}) (killed, byItself bool) {
	wait := kl.delay
	if kl.point != "" {
		wait = benchPointWait
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-done:
		return false, false
	case <-k.child.exited:
		return true, true
	case <-t.C:
		k.child.kill()
		return true, false
	}
}

// recover waits for the first 202 after the restart; the killer's own probe
// payment makes sure one is sent even when the submitters are done. It
// reports false when the hub died again first, at its crash point.
func (k *benchKiller) recover(ctx context.Context, e *benchEnv, tr *benchTracker, killedAt time.Time) bool {
	restarted := time.Now().UnixNano()
	k.probes.Add(1)
	go func() { defer k.probes.Done(); e.submitOne(ctx, tr, kindGross, time.Time{}) }()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(benchRecoverMax)
	defer deadline.Stop()
	for tr.lastAck.Load() < restarted {
		select {
		case <-tick.C:
			continue
		case <-k.child.exited:
			k.mu.Lock()
			k.crashedSoon++
			k.mu.Unlock()
			return false
		case <-deadline.C:
		case <-ctx.Done():
		}
		k.mu.Lock()
		k.unrecovered++
		k.mu.Unlock()
		return false
	}
	k.mu.Lock()
	k.recoveries = append(k.recoveries, time.Unix(0, tr.lastAck.Load()).Sub(killedAt))
	k.mu.Unlock()
	return true
}

// check pauses the submitters and, once none is in flight, checks the
// invariants through the API. A hub armed at a crash point may die before or
// during the check; then the check is cut short, and the next one covers
// what it did not reach.
func (k *benchKiller) check(ctx context.Context, e *benchEnv, tr *benchTracker) {
	e.gate.pause()
	defer e.gate.open()
	err := e.gate.idle(k.child.exited)
	var problems []string
	if err == nil {
		problems, err = e.audit(ctx, tr, false)
	}
	died := false
	if err != nil { // A hub killed at its crash point drops connections a moment before it is gone.
		select {
		case <-k.child.exited:
			died = true
		case <-time.After(time.Second):
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	switch {
	case died:
		k.interrupted++
	case err != nil:
		k.problems = append(k.problems, fmt.Sprintf("check after kill %d: %v", k.kills, err))
	default:
		k.checks++
		for _, p := range problems {
			k.problems = append(k.problems, fmt.Sprintf("after kill %d: %s", k.kills, p))
		}
	}
}

// benchGate pauses the submitters while the invariants are checked: each
// submission passes it on the way in and leaves it once answered.
type benchGate struct {
	mu       sync.Mutex // guards paused and resume
	paused   bool
	resume   chan struct{} // Closed when the pause ends.
	inflight atomic.Int64
}

func (g *benchGate) enter() {
	for {
		g.mu.Lock()
		if !g.paused {
			g.inflight.Add(1)
			g.mu.Unlock()
			return
		}
		ch := g.resume
		g.mu.Unlock()
		<-ch
	}
}

func (g *benchGate) leave() { g.inflight.Add(-1) }

func (g *benchGate) pause() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.paused, g.resume = true, make(chan struct{})
}

func (g *benchGate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.paused = false
	close(g.resume)
}

// idle waits until no submission is in flight, at most benchRetryFor; it
// fails when gone closes first.
func (g *benchGate) idle(gone <-chan struct{}) error {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(benchRetryFor + 10*time.Second)
	defer deadline.Stop()
	for g.inflight.Load() > 0 {
		select {
		case <-tick.C:
		case <-gone:
			return errors.New("the hub died with submissions in flight")
		case <-deadline.C:
			return fmt.Errorf("%d submissions still in flight after %s", g.inflight.Load(), benchRetryFor)
		}
	}
	return nil
}
