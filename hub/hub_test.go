package hub_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/sqlite"
)

const (
	bankIN corridor.BIC = "DEMOINBBXXX"
	bankRU corridor.BIC = "DEMORUMMXXX"
	hubBIC corridor.BIC = "CRDRINBBXXX"
)

// clock is a fixed clock that tests move by hand.
type clock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

var businessDay = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// mustHub opens a hub on the real SQLite journal in dir and runs its
// sequencer until the returned stop function (also a cleanup) is called.
func mustHub(tb testing.TB, dir string) (*hub.Hub, func()) {
	tb.Helper()
	h, _, stop := mustHubWith(tb, dir, hub.Config{})
	return h, stop
}

// mustHubWith is mustHub with the settlement settings of cfg, and the clock,
// which a test may move forward.
func mustHubWith(tb testing.TB, dir string, cfg hub.Config) (*hub.Hub, *clock, func()) {
	tb.Helper()
	return mustHubAt(tb, dir, cfg, businessDay)
}

// mustHubAt is mustHubWith with the clock starting at start.
func mustHubAt(tb testing.TB, dir string, cfg hub.Config, start time.Time) (*hub.Hub, *clock, func()) {
	tb.Helper()
	c := &clock{t: start}
	cfg.Now = c.Now
	h, _, stop := mustRunHub(tb, dir, cfg)
	return h, c, stop
}

// mustRunHub opens the real SQLite journal in dir and a hub on it with cfg
// (the test hub's BIC; the log discarded unless cfg has one) and runs its
// sequencer until the returned stop function (also a cleanup) is called,
// which closes the store too.
func mustRunHub(tb testing.TB, dir string, cfg hub.Config) (*hub.Hub, *sqlite.DB, func()) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "corridor.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	h, stop := mustRunHubOn(tb, db, db.Journal(), cfg)
	return h, db, stop
}

// mustRunHubOn is mustRunHub on the store db, through journal (db's, or
// one that wraps it).
func mustRunHubOn(tb testing.TB, db *sqlite.DB, journal corridor.Journal, cfg hub.Config) (*hub.Hub, func()) {
	tb.Helper()
	ctx := context.Background()
	cfg.BIC, cfg.Journal = hubBIC, journal
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h, err := hub.Open(ctx, cfg)
	if err != nil {
		_ = db.Close() // The open failed; the failure says why.
		tb.Fatalf("open hub: %v", err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- h.Run(runCtx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				tb.Errorf("hub run: %v", err)
			}
			if err := db.Close(); err != nil {
				tb.Errorf("close store: %v", err)
			}
		})
	}
	tb.Cleanup(stop)
	return h, stop
}

// advance moves the clock forward by d.
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func mustSetUp(tb testing.TB, h *hub.Hub, inr string) {
	tb.Helper()
	ctx := context.Background()
	for _, p := range []corridor.Participant{
		{BIC: bankIN, Name: "Demo Bank of India", Currencies: []corridor.Currency{"INR"}},
		{BIC: bankRU, Name: "Демо Банк Москва", Currencies: []corridor.Currency{"INR", "RUB"}},
	} {
		if err := h.RegisterParticipant(ctx, p, certificate(p.BIC)); err != nil {
			tb.Fatalf("register %s: %v", p.BIC, err)
		}
	}
	a, err := corridor.ParseAmount(inr, "INR")
	if err != nil {
		tb.Fatal(err)
	}
	if err := h.Fund(ctx, bankIN, corridor.Money{Amount: a, Currency: "INR"}); err != nil {
		tb.Fatalf("fund: %v", err)
	}
}

// certificate is what the hub would keep of bic's certificate.
func certificate(bic corridor.BIC) corridor.Certificate {
	return corridor.Certificate{Serial: fmt.Sprintf("%x", []byte(bic)), NotAfter: businessDay.AddDate(1, 0, 0)}
}

// payment is the i-th test payment of amount minor units from the Indian bank.
func payment(i int, amount corridor.Amount) corridor.Payment {
	return corridor.Payment{MsgID: fmt.Sprintf("MSG%08d", i), UETR: corridor.UETR(fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)),
		EndToEndID: fmt.Sprintf("E2E%08d", i), InstructingAgent: bankIN, InstructedAgent: bankRU, DebtorAgent: bankIN,
		CreditorAgent: bankRU, Amount: amount, Currency: "INR", SettlementDate: corridor.DateOf(businessDay),
		DebtorName: "Bharat Refineries Ltd", CreditorName: "ООО Нефтеэкспорт"}
}

