package hub_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
)

// returnOf is the i-th test return of amount minor units of orig, sent by
// its instructed agent, for reason.
func returnOf(tb testing.TB, i int, orig corridor.Payment, amount corridor.Amount, reason string) []byte {
	tb.Helper()
	msg, err := iso20022.EncodeReturn(iso20022.Return{MsgID: fmt.Sprintf("RTR%08d", i), ReturnID: fmt.Sprintf("RTRID%06d", i),
		Created: businessDay, Original: orig, Amount: amount, Reason: reason})
	if err != nil {
		tb.Fatalf("encode pacs.004: %v", err)
	}
	return msg
}

// submitMessage hands msg to the hub as sent by from, as the API does:
// decoded once, then submitted.
func submitMessage(tb testing.TB, h *hub.Hub, from corridor.BIC, msg []byte) (hub.PaymentResult, error) {
	tb.Helper()
	sub, err := iso20022.DecodeSubmission(msg, from, h.BIC())
	if err != nil {
		return hub.PaymentResult{}, err
	}
	return h.SubmitMessage(context.Background(), sub, corridor.SignedMessage{Body: msg})
}

// inboxKinds lists the message definitions in bic's inbox, in order.
func inboxKinds(tb testing.TB, h *hub.Hub, bic corridor.BIC) string {
	tb.Helper()
	msgs, err := h.Inbox(context.Background(), bic, 0, 0)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		out = append(out, m.MsgDefID)
	}
	return strings.Join(out, " ")
}

// lastMessage is the last message of the kind in bic's inbox.
func lastMessage(tb testing.TB, h *hub.Hub, bic corridor.BIC, msgDef string) hub.InboxMessage {
	tb.Helper()
	msgs, err := h.Inbox(context.Background(), bic, 0, 0)
	if err != nil {
		tb.Fatal(err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].MsgDefID == msgDef {
			return msgs[i]
		}
	}
	tb.Fatalf("no %s in %s's inbox", msgDef, bic)
	return hub.InboxMessage{}
}

func TestReturn(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 1000_00}, 0)
	orig := pay(1, bankIN, bankRU, 600_00)
	mustSubmit(t, h, orig, corridor.StatusSettled)

	t.Run("OK", func(t *testing.T) {
		res, err := submitMessage(t, h, bankRU, returnOf(t, 1, orig, 200_00, "AC04"))
		if err != nil || res.Status != corridor.StatusSettled {
			t.Fatalf("return = %+v, %v; want ACSC", res, err)
		}
		mustBalance(t, h, bankIN, "INR", 600_00)
		mustBalance(t, h, bankRU, "INR", 400_00)
		if got := inboxKinds(t, h, bankIN); got != "pacs.002.001.10 pacs.004.001.09" {
			t.Errorf("original sender's inbox: %s; want its pacs.002 and the pacs.004", got)
		}
		st := lastMessage(t, h, bankRU, "pacs.002.001.10")
		mustPassXMLLint(t, "pacs.002 of a return", st.Body)
		if !strings.Contains(string(st.Body), "<OrgnlMsgNmId>pacs.004.001.09</OrgnlMsgNmId>") {
			t.Errorf("the returner's pacs.002 does not name the pacs.004:\n%s", st.Body)
		}
	})
	t.Run("Replay", func(t *testing.T) {
		res, err := submitMessage(t, h, bankRU, returnOf(t, 1, orig, 200_00, "AC04"))
		if err != nil || !res.Duplicate || res.Status != corridor.StatusSettled {
			t.Fatalf("repeated return = %+v, %v; want the first answer, duplicate", res, err)
		}
	})
	t.Run("ErrExceedsOriginal", func(t *testing.T) {
		_, err := submitMessage(t, h, bankRU, returnOf(t, 2, orig, 400_01, "AC04"))
		if r, _ := corridor.ReasonOf(err); r != hub.ReasonReturnExceeded {
			t.Fatalf("returning more than is left: %v; want %s", err, hub.ReasonReturnExceeded)
		}
	})
	t.Run("ErrNotTheCreditorAgent", func(t *testing.T) {
		_, err := submitMessage(t, h, bankIN, returnOf(t, 3, orig, 100, "AC04"))
		if err == nil || !strings.Contains(err.Error(), "not authorised") {
			t.Fatalf("a return by the debtor agent: %v; want refused", err)
		}
	})
	t.Run("QueuedThenSettled", func(t *testing.T) {
		other := pay(5, bankRU, bankAE, 400_00) // Leaves the returner with nothing.
		mustSubmit(t, h, other, corridor.StatusSettled)
		res, err := submitMessage(t, h, bankRU, returnOf(t, 4, orig, 400_00, "FOCR"))
		if err != nil || res.Status != corridor.StatusPending {
			t.Fatalf("return short of liquidity = %+v, %v; want PDNG", res, err)
		}
		if _, err := submitMessage(t, h, bankRU, returnOf(t, 6, orig, 1, "AC04")); err == nil {
			t.Fatal("a queued return must count against what is left to return")
		}
		mustFund(t, h, bankRU, corridor.Money{Amount: 400_00, Currency: "INR"})
		mustBalance(t, h, bankIN, "INR", 1000_00)
	})
	legs, err := h.Track(context.Background(), corridor.Identity{BIC: bankIN}, orig.UETR)
	if err != nil || len(legs) != 3 {
		t.Fatalf("Track = %d legs, %v; want the payment and its two returns", len(legs), err)
	}
	want := "accepted settled delivered delivered return requested returned return requested returned"
	if got := events(legs[0]); got != want {
		t.Errorf("original's events: %s; want %s", got, want)
	}
}

