package hub_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
)

// bankAE is a third bank with rupees, for gridlock.
const bankAE corridor.BIC = "DEMOAEADXXX"

// mustBanks registers the Indian, Russian and Emirati banks, all with rupees,
// the Russian one also with roubles, and funds them with INR and RUB amounts
// in minor units (0 for none).
func mustBanks(tb testing.TB, h *hub.Hub, inr map[corridor.BIC]corridor.Amount, rub corridor.Amount) {
	tb.Helper()
	ctx := context.Background()
	for _, p := range []corridor.Participant{
		{BIC: bankIN, Name: "Demo Bank of India", Currencies: []corridor.Currency{"INR"}},
		{BIC: bankRU, Name: "Демо Банк Москва", Currencies: []corridor.Currency{"INR", "RUB"}},
		{BIC: bankAE, Name: "Demo Bank of the Emirates", Currencies: []corridor.Currency{"INR"}},
	} {
		if err := h.RegisterParticipant(ctx, p, certificate(p.BIC)); err != nil {
			tb.Fatalf("register %s: %v", p.BIC, err)
		}
	}
	for _, bic := range []corridor.BIC{bankIN, bankRU, bankAE} {
		if a := inr[bic]; a > 0 {
			mustFund(tb, h, bic, corridor.Money{Amount: a, Currency: "INR"})
		}
	}
	if rub > 0 {
		mustFund(tb, h, bankRU, corridor.Money{Amount: rub, Currency: "RUB"})
	}
}

func mustFund(tb testing.TB, h *hub.Hub, bic corridor.BIC, m corridor.Money) {
	tb.Helper()
	if err := h.Fund(context.Background(), bic, m); err != nil {
		tb.Fatalf("fund %s %s: %v", bic, m, err)
	}
}

// pay is the i-th test payment of amount minor units of INR from one bank to another.
func pay(i int, from, to corridor.BIC, amount corridor.Amount) corridor.Payment {
	p := payment(i, amount)
	p.InstructingAgent, p.DebtorAgent, p.InstructedAgent, p.CreditorAgent = from, from, to, to
	return p
}

func mustSubmit(tb testing.TB, h *hub.Hub, p corridor.Payment, want corridor.PaymentStatus) hub.PaymentResult {
	tb.Helper()
	res, err := submit(tb, h, p)
	if err != nil || res.Status != want {
		tb.Fatalf("SubmitPayment(%s %s → %s) = %+v, %v; want %s", p.Amount.Format(p.Currency), p.InstructingAgent, p.InstructedAgent, res, err, want)
	}
	return res
}

// mustStatus fails unless the payment's only leg is in status want with reason.
func mustStatus(tb testing.TB, h *hub.Hub, uetr corridor.UETR, want corridor.PaymentStatus, reason corridor.ReasonCode) hub.PaymentTrack {
	tb.Helper()
	legs, err := h.Track(context.Background(), corridor.Identity{Role: corridor.RoleOperator}, uetr)
	if err != nil || len(legs) != 1 || legs[0].Status != want || legs[0].Reason != reason {
		tb.Fatalf("Track(%s) = %+v, %v; want one leg %s %q", uetr, legs, err, want, reason)
	}
	return legs[0]
}

// events are the tracker's event names of a leg, in order.
func events(t hub.PaymentTrack) string {
	var names []string
	for _, e := range t.Events {
		names = append(names, e.Event)
	}
	return strings.Join(names, " ")
}

func mustBalance(tb testing.TB, h *hub.Hub, bic corridor.BIC, cur corridor.Currency, want int64) {
	tb.Helper()
	bals, err := h.Balances(context.Background(), bic)
	if err != nil {
		tb.Fatal(err)
	}
	for _, b := range bals {
		if b.Currency == cur {
			if b.Balance != want {
				tb.Errorf("%s %s balance %d; want %d", bic, cur, b.Balance, want)
			}
			return
		}
	}
	tb.Errorf("%s has no %s account", bic, cur)
}

