package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/pki"
)

// hubProcess is a `corridor hub` running as a child process.
type hubProcess struct {
	cmd *exec.Cmd
	url string
}

// mustStartHub starts the hub on data and waits until it says where it listens.
func mustStartHub(tb testing.TB, bin, data string) *hubProcess {
	tb.Helper()
	cmd := exec.Command(bin, "hub", "--data", data, "--addr", "127.0.0.1:0", "--ops-addr", "127.0.0.1:0", "--resolve-every", "0", "--cycle-every", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start hub: %v", err)
	}
	tb.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }) // Already gone is fine.
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(line, "listening on") {
		tb.Fatalf("hub did not start: %q, %v", line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }() // Drain; ends with the process.
	return &hubProcess{cmd: cmd, url: strings.TrimSpace(line[strings.LastIndex(line, " "):])}
}

func (h *hubProcess) kill(tb testing.TB) {
	tb.Helper()
	if err := h.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		tb.Fatalf("kill hub: %v", err)
	}
	_ = h.cmd.Wait() // Killed: the exit status says so and nothing more.
}

// sent is what the test knows of one payment it submitted.
type sent struct {
	p        corridor.Payment
	msg      []byte
	answered bool   // Got a 202.
	status   string // From the 202.
}

// TestCrash kills the hub with SIGKILL while payments are in flight, restarts
// it on the same data and proves that every payment that got a 202 is settled
// (or rejected) exactly once as answered, and that money moved only for the
// payments the hub reports settled.
func TestCrash(t *testing.T) {
	bin, data := mustBuild(t), t.TempDir()
	if err := pki.InitCA(caDir(data), time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	hp := mustStartHub(t, bin, data)
	ctx := context.Background()
	banks := mustRegisterBanks(t, ctx, hp.url, data)
	payments := crashPayments(t, 600)
	var mu sync.Mutex // guards payments[i].answered and status
	killed := make(chan struct{})
	var wg sync.WaitGroup
	var next int
	var accepted int
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(payments) {
					return
				}
				resp, err := banks[0].Submit(ctx, payments[i].msg)
				if err != nil {
					continue // The hub died under this request, or refused it: the test checks both below.
				}
				mu.Lock()
				payments[i].answered, payments[i].status = true, resp.Status
				accepted++
				if accepted == 150 {
					close(killed)
				}
				mu.Unlock()
			}
		}()
	}
	<-killed
	hp.kill(t)
	wg.Wait()
	hp = mustStartHub(t, bin, data)
	checkAfterCrash(t, ctx, hp.url, data, payments)
}

func mustRegisterBanks(tb testing.TB, ctx context.Context, url, data string) []*httpapi.Client {
	tb.Helper()
	op, err := (&operatorFlags{hub: url, data: data}).client()
	if err != nil {
		tb.Fatal(err)
	}
	defer op.Close()
	var clients []*httpapi.Client
	for _, b := range []demoBank{demoIndia, demoRussia} {
		if _, err := addParticipant(ctx, op, string(b.BIC), b.Name, b.Currencies, banksDir(data)); err != nil {
			tb.Fatalf("add %s: %v", b.BIC, err)
		}
		clients = append(clients, mustBankClient(tb, url, data, b.BIC))
	}
	if _, err := op.Fund(ctx, httpapi.FundRequest{BIC: string(demoIndia.BIC), Currency: "INR", Amount: "100000.00"}); err != nil {
		tb.Fatal(err)
	}
	return clients
}

func mustBankClient(tb testing.TB, url, data string, bic corridor.BIC) *httpapi.Client {
	tb.Helper()
	dir := banksDir(data)
	cfg, err := pki.ClientTLSConfig(filepath.Join(dir, string(bic)+".crt"), filepath.Join(dir, string(bic)+".key"), filepath.Join(dir, "ca.crt"))
	if err != nil {
		tb.Fatal(err)
	}
	c := httpapi.NewClient(url, cfg)
	tb.Cleanup(c.Close)
	return c
}

