package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

// TestInboxSignedAsPage reads an inbox page with sign=batch: every message
// carries the one signature of the page and its place in it, each proves
// itself against the hub's certificate, and an altered or misplaced body
// does not; the default still signs each message; any other mode is refused FF01.
func TestInboxSignedAsPage(t *testing.T) {
	f := mustFixture(t)
	bank := mustRawBank(t, f, "DEMOINCBXXX", "Demo Bank C of India", "INR")
	for i := range 5 {
		mustSubmit(t, f.a, mustEncode(t, rupees(200+i, bankA, bank.bic, 1_00)))
	}
	hubCert, err := pki.LoadHubCertificate(f.caDir)
	if err != nil {
		t.Fatal(err)
	}
	page := func(query string) []httpapi.InboxMessageBody {
		t.Helper()
		a := bank.send(f, http.MethodGet, "/v1/inbox?"+query, nil, "")
		if a.status != http.StatusOK {
			t.Fatalf("GET /v1/inbox?%s = %s", query, a)
		}
		var resp httpapi.InboxResponse
		if err := json.Unmarshal([]byte(a.body), &resp); err != nil {
			t.Fatal(err)
		}
		return resp.Messages
	}
	msgs := page("sign=batch")
	if len(msgs) != 5 || msgs[0].Batch == nil || msgs[0].Signature != msgs[4].Signature {
		t.Fatalf("sign=batch gave %d messages, first %+v; want 5 under one signature", len(msgs), msgs[0])
	}
	if err := httpapi.VerifyInbox(msgs, hubCert); err != nil {
		t.Fatalf("the page does not verify: %v", err)
	}
	altered := append([]httpapi.InboxMessageBody(nil), msgs...)
	altered[2].Body = strings.Replace(altered[2].Body, "1.00", "9.00", 1)
	if err := httpapi.VerifyInbox(altered, hubCert); err == nil {
		t.Error("an altered body verifies")
	}
	moved := append([]httpapi.InboxMessageBody(nil), msgs...)
	moved[1].Body, moved[3].Body = moved[3].Body, moved[1].Body
	if err := httpapi.VerifyInbox(moved, hubCert); err == nil {
		t.Error("two bodies swapped verify")
	}
	one := page("")
	if len(one) != 5 || one[0].Batch != nil || one[0].Signature == one[1].Signature {
		t.Fatalf("the default gave %+v; want a signature per message", one[0])
	}
	if err := httpapi.VerifyInbox(one, hubCert); err != nil {
		t.Fatal(err)
	}
	if a := bank.send(f, http.MethodGet, "/v1/inbox?sign=none", nil, ""); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "sign must be message or batch") {
		t.Errorf("sign=none = %s; want 422 FF01 naming the parameter", a)
	}
}
