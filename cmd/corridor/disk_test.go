package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

// Bounds of the disk tests' waits: each polls what it waits for, every
// diskPoll, and fails after its bound.
const (
	diskPoll      = 20 * time.Millisecond
	diskWaitBound = 30 * time.Second
	diskSize      = "4m" // Of each test's tmpfs: the CA, two banks' keys and a few hundred payments fill it.
)

// mustTmpfs mounts a tmpfs of diskSize on a new directory, and unmounts it
// when the test ends, after the test's own cleanups (a hub's Close) ran.
// Mounting needs root: without it the test skips when CI is unset, and fails
// when it is set, so that CI never skips it.
func mustTmpfs(tb testing.TB) string {
	tb.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "" {
			tb.Skip("mounting a tmpfs needs root: run this test as root (CI does)")
		}
		tb.Fatal("mounting a tmpfs needs root, and CI is set: CI must run the disk tests as root, not skip them")
	}
	dir := tb.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+diskSize, "tmpfs", dir).CombinedOutput(); err != nil {
		tb.Fatalf("mount a tmpfs on %s (needs mount(8), from util-linux): %v: %s", dir, err, out)
	}
	tb.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			tb.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// remount makes the file system on dir read-only or writable again. Linux
// refuses (EBUSY) a read-only remount while any file on it is open for
// writing.
func remount(dir string, readOnly bool) error {
	mode := "remount,rw"
	if readOnly {
		mode = "remount,ro"
	}
	if out, err := exec.Command("mount", "-o", mode, dir).CombinedOutput(); err != nil {
		return fmt.Errorf("mount -o %s %s: %w: %s", mode, dir, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// mustFill writes a ballast file into dir until the file system is full
// to the last byte, and returns its path.
func mustFill(tb testing.TB, dir string) string {
	tb.Helper()
	path := filepath.Join(dir, "ballast")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = f.Close() }() // Nothing in it matters.
	for _, size := range []int{64 << 10, 4 << 10, 512, 1} {
		block := make([]byte, size)
		for {
			if _, err := f.Write(block); errors.Is(err, syscall.ENOSPC) {
				break
			} else if err != nil {
				tb.Fatalf("fill %s: %v", dir, err)
			}
		}
	}
	return path
}

// waitFor polls cond until it holds, failing the test after diskWaitBound.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	t := time.NewTicker(diskPoll)
	defer t.Stop()
	deadline := time.After(diskWaitBound)
	for !cond() {
		select {
		case <-t.C:
		case <-deadline:
			tb.Fatalf("waited %s for %s", diskWaitBound, what)
		}
	}
}

// syncBuffer is a log that the hub writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// diskSent is what a disk test knows of one payment it submitted.
type diskSent struct {
	sent
	outcome string // The outcome of its first 503, if it got one.
	refusal string // The error of that 503.
}

// sendUntilFull submits payments on 8 workers; once fillAfter of them got a
// 202 it fills the disk (the ballast's path goes to ballast) and the rest
// meet the full journal. Every payment is sent once.
func sendUntilFull(t *testing.T, payments []diskSent, fillAfter int, submit func(*diskSent) error, fill func()) {
	work := make(chan *diskSent, len(payments))
	for i := range payments {
		work <- &payments[i]
	}
	close(work)
	var answered atomic.Int64
	var fillOnce sync.Once
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				if err := submit(s); err != nil {
					t.Error(err)
					continue
				}
				if s.answered && answered.Add(1) >= int64(fillAfter) {
					fillOnce.Do(fill)
				}
			}
		}()
	}
	wg.Wait()
}

// diskBank is what the disk tests do as the debtor bank, over the API or on
// the hub itself. submit sends a payment once and records its 202 or the
// outcome of its 503; track answers a payment's legs' statuses
// (ErrNotFound when the hub knows none); balance is a participant's INR
// balance in minor units.
type diskBank interface {
	submit(s *diskSent) error
	resubmit(s *diskSent) (status string, duplicate bool, err error)
	track(uetr corridor.UETR) ([]string, error)
	balance(bic corridor.BIC) (int64, error)
	readInbox() error // The creditor's.
}

// apiBank is a diskBank over the API, with both banks' clients.
type apiBank struct {
	ctx    context.Context
	in, ru *httpapi.Client
}

func (b apiBank) submit(s *diskSent) error {
	resp, err := b.in.Submit(b.ctx, s.msg)
	if err == nil {
		s.answered, s.status = true, resp.Status
		return nil
	}
	var api *httpapi.APIError
	if !errors.As(err, &api) || api.Status != 503 {
		return err
	}
	s.outcome, s.refusal = api.Body.Outcome, api.Body.Error
	return nil
}

func (b apiBank) resubmit(s *diskSent) (string, bool, error) {
	resp, err := b.in.Submit(b.ctx, s.msg)
	return resp.Status, resp.Duplicate, err
}