func TestReturnRefused(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00}, 0)
	queued := pay(1, bankIN, bankRU, 200_00)
	mustSubmit(t, h, queued, corridor.StatusPending)
	before, _, _ := h.StateSum(context.Background())
	if _, err := submitMessage(t, h, bankRU, returnOf(t, 1, queued, 100, "AC04")); err == nil || !strings.Contains(err.Error(), "AG01") {
		t.Errorf("a return of a queued payment: %v; want AG01", err)
	}
	unknown := pay(2, bankIN, bankRU, 100)
	if _, err := submitMessage(t, h, bankRU, returnOf(t, 2, unknown, 100, "AC04")); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("a return of an unknown payment: %v; want not found", err)
	}
	if after, _, _ := h.StateSum(context.Background()); after != before {
		t.Error("a refused return changed the state")
	}
}

// TestReturnScreened holds a return whose returned payment's creditor is on
// the operator's list, loaded after the payment settled.
func TestReturnScreened(t *testing.T) {
	ctx := context.Background()
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00}, 0)
	orig := listedPayment(1)
	mustSubmit(t, h, orig, corridor.StatusSettled)
	mustOwnList(t, h)
	res, err := submitMessage(t, h, bankRU, returnOf(t, 1, orig, 100, "AC04"))
	if err != nil || res.Status != corridor.StatusPending {
		t.Fatalf("return of a listed party's payment = %+v, %v; want PDNG (held)", res, err)
	}
	if holds, _ := h.Holds(ctx); len(holds) != 1 || holds[0].Reference != res.Reference {
		t.Fatalf("holds = %+v; want the return", holds)
	}
	if err := h.Decide(ctx, "operator", orig.UETR, true, "the return goes back to our own customer", false); err != nil {
		t.Fatal(err)
	}
	mustBalance(t, h, bankIN, "INR", 100_00)
}

// mustReturnsAndCases adds returns, cancellations and notification settings to
// the state of TestRestart.
func mustReturnsAndCases(t *testing.T, h *hub.Hub) {
	t.Helper()
	if err := h.SetNotifications(context.Background(), bankIN, true); err != nil {
		t.Fatal(err)
	}
	if err := h.SetLimits(context.Background(), bankRU, "INR", 0, 0, map[corridor.BIC]corridor.Amount{bankIN: 100}); err != nil {
		t.Fatal(err)
	}
	settled := payment(1, 500)
	if res, err := submitMessage(t, h, bankRU, returnOf(t, 1, settled, 200, "AC04")); err != nil || res.Status != corridor.StatusSettled {
		t.Fatalf("return = %+v, %v; want ACSC", res, err)
	}
	mustCancel(t, h, "CXL-QUEUED", payment(19, 19*500), corridor.StatusRejected)
	forwarded := payment(2, 1000)
	mustCancel(t, h, "CXL-SETTLED", forwarded, corridor.StatusSettled)
	if _, err := submitMessage(t, h, bankRU, resolutionOf(t, "ANS-1", "CXL-SETTLED", forwarded, "RJCR", "CUST")); err != nil {
		t.Fatal(err)
	}
}