// statuses are the pacs.002 statuses (with reasons) in bic's inbox, in order.
func statuses(tb testing.TB, h *hub.Hub, bic corridor.BIC) string {
	tb.Helper()
	msgs, err := h.Inbox(context.Background(), bic, 0, 0)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.MsgDefID != "pacs.002.001.10" {
			continue
		}
		sr, err := iso20022.DecodeStatusReport(m.Body)
		if err != nil {
			tb.Fatalf("pacs.002 #%d: %v", m.Seq, err)
		}
		out = append(out, strings.TrimSpace(string(sr.Status)+" "+string(sr.Reason)))
	}
	return strings.Join(out, ", ")
}

func TestQueueRelease(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00}, 0)
	big := pay(1, bankIN, bankRU, 600_00)
	mustSubmit(t, h, big, corridor.StatusPending)
	small := pay(2, bankIN, bankRU, 50_00) // Covered, but strict FIFO keeps it behind the big one.
	mustSubmit(t, h, small, corridor.StatusPending)
	if got := statuses(t, h, bankIN); got != "" {
		t.Errorf("pacs.002 while queued: %q; want none until the final outcome", got)
	}
	liq, err := h.Liquidity(context.Background(), bankIN)
	if err != nil || len(liq) != 1 || liq[0].QueuedOut != 650_00 || liq[0].QueuedOutCount != 2 {
		t.Fatalf("Liquidity(IN) = %+v, %v; want 650.00 INR queued out in 2 payments", liq, err)
	}
	mustFund(t, h, bankIN, corridor.Money{Amount: 550_00, Currency: "INR"})
	tr := mustStatus(t, h, big.UETR, corridor.StatusSettled, "")
	if got, want := events(tr), "accepted queued settled delivered delivered"; got != want {
		t.Errorf("tracker events %q; want %q", got, want)
	}
	mustStatus(t, h, small.UETR, corridor.StatusSettled, "")
	if got := statuses(t, h, bankIN); got != "ACSC, ACSC" {
		t.Errorf("IN's pacs.002s %q; want two ACSC", got)
	}
	mustBalance(t, h, bankIN, "INR", 0)
	mustBalance(t, h, bankRU, "INR", 650_00)
	if q, _ := h.Queue(context.Background(), corridor.Identity{Role: corridor.RoleOperator}); len(q) != 0 {
		t.Errorf("queue after release: %+v; want empty", q)
	}
}

// TestUrgentOvertakes checks that an urgent payment (InstrPrty HIGH)
// settles before its debtor's queued normal ones, and that the operator can
// reorder the queue.
func TestUrgentOvertakes(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, nil, 0)
	first, second, urgent := pay(1, bankIN, bankRU, 100_00), pay(2, bankIN, bankRU, 200_00), pay(3, bankIN, bankRU, 300_00)
	urgent.Urgent = true
	for _, p := range []corridor.Payment{first, second, urgent} {
		mustSubmit(t, h, p, corridor.StatusPending)
	}
	ctx := context.Background()
	if err := h.MoveQueued(ctx, second.UETR, true); err != nil {
		t.Fatal(err)
	}
	q, err := h.Queue(ctx, corridor.Identity{Role: corridor.RoleParticipant, BIC: bankIN})
	if err != nil || len(q) != 3 || q[0].UETR != urgent.UETR || q[1].UETR != second.UETR || q[2].UETR != first.UETR {
		t.Fatalf("queue = %+v, %v; want urgent, second (moved to the front), first", q, err)
	}
	if q, _ := h.Queue(ctx, corridor.Identity{Role: corridor.RoleParticipant, BIC: bankRU}); len(q) != 0 {
		t.Errorf("RU sees %d queued payments of IN's; want none", len(q))
	}
	if err := h.MoveQueued(ctx, "00000009-0000-4000-8000-000000000009", true); !errors.Is(err, corridor.ErrNotFound) {
		t.Errorf("moving an unknown payment: %v; want ErrNotFound", err)
	}
	mustFund(t, h, bankIN, corridor.Money{Amount: 300_00, Currency: "INR"})
	mustStatus(t, h, urgent.UETR, corridor.StatusSettled, "")
	mustStatus(t, h, second.UETR, corridor.StatusPending, "")
}

