package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/internal/pgtest"
	"github.com/corridor-network/corridor/postgres"
)

// failoverLeaseTTL is the nodes' lease in the failover tests: short, so
// that a takeover is quick, and long enough for a busy machine.
const failoverLeaseTTL = 2 * time.Second

// TestFailover runs three hub processes on one PostgreSQL journal under a
// load of signed payments from two banks and SIGKILLs the active one at
// random moments, restarting it each time (as a supervisor would, as a
// standby). Then every payment that got a 202 is settled exactly once, none
// twice, the rupees the banks hold are what was funded, and the journal
// verifies. It logs the time from each kill to the first payment the new
// active node accepted.
func TestFailover(t *testing.T) {
	ctx := context.Background()
	c := mustCluster(t, 3)
	banks := mustRegisterBanks(t, ctx, c.url(), c.nodes[0].data)
	for _, b := range banks {
		b.FailoverWait = 30 * time.Second
	}
	mustFundMore(t, ctx, c, failoverExtraFunding)
	payments := crashPayments(t, 4000)
	load := startLoad(t, banks[0], payments, 4)
	var recoveries []time.Duration
	for range 3 {
		time.Sleep(time.Duration(1000+rand.IntN(1500)) * time.Millisecond)
		leader := c.mustLeader(t)
		killed := time.Now()
		leader.kill(t, syscall.SIGKILL)
		recoveries = append(recoveries, load.firstAcceptedAfter(t, killed))
		leader.start(t) // Back as a standby.
	}
	load.stop()
	load.wait(t)
	slices.Sort(recoveries)
	t.Logf("kill to the first payment the new active hub accepted: %v (median %v)", recoveries, recoveries[len(recoveries)/2])
	checkSettledOnceOnCluster(t, ctx, c, load.tried(payments), failoverExtraFunding)
	var out bytes.Buffer
	if err := run(ctx, []string{"audit", "verify", "--store", c.store, "--data", c.nodes[0].data}, &out, &out); err != nil || !strings.Contains(out.String(), "intact") {
		t.Errorf("audit verify after the kills: %v\n%s", err, out.String())
	}
}

// TestPausedLeaderStepsDown pauses the active hub (SIGSTOP) past its lease,
// lets the other node take over, sends the paused one a payment directly and
// resumes it: it cannot append (the database fences it), answers no 202, and
// steps down; the payment, sent again to the cluster, settles once.
func TestPausedLeaderStepsDown(t *testing.T) {
	ctx := context.Background()
	c := mustCluster(t, 2)
	banks := mustRegisterBanks(t, ctx, c.url(), c.nodes[0].data)
	old := c.mustLeader(t)
	old.kill(t, syscall.SIGSTOP)
	paused := time.Now()
	var next *clusterNode
	waitFor(t, "another node to take the lease", func() bool {
		next = c.leaderNow(t)
		return next != nil && next != old
	})
	t.Logf("took over %v after the pause", time.Since(paused).Round(time.Millisecond))
	payments := crashPayments(t, 2)
	if resp, err := banks[0].Submit(ctx, payments[0].msg); err != nil || resp.Status != "ACSC" {
		t.Fatalf("a payment to the cluster while the old leader is paused: %+v, %v", resp, err)
	}
	direct := mustBankClient(t, old.apiURL(), c.nodes[0].data, demoIndia.BIC)
	direct.FailoverWait = time.Millisecond // Only the paused node: no following the leader.
	answer := make(chan error, 1)
	go func() {
		resp, err := direct.Submit(ctx, payments[1].msg)
		if err == nil && !resp.Duplicate {
			err = fmt.Errorf("the deposed node answered %d: %+v", 202, resp)
		} else {
			err = nil
		}
		answer <- err
	}()
	time.Sleep(200 * time.Millisecond) // The request waits in the paused node's socket.
	old.kill(t, syscall.SIGCONT)
	if err := <-answer; err != nil {
		t.Error(err)
	}
	if err := old.waitExit(10 * time.Second); err != nil {
		t.Fatalf("the deposed node did not step down: %v\n%s", err, old.log())
	}
	if log := old.log(); !strings.Contains(log, "steps down") && !strings.Contains(log, "not the lease holder") {
		t.Errorf("the deposed node's log does not say it stepped down:\n%s", log)
	}
	checkSettledOnceOnCluster(t, ctx, c, []sent{{p: payments[0].p, msg: payments[0].msg, answered: true}}, 0)
	if resp, err := banks[0].Submit(ctx, payments[1].msg); err != nil || resp.Status != "ACSC" {
		t.Fatalf("the payment the deposed node did not take, sent to the cluster: %+v, %v", resp, err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"audit", "verify", "--store", c.store, "--data", c.nodes[0].data}, &out, &out); err != nil {
		t.Errorf("audit verify: %v\n%s", err, out.String())
	}
}

