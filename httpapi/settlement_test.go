package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// TestQueueAPI checks who sees and changes the RTGS queue: a participant its
// own payments only, the operator all of them.
func TestQueueAPI(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	queued := rupees(1, bankB, bankA, 600_00) // B holds 500.00 INR.
	if resp := mustSubmit(t, f.b, mustEncode(t, queued)); resp.Status != string(corridor.StatusPending) {
		t.Fatalf("Submit = %+v; want PDNG", resp)
	}
	urgent := rupees(2, bankB, bankA, 700_00)
	urgent.pay.Urgent = true
	mustSubmit(t, f.b, mustEncode(t, urgent))

	for _, who := range []struct {
		name   string
		client *httpapi.Client
		want   []string
	}{{"B", f.b, []string{string(urgent.pay.UETR), string(queued.pay.UETR)}}, {"A", f.a, nil},
		{"operator", f.op, []string{string(urgent.pay.UETR), string(queued.pay.UETR)}}} {
		q, err := who.client.Queue(ctx)
		if err != nil || len(q) != len(who.want) {
			t.Fatalf("%s's queue = %+v, %v; want %d payments", who.name, q, err, len(who.want))
		}
		for i, p := range q {
			if p.UETR != who.want[i] {
				t.Errorf("%s's queue[%d] = %s; want %s (urgent first)", who.name, i, p.UETR, who.want[i])
			}
		}
	}
	pos, err := f.b.Positions(ctx)
	if err != nil || pos[0].QueuedOut != "1300.00" || pos[0].QueuedOutCount != 2 {
		t.Errorf("B's positions = %+v, %v; want 1300.00 INR queued out", pos, err)
	}

	before := mustStateSum(t, f.hub)
	_, err = f.a.Cancel(ctx, queued.pay.UETR)
	mustAPIError(t, err, http.StatusNotFound, "")
	err = f.b.Move(ctx, queued.pay.UETR, httpapi.MoveRequest{To: "front"})
	mustAPIError(t, err, http.StatusForbidden, "")
	_, err = f.b.Resolve(ctx)
	mustAPIError(t, err, http.StatusForbidden, "")
	err = f.op.Move(ctx, queued.pay.UETR, httpapi.MoveRequest{To: "sideways"})
	mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonInvalidFormat)
	mustUnchanged(t, f.hub, before)

	if err := f.op.Move(ctx, queued.pay.UETR, httpapi.MoveRequest{Priority: "urgent"}); err != nil {
		t.Fatalf("operator raises the priority: %v", err)
	}
	if rep, err := f.op.Resolve(ctx); err != nil || rep.Resolved != 0 {
		t.Errorf("Resolve = %+v, %v; want nothing to offset", rep, err)
	}
	rep, err := f.op.Cutoff(ctx)
	if err != nil || rep.Expired != 2 {
		t.Fatalf("Cutoff = %+v, %v; want 2 expired", rep, err)
	}
	for _, m := range mustInbox(t, f.b, 0) {
		if sr := mustStatusReport(t, m); sr.Status != corridor.StatusRejected || sr.Reason != corridor.ReasonInsufficientFunds {
			t.Errorf("B's pacs.002 %s %s; want RJCT AM04", sr.Status, sr.Reason)
		}
	}
}