// TestGridlock is three banks without liquidity each paying the next: no
// payment can settle gross; resolution settles all three at once.
func TestGridlock(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankAE: 10_00}, 0)
	ps := []corridor.Payment{pay(1, bankIN, bankRU, 500_00), pay(2, bankRU, bankAE, 500_00), pay(3, bankAE, bankIN, 505_00)}
	for _, p := range ps {
		mustSubmit(t, h, p, corridor.StatusPending)
	}
	rep, err := h.Resolve(context.Background())
	if err != nil || rep.Resolved != 3 {
		t.Fatalf("Resolve = %+v, %v; want 3 resolved", rep, err)
	}
	for _, p := range ps {
		tr := mustStatus(t, h, p.UETR, corridor.StatusSettled, "")
		if !strings.Contains(tr.Events[2].Detail, "gridlock") {
			t.Errorf("settled event %q does not say gridlock resolution", tr.Events[2].Detail)
		}
	}
	mustBalance(t, h, bankIN, "INR", 5_00)
	mustBalance(t, h, bankRU, "INR", 0)
	mustBalance(t, h, bankAE, "INR", 5_00)
	if rep, _ := h.Resolve(context.Background()); rep.Resolved != 0 {
		t.Errorf("second Resolve settled %d; want 0", rep.Resolved)
	}
}

func TestCutoff(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00}, 0)
	short := pay(1, bankIN, bankRU, 600_00)
	mustSubmit(t, h, short, corridor.StatusPending)
	rep, err := h.Cutoff(context.Background())
	if err != nil || rep.Expired != 1 {
		t.Fatalf("Cutoff = %+v, %v; want 1 expired", rep, err)
	}
	mustStatus(t, h, short.UETR, corridor.StatusRejected, corridor.ReasonInsufficientFunds)
	if got := statuses(t, h, bankIN); got != "RJCT AM04" {
		t.Errorf("IN's pacs.002s %q; want RJCT AM04", got)
	}
	mustBalance(t, h, bankIN, "INR", 100_00)
}

func TestCancelQueued(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00}, 0)
	ctx := context.Background()
	queued, settled := pay(1, bankIN, bankRU, 600_00), pay(2, bankRU, bankIN, 1)
	mustSubmit(t, h, queued, corridor.StatusPending)
	before, _, _ := h.StateSum(ctx)
	if _, err := h.CancelPayment(ctx, corridor.Identity{Role: corridor.RoleParticipant, BIC: bankRU}, queued.UETR); !errors.Is(err, corridor.ErrNotFound) {
		t.Errorf("RU cancels IN's payment: %v; want ErrNotFound", err)
	}
	if after, _, _ := h.StateSum(ctx); after != before {
		t.Error("a refused cancellation changed the state")
	}
	res, err := h.CancelPayment(ctx, corridor.Identity{Role: corridor.RoleParticipant, BIC: bankIN}, queued.UETR)
	if err != nil || res.Status != corridor.StatusRejected || res.Reason != corridor.ReasonCancelled {
		t.Fatalf("IN cancels its queued payment: %+v, %v; want RJCT DS02", res, err)
	}
	if got := statuses(t, h, bankIN); got != "RJCT DS02" {
		t.Errorf("IN's pacs.002s %q; want RJCT DS02", got)
	}
	mustFund(t, h, bankRU, corridor.Money{Amount: 1, Currency: "INR"})
	mustSubmit(t, h, settled, corridor.StatusSettled)
	_, err = h.CancelPayment(ctx, corridor.Identity{Role: corridor.RoleParticipant, BIC: bankRU}, settled.UETR)
	if r, _ := corridor.ReasonOf(err); r != corridor.ReasonNotAllowed {
		t.Errorf("cancelling a settled payment: %v; want AG01", err)
	}
}

// fxPayment is payment i: IN pays INR instructed, RU receives RUB settled.
func fxPayment(i int, inr, rub corridor.Amount, quote uint64) corridor.Payment {
	p := pay(i, bankIN, bankRU, rub)
	p.Currency, p.Instructed, p.FXQuote = "RUB", corridor.Money{Amount: inr, Currency: "INR"}, quote
	p.XchgRate = "1.0823"
	return p
}

