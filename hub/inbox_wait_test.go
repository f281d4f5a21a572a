package hub_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// TestInboxWaitOffSequencer holds more long polls of one bank than the
// sequencer's queue has room for: a poll that waits holds no place in it,
// so another bank's payment is taken and read at once.
func TestInboxWaitOffSequencer(t *testing.T) {
	const greedy corridor.BIC = "DEMOAEADXXX"
	const polls = hub.QueueDepth + hub.MaxBatch
	waits := make(chan struct{}, polls)
	h, _, _ := mustHubWith(t, t.TempDir(), hub.Config{OnWait: func(bic corridor.BIC) {
		if bic == greedy {
			waits <- struct{}{} // Room for every poll's first wait; a poll waits again only once woken.
		}
	}})
	mustSetUp(t, h, "500.00")
	ctx, cancel := context.WithCancel(context.Background())
	if err := h.RegisterParticipant(ctx, corridor.Participant{BIC: greedy, Name: "Demo Bank of the Emirates",
		Currencies: []corridor.Currency{"AED"}}, certificate(greedy)); err != nil {
		t.Fatalf("register %s: %v", greedy, err)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	for range polls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = h.Inbox(ctx, greedy, 0, time.Minute) // Ended by cancel: its error is the context's.
		}()
	}
	for range polls {
		<-waits
	}

	if _, err := submit(t, h, payment(1, 100)); err != nil {
		t.Fatalf("payment while %s holds %d polls: %v", greedy, polls, err)
	}
	msgs, err := h.Inbox(context.Background(), bankRU, 0, 0)
	if err != nil || len(msgs) != 1 || msgs[0].MsgDefID != "pacs.008.001.08" {
		t.Errorf("Inbox(%s) while %s holds %d polls = %+v, %v; want the pacs.008", bankRU, greedy, polls, msgs, err)
	}
}
