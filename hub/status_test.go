package hub_test

import (
	"context"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// mustWaitingHub is a hub where the Indian bank has 100.00, a bilateral
// limit of 10.00 to the Emirates bank, and a list that holds listedPayment.
func mustWaitingHub(t *testing.T) *hub.Hub {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00}, 0)
	mustOwnList(t, h)
	if err := h.SetLimits(context.Background(), bankIN, "INR", 0, 0, map[corridor.BIC]corridor.Amount{bankAE: 10_00}); err != nil {
		t.Fatal(err)
	}
	return h
}

// waitingPayments wait, on mustWaitingHub, in the RTGS queue, the limit
// queue and a compliance hold.
func waitingPayments() (queued, limited, held corridor.Payment) {
	return pay(1, bankIN, bankRU, 200_00), pay(2, bankIN, bankAE, 20_00), listedPayment(3)
}

// TestWaits checks that the three kinds of PDNG are told apart by the
// tracker's Wait and the submission's answer, and that Wait goes once the
// payment settles.
func TestWaits(t *testing.T) {
	h := mustWaitingHub(t)
	queued, limited, held := waitingPayments()
	for _, c := range []struct {
		name string
		p    corridor.Payment
		want hub.Wait
	}{{"Queue", queued, hub.WaitQueue}, {"Limit", limited, hub.WaitLimit}, {"Compliance", held, hub.WaitCompliance}} {
		res := mustSubmit(t, h, c.p, corridor.StatusPending)
		if res.Wait != c.want {
			t.Errorf("%s: submission answered wait %q; want %q", c.name, res.Wait, c.want)
		}
		if tr := mustStatus(t, h, c.p.UETR, corridor.StatusPending, ""); tr.Wait != c.want {
			t.Errorf("%s: tracker says wait %q; want %q", c.name, tr.Wait, c.want)
		}
	}
	mustFund(t, h, bankIN, corridor.Money{Amount: 1000_00, Currency: "INR"})
	if tr := mustStatus(t, h, queued.UETR, corridor.StatusSettled, ""); tr.Wait != "" {
		t.Errorf("settled payment still says wait %q", tr.Wait)
	}
}

// TestCancelWaiting cancels a payment in each kind of wait through the API's
// cancel: queued and limit-queued ones are rejected DS02, a held one stays
// held (only compliance decides), and the hub keeps running.
func TestCancelWaiting(t *testing.T) {
	ctx := context.Background()
	h := mustWaitingHub(t)
	queued, limited, held := waitingPayments()
	for _, p := range []corridor.Payment{queued, limited, held} {
		mustSubmit(t, h, p, corridor.StatusPending)
	}
	bank := corridor.Identity{Role: corridor.RoleParticipant, BIC: bankIN}
	for _, p := range []corridor.Payment{queued, limited} {
		if res, err := h.CancelPayment(ctx, bank, p.UETR); err != nil || res.Status != corridor.StatusRejected || res.Reason != corridor.ReasonCancelled {
			t.Errorf("cancel %s = %+v, %v; want RJCT DS02", p.UETR, res, err)
		}
	}
	if _, err := h.CancelPayment(ctx, corridor.Identity{Role: corridor.RoleOperator}, held.UETR); err == nil {
		t.Error("cancelling a payment held for compliance succeeded")
	}
	mustStatus(t, h, held.UETR, corridor.StatusPending, "")
	mustSubmit(t, h, pay(4, bankIN, bankRU, 10_00), corridor.StatusSettled)
}

// TestChainNextHop lets the agent a payment was instructed to pass it on
// under the same UETR, and refuses anyone else AG01 with nothing changed.
func TestChainNextHop(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00, bankAE: 100_00}, 0)
	first := pay(1, bankIN, bankRU, 10_00)
	mustSubmit(t, h, first, corridor.StatusSettled)
	stranger := pay(2, bankAE, bankRU, 10_00)
	stranger.UETR = first.UETR
	if _, err := submit(t, h, stranger); err == nil {
		t.Fatal("a bank outside the chain added a leg to its UETR")
	} else if reason, _ := corridor.ReasonOf(err); reason != corridor.ReasonNotAllowed {
		t.Fatalf("a leg from outside the chain: %v; want AG01", err)
	}
	next := pay(3, bankRU, bankAE, 10_00)
	next.UETR = first.UETR
	mustSubmit(t, h, next, corridor.StatusSettled)
	tracks, err := h.Track(context.Background(), corridor.Identity{Role: corridor.RoleOperator}, first.UETR)
	if err != nil || len(tracks) != 2 {
		t.Fatalf("Track = %d legs, %v; want the payment and its next hop", len(tracks), err)
	}
}

// TestLimitQueueVisible lists a payment waiting on a limit in the queue
// view, with its wait, and counts it in the liquidity view (issue 10: the
// limit queue was in neither).
func TestLimitQueueVisible(t *testing.T) {
	ctx := context.Background()
	h := mustWaitingHub(t)
	_, limited, _ := waitingPayments()
	mustSubmit(t, h, limited, corridor.StatusPending)
	q, err := h.Queue(ctx, corridor.Identity{Role: corridor.RoleParticipant, BIC: bankIN})
	if err != nil || len(q) != 1 || q[0].UETR != limited.UETR || q[0].Wait != hub.WaitLimit {
		t.Fatalf("Queue = %+v, %v; want the limit-queued payment, wait limit", q, err)
	}
	liq, err := h.Liquidity(ctx, bankIN)
	if err != nil || liq[0].LimitQueuedOut != limited.Amount || liq[0].LimitQueuedOutCount != 1 {
		t.Fatalf("Liquidity = %+v, %v; want %s in the limit queue", liq, err, limited.Amount.Format("INR"))
	}
}