// failoverExtraFunding is what TestFailover funds India with beyond
// mustRegisterBanks, in paise, so that its payments never wait for liquidity.
const failoverExtraFunding = 2_000_000_00

// mustFundMore funds India with paise more rupees.
func mustFundMore(t *testing.T, ctx context.Context, c *cluster, paise int64) {
	t.Helper()
	op, err := (&operatorFlags{hub: c.url(), data: c.nodes[0].data}).client()
	if err != nil {
		t.Fatal(err)
	}
	defer op.Close()
	amount := corridor.Amount(paise).Format("INR")
	if _, err := op.Fund(ctx, httpapi.FundRequest{BIC: string(demoIndia.BIC), Currency: "INR", Amount: amount}); err != nil {
		t.Fatal(err)
	}
}

// checkSettledOnceOnCluster checks through the cluster that every payment
// answered 202 settled exactly once (one leg, ACSC) and that the banks hold
// the rupees that were funded (mustRegisterBanks' and extra paise more).
func checkSettledOnceOnCluster(t *testing.T, ctx context.Context, c *cluster, payments []sent, extra int64) {
	t.Helper()
	in := mustBankClient(t, c.url(), c.nodes[0].data, demoIndia.BIC)
	ru := mustBankClient(t, c.url(), c.nodes[0].data, demoRussia.BIC)
	var settled corridor.Amount
	answered := 0
	for _, s := range payments {
		tr, err := in.Track(ctx, s.p.UETR)
		for errors.Is(err, corridor.ErrBusy) { // Over the rate limit: the checks are many.
			time.Sleep(20 * time.Millisecond)
			tr, err = in.Track(ctx, s.p.UETR)
		}
		switch {
		case errors.Is(err, corridor.ErrNotFound) && s.answered:
			t.Errorf("payment %s got a 202 but the cluster lost it", s.p.MsgID)
		case errors.Is(err, corridor.ErrNotFound):
		case err != nil:
			t.Fatalf("track %s: %v", s.p.MsgID, err)
		case len(tr.Legs) != 1 || tr.Legs[0].Status != "ACSC" || countEvents(tr.Legs[0], "settled") != 1:
			t.Errorf("payment %s: %d legs, %+v; want one, settled once", s.p.MsgID, len(tr.Legs), tr.Legs)
		default:
			settled += s.p.Amount
		}
		if s.answered {
			answered++
		}
	}
	t.Logf("%d payments answered 202, %s INR settled", answered, settled.Format("INR"))
	mustBalance(t, ctx, ru, "INR", int64(settled))                 // What settled, once each…
	mustBalance(t, ctx, in, "INR", 100000_00+extra-int64(settled)) // …and came from what was funded.
}

func countEvents(leg httpapi.LegBody, event string) int {
	n := 0
	for _, e := range leg.Events {
		if e.Event == event {
			n++
		}
	}
	return n
}

// load is payments sent by workers that retry each with the same bytes
// until the cluster answers 202 (or refuses it for good).
type load struct {
	mu       sync.Mutex
	accepted []time.Time // When each 202 came, in order.
	done     chan struct{}
	halt     chan struct{} // Closed by stop: send no new payment.
	errs     []error
	sent     map[int]bool // The payments a worker started to send.
}

// loadPace is the pause of each worker between payments: a steady load
// across the kills rather than a burst before the first.
const loadPace = 10 * time.Millisecond

