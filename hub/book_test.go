package hub_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// TestStatementPagesStored books more entries in one business day than a
// page holds, on a hub that keeps them in memory and on one that keeps them
// in the store, and checks that every page of the end-of-day camt.053, as
// delivered into the inbox and as asked for, is the same message on both,
// and again after a restart from a snapshot.
func TestStatementPagesStored(t *testing.T) {
	n := hub.MaxStatementEntries + 7
	pages := map[string][]string{}
	for name, retention := range map[string]time.Duration{"kept": 0, "stored": hub.MaxRetention} {
		pages[name] = statementPages(t, retention, n)
	}
	if len(pages["kept"]) != 4 {
		t.Fatalf("%d pages; want two delivered and two asked for", len(pages["kept"]))
	}
	if diff := cmp.Diff(pages["kept"], pages["stored"]); diff != "" {
		t.Errorf("the statements differ (-kept +stored):\n%.3000s", diff)
	}
	for i, p := range pages["stored"] {
		mustPassXMLLint(t, fmt.Sprintf("camt.053 page %d", i%2+1), []byte(p))
		if got, want := strings.Count(p, "<Ntry>"), []int{hub.MaxStatementEntries, 7}[i%2]; got != want {
			t.Errorf("page %d holds %d entries; want %d", i%2+1, got, want)
		}
	}
}

// statementPages funds one account n times in a business day, ends the
// day, and returns the camt.053 pages the owner's inbox holds and those
// asked for, read before and after a restart from a snapshot (which must
// agree).
func statementPages(t *testing.T, retention time.Duration, n int) []string {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := hub.Config{Calendars: testCalendars(t)[:1], Retention: retention} // INR only.
	h, db, stop := mustRunHub(t, dir, withClock(cfg, businessDay))
	mustBanks(t, h, nil, 0)
	day, err := h.OpenDay(ctx, "INR")
	if err != nil {
		t.Fatal(err)
	}
	mustFundConcurrently(t, h, n)
	if _, err := h.CloseDay(ctx, "INR"); err != nil {
		t.Fatal(err)
	}
	read := func(h *hub.Hub) []string {
		var out []string
		for _, m := range mustInbox(t, h, bankIN) {
			if m.MsgDefID == "camt.053.001.08" {
				out = append(out, string(m.Body))
			}
		}
		for page := 1; page <= 2; page++ {
			st, err := h.Statement(ctx, bankIN, "INR", day.Date, page)
			if err != nil {
				t.Fatalf("page %d: %v", page, err)
			}
			out = append(out, string(st.Body))
		}
		return out
	}
	before := read(h)
	snap, err := h.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Journal().SaveSnapshot(ctx, snap.Seq, snap.EntryHash, snap.StateHash, snap.Data); err != nil {
		t.Fatal(err)
	}
	stop()
	h, _, _ = mustRunHub(t, dir, withClock(cfg, businessDay))
	if diff := cmp.Diff(before, read(h)); diff != "" {
		t.Errorf("retention %v: after a restart the statements differ (-before +after):\n%.3000s", retention, diff)
	}
	return before
}

// withClock is cfg with a clock that stands still at at: the entries and
// messages of two hubs then differ only if what they did does.
func withClock(cfg hub.Config, at time.Time) hub.Config {
	cfg.Now = func() time.Time { return at }
	return cfg
}

// mustFundConcurrently funds the Indian bank n times with 1.00 INR from
// several goroutines: the commands are all alike, so the journal is the
// same whatever their order, and they commit in batches.
func mustFundConcurrently(t *testing.T, h *hub.Hub, n int) {
	const workers = 32
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if err := h.Fund(context.Background(), bankIN, corridor.Money{Amount: 1_00, Currency: "INR"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// mustInbox is every message in bic's inbox.
func mustInbox(t *testing.T, h *hub.Hub, bic corridor.BIC) []hub.InboxMessage {
	t.Helper()
	var out []hub.InboxMessage
	for after := uint64(0); ; {
		msgs, err := h.Inbox(context.Background(), bic, after, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 0 {
			return out
		}
		out = append(out, msgs...)
		after = msgs[len(msgs)-1].Seq
	}
}