func mustMessage(tb testing.TB, p corridor.Payment) []byte {
	tb.Helper()
	msg, err := iso20022.EncodeCustomerCreditTransfer(iso20022.AppHdr{From: p.InstructingAgent, To: p.InstructedAgent,
		BizMsgID: p.MsgID, MsgDefID: "pacs.008.001.08", Created: businessDay}, p, "")
	if err != nil {
		tb.Fatalf("encode pacs.008: %v", err)
	}
	return msg
}

func submit(tb testing.TB, h *hub.Hub, p corridor.Payment) (hub.PaymentResult, error) {
	tb.Helper()
	return h.SubmitPayment(context.Background(), p.InstructingAgent, p, "", corridor.SignedMessage{Body: mustMessage(tb, p)})
}

func TestSubmit(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustSetUp(t, h, "1000.00")
	tests := []struct {
		name      string
		p         corridor.Payment
		status    corridor.PaymentStatus
		reason    corridor.ReasonCode
		duplicate bool
		refused   corridor.ReasonCode
	}{
		{"OK", payment(1, 60000), corridor.StatusSettled, "", false, ""},
		{"Queued", payment(2, 60000), corridor.StatusPending, "", false, ""},
		{"Replay", payment(1, 60000), corridor.StatusSettled, "", true, ""},
		{"ReplayNewMsgID", func() corridor.Payment { p := payment(1, 60000); p.MsgID = "RESEND1"; return p }(), corridor.StatusSettled, "", true, ""},
		{"ErrMsgIDReused", func() corridor.Payment { p := payment(3, 100); p.MsgID = "MSG00000001"; return p }(), "", "", false, "AM05"},
		{"ErrUETRReused", func() corridor.Payment { p := payment(1, 100); p.MsgID = "OTHER"; return p }(), "", "", false, "AM05"},
		{"ErrNotToday", func() corridor.Payment { p := payment(4, 100); p.SettlementDate.Day++; return p }(), "", "", false, "DT01"},
		{"ErrUnknownAgent", func() corridor.Payment { p := payment(5, 100); p.InstructedAgent = "NOPEGB2LXXX"; return p }(), "", "", false, "RC07"},
		{"ErrNoAccount", func() corridor.Payment { p := payment(6, 100); p.Currency = "RUB"; return p }(), "", "", false, "AC01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _, _ := h.StateSum(context.Background())
			res, err := submit(t, h, tt.p)
			if tt.refused != "" {
				if r, _ := corridor.ReasonOf(err); r != tt.refused {
					t.Fatalf("SubmitPayment = %+v, %v; want refusal %s", res, err, tt.refused)
				}
				if after, _, _ := h.StateSum(context.Background()); after != before {
					t.Errorf("refused payment changed the state")
				}
				return
			}
			if err != nil || res.Status != tt.status || res.Reason != tt.reason || res.Duplicate != tt.duplicate {
				t.Fatalf("SubmitPayment = %+v, %v; want %s %q duplicate=%v", res, err, tt.status, tt.reason, tt.duplicate)
			}
		})
	}
	bals, _ := h.Balances(context.Background(), bankIN)
	if bals[0].Balance != 40000 {
		t.Errorf("Indian bank balance %d; want 40000 (paid once)", bals[0].Balance)
	}
}

// TestRestart builds state, stops the hub, reopens it on the same store and
// checks that replaying the journal gives the same state, byte for byte.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := hub.Config{NetCurrencies: []corridor.Currency{"RUB"}}
	h, _, stop := mustHubWith(t, dir, cfg)
	mustSetUp(t, h, "500.00")
	for i := 1; i <= 20; i++ {
		if _, err := submit(t, h, payment(i, corridor.Amount(i*500))); err != nil {
			t.Fatalf("payment %d: %v", i, err)
		}
	}
	if _, err := submit(t, h, payment(3, 1500)); err != nil { // A duplicate: not journaled.
		t.Fatal(err)
	}
	msgs, err := h.Inbox(context.Background(), bankRU, 0, 0)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("inbox: %d messages, %v", len(msgs), err)
	}
	if err := h.Ack(context.Background(), bankRU, msgs[1].Seq); err != nil {
		t.Fatal(err)
	}
	mustSettlementState(t, h)
	mustReturnsAndCases(t, h)
	sum, seq, err := h.StateSum(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	stop()
	h2, _, _ := mustHubWith(t, dir, cfg)
	sum2, seq2, err := h2.StateSum(context.Background())
	if err != nil || sum2 != sum || seq2 != seq {
		t.Fatalf("after restart: state %x at seq %d, %v; want %x at seq %d", sum2[:8], seq2, err, sum[:8], seq)
	}
	if _, _, err := h.StateSum(context.Background()); !errors.Is(err, corridor.ErrStopped) {
		t.Errorf("stopped hub answered: %v; want ErrStopped", err)
	}
	again, _ := h2.Inbox(context.Background(), bankRU, 0, 0)
	if len(again) == 0 || !again[0].PossibleDuplicate {
		t.Errorf("after restart, unacknowledged messages must come back marked as possible duplicates: %+v", again)
	}
	mustRestartedSettlement(t, h2)
}

