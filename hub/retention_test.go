package hub_test

import (
	"context"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// inMemory counts the payment legs the hub holds in memory.
func inMemory(tb testing.TB, h *hub.Hub) int {
	tb.Helper()
	st, err := h.Stats(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, c := range st.Payments {
		n += c.Count
	}
	return n
}

// TestRetention settles payments, lets the retention pass and checks that
// the hub let go of them from memory while the archive still answers for
// them: the tracker, a repeat (by message reference or by UETR), another
// payment under the same reference, the UETR's chain, a return; and that a
// restart replays to the same state.
func TestRetention(t *testing.T) {
	dir := t.TempDir()
	cfg := hub.Config{Retention: time.Minute}
	h, clk, stop := mustHubWith(t, dir, cfg)
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 1_000_000}, 0)
	first := pay(1, bankIN, bankRU, 10_000)
	res := mustSubmit(t, h, first, corridor.StatusSettled)
	queued := pay(2, bankAE, bankRU, 10_000) // bankAE has nothing: it waits, and is not let go of.
	mustSubmit(t, h, queued, corridor.StatusPending)
	if n := inMemory(t, h); n != 2 {
		t.Fatalf("%d payments in memory; want 2", n)
	}

	clk.advance(2 * time.Minute)
	mustFund(t, h, bankIN, corridor.Money{Amount: 1, Currency: "INR"}) // A journaled command lets go of what is due.
	if n := inMemory(t, h); n != 1 {
		t.Fatalf("%d payments in memory after the retention; want 1 (the queued one)", n)
	}

	mustArchiveAnswers(t, h, first, res)
	before, seq := mustStateSum(t, h)
	stop()

	h, _, _ = mustHubWith(t, dir, cfg)
	if after, aseq := mustStateSum(t, h); after != before || aseq != seq {
		t.Fatalf("restarted at %d with state %x; was %d, %x", aseq, after, seq, before)
	}
	mustArchiveAnswers(t, h, first, res)
}

// mustArchiveAnswers checks that the hub answers for the archived payment
// first, accepted as res.
func mustArchiveAnswers(t *testing.T, h *hub.Hub, first corridor.Payment, res hub.PaymentResult) {
	t.Helper()
	legs := mustStatus(t, h, first.UETR, corridor.StatusSettled, "")
	if legs.Reference != res.Reference || events(legs) == "" {
		t.Errorf("archived leg %+v; want %s with its history", legs, res.Reference)
	}

	again, err := submit(t, h, first)
	if err != nil || !again.Duplicate || again.Reference != res.Reference || again.Receipt.Seq != res.Receipt.Seq {
		t.Errorf("repeat of an archived payment: %+v, %v; want a duplicate of %s (entry %d)", again, err, res.Reference, res.Receipt.Seq)
	}
	resent := first
	resent.MsgID = "RESENT0001" // The same payment under a new message reference: found by its UETR.
	if again, err := submit(t, h, resent); err != nil || !again.Duplicate || again.Reference != res.Reference {
		t.Errorf("archived payment resent under a new reference: %+v, %v; want a duplicate", again, err)
	}
	other := first
	other.Amount++
	if _, err := submit(t, h, other); reasonOf(err) != corridor.ReasonDuplicate {
		t.Errorf("another payment under an archived payment's reference: %v; want AM05", err)
	}

	hop := pay(50, bankAE, bankIN, 100) // bankAE was not instructed on the UETR: it may not pass it on.
	hop.UETR = first.UETR
	if _, err := submit(t, h, hop); reasonOf(err) != corridor.ReasonNotAllowed {
		t.Errorf("a third bank naming an archived UETR: %v; want AG01", err)
	}

	if _, err := submitMessage(t, h, bankRU, returnOf(t, 60, first, 100, "AC04")); err == nil {
		t.Errorf("a return of an archived payment was taken")
	}
	if n := inMemory(t, h); n != 1 {
		t.Errorf("%d payments in memory after the refusals; want 1", n)
	}
}

func reasonOf(err error) corridor.ReasonCode {
	r, _ := corridor.ReasonOf(err)
	return r
}

// TestRetentionSwitched turns retention on for a journal that had none
// (what became final before counts from then), then off (every payment
// stays from then), and checks that a replay of the journal reaches the
// same state.
func TestRetentionSwitched(t *testing.T) {
	dir := t.TempDir()
	elapsed := time.Duration(0)
	open := func(retention time.Duration) (*hub.Hub, *clock, func()) {
		return mustHubAt(t, dir, hub.Config{Retention: retention}, businessDay.Add(elapsed)) // On from where the last hub stopped.
	}
	later := func(clk *clock, d time.Duration) { clk.advance(d); elapsed += d + time.Second }

	h, clk, stop := open(0)
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 1_000_000}, 0)
	mustSubmit(t, h, pay(1, bankIN, bankRU, 100), corridor.StatusSettled)
	later(clk, 2*time.Minute)
	mustFund(t, h, bankIN, corridor.Money{Amount: 1, Currency: "INR"})
	if n := inMemory(t, h); n != 1 {
		t.Fatalf("without retention: %d payments in memory; want 1", n)
	}
	stop()

	h, clk, stop = open(time.Minute) // Counts payment 1 from now.
	later(clk, 30*time.Second)
	mustFund(t, h, bankIN, corridor.Money{Amount: 1, Currency: "INR"})
	if n := inMemory(t, h); n != 1 {
		t.Fatalf("half a retention after it was set: %d payments in memory; want 1", n)
	}
	later(clk, time.Minute)
	mustFund(t, h, bankIN, corridor.Money{Amount: 1, Currency: "INR"})
	if n := inMemory(t, h); n != 0 {
		t.Fatalf("a retention after it was set: %d payments in memory; want 0", n)
	}
	mustSubmit(t, h, pay(2, bankIN, bankRU, 100), corridor.StatusSettled)
	stop()

	h, clk, stop = open(0)
	later(clk, 2*time.Minute)
	mustFund(t, h, bankIN, corridor.Money{Amount: 1, Currency: "INR"})
	if n := inMemory(t, h); n != 1 {
		t.Fatalf("retention off again: %d payments in memory; want payment 2", n)
	}
	before, seq := mustStateSum(t, h)
	stop()

	h, _, _ = mustHubWith(t, dir, hub.Config{})
	if after, aseq := mustStateSum(t, h); after != before || aseq != seq {
		t.Fatalf("replayed to %x at %d; the hub ran to %x at %d", after, aseq, before, seq)
	}
	mustStatus(t, h, pay(1, bankIN, bankRU, 100).UETR, corridor.StatusSettled, "")
}
