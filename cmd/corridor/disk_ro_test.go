package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/sqlite"
)

// hubBank is a diskBank on the hub itself, with no API in front: the test
// that remounts the store read-only needs no process to hold a file open
// for writing on it (corridor hub holds its data directory's lock file).
type hubBank struct {
	ctx context.Context
	h   *hub.Hub
}

var operator = corridor.Identity{Role: corridor.RoleOperator, Name: "disk test"}

func (b hubBank) submit(s *diskSent) error {
	res, err := b.h.SubmitPayment(b.ctx, s.p.InstructingAgent, s.p, "", corridor.SignedMessage{Body: s.msg})
	switch {
	case err == nil:
		s.answered, s.status = true, string(res.Status)
	case errors.Is(err, corridor.ErrOutcomeUnknown):
		s.outcome, s.refusal = httpapi.OutcomeUnknown, err.Error()
	case errors.Is(err, hub.ErrJournalDown):
		s.outcome, s.refusal = httpapi.OutcomeNotTaken, err.Error()
	default:
		return fmt.Errorf("submit %s: %w", s.p.MsgID, err)
	}
	return nil
}

func (b hubBank) resubmit(s *diskSent) (string, bool, error) {
	res, err := b.h.SubmitPayment(b.ctx, s.p.InstructingAgent, s.p, "", corridor.SignedMessage{Body: s.msg})
	return string(res.Status), res.Duplicate, err
}

func (b hubBank) track(uetr corridor.UETR) ([]string, error) {
	tracks, err := b.h.Track(b.ctx, operator, uetr)
	var out []string
	for _, tr := range tracks {
		out = append(out, string(tr.Status))
	}
	return out, err
}

func (b hubBank) balance(bic corridor.BIC) (int64, error) {
	bals, err := b.h.Balances(b.ctx, bic)
	if err != nil {
		return 0, err
	}
	for _, bal := range bals {
		if bal.Currency == "INR" {
			return bal.Balance, nil
		}
	}
	return 0, fmt.Errorf("%s has no INR account", bic)
}

func (b hubBank) readInbox() error {
	_, err := b.h.Inbox(b.ctx, demoRussia.BIC, 0, 0)
	return err
}

// mustRunBareHub runs a hub on the store in data, without keys, lock or API,
// until the returned stop (also a cleanup) is called.
func mustRunBareHub(tb testing.TB, data string, logs *syncBuffer) (*hub.Hub, func()) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dbPath(data))
	if err != nil {
		tb.Fatal(err)
	}
	h, err := hub.Open(ctx, hub.Config{BIC: "CRDRINBBXXX", Journal: db.Journal(), Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- h.Run(runCtx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := errors.Join(<-done, db.Close()); err != nil {
				tb.Errorf("stop the hub: %v", err)
			}
		})
	}
	tb.Cleanup(stop)
	return h, stop
}

// mustSetUpBanks registers the demo's two banks on h and funds the Indian
// one with diskFunding.
func mustSetUpBanks(tb testing.TB, h *hub.Hub) {
	tb.Helper()
	ctx := context.Background()
	for _, b := range []demoBank{demoIndia, demoRussia} {
		var ccys []corridor.Currency
		for _, c := range b.Currencies {
			ccys = append(ccys, corridor.Currency(c))
		}
		cert := corridor.Certificate{Serial: fmt.Sprintf("%x", []byte(b.BIC)), NotAfter: time.Now().AddDate(1, 0, 0)}
		if err := h.RegisterParticipant(ctx, corridor.Participant{BIC: b.BIC, Name: b.Name, Currencies: ccys}, cert); err != nil {
			tb.Fatal(err)
		}
	}
	if err := h.Fund(ctx, demoIndia.BIC, corridor.Money{Amount: diskFunding, Currency: "INR"}); err != nil {
		tb.Fatal(err)
	}
}