// mustSettlementState leaves payments in the queue, a net cycle open, rates
// published and quotes issued, one of them used, for TestRestart.
func mustSettlementState(t *testing.T, h *hub.Hub) {
	ctx := context.Background()
	q, _ := h.Queue(ctx, corridor.Identity{Role: corridor.RoleOperator})
	if len(q) < 5 {
		t.Fatalf("%d payments queued; want at least 5", len(q))
	}
	if err := h.MoveQueued(ctx, q[len(q)-1].UETR, true); err != nil {
		t.Fatal(err)
	}
	ae := corridor.Participant{BIC: "DEMOAEADXXX", Name: "Demo Bank of the Emirates", Currencies: []corridor.Currency{"INR", "RUB"}}
	if err := h.RegisterParticipant(ctx, ae, certificate(ae.BIC)); err != nil {
		t.Fatal(err)
	}
	mustFund(t, h, bankRU, corridor.Money{Amount: 1000_00, Currency: "RUB"})
	mustFund(t, h, ae.BIC, corridor.Money{Amount: 100_00, Currency: "RUB"})
	net := payment(40, 300_00)
	net.InstructingAgent, net.DebtorAgent, net.InstructedAgent, net.CreditorAgent, net.Currency = bankRU, bankRU, ae.BIC, ae.BIC, "RUB"
	mustSubmit(t, h, net, corridor.StatusInCycle)
	if err := h.PublishRate(ctx, hub.FXRate{From: "INR", To: "RUB", Rate: "1.0823"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.PublishOffer(ctx, ae.BIC, hub.OfferRequest{From: "INR", To: "RUB", Bid: "1.08", Ask: "1.085", Size: 10_000_00, Life: time.Hour}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []corridor.Amount{100, 200} {
		if _, err := h.Quote(ctx, bankRU, corridor.Money{Amount: a, Currency: "INR"}, "RUB"); err != nil {
			t.Fatal(err)
		}
	}
}

// mustRestartedSettlement checks that the queue, the cycle and the quotes
// came back and still work.
func mustRestartedSettlement(t *testing.T, h *hub.Hub) {
	ctx := context.Background()
	qs, err := h.Quotes(ctx, bankRU)
	if err != nil || len(qs) != 2 || qs[1].To.Amount != 216 {
		t.Fatalf("quotes after restart: %+v, %v; want 2, the second 2.16 RUB", qs, err)
	}
	rep, err := h.CloseCycle(ctx)
	if err != nil || rep.Settled != 1 {
		t.Fatalf("CloseCycle after restart = %+v, %v; want the RUB payment settled", rep, err)
	}
	mustFund(t, h, bankIN, corridor.Money{Amount: 1_000_000_00, Currency: "INR"})
	if q, _ := h.Queue(ctx, corridor.Identity{Role: corridor.RoleOperator}); len(q) != 0 {
		t.Errorf("queue after funding: %d payments; want none", len(q))
	}
}

func TestInboxLongPoll(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustSetUp(t, h, "500.00")
	got := make(chan []hub.InboxMessage, 1)
	started := make(chan struct{})
	go func() {
		close(started)
		msgs, _ := h.Inbox(context.Background(), bankRU, 0, time.Minute) // Test fails below if it errs.
		got <- msgs
	}()
	<-started
	if _, err := submit(t, h, payment(1, 100)); err != nil {
		t.Fatal(err)
	}
	msgs := <-got
	if len(msgs) != 1 || msgs[0].MsgDefID != "pacs.008.001.08" {
		t.Fatalf("long poll returned %+v; want the pacs.008", msgs)
	}
}