func startLoad(t *testing.T, bank *httpapi.Client, payments []sent, workers int) *load {
	l := &load{done: make(chan struct{}), halt: make(chan struct{}), sent: map[int]bool{}}
	work := make(chan int, len(payments))
	for i := range payments {
		work <- i
	}
	close(work)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				select {
				case <-l.halt:
					return
				case <-time.After(loadPace):
				}
				l.mu.Lock()
				l.sent[i] = true
				l.mu.Unlock()
				l.send(bank, &payments[i])
			}
		}()
	}
	go func() { wg.Wait(); close(l.done) }()
	return l
}

// send submits s until it is answered 202, for at most a minute.
func (l *load) send(bank *httpapi.Client, s *sent) {
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := bank.Submit(context.Background(), s.msg)
		if err == nil {
			l.mu.Lock()
			s.answered, s.status = true, resp.Status
			l.accepted = append(l.accepted, time.Now())
			l.mu.Unlock()
			return
		}
		if _, refused := corridor.ReasonOf(err); refused || time.Now().After(deadline) {
			l.mu.Lock()
			l.errs = append(l.errs, fmt.Errorf("payment %s: %w", s.p.MsgID, err))
			l.mu.Unlock()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// firstAcceptedAfter waits for the first 202 after t0 and returns how long after.
func (l *load) firstAcceptedAfter(t *testing.T, t0 time.Time) time.Duration {
	t.Helper()
	var d time.Duration
	waitFor(t, "a payment accepted after the kill", func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, at := range l.accepted {
			if at.After(t0) {
				d = at.Sub(t0)
				return true
			}
		}
		return false
	})
	return d
}

// tried is the payments a worker started to send, after wait.
func (l *load) tried(payments []sent) []sent {
	var out []sent
	for i, s := range payments {
		if l.sent[i] {
			out = append(out, s)
		}
	}
	return out
}

// stop has the workers finish the payment each is sending and send no more.
func (l *load) stop() { close(l.halt) }

func (l *load) wait(t *testing.T) {
	t.Helper()
	select {
	case <-l.done:
	case <-time.After(3 * time.Minute):
		t.Fatal("the load did not finish")
	}
	for _, err := range l.errs {
		t.Errorf("not accepted: %v", err)
	}
}

// cluster is hub processes on one PostgreSQL journal, each with its own
// data directory holding the same CA.
type cluster struct {
	store string // The journal's postgres:// URL.
	nodes []*clusterNode
}

// clusterNode is one 'corridor hub' process of a cluster.
type clusterNode struct {
	name, data, addr, bin, store string
	cmd                          *exec.Cmd
	exited                       chan error
	logFile                      string
	args                         []string // More flags of 'corridor hub'.
}

// mustCluster starts n hub processes on a fresh database and waits until
// one is active; args go to every node's 'corridor hub'.
func mustCluster(t *testing.T, n int, args ...string) *cluster {
	t.Helper()
	c := &cluster{store: pgtest.New(t)}
	bin := mustBuild(t)
	first := mustCA(t)
	for i := range n {
		node := &clusterNode{name: fmt.Sprintf("node%d", i+1), data: first, addr: freeAddr(t), bin: bin, store: c.store, args: args}
		if i > 0 {
			node.data = t.TempDir()
			mustCopyCA(t, first, node.data)
		}
		node.logFile = filepath.Join(t.TempDir(), node.name+".log")
		node.start(t)
		c.nodes = append(c.nodes, node)
	}
	t.Cleanup(func() {
		for _, node := range c.nodes {
			node.kill(t, syscall.SIGCONT)
			node.kill(t, syscall.SIGKILL)
		}
	})
	c.mustLeader(t)
	return c
}

// url is every node's API URL, for a client that follows the active one.
func (c *cluster) url() string {
	var urls []string
	for _, n := range c.nodes {
		urls = append(urls, n.apiURL())
	}
	return strings.Join(urls, ",")
}

// mustLeader waits until a node holds the lease and serves, and returns it.
func (c *cluster) mustLeader(t *testing.T) *clusterNode {
	t.Helper()
	var leader *clusterNode
	waitFor(t, "a node to lead", func() bool {
		leader = c.leaderNow(t)
		return leader != nil && strings.Contains(leader.log(), "corridor hub listening")
	})
	return leader
}

// leaderNow is the node the database says holds the lease, or nil.
func (c *cluster) leaderNow(t *testing.T) *clusterNode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, c.store)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }() // Read only.
	l, held, err := db.Journal().Leader(ctx)
	if err != nil || !held {
		return nil
	}
	for _, n := range c.nodes {
		if n.name == l.Node.Name {
			return n
		}
	}
	return nil
}

