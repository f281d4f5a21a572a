package hub_test

import (
	"context"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
)

// cancelRequest is the camt.056 of id asking to cancel orig, for reason DUPL.
func cancelRequest(tb testing.TB, id string, orig corridor.Payment) []byte {
	tb.Helper()
	msg, err := iso20022.EncodeCancelRequest(iso20022.CancelRequest{ID: id, Created: businessDay, Original: orig, Reason: "DUPL"})
	if err != nil {
		tb.Fatalf("encode camt.056: %v", err)
	}
	return msg
}

// resolutionOf is the creditor agent's camt.029 of id on case caseID.
func resolutionOf(tb testing.TB, id, caseID string, orig corridor.Payment, status, reason string) []byte {
	tb.Helper()
	msg, err := iso20022.EncodeResolution(answer(id, caseID, orig, status, reason))
	if err != nil {
		tb.Fatalf("encode camt.029: %v", err)
	}
	return msg
}

// answer is the camt.029 of id with which orig's creditor agent answers
// case caseID, which orig's instructing agent opened.
func answer(id, caseID string, orig corridor.Payment, status, reason string) iso20022.Resolution {
	return iso20022.Resolution{From: orig.InstructedAgent, To: orig.InstructingAgent, ID: id, CaseID: caseID, Created: businessDay,
		BizSvc: iso20022.BizSvcCBPRPlus, Status: status, Reason: reason, Original: iso20022.OriginalTransaction{MsgID: orig.MsgID,
			MsgDefID: iso20022.MsgDefCustomerCreditTransfer, EndToEndID: orig.EndToEndID, UETR: orig.UETR}}
}

func mustCancel(tb testing.TB, h *hub.Hub, id string, orig corridor.Payment, want corridor.PaymentStatus) hub.PaymentResult {
	tb.Helper()
	res, err := submitMessage(tb, h, orig.InstructingAgent, cancelRequest(tb, id, orig))
	if err != nil || res.Status != want {
		tb.Fatalf("camt.056 %s = %+v, %v; want %s", id, res, err, want)
	}
	return res
}

func TestCancelRequestQueued(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00}, 0)
	queued := pay(1, bankIN, bankRU, 200_00)
	mustSubmit(t, h, queued, corridor.StatusPending)
	if _, err := submitMessage(t, h, bankRU, cancelRequest(t, "CXL-B", queued)); err == nil {
		t.Fatal("the creditor agent cancelled a payment it did not send")
	}
	res := mustCancel(t, h, "CXL-1", queued, corridor.StatusRejected)
	if res.Reason != corridor.ReasonCancelled {
		t.Errorf("cancelled payment reason %s; want DS02", res.Reason)
	}
	if again := mustCancel(t, h, "CXL-1", queued, corridor.StatusRejected); !again.Duplicate {
		t.Errorf("repeated camt.056 = %+v; want the first answer, duplicate", again)
	}
	if got := statuses(t, h, bankIN); got != "RJCT DS02" {
		t.Errorf("sender's pacs.002s: %s; want RJCT DS02", got)
	}
	mustPassXMLLint(t, "camt.029 CNCL", lastMessage(t, h, bankIN, "camt.029.001.09").Body)
	if q, _ := h.Queue(context.Background(), corridor.Identity{Role: corridor.RoleOperator}); len(q) != 0 {
		t.Errorf("queue after cancellation: %+v; want empty", q)
	}
	tr := mustStatus(t, h, queued.UETR, corridor.StatusRejected, corridor.ReasonCancelled)
	if got, want := events(tr), "accepted queued cancellation requested rejected delivered delivered"; got != want {
		t.Errorf("events: %s; want %s", got, want)
	}
}