// TestReadOnlyRemount remounts the store's file system read-only while the
// journal is down and banks go on sending, then writable again: the hub
// stays down while its probes meet the read-only store, serves reads all
// along, and resumes once writes work, with nothing lost or applied twice.
// Linux refuses a read-only remount under a file open for writing, so the
// disk fills first: the hub then holds none of the store's files open
// between its probes, and the remount can happen.
func TestReadOnlyRemount(t *testing.T) {
	ctx := context.Background()
	data := mustTmpfs(t)
	var logs syncBuffer
	h, stop := mustRunBareHub(t, data, &logs)
	mustSetUpBanks(t, h)
	bank := hubBank{ctx: ctx, h: h}
	payments := diskPayments(t, 200)
	var ballast string
	sendUntilFull(t, payments[:150], 100, bank.submit, func() { ballast = mustFill(t, data) })
	checkReadsWhileDown(t, bank, payments[:150])
	waitFor(t, "a read-only remount of the store", func() bool { return remount(data, true) == nil })
	readOnly := true
	t.Cleanup(func() {
		if readOnly {
			_ = remount(data, false) // So that the cleanups can remove the test's files.
		}
	})
	waitFor(t, "a probe to meet the read-only store", func() bool {
		err := h.JournalDown()
		return err != nil && strings.Contains(err.Error(), "read-only file system")
	})
	sendUntilFull(t, payments[150:], len(payments), bank.submit, func() {}) // Mid-load: refused at once.
	seen := checkReadsWhileDown(t, bank, payments)
	if err := remount(data, false); err != nil {
		t.Fatal(err)
	}
	readOnly = false
	waitFor(t, "a probe to meet the full disk again", func() bool {
		err := h.JournalDown()
		return err != nil && !strings.Contains(err.Error(), "read-only file system")
	})
	removeBallast(t, ballast)
	waitFor(t, "the hub to resume", func() bool { return h.JournalDown() == nil })
	retryRefused(t, bank, payments, seen, &logs)
	checkSettledOnce(t, bank, payments)
	checkBareReplay(t, h, stop, data)
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 {
		t.Errorf("%d ERROR lines; want 1:\n%s", n, logs.String())
	}
}

// checkBareReplay stops h and replays its journal into a new hub, which
// must have the state h recovered, byte for byte.
func checkBareReplay(t *testing.T, h *hub.Hub, stop func(), data string) {
	sum, seq, err := h.StateSum(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	stop()
	var logs syncBuffer
	again, _ := mustRunBareHub(t, data, &logs)
	if got, at, err := again.StateSum(context.Background()); err != nil || at != seq || got != sum {
		t.Errorf("replayed state %x at entry %d, %v; the recovered hub's %x at %d", got[:8], at, err, sum[:8], seq)
	}
}

// TestReadOnlyStoreRefused starts a hub on a store whose file system is
// read-only: the start is refused, naming the store, before any of the
// journal is read; once the file system is writable again the hub starts.
func TestReadOnlyStoreRefused(t *testing.T) {
	ctx := context.Background()
	data := mustTmpfs(t)
	mustInitCA(t, data)
	var logs syncBuffer
	m, closeHub := mustRunDiskHub(t, data, &logs)
	banks := mustRegisterBanks(t, ctx, m.API.URL(), data)
	sendUntilFull(t, diskPayments(t, 50), 50, apiBank{ctx: ctx, in: banks[0], ru: banks[1]}.submit, func() {})
	if err := closeHub(); err != nil {
		t.Fatal(err)
	}
	if err := remount(data, true); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = remount(data, false) }) // So that the cleanups can remove the test's files.
	var refusedLogs syncBuffer
	refused := newTestMain(data)
	refused.Logger = slog.New(slog.NewTextHandler(&refusedLogs, nil))
	err := refused.Run(ctx)
	_ = refused.Close() // Nothing was opened but the keys.
	if err == nil || !strings.Contains(err.Error(), dbPath(data)) || !strings.Contains(err.Error(), "read-only file system") {
		t.Fatalf("start on a read-only store: %v; want a refusal naming %s and the read-only file system", err, dbPath(data))
	}
	if strings.Contains(refusedLogs.String(), "journal") {
		t.Errorf("the refused start read the journal:\n%s", refusedLogs.String())
	}
	if _, err := sqlite.Open(ctx, filepath.Join(data, "corridor.db")); err == nil || !strings.Contains(err.Error(), "read-only file system") {
		t.Errorf("sqlite.Open on a read-only store: %v; want a read-only refusal", err)
	}
	if err := remount(data, false); err != nil {
		t.Fatal(err)
	}
	var againLogs syncBuffer
	mustRunDiskHub(t, data, &againLogs)
}

// removeBallast deletes the file that filled the disk.
func removeBallast(tb testing.TB, path string) {
	tb.Helper()
	if err := os.Remove(path); err != nil {
		tb.Fatal(err)
	}
}
