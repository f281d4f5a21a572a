package hub_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
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

// TestBooksStoredMatchKept drives a hub that keeps its entries in memory
// and one that keeps them in the store through the same random days of
// fundings, payments both ways, returns of nothing and business days that
// open and close (INR with a calendar, RUB on the UTC date), and after
// every step asks both for the same statements and reports: every answer,
// message or refusal, must be the same.
func TestBooksStoredMatchKept(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { testBooksStoredMatchKept(t, seed) })
	}
}

func testBooksStoredMatchKept(t *testing.T, seed int64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	at := &manualClock{t: businessDay}
	var hubs [2]*hub.Hub
	for i, retention := range []time.Duration{0, hub.MaxRetention} {
		cfg := hub.Config{Calendars: testCalendars(t)[:1], Retention: retention, Now: at.Now}
		hubs[i], _, _ = mustRunHub(t, t.TempDir(), cfg)
		mustBanks(t, hubs[i], nil, 0)
		mustFund(t, hubs[i], bankRU, corridor.Money{Amount: 1_000_000_00, Currency: "RUB"})
	}
	both := func(what string, do func(h *hub.Hub) string) {
		t.Helper()
		if kept, stored := do(hubs[0]), do(hubs[1]); kept != stored {
			t.Fatalf("step %s: kept and stored differ:\n kept:   %.600s\n stored: %.600s", what, kept, stored)
		}
	}
	answer := func(m hub.InboxMessage, err error) string {
		if err != nil {
			return "error " + err.Error()
		}
		return string(m.Body)
	}
	var dates []corridor.Date
	paid, withEntries := 0, 0
	for step := range 400 {
		switch k := rng.IntN(20); {
		case k < 6:
			amount := corridor.Amount(1 + rng.IntN(500_00))
			both("fund", func(h *hub.Hub) string {
				return fmt.Sprint(h.Fund(ctx, bankIN, corridor.Money{Amount: amount, Currency: "INR"}))
			})
		case k < 15:
			paid++
			p := pay(paid, bankIN, bankRU, corridor.Amount(1+rng.IntN(100_00)))
			if rng.IntN(2) == 0 {
				p = pay(paid, bankRU, bankIN, p.Amount)
			}
			both("pay", func(h *hub.Hub) string { res, err := submit(t, h, p); return fmt.Sprint(res.Status, err) })
		case k == 15:
			both("open", func(h *hub.Hub) string {
				v, err := h.OpenDay(ctx, "INR")
				if err == nil && h == hubs[0] {
					dates = append(dates, v.Date)
				}
				return fmt.Sprint(v.Date, err)
			})
		case k == 16:
			both("close", func(h *hub.Hub) string { v, err := h.CloseDay(ctx, "INR"); return fmt.Sprint(v.Date, err) })
		case k == 17:
			at.advance(time.Duration(1+rng.IntN(20)) * time.Hour)
		}
		cur, page := []corridor.Currency{"INR", "RUB"}[rng.IntN(2)], 1+rng.IntN(8)/7 // Page 2 at times.
		date := corridor.DateOf(at.Now().Add(-time.Duration(rng.IntN(72)) * time.Hour))
		if len(dates) > 0 && cur == "INR" {
			date = dates[rng.IntN(len(dates))]
		}
		bic := []corridor.BIC{bankIN, bankRU}[rng.IntN(2)]
		both(fmt.Sprintf("%d statement %s %s %s page %d", step, bic, cur, date, page), func(h *hub.Hub) string {
			a := answer(h.Statement(ctx, bic, cur, date, page))
			withEntries += strings.Count(a, "<Ntry>")
			return a
		})
		both(fmt.Sprintf("%d report %s %s page %d", step, bic, cur, page), func(h *hub.Hub) string { return answer(h.Report(ctx, bic, cur, page)) })
	}
	if withEntries < 100 {
		t.Errorf("the statements showed %d entries in all: the test asks for too few days with entries", withEntries)
	}
	both("inbox", func(h *hub.Hub) string {
		var out []string
		for _, m := range mustInbox(t, h, bankIN) {
			out = append(out, string(m.Body))
		}
		return strings.Join(out, "\n")
	})
}

// manualClock is a clock that moves only when told.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestBooksRulesSwitched upgrades a journal of message rules 5 (whose
// books stay in memory, as its store has no book rows) to the current
// rules in the middle of a business day: the day's statement then holds
// entries from memory and from the store, and must be the one a hub that
// kept them all in memory writes for the same journal.
func TestBooksRulesSwitched(t *testing.T) {
	ctx := context.Background()
	bodies := map[int][]string{}
	for _, rules := range []int{hub.MessagesLimitDay, hub.MessagesCurrent} {
		dir := t.TempDir()
		cfg := hub.Config{Calendars: testCalendars(t)[:1], Retention: hub.MaxRetention, MessageRules: hub.MessagesLimitDay}
		h, _, stop := mustRunHub(t, dir, withClock(cfg, businessDay))
		mustBanks(t, h, nil, 0)
		day, err := h.OpenDay(ctx, "INR")
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			mustFund(t, h, bankIN, corridor.Money{Amount: corridor.Amount(100_00 + i), Currency: "INR"})
		}
		stop()
		cfg.MessageRules, cfg.FourEyes = rules, true // Either way one configuration entry: the same journal but for the rules.
		h, _, _ = mustRunHub(t, dir, withClock(cfg, businessDay))
		for i := range 3 {
			mustFund(t, h, bankIN, corridor.Money{Amount: corridor.Amount(200_00 + i), Currency: "INR"})
		}
		if _, err := h.CloseDay(ctx, "INR"); err != nil {
			t.Fatal(err)
		}
		for _, m := range mustInbox(t, h, bankIN) {
			if m.MsgDefID == "camt.053.001.08" {
				bodies[rules] = append(bodies[rules], string(m.Body))
			}
		}
		st, err := h.Statement(ctx, bankIN, "INR", day.Date, 1)
		if err != nil {
			t.Fatal(err)
		}
		bodies[rules] = append(bodies[rules], string(st.Body))
		stored := 0
		for _, es := range mustStoredBooks(t, filepath.Join(dir, "corridor.db")) {
			stored += len(es)
		}
		if want := map[int]int{hub.MessagesLimitDay: 0, hub.MessagesCurrent: 3}[rules]; stored != want {
			t.Errorf("rules %d: %d entries in the store; want %d (those posted under the current rules)", rules, stored, want)
		}
	}
	kept, mixed := bodies[hub.MessagesLimitDay], bodies[hub.MessagesCurrent]
	if len(kept) != 2 || strings.Count(kept[0], "<Ntry>") != 6 {
		t.Fatalf("kept: %d statements, the first with %d entries; want 2 with 6", len(kept), strings.Count(kept[0], "<Ntry>"))
	}
	if diff := cmp.Diff(kept, mixed); diff != "" {
		t.Errorf("the statement of the day the rules changed differs (-kept +mixed):\n%.3000s", diff)
	}
}
