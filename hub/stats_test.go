package hub_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/google/go-cmp/cmp"
)

// countingObserver counts what the hub tells it.
type countingObserver struct {
	mu       sync.Mutex // guards the counts
	requests int
	entries  int
}

func (o *countingObserver) BatchCommitted(requests, entries int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requests += requests
	o.entries += entries
}

func (o *countingObserver) Screened(time.Duration, int) {}

func TestStats(t *testing.T) {
	obs := &countingObserver{}
	h, _, _ := mustHubWith(t, t.TempDir(), hub.Config{Observer: obs})
	mustSetUp(t, h, "1000.00")
	if _, err := submit(t, h, payment(1, 10_000)); err != nil {
		t.Fatal(err)
	}
	if _, err := submit(t, h, payment(2, 500_000)); err != nil { // More than is left: it waits in the queue.
		t.Fatal(err)
	}
	st, err := h.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantPayments := []hub.PaymentCount{
		{MsgDef: "pacs.008.001.08", Status: corridor.StatusSettled, Count: 1},
		{MsgDef: "pacs.008.001.08", Status: corridor.StatusPending, Count: 1},
	}
	if diff := cmp.Diff(wantPayments, st.Payments); diff != "" {
		t.Errorf("Stats().Payments (-want +got):\n%s", diff)
	}
	wantWaiting := []hub.WaitingTotal{{Wait: hub.WaitQueue, Currency: "INR", Count: 1, Value: 500_000}}
	if diff := cmp.Diff(wantWaiting, st.Waiting); diff != "" {
		t.Errorf("Stats().Waiting (-want +got):\n%s", diff)
	}
	wantInboxes := []hub.InboxBacklog{{BIC: bankIN, Messages: 1}, {BIC: bankRU, Messages: 1}}
	if diff := cmp.Diff(wantInboxes, st.Inboxes); diff != "" {
		t.Errorf("Stats().Inboxes (-want +got):\n%s", diff)
	}
	if len(st.Certificates) != 2 || !st.Certificates[0].NotAfter.Equal(certificate(bankIN).NotAfter) {
		t.Errorf("Stats().Certificates = %v; want both banks' expiry %v", st.Certificates, certificate(bankIN).NotAfter)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	// The settlement configuration, two registrations, a funding and two
	// payments: every journaled entry observed, and a request for each.
	if obs.entries != 6 || st.Seq != 6 || obs.requests < obs.entries {
		t.Errorf("observed %d requests and %d entries, seq %d; want 6 entries, seq 6, at least as many requests", obs.requests, obs.entries, st.Seq)
	}
}
