package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/corridor-network/corridor/internal/crashpoint"
	"github.com/corridor-network/corridor/internal/pgtest"
)

// tortureKills is how many times TestCrashTorture kills the hub: the short
// form by default; go test ./cmd/corridor -run TestCrashTorture
// -torture.kills=200 -timeout 30m is the long one.
var tortureKills = flag.Int("torture.kills", 30, "kills of TestCrashTorture")

// TestMain removes the corridor binary the crash tests share, and stops
// the PostgreSQL cluster the failover tests started, if any.
func TestMain(m *testing.M) {
	flag.Parse()
	code := pgtest.Run(m)
	if binDir != "" {
		_ = os.RemoveAll(binDir) // A temporary directory; nothing to report.
	}
	os.Exit(code)
}

var (
	binOnce sync.Once
	binDir  string // Holds the corridor binary, once built.
	binPath string
	binErr  error
)

// mustBuild compiles the corridor binary once per test run.
func mustBuild(tb testing.TB) string {
	tb.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "corridor-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "corridor")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		tb.Fatal(binErr)
	}
	return binPath
}

// TestCrashTorture runs the bench's machinery against the real binary: the
// hub as a child process on its own data directory, signed payments of
// every kind over mutual TLS from concurrent banks that retry the same
// bytes, and the hub killed again and again: every other kill a SIGKILL at a
// random moment, the others at each crash point in turn (the hub kills
// itself on the point's N-th hit, N random). After every restart the
// invariants are checked through the API (every 202 there exactly once, no
// duplicate taken twice, balances explained and conserved), and at the end
// with the pacs.002s and the inboxes; recovery must take under 10 s. The
// hub snapshots every 200 entries, so that its restarts start from
// snapshots and the snapshot's crash points are reached within seconds, and
// lets go of final payments after 20 s, so that the archive is written
// under the kills too and the snapshots stay small.
func TestCrashTorture(t *testing.T) {
	kills := *tortureKills
	if kills < 2*len(crashpoint.Names) {
		t.Fatalf("-torture.kills=%d: at least %d, so that every crash point is hit", kills, 2*len(crashpoint.Names))
	}
	t.Setenv("CORRIDOR_SNAPSHOT_EVERY", "200") // The child hub's settings.
	t.Setenv("CORRIDOR_RETENTION", "20s")
	o := benchOptions{payments: maxBenchPayments, concurrency: 8, screen: true, json: true, hubBinary: mustBuild(t),
		killEvery: time.Second, maxKills: kills, killPlan: torturePlan}
	o.mix, _ = parseMix(defaultMix) // A constant that parses.
	var out, progress bytes.Buffer
	start := time.Now()
	err := benchMain(context.Background(), o, &out, &progress)
	if err != nil {
		t.Fatalf("torture: %v\n%s", err, out.String())
	}
	r := mustBenchReport(t, out.Bytes())
	k := r.Kills
	t.Logf("%d kills (%v; armed, not reached: %v) in %s: %d payments acknowledged, %d retried; kill→first 202 p50 %s max %s; %d checks complete, %d cut short; load average %s",
		k.Kills, k.ByPoint, k.Missed, time.Since(start).Round(time.Millisecond), r.Acknowledged, r.Retries, benchMicros(k.Recovery.P50),
		benchMicros(k.Recovery.Max), k.Checks, k.Interrupted, r.LoadAverage)
	if k.Kills != kills || k.Unrecovered != 0 {
		t.Errorf("%d kills, %d unrecovered; want %d, 0", k.Kills, k.Unrecovered, kills)
	}
	for _, p := range crashpoint.Names {
		if k.ByPoint[p] == 0 {
			t.Errorf("no kill at crash point %s: %v; not reached: %v", p, k.ByPoint, k.Missed)
		}
	}
	if max := time.Duration(k.Recovery.Max) * time.Microsecond; max >= 10*time.Second || k.Recovery.Count == 0 {
		t.Errorf("recovery max %s over %d recoveries; want under 10s", max, k.Recovery.Count)
	}
	if k.Checks < kills/2 {
		t.Errorf("%d checks after %d restarts ran to the end; want at least half", k.Checks, kills)
	}
	if r.Retries == 0 || !r.Invariants.OK {
		t.Errorf("%d retries, invariants %+v; want retries (the kills cut requests short) and no problem", r.Retries, r.Invariants)
	}
}

// torturePlan is TestCrashTorture's kills: a SIGKILL after 150 to 450 ms,
// then the next crash point on its 10th to 40th hit, in turn.
func torturePlan(i int) benchKill {
	if i%2 == 0 {
		return benchKill{delay: 150*time.Millisecond + rand.N(300*time.Millisecond)}
	}
	return armAt(crashpoint.Names[(i/2)%len(crashpoint.Names)], 31)
}
