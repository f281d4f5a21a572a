package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

const ownList = "id,kind,name,aliases,country\nOWN-1,entity,Obshchestvo Neftegaz Vostok,ООО Нефтегаз Восток,RU\n"

// TestCompliance has the operator load a list, sees a payment to a listed
// creditor held (pending to both banks, the hits to the operator only), then
// released in one case and rejected in the other.
func TestCompliance(t *testing.T) {
	for _, release := range []bool{true, false} {
		t.Run(map[bool]string{true: "Release", false: "Reject"}[release], func(t *testing.T) {
			ctx := context.Background()
			f := mustFixture(t)
			if _, err := f.op.LoadList(ctx, httpapi.ListRequest{Name: "own", Format: "csv", Files: [][]byte{[]byte(ownList)}}); err != nil {
				t.Fatal(err)
			}
			m := rupees(1, bankA, bankB, 100_00)
			m.pay.CreditorName = "OOO Neftegaz Vostok"
			if resp := mustSubmit(t, f.a, mustEncode(t, m)); resp.Status != string(corridor.StatusPending) {
				t.Fatalf("a listed creditor: %+v; want PDNG", resp)
			}
			if msgs := mustInbox(t, f.b, 0); len(msgs) != 0 {
				t.Fatalf("B received %d messages of a held payment", len(msgs))
			}
			holds, err := f.op.Holds(ctx)
			if err != nil || len(holds) != 1 || holds[0].Hits[0].EntryID != "OWN-1" || holds[0].Hits[0].Score < "0.880" {
				t.Fatalf("Holds = %+v, %v", holds, err)
			}
			if _, err := f.a.Holds(ctx); err == nil {
				t.Fatal("a participant read the holds")
			}
			if err := f.op.Decide(ctx, m.pay.UETR, release, httpapi.DecisionRequest{Why: "checked the registry"}); err != nil {
				t.Fatal(err)
			}
			mustDecided(t, f, m.pay.UETR, release)
		})
	}
}

// mustDecided checks what the banks received after the decision.
func mustDecided(t *testing.T, f *fixture, uetr corridor.UETR, release bool) {
	t.Helper()
	if release {
		if msgs := mustInbox(t, f.b, 0); len(msgs) != 1 || msgs[0].UETR != string(uetr) {
			t.Errorf("B's inbox after the release: %+v; want the pacs.008", msgs)
		}
		return
	}
	msgs := mustInbox(t, f.a, 0)
	sr := mustStatusReport(t, msgs[len(msgs)-1])
	if sr.Status != corridor.StatusRejected || sr.Reason != corridor.ReasonRegulatory {
		t.Errorf("A's pacs.002 after the rejection: %s %s; want RJCT RR04", sr.Status, sr.Reason)
	}
	if a := mustTrack(t, f.a, uetr); a.Legs[0].Status != "RJCT" {
		t.Errorf("tracker: %+v", a.Legs[0])
	}
}

func TestComplianceRefused(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	before := mustStateSum(t, f.hub)
	_, err := f.op.LoadList(ctx, httpapi.ListRequest{Name: "un", Format: "un", Files: [][]byte{[]byte("<not-a-list/>")}})
	mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonInvalidFormat)
	err = f.op.Decide(ctx, "00000000-0000-4000-8000-000000000000", true, httpapi.DecisionRequest{Why: "x"})
	mustAPIError(t, err, http.StatusNotFound, "")
	mustUnchanged(t, f.hub, before)
}