func (b apiBank) track(uetr corridor.UETR) ([]string, error) {
	tr, err := b.in.Track(b.ctx, uetr)
	var out []string
	for _, l := range tr.Legs {
		out = append(out, l.Status)
	}
	return out, err
}

func (b apiBank) balance(bic corridor.BIC) (int64, error) {
	c := b.in
	if bic == demoRussia.BIC {
		c = b.ru
	}
	bals, err := c.Accounts(b.ctx)
	if err != nil {
		return 0, err
	}
	for _, bal := range bals {
		if bal.Currency == "INR" {
			a, err := corridor.ParseAmount(bal.Balance, "INR")
			return int64(a), err
		}
	}
	return 0, fmt.Errorf("%s has no INR account", bic)
}

func (b apiBank) readInbox() error {
	_, err := b.ru.Inbox(b.ctx, 0, 0)
	return err
}

// TestDiskFull runs a hub on a 4 MB tmpfs, sends signed payments over the
// API and fills the disk to the last byte under them: the hub answers the
// batch whose append failed 503 outcome unknown and the rest 503 not-taken,
// logs one ERROR, serves reads from what the journal holds, and resumes by
// itself once the ballast is deleted. Every 202 is settled exactly once,
// every payment retried is taken once, and the state the hub recovered is
// the state a hub replaying the journal from scratch has.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	data := mustTmpfs(t)
	mustInitCA(t, data)
	var logs syncBuffer
	m, closeHub := mustRunDiskHub(t, data, &logs)
	banks := mustRegisterBanks(t, ctx, m.API.URL(), data)
	in, ru := banks[0], banks[1]
	payments := diskPayments(t, 200)
	var ballast string
	bank := apiBank{ctx: ctx, in: in, ru: ru}
	sendUntilFull(t, payments, 100, bank.submit, func() { ballast = mustFill(t, data) })
	counts := checkRefusals(t, payments)
	t.Logf("before the disk filled and after: %v", counts)
	if err := m.Hub.JournalDown(); err == nil {
		t.Fatal("the disk is full but the hub says its journal is up")
	}
	if code, body := mustGet(t, m.OpsURL()+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "journal cannot be written") {
		t.Errorf("GET /readyz while the journal is down = %d %q; want 503 saying why", code, body)
	}
	seen := checkReadsWhileDown(t, bank, payments)
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 {
		t.Errorf("%d ERROR lines while the journal is down; want 1:\n%s", n, notable(logs.String()))
	}
	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waitFor(t, "the hub to resume after the ballast went", func() bool { return m.Hub.JournalDown() == nil })
	t.Logf("resumed %s after the ballast was deleted", time.Since(start).Round(time.Millisecond))
	retryRefused(t, bank, payments, seen, &logs)
	checkSettledOnce(t, bank, payments)
	checkSameAsReplay(t, m, closeHub, data)
	if !strings.Contains(logs.String(), "journal writable again") {
		t.Errorf("no line says the hub resumed:\n%s", notable(logs.String()))
	}
}