func (n *clusterNode) apiURL() string { return "https://" + n.addr }

// start runs the node's 'corridor hub'.
func (n *clusterNode) start(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile(n.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	n.cmd = exec.Command(n.bin, "hub", "--data", n.data, "--store", n.store, "--addr", n.addr, "--ops-addr", "",
		"--node", n.name, "--lease-ttl", failoverLeaseTTL.String(), "--resolve-every", "0", "--cycle-every", "0")
	n.cmd.Args = append(n.cmd.Args, n.args...)
	n.cmd.Stdout, n.cmd.Stderr = f, f
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n.exited = make(chan error, 1)
	go func(cmd *exec.Cmd) {
		n.exited <- cmd.Wait()
		_ = f.Close() // The log is written; nothing to report.
	}(n.cmd)
}

// kill sends sig to the node's process, if it runs.
func (n *clusterNode) kill(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if n.cmd == nil || n.cmd.ProcessState != nil {
		return
	}
	if err := n.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("signal %s to %s: %v", sig, n.name, err)
	}
	if sig == syscall.SIGKILL {
		_ = n.waitExit(10 * time.Second) // Killed: its exit status says only that.
	}
}

// waitExit waits up to d for the node's process to end.
func (n *clusterNode) waitExit(d time.Duration) error {
	select {
	case <-n.exited:
		return nil
	case <-time.After(d):
		return fmt.Errorf("%s still runs after %v", n.name, d)
	}
}

func (n *clusterNode) log() string {
	b, _ := os.ReadFile(n.logFile) // Missing until the node writes: empty.
	return string(b)
}

// freeAddr is a loopback address with a port free now, kept by the node
// across restarts so that clients find it again: outside the ephemeral
// range, as the bench's (benchAddr).
func freeAddr(t *testing.T) string {
	t.Helper()
	addr, err := benchAddr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// TestStandbyStartsFromSnapshot has the active node of a cluster snapshot
// its state into PostgreSQL, then starts a standby and kills the active
// node: the standby starts from the snapshot (its log says so), takes over
// with the payments of both, and settles the next one.
func TestStandbyStartsFromSnapshot(t *testing.T) {
	ctx := context.Background()
	c := mustCluster(t, 1, "--snapshot-every", "10")
	banks := mustRegisterBanks(t, ctx, c.url(), c.nodes[0].data)
	payments := crashPayments(t, 31)
	for _, p := range payments[:30] {
		if _, err := banks[0].Submit(ctx, p.msg); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "a snapshot in PostgreSQL", func() bool { return strings.Contains(c.nodes[0].log(), "state snapshot saved") })
	standby := &clusterNode{name: "node2", data: t.TempDir(), addr: freeAddr(t), bin: c.nodes[0].bin, store: c.store,
		logFile: filepath.Join(t.TempDir(), "node2.log")}
	mustCopyCA(t, c.nodes[0].data, standby.data)
	standby.start(t)
	c.nodes = append(c.nodes, standby)
	waitFor(t, "the standby to follow", func() bool { return strings.Contains(standby.log(), "standby: following the journal") })
	if log := standby.log(); !strings.Contains(log, "state loaded from snapshot") {
		t.Fatalf("the standby did not start from the snapshot:\n%s", log)
	}
	c.nodes[0].kill(t, syscall.SIGKILL)
	india := mustBankClient(t, c.url(), c.nodes[0].data, demoIndia.BIC) // Knows both nodes.
	if resp, err := india.Submit(ctx, payments[30].msg); err != nil || resp.Status != "ACSC" {
		t.Fatalf("a payment after the takeover: %+v, %v", resp, err)
	}
	for i := range payments {
		payments[i].answered = true
	}
	checkSettledOnceOnCluster(t, ctx, c, payments, 0)
}
