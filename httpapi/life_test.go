package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"corridor"
	"corridor/httpapi"
)

// mustReturnMessage is a pacs.004 returning amount of m, from its instructed agent.
func mustReturnMessage(tb testing.TB, n int, m message, amount corridor.Amount) []byte {
	tb.Helper()
	body, err := httpapi.ReturnMessage(httpapi.Return{MsgID: "RTR-" + m.pay.MsgID, ReturnID: "RTRID-" + m.pay.MsgID,
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
	_, err = f.b.Submit(ctx, mustReturnMessage(t, 2, orig.withMsgID("MSG-OTHER"), 200_01))
	mustAPIError(t, err, http.StatusUnprocessableEntity, "AM09")
}

func eventNames(l httpapi.LegBody) string {
	var names []string
	for _, e := range l.Events {
		names = append(names, e.Event)
	}
	return strings.Join(names, " ")
}