// notable is the lines of a text log above INFO, and the hub's own INFO
// lines, without the request log.
func notable(logs string) string {
	var out []string
	for _, line := range strings.Split(logs, "\n") {
		if !strings.Contains(line, "msg=request ") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// mustInitCA makes the hub's CA in data.
func mustInitCA(tb testing.TB, data string) {
	tb.Helper()
	if err := pki.InitCA(caDir(data), time.Now(), nil); err != nil {
		tb.Fatal(err)
	}
}

// mustRunDiskHub runs a hub on data that logs to logs. The returned close
// stops it; the test's end calls it too, before the tmpfs goes.
func mustRunDiskHub(tb testing.TB, data string, logs *syncBuffer) (*Main, func() error) {
	tb.Helper()
	m := newTestMain(data)
	m.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if err := m.Run(context.Background()); err != nil {
		_ = m.Close() // The start's error is the one to report.
		tb.Fatalf("hub on %s: %v", data, err)
	}
	var once sync.Once
	var err error
	closeHub := func() error {
		once.Do(func() { err = m.Close() })
		return err
	}
	tb.Cleanup(func() { _ = closeHub() }) // A test that got this far reports the close itself.
	return m, closeHub
}

// diskPayments are n payments as crashPayments makes them, to send once.
func diskPayments(tb testing.TB, n int) []diskSent {
	out := make([]diskSent, n)
	for i, s := range crashPayments(tb, n) {
		out[i].sent = s
	}
	return out
}

// checkRefusals checks that the payments were answered 202 until the disk
// filled, then 503 with outcome unknown (the failed batch) or not-taken
// naming the journal, and counts each.
func checkRefusals(t *testing.T, payments []diskSent) map[string]int {
	counts := map[string]int{}
	for _, s := range payments {
		switch {
		case s.answered:
			counts["202"]++
		case s.outcome == httpapi.OutcomeUnknown:
			counts["503 unknown"]++
		case s.outcome == httpapi.OutcomeNotTaken && strings.Contains(s.refusal, "journal cannot be written"):
			counts["503 not-taken"]++
		default:
			t.Errorf("payment %s: 503 with outcome %q: %s; want unknown, or not-taken naming the journal", s.p.MsgID, s.outcome, s.refusal)
		}
	}
	if counts["503 unknown"] == 0 || counts["503 not-taken"] == 0 {
		t.Errorf("answers %v; want some of both outcomes after the disk filled", counts)
	}
	return counts
}

// checkReadsWhileDown reads, while the journal is down, every payment's
// track, the balance and the creditor's inbox, and returns the status of
// each payment the hub knows: the answered ones all, the unknown ones only
// if their batch is durable. The balance is what those settled.
func checkReadsWhileDown(t *testing.T, bank diskBank, payments []diskSent) map[corridor.UETR]string {
	waitFor(t, "reads from the rebuilt state", func() bool {
		_, err := bank.balance(demoIndia.BIC)
		return err == nil
	})
	seen := map[corridor.UETR]string{}
	var settled int64
	for _, s := range payments {
		legs, err := bank.track(s.p.UETR)
		if errors.Is(err, corridor.ErrNotFound) {
			if s.answered {
				t.Errorf("payment %s got a 202 but the hub, its journal down, does not know it", s.p.MsgID)
			}
			continue
		}
		if err != nil {
			t.Fatalf("track %s while the journal is down: %v", s.p.MsgID, err)
		}
		if s.outcome == httpapi.OutcomeNotTaken {
			t.Errorf("payment %s was not taken but the hub knows it", s.p.MsgID)
		}
		seen[s.p.UETR] = legs[0]
		if legs[0] == "ACSC" {
			settled += int64(s.p.Amount)
		}
	}
	mustBalanceOf(t, bank, demoIndia.BIC, diskFunding-settled)
	if err := bank.readInbox(); err != nil {
		t.Errorf("inbox read while the journal is down: %v", err)
	}
	return seen
}

// diskFunding is the debtor bank's funding, in minor units.
const diskFunding = 10_000_000

func mustBalanceOf(tb testing.TB, bank diskBank, bic corridor.BIC, want int64) {
	tb.Helper()
	if got, err := bank.balance(bic); err != nil || got != want {
		tb.Errorf("%s's INR balance %d, %v; want %d", bic, got, err, want)
	}
}

// retryRefused sends again the same bytes of every payment that got no 202,
// as a bank would: one the hub knew is answered as a duplicate with its
// first status, one it did not know is taken now.
func retryRefused(t *testing.T, bank diskBank, payments []diskSent, seen map[corridor.UETR]string, logs *syncBuffer) {
	for i := range payments {
		s := &payments[i]
		if s.answered {
			continue
		}
		status, duplicate, err := bank.resubmit(s)
		if err != nil {
			t.Fatalf("retry %s after the hub resumed: %v\n%s", s.p.MsgID, err, notable(logs.String()))
		}
		first, known := seen[s.p.UETR]
		if duplicate != known {
			t.Errorf("retry %s: duplicate=%v; the hub knew it while down: %v", s.p.MsgID, duplicate, known)
		} else if known && status != first {
			t.Errorf("retry %s answered %s; first status %s", s.p.MsgID, status, first)
		}
		s.answered, s.status = true, status
	}
}

// checkSettledOnce checks that every payment is one leg with the status it
// was answered, and that the balances moved by what settled, once.
func checkSettledOnce(t *testing.T, bank diskBank, payments []diskSent) {
	var settled int64
	for _, s := range payments {
		legs, err := bank.track(s.p.UETR)
		if err != nil {
			t.Fatalf("track %s: %v", s.p.MsgID, err)
		}
		if len(legs) != 1 || legs[0] != s.status {
			t.Errorf("payment %s: legs %v; want one, answered %s", s.p.MsgID, legs, s.status)
			continue
		}
		if s.status == "ACSC" {
			settled += int64(s.p.Amount)
		}
	}
	mustBalanceOf(t, bank, demoIndia.BIC, diskFunding-settled)
	mustBalanceOf(t, bank, demoRussia.BIC, settled)
}

// checkSameAsReplay closes m and starts a hub on its data: replaying the
// journal from scratch must give the state m recovered, byte for byte.
func checkSameAsReplay(t *testing.T, m *Main, closeHub func() error, data string) {
	sum, seq, err := m.Hub.StateSum(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := closeHub(); err != nil {
		t.Fatalf("close the hub: %v", err)
	}
	if got := mustSum(t, mustRunHub(t, data), seq); got != sum {
		t.Errorf("replayed state %x; the recovered hub's %x", got[:8], sum[:8])
	}
}
