package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/iso20022"
)

// mustReturnMessage is a pacs.004 returning amount of m, from its instructed agent.
func mustReturnMessage(tb testing.TB, n int, m message, amount corridor.Amount) []byte {
	tb.Helper()
	body, err := iso20022.EncodeReturn(iso20022.Return{MsgID: "RTR-" + m.pay.MsgID, ReturnID: "RTRID-" + m.pay.MsgID,
		Created: businessDay, Original: m.pay, Amount: amount, Reason: "AC04"})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// TestReturnAPI sends a pacs.004 through POST /v1/messages: the hub routes it
// on its message definition, settles it back and delivers it to the original
// sender.
func TestReturnAPI(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	orig := rupees(1, bankA, bankB, 300_00)
	mustSubmit(t, f.a, mustEncode(t, orig))
	ret := mustReturnMessage(t, 1, orig, 100_00)

	before := mustStateSum(t, f.hub)
	_, err := f.a.Submit(ctx, ret)
	mustAPIError(t, err, http.StatusForbidden, "")
	mustUnchanged(t, f.hub, before)

	if resp := mustSubmit(t, f.b, ret); resp.Status != string(corridor.StatusSettled) {
		t.Fatalf("return = %+v; want ACSC", resp)
	}
	msgs := mustInbox(t, f.a, 0)
	if last := msgs[len(msgs)-1]; last.MsgDefID != "pacs.004.001.09" || last.Body != string(ret) {
		t.Errorf("A's last message: %s; want the pacs.004 as B sent it", last.MsgDefID)
	}
	tr := mustTrack(t, f.a, orig.pay.UETR)
	if len(tr.Legs) != 2 || !strings.Contains(eventNames(tr.Legs[0]), "returned") {
		t.Errorf("tracker: %+v; want the payment, returned, and the return", tr.Legs)
	}
	tooMuch, err := iso20022.EncodeReturn(iso20022.Return{MsgID: "RTR-2", ReturnID: "RTRID-2", Created: businessDay,
		Original: orig.pay, Amount: 200_01, Reason: "AC04"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.b.Submit(ctx, tooMuch)
	mustAPIError(t, err, http.StatusUnprocessableEntity, "AM09")
	before = mustStateSum(t, f.hub)
	_, err = f.b.Submit(ctx, mustReturnMessage(t, 3, orig.withMsgID("MSG-OTHER"), 1_00))
	mustAPIError(t, err, http.StatusUnprocessableEntity, "AG01") // Its UETR and its original message reference name two payments.
	mustUnchanged(t, f.hub, before)
}

func eventNames(l httpapi.LegBody) string {
	var names []string
	for _, e := range l.Events {
		names = append(names, e.Event)
	}
	return strings.Join(names, " ")
}

// TestCancelAPI sends camt.056 and camt.029 through POST /v1/messages.
func TestCancelAPI(t *testing.T) {
	f := mustFixture(t)
	queued := rupees(1, bankB, bankA, 600_00) // B holds 500.00 INR.
	mustSubmit(t, f.b, mustEncode(t, queued))
	cxl, err := iso20022.EncodeCancelRequest(iso20022.CancelRequest{ID: "CXL-1", Created: businessDay, Original: queued.pay, Reason: "DUPL"})
	if err != nil {
		t.Fatal(err)
	}
	if resp := mustSubmit(t, f.b, cxl); resp.Status != string(corridor.StatusRejected) || resp.Reason != "DS02" {
		t.Fatalf("cancellation of a queued payment = %+v; want RJCT DS02", resp)
	}
	settled := rupees(2, bankA, bankB, 100_00)
	mustSubmit(t, f.a, mustEncode(t, settled))
	cxl, err = iso20022.EncodeCancelRequest(iso20022.CancelRequest{ID: "CXL-2", Created: businessDay, Original: settled.pay, Reason: "CUST"})
	if err != nil {
		t.Fatal(err)
	}
	if resp := mustSubmit(t, f.a, cxl); resp.Status != string(corridor.StatusSettled) {
		t.Fatalf("cancellation of a settled payment = %+v; want ACSC (forwarded)", resp)
	}
	msgs := mustInbox(t, f.b, 0)
	if last := msgs[len(msgs)-1]; last.MsgDefID != "camt.056.001.08" {
		t.Fatalf("B's last message: %s; want the camt.056", last.MsgDefID)
	}
	p := settled.pay
	ans, err := iso20022.EncodeResolution(iso20022.Resolution{From: p.InstructedAgent, To: p.InstructingAgent, ID: "ANS-2", CaseID: "CXL-2",
		Created: businessDay, BizSvc: iso20022.BizSvcCBPRPlus, Status: iso20022.ResolutionRejected, Reason: "CUST",
		Original: iso20022.OriginalTransaction{MsgID: p.MsgID, MsgDefID: iso20022.MsgDefCustomerCreditTransfer, EndToEndID: p.EndToEndID, UETR: p.UETR}})
	if err != nil {
		t.Fatal(err)
	}
	mustSubmit(t, f.b, ans)
	msgs = mustInbox(t, f.a, 0)
	if last := msgs[len(msgs)-1]; last.MsgDefID != "camt.029.001.09" || last.Body != string(ans) {
		t.Errorf("A's last message: %s; want B's camt.029", last.MsgDefID)
	}
}

// TestStatementAPI checks statements, reports and notifications: own
// accounts only for a participant, any for the operator.
func TestStatementAPI(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	if err := f.b.SetNotifications(ctx, true); err != nil {
		t.Fatal(err)
	}
	mustSubmit(t, f.a, mustEncode(t, rupees(1, bankA, bankB, 100_00)))
	msgs := mustInbox(t, f.b, 0)
	if last := msgs[len(msgs)-1]; last.MsgDefID != "camt.054.001.08" {
		t.Errorf("B's last message: %s; want a camt.054 of the credit", last.MsgDefID)
	}
	today := corridor.DateOf(businessDay)
	st, err := f.b.Statement(ctx, "", "INR", today, 1)
	if err != nil || st.MsgDefID != "camt.053.001.08" || !strings.Contains(st.Body, "<Amt Ccy=\"INR\">600.00</Amt>") {
		t.Fatalf("B's statement = %+v, %v; want a camt.053 closing at 600.00", st, err)
	}
	_, err = f.b.Statement(ctx, bankA, "INR", today, 1)
	mustAPIError(t, err, http.StatusForbidden, "")
	if _, err := f.op.Statement(ctx, bankA, "INR", today, 1); err != nil {
		t.Errorf("operator's statement of A: %v", err)
	}
	if rp, err := f.a.Report(ctx, "INR"); err != nil || rp.MsgDefID != "camt.052.001.08" {
		t.Errorf("A's report = %+v, %v", rp, err)
	}
}

// TestLiquidityAPI sets limits with PUT /v1/limits and defunds with a pacs.009.
func TestLiquidityAPI(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	err := f.a.SetLimits(ctx, httpapi.LimitsBody{Currency: "INR", Reserve: "100.00", Bilateral: map[string]string{string(bankB): "50.00"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp := mustSubmit(t, f.a, mustEncode(t, rupees(1, bankA, bankB, 60_00))); resp.Status != string(corridor.StatusPending) {
		t.Errorf("a payment over the bilateral limit = %+v; want PDNG", resp)
	}
	err = f.a.SetLimits(ctx, httpapi.LimitsBody{Currency: "RUB"})
	mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonAccountInvalid)
	msg, err := iso20022.EncodeDefund(iso20022.Defund{MsgID: "DEFUND-1", UETR: "0a1b2c3d-0000-4000-8000-000000000001", Created: businessDay,
		From: bankB, Hub: hubBIC, Amount: corridor.Money{Amount: 100_00, Currency: "INR"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp := mustSubmit(t, f.b, msg); resp.Status != string(corridor.StatusSettled) {
		t.Errorf("defund = %+v; want ACSC", resp)
	}
}

// TestDeliverySignatureStable reads a delivered message twice: the hub's
// signature over it is the same both times (it signs deterministically, so
// each delivered message has one signature, which the client verified).
func TestDeliverySignatureStable(t *testing.T) {
	f := mustFixture(t)
	mustSubmit(t, f.a, mustEncode(t, rupees(1, bankA, bankB, 10_00)))
	first, again := mustInbox(t, f.b, 0), mustInbox(t, f.b, 0)
	if len(first) == 0 || len(first) != len(again) {
		t.Fatalf("inbox read twice: %d then %d messages", len(first), len(again))
	}
	for i := range first {
		if first[i].Signature == "" || first[i].Signature != again[i].Signature {
			t.Errorf("message %d signed %q, then %q; want one signature", first[i].Seq, first[i].Signature, again[i].Signature)
		}
	}
}