func TestCancelRequestHeldAndInCycle(t *testing.T) {
	h, _, _ := mustHubWith(t, t.TempDir(), hub.Config{NetCurrencies: []corridor.Currency{"RUB"}})
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00}, 500_00)
	mustBankKZ(t, h)
	mustOwnList(t, h)
	held := listedPayment(1)
	mustSubmit(t, h, held, corridor.StatusPending)
	mustCancel(t, h, "CXL-1", held, corridor.StatusPending) // Compliance decides: the hold stays.
	if holds, _ := h.Holds(context.Background()); len(holds) != 1 || holds[0].Cancellation == nil || holds[0].Cancellation.ID != "CXL-1" {
		t.Errorf("holds after cancellation: %+v; want the payment, with the request", holds)
	}
	net1, net2 := rubles(2, 100_00), rubles(3, 50_00)
	mustSubmit(t, h, net1, corridor.StatusInCycle)
	mustSubmit(t, h, net2, corridor.StatusInCycle)
	mustCancel(t, h, "CXL-2", net1, corridor.StatusRejected)
	rep, err := h.CloseCycle(context.Background())
	if err != nil || rep.Settled != 1 || rep.Removed != 0 {
		t.Fatalf("CloseCycle = %+v, %v; want only the other payment settled", rep, err)
	}
	mustBalance(t, h, bankRU, "RUB", 450_00)
}

func TestCancelRequestSettled(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 1000_00}, 0)
	orig := pay(1, bankIN, bankRU, 300_00)
	mustSubmit(t, h, orig, corridor.StatusSettled)

	mustCancel(t, h, "CXL-1", orig, corridor.StatusSettled)
	if m := lastMessage(t, h, bankRU, "camt.056.001.08"); !strings.Contains(string(m.Body), "CXL-1") {
		t.Fatalf("the creditor agent got %s; want the camt.056", m.Body)
	}
	if _, err := submitMessage(t, h, bankIN, cancelRequest(t, "CXL-2", orig)); err == nil || !strings.Contains(err.Error(), "AM05") {
		t.Errorf("a second request while one is open: %v; want AM05", err)
	}
	if res, err := submitMessage(t, h, bankRU, resolutionOf(t, "ANS-1", "CXL-1", orig, "RJCR", "LEGL")); err != nil || res.Status != corridor.StatusSettled {
		t.Fatalf("rejection = %+v, %v", res, err)
	}
	if m := lastMessage(t, h, bankIN, "camt.029.001.09"); !strings.Contains(string(m.Body), "ANS-1") {
		t.Errorf("the requester got %s; want the creditor agent's camt.029", m.Body)
	}
	if _, err := submitMessage(t, h, bankRU, resolutionOf(t, "ANS-2", "CXL-1", orig, "CNCL", "")); err == nil {
		t.Error("an answer to a closed case was taken")
	}

	mustCancel(t, h, "CXL-3", orig, corridor.StatusSettled)
	if _, err := submitMessage(t, h, bankRU, resolutionOf(t, "ANS-3", "CXL-3", orig, "CNCL", "")); err != nil {
		t.Fatal(err)
	}
	if res, err := submitMessage(t, h, bankRU, returnOf(t, 1, orig, 300_00, "FOCR")); err != nil || res.Status != corridor.StatusSettled {
		t.Fatalf("return following the cancellation = %+v, %v", res, err)
	}
	mustBalance(t, h, bankIN, "INR", 1000_00)
	legs, _ := h.Track(context.Background(), corridor.Identity{Role: corridor.RoleOperator}, orig.UETR)
	want := "accepted settled delivered delivered cancellation requested cancellation forwarded cancellation rejected delivered " +
		"cancellation requested cancellation forwarded cancellation accepted delivered return requested returned cancellation completed"
	if got := events(legs[0]); got != want {
		t.Errorf("events:\n%s\nwant\n%s", got, want)
	}
}

// bankKZ holds roubles only: the Russian bank pays it in the RUB net cycle.
const bankKZ corridor.BIC = "DEMOKZKAXXX"

func mustBankKZ(tb testing.TB, h *hub.Hub) {
	tb.Helper()
	p := corridor.Participant{BIC: bankKZ, Name: "Demo Bank of Kazakhstan", Currencies: []corridor.Currency{"RUB"}}
	if err := h.RegisterParticipant(context.Background(), p, certificate(p.BIC)); err != nil {
		tb.Fatal(err)
	}
}

// rubles is payment i of amount kopecks from the Russian to the Kazakh bank.
func rubles(i int, amount corridor.Amount) corridor.Payment {
	p := pay(i, bankRU, bankKZ, amount)
	p.Currency = "RUB"
	return p
}