// crashPayments are n payments of 1.00 to 499.00 rupees: the funding of
// 100 000.00 covers only some of them, so both ACSC and AM04 occur.
func crashPayments(tb testing.TB, n int) []sent {
	tb.Helper()
	out := make([]sent, n)
	now := time.Now().UTC()
	for i := range out {
		p := corridor.Payment{MsgID: fmt.Sprintf("CRASH%06d", i), UETR: corridor.UETR(fmt.Sprintf("%08x-0000-4000-8000-%012x", i, now.Unix())),
			EndToEndID: fmt.Sprintf("E2E%06d", i), InstructingAgent: demoIndia.BIC, InstructedAgent: demoRussia.BIC,
			DebtorAgent: demoIndia.BIC, CreditorAgent: demoRussia.BIC, Amount: corridor.Amount(100 + (i*7919)%49800),
			Currency: "INR", SettlementDate: corridor.DateOf(now)}
		msg, err := iso20022.EncodeCustomerCreditTransfer(iso20022.AppHdr{From: p.InstructingAgent, To: p.InstructedAgent,
			BizMsgID: p.MsgID, MsgDefID: "pacs.008.001.08", Created: now.Truncate(time.Second)}, p, "")
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = sent{p: p, msg: msg}
	}
	return out
}

// checkAfterCrash asks the restarted hub about every payment sent.
func checkAfterCrash(t *testing.T, ctx context.Context, url, data string, payments []sent) {
	in := mustBankClient(t, url, data, demoIndia.BIC)
	ru := mustBankClient(t, url, data, demoRussia.BIC)
	var settled corridor.Amount
	var answered, ownedUnanswered, unknown int
	for _, s := range payments {
		tr, err := in.Track(ctx, s.p.UETR)
		if errors.Is(err, corridor.ErrNotFound) {
			if s.answered {
				t.Fatalf("payment %s got a 202 (%s) but the hub lost it", s.p.MsgID, s.status)
			}
			unknown++
			continue
		}
		if err != nil {
			t.Fatalf("track %s: %v", s.p.MsgID, err)
		}
		if len(tr.Legs) != 1 {
			t.Fatalf("payment %s has %d legs; want exactly 1", s.p.MsgID, len(tr.Legs))
		}
		leg := tr.Legs[0]
		if s.answered && leg.Status != s.status {
			t.Errorf("payment %s answered %s but the hub now says %s", s.p.MsgID, s.status, leg.Status)
		}
		if s.answered {
			answered++
		} else {
			ownedUnanswered++ // Journaled, but the hub died before the 202 went out.
		}
		if leg.Status == "ACSC" {
			settled += s.p.Amount
		}
	}
	t.Logf("%d answered with 202, %d journaled but unanswered, %d unknown to the hub", answered, ownedUnanswered, unknown)
	mustBalance(t, ctx, in, "INR", 10_000_000-int64(settled))
	mustBalance(t, ctx, ru, "INR", int64(settled))
	retryUnanswered(t, ctx, in, payments)
}

// retryUnanswered sends again, as a bank would, every payment whose answer the
// crash swallowed: one the hub had journaled comes back as a duplicate with
// its first outcome, never as a second payment.
func retryUnanswered(t *testing.T, ctx context.Context, in *httpapi.Client, payments []sent) {
	for _, s := range payments[:50] {
		if s.answered {
			continue
		}
		tr, trackErr := in.Track(ctx, s.p.UETR)
		resp, err := in.Submit(ctx, s.msg)
		if err != nil {
			t.Fatalf("retry %s: %v", s.p.MsgID, err)
		}
		if known := trackErr == nil; known != resp.Duplicate {
			t.Errorf("retry %s: duplicate=%v; the hub knew it before: %v", s.p.MsgID, resp.Duplicate, known)
		} else if known && resp.Status != tr.Legs[0].Status {
			t.Errorf("retry %s answered %s; first outcome %s", s.p.MsgID, resp.Status, tr.Legs[0].Status)
		}
	}
}

func mustBalance(tb testing.TB, ctx context.Context, c *httpapi.Client, ccy string, want int64) {
	tb.Helper()
	bals, err := c.Accounts(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, b := range bals {
		if b.Currency == ccy {
			if w := corridor.Amount(want).Format(corridor.Currency(ccy)); b.Balance != w {
				tb.Errorf("balance %s %s; want %s", b.Balance, ccy, w)
			}
			return
		}
	}
	tb.Errorf("no %s account", ccy)
}