// TestNetCycle settles rupees in a deferred net cycle in which the Russian
// bank cannot cover its net debit: the removal rule takes out the Indian
// bank's latest payment, then the Russian bank's, and the rest settles net.
func TestNetCycle(t *testing.T) {
	h, _, _ := mustHubWith(t, t.TempDir(), hub.Config{NetCurrencies: []corridor.Currency{"INR"}})
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00}, 0)
	ctx := context.Background()
	small, back, big := pay(1, bankIN, bankRU, 50_00), pay(2, bankRU, bankIN, 200_00), pay(3, bankIN, bankRU, 300_00)
	for _, p := range []corridor.Payment{small, back, big} {
		mustSubmit(t, h, p, corridor.StatusInCycle)
	}
	liq, err := h.Liquidity(ctx, bankIN)
	if err != nil || liq[0].CycleSent != 350_00 || liq[0].CycleReceived != 200_00 {
		t.Fatalf("Liquidity(IN) = %+v, %v; want 350.00 sent and 200.00 received in the cycle", liq, err)
	}
	rep, err := h.CloseCycle(ctx)
	if err != nil || rep.Cycle != 1 || rep.Settled != 1 || rep.Removed != 2 {
		t.Fatalf("CloseCycle = %+v, %v; want cycle 1, 1 settled, 2 removed", rep, err)
	}
	mustStatus(t, h, small.UETR, corridor.StatusSettled, "")
	mustStatus(t, h, back.UETR, corridor.StatusRejected, corridor.ReasonInsufficientFunds)
	mustStatus(t, h, big.UETR, corridor.StatusRejected, corridor.ReasonInsufficientFunds)
	mustBalance(t, h, bankIN, "INR", 50_00)
	mustBalance(t, h, bankRU, "INR", 50_00)
	if got := statuses(t, h, bankIN); got != "ACSC, RJCT AM04" {
		t.Errorf("IN's pacs.002s %q; want ACSC, RJCT AM04", got)
	}
	mustNotification(t, h, bankIN, "DBIT", "50.00")
	mustNotification(t, h, bankRU, "CRDT", "50.00")
	if rep, _ := h.CloseCycle(ctx); rep.Cycle != 0 {
		t.Errorf("closing with no open cycle: %+v; want nothing", rep)
	}
}

// mustNotification fails unless bic's inbox holds a valid camt.054 of one
// booked entry of amount in direction.
func mustNotification(tb testing.TB, h *hub.Hub, bic corridor.BIC, direction, amount string) {
	tb.Helper()
	msgs, _ := h.Inbox(context.Background(), bic, 0, 0)
	for _, m := range msgs {
		if m.MsgDefID != "camt.054.001.08" {
			continue
		}
		msg, err := iso20022.Decode(m.Body)
		if err != nil {
			tb.Fatalf("camt.054 to %s: %v", bic, err)
		}
		e := msg.Document.(*iso20022.Camt054Document).BkToCstmrDbtCdtNtfctn.Ntfctn[0].Ntry[0]
		if e.CdtDbtInd != direction || e.Amt.Value != amount {
			tb.Errorf("camt.054 to %s: %s %s; want %s %s", bic, e.CdtDbtInd, e.Amt.Value, direction, amount)
		}
		return
	}
	tb.Errorf("%s got no camt.054", bic)
}

func TestSettlementInvariants(t *testing.T) {
	h, _, _ := mustHubWith(t, t.TempDir(), hub.Config{})
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 1_000_00, bankAE: 500_00}, 0)
	bics := []corridor.BIC{bankIN, bankRU, bankAE}
	for i := 1; i <= 60; i++ {
		from, to := bics[i%3], bics[(i*7+1)%3]
		if from == to {
			to = bics[(i+1)%3]
		}
		if _, err := submit(t, h, pay(i, from, to, corridor.Amount(100+(i*7919)%90_000))); err != nil {
			t.Fatalf("payment %d: %v", i, err)
		}
		if i%10 == 0 {
			if _, err := h.Resolve(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	var total int64
	for _, b := range bics {
		bals, _ := h.Balances(context.Background(), b)
		total += bals[0].Balance
		if bals[0].Balance < 0 {
			t.Errorf("%s below its floor: %d", b, bals[0].Balance)
		}
	}
	if total != 1_500_00 {
		t.Errorf("INR held by the banks %d; want the 1500.00 funded", total)
	}
	q, _ := h.Queue(context.Background(), corridor.Identity{Role: corridor.RoleOperator})
	t.Logf("%d payments still queued", len(q))
}