// TestFXAPI publishes a rate, has A take a quote and pay B in roubles out of
// its rupees, and checks the refusals of a used quote and of a participant
// publishing rates.
func TestFXAPI(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	err := f.a.PublishRate(ctx, httpapi.RateBody{Pair: "INR/RUB", Rate: "1.0823"})
	mustAPIError(t, err, http.StatusForbidden, "")
	err = f.op.PublishRate(ctx, httpapi.RateBody{Pair: "INR/RUB", Rate: "1.08.23"})
	mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonInvalidFormat)
	if err := f.op.PublishRate(ctx, httpapi.RateBody{Pair: "INR/RUB", Rate: "1.0823"}); err != nil {
		t.Fatal(err)
	}
	err = f.op.PublishRate(ctx, httpapi.RateBody{Pair: "RUB/INR", Rate: "0.95"}) // A risk-free round trip.
	mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonNotAllowed)
	fx := mustParticipant(t, f.op, f.url, "DEMOFXPRXXX", "Demo FX Provider", "INR", "RUB")
	mustFund(t, f.op, "DEMOFXPRXXX", "RUB", "5000.00")
	_, err = fx.PublishOffer(ctx, httpapi.OfferRequest{Pair: "INR/RUB", Bid: "1.0823", Ask: "1.09", Size: "1000.000"})
	mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonDecimals)
	_, err = fx.PublishOffer(ctx, httpapi.OfferRequest{Pair: "INR/RUB", Bid: "1.30", Ask: "1.31", Size: "100000.00"})
	mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonNotAllowed) // Outside the band.
	if _, err := fx.PublishOffer(ctx, httpapi.OfferRequest{Pair: "INR/RUB", Bid: "1.0823", Ask: "1.09", Size: "100000.00", LifeSeconds: 600}); err != nil {
		t.Fatal(err)
	}
	if offers, err := f.a.Offers(ctx); err != nil || len(offers) != 1 || offers[0].Provider != "DEMOFXPRXXX" {
		t.Fatalf("Offers = %+v, %v; want the provider's one", offers, err)
	}
	q, err := f.a.Quote(ctx, httpapi.QuoteRequest{Amount: "1000.00", From: "INR", To: "RUB"})
	if err != nil || q.Converted != "1082.30" || q.Rate != "1.0823" || q.ID == 0 || q.Provider != "DEMOFXPRXXX" {
		t.Fatalf("Quote = %+v, %v; want 1082.30 RUB at 1.0823", q, err)
	}
	m := rupees(1, bankA, bankB, 1082_30)
	m.pay.Currency = "RUB"
	m.pay.Instructed, m.pay.FXQuote, m.pay.XchgRate = corridor.Money{Amount: 1000_00, Currency: "INR"}, q.ID, "1.0823"
	if resp := mustSubmit(t, f.a, mustEncode(t, m)); resp.Status != string(corridor.StatusSettled) {
		t.Fatalf("Submit = %+v; want ACSC", resp)
	}
	mustHubAccountsAPI(t, f)
	if got := mustAccounts(t, f.b)[1]; got.Currency != "RUB" || got.Balance != "3082.30" {
		t.Errorf("B's RUB account %+v; want 3082.30", got)
	}
	if got := mustAccounts(t, f.a)[0]; got.Balance != "999000.00" {
		t.Errorf("A's INR account %+v; want 999000.00", got)
	}
	tr := mustTrack(t, f.b, m.pay.UETR)
	if leg := tr.Legs[0]; leg.Instructed != "1000.00 INR" || leg.FXQuote != q.ID || leg.Amount != "1082.30" || leg.Currency != "RUB" {
		t.Errorf("tracker leg %+v; want 1000.00 INR instructed, quote %d, 1082.30 RUB settled", leg, q.ID)
	}
	if ev := tr.Legs[0].Events; len(ev) < 2 || ev[1].Event != "converted" {
		t.Errorf("tracker events %+v; want accepted, converted, ...", ev)
	}
	again := m.withMsgID("MSG-0001-B")
	again.pay.UETR = "3f1c7a52-9b4e-4c1d-8a2f-000000000002"
	_, err = f.a.Submit(ctx, mustEncode(t, again))
	mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonDuplicate)
}

// mustHubAccountsAPI checks the operator's view of the hub's accounts after
// a PvP conversion: every one listed with a floor, none used by FX, and a
// participant may not look.
func mustHubAccountsAPI(t *testing.T, f *fixture) {
	ctx := context.Background()
	_, err := f.a.HubAccounts(ctx)
	mustAPIError(t, err, http.StatusForbidden, "")
	accts, err := f.op.HubAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]httpapi.HubAccountBody{}
	for _, a := range accts {
		names[a.Name] = a
	}
	for _, n := range []string{"central/INR", "technical/RUB", "fx-position/RUB", "fx-rounding/RUB"} {
		if _, ok := names[n]; !ok {
			t.Errorf("hub accounts lack %s: %+v", n, accts)
		}
	}
	if a := names["fx-position/RUB"]; a.Balance != "0.00" || a.Floor != "0.00" || a.Breach {
		t.Errorf("fx-position/RUB = %+v; want 0.00 with floor 0.00", a)
	}
}
