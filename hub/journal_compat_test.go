package hub_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/settlement"
	"github.com/corridor-network/corridor/sqlite"
)

var updateCurrent = flag.Bool("update-current-journal", false, "rewrite testdata/journal-current.* from a run of today's code (after adding a command or a field of the state)")

// The journal fixtures. v0 was written by the code before the commands were
// given versioned payloads, and is never rewritten: every later hub must
// replay it to the state it reached then. current is written by today's
// code with -update-current-journal, and exercises every command and every
// field of the state (TestSumCoversState replays both).
const (
	journalV0           = "testdata/journal-v0.jsonl"
	journalV0State      = "testdata/journal-v0.state"
	journalV2           = "testdata/journal-v2.jsonl"
	journalV2State      = "testdata/journal-v2.state"
	journalCurrent      = "testdata/journal-current.jsonl"
	journalCurrentState = "testdata/journal-current.state"
)

// fixtureEntry is one journal entry as the fixture keeps it, with the
// book entries the store wrote with it.
type fixtureEntry struct {
	Seq      uint64               `json:"seq"`
	TimeNS   int64                `json:"timeNs"`
	Kind     string               `json:"kind"`
	Payload  []byte               `json:"payload"`
	PrevHash []byte               `json:"prevHash"`
	Hash     []byte               `json:"hash"`
	Booked   []corridor.BookEntry `json:"booked,omitempty"`
}

// fixtureConfig is the hub configuration the v0 fixture was written with;
// currentConfig the current one's, which also asks four eyes for a release.
var (
	fixtureConfig = hub.Config{NetCurrencies: []corridor.Currency{"RUB"}}
	currentConfig = hub.Config{NetCurrencies: []corridor.Currency{"RUB"}, FourEyes: true, Retention: time.Hour}
)

// TestOldJournalReplays opens a hub on a copy of the v0 journal and checks
// that it comes back to the state the old code reached: the same state hash
// and the same balances, statuses and inboxes.
func TestOldJournalReplays(t *testing.T) {
	mustReplayFixture(t, journalV0, journalV0State, fixtureConfig)
}

// TestV2JournalReplays does the same for the current journal as it was
// when every payload was JSON (version 2), before payments became binary
// records; it is never rewritten either.
func TestV2JournalReplays(t *testing.T) {
	mustReplayFixture(t, journalV2, journalV2State, currentFixtureConfig(t))
}

// TestCurrentJournalReplays does the same for the journal of today's code.
func TestCurrentJournalReplays(t *testing.T) {
	if *updateCurrent {
		writeJournalFixture(t, journalCurrent, journalCurrentState)
	}
	mustReplayFixture(t, journalCurrent, journalCurrentState, currentFixtureConfig(t))
}

// currentFixtureConfig is the configuration the current fixture ends with:
// currentConfig, then business-day calendars (see mustDayCommands).
func currentFixtureConfig(tb testing.TB) hub.Config {
	c := currentConfig
	c.Calendars = testCalendars(tb)[:1] // INR only: RUB keeps the UTC day.
	return c
}

func mustReplayFixture(t *testing.T, journal, stateFile string, cfg hub.Config) {
	dir := t.TempDir()
	mustLoadFixture(t, dir, journal)
	h, _, _ := mustHubWith(t, dir, cfg)
	want, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := stateReport(t, h); got != string(want) {
		t.Errorf("replayed state differs from %s:\n got: %s\nwant: %s", stateFile, got, want)
	}
}

// writeJournalFixture drives a hub through every kind of journaled command
// and writes its journal and the state it reached.
func writeJournalFixture(t *testing.T, journal, stateFile string) {
	dir := t.TempDir()
	h, _, stop := mustHubWith(t, dir, currentConfig)
	driveEveryCommand(t, h)
	stop()
	h, c, stop := mustHubWith(t, dir, currentFixtureConfig(t)) // Journals the calendars.
	mustDayCommands(t, h, c)
	report := stateReport(t, h)
	stop()
	var buf bytes.Buffer
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "corridor.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	booked := mustStoredBooks(t, filepath.Join(dir, "corridor.db"))
	err = db.Journal().Replay(context.Background(), 0, func(e corridor.JournalEntry) error {
		b, err := json.Marshal(fixtureEntry{Seq: e.Seq, TimeNS: e.Time.UnixNano(), Kind: e.Kind, Payload: e.Payload,
			PrevHash: e.PrevHash[:], Hash: e.Hash[:], Booked: booked[e.Seq]})
		buf.Write(b)
		buf.WriteByte('\n')
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(journal, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stateFile, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
}

// driveEveryCommand leaves at least one journal entry of every kind.
func driveEveryCommand(t *testing.T, h *hub.Hub) {
	ctx := context.Background()
	mustSetUp(t, h, "500.00")
	for i := 1; i <= 20; i++ {
		if _, err := submit(t, h, payment(i, corridor.Amount(i*500))); err != nil {
			t.Fatalf("payment %d: %v", i, err)
		}
	}
	msgs, err := h.Inbox(ctx, bankRU, 0, 0)
	if err != nil || len(msgs) < 2 {
		t.Fatalf("inbox: %d messages, %v", len(msgs), err)
	}
	if err := h.Ack(ctx, bankRU, msgs[1].Seq); err != nil {
		t.Fatal(err)
	}
	mustSettlementState(t, h)
	mustReturnsAndCases(t, h)
	mustFixtureExtras(t, h)
}

// mustFixtureExtras adds the kinds TestRestart's state does not reach:
// screening, certificates, suspension, relationships, operators, queue
// priority, cancel, resolution, cut-off, defunding and a net cycle close.
func mustFixtureExtras(t *testing.T, h *hub.Hub) {
	ctx := context.Background()
	mustOwnList(t, h)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	held := listedPayment(60)
	if res, err := submit(t, h, held); err != nil || res.Status != corridor.StatusPending {
		t.Fatalf("listed payment: %+v, %v", res, err)
	}
	must("decide", h.Decide(ctx, "operator", held.UETR, false, "confirmed match", false))
	mustFixtureHolds(t, h)
	q, err := h.Queue(ctx, corridor.Identity{Role: corridor.RoleOperator})
	if err != nil || len(q) < 3 {
		t.Fatalf("queue: %d, %v", len(q), err)
	}
	must("prioritise", h.PrioritiseQueued(ctx, q[0].UETR, true))
	_, err = h.CancelPayment(ctx, corridor.Identity{Role: corridor.RoleOperator}, q[1].UETR)
	must("cancel", err)
	mustFixtureGridlock(t, h)
	must("policy", h.SetRelationships(ctx, bankRU, corridor.RelationshipPolicy{Restricted: true,
		Allow: []corridor.Relationship{{Counterparty: bankIN, Messages: []string{"pacs.008"}}}}))
	must("suspend", h.Suspend(ctx, bankRU, true))
	must("resume", h.Suspend(ctx, bankRU, false))
	must("revoke", h.RevokeCertificate(ctx, bankRU, ""))
	must("operator revoke", h.RevokeOperator(ctx, "operator", "0a0b"))
	mustFund(t, h, bankIN, corridor.Money{Amount: 100_00, Currency: "INR"})
	mustFixtureDefund(t, h)
	mustFixtureFX(t, h)
	mustSubmit(t, h, pay(62, bankIN, bankRU, 1_000_000_00), corridor.StatusPending) // Rejected at the cut-off.
	_, err = h.Cutoff(ctx)
	must("cutoff", err)
	_, err = h.CloseCycle(ctx)
	must("close cycle", err)
}

// mustDayCommands runs INR's business days: the first opens, a payment
// settles, two are warehoused, the cut-off passes and the day closes,
// releasing one; the other waits for a later day.
func mustDayCommands(t *testing.T, h *hub.Hub, c *clock) {
	ctx := context.Background()
	c.set(time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)) // Thursday 26 November, 11:30 in Kolkata.
	if _, err := h.OpenDay(ctx, "INR"); err != nil {
		t.Fatal(err)
	}
	mustFund(t, h, bankIN, corridor.Money{Amount: 1000_00, Currency: "INR"})
	for i, date := range []corridor.Date{{Year: 2026, Month: 11, Day: 26}, {Year: 2026, Month: 11, Day: 27}, {Year: 2026, Month: 11, Day: 30}} {
		p := pay(70+i, bankIN, bankRU, 10_00)
		p.SettlementDate = date
		want := corridor.StatusPending
		if i == 0 {
			want = corridor.StatusSettled
		}
		mustSubmit(t, h, p, want)
	}
	for _, step := range []func() (hub.DayView, error){
		func() (hub.DayView, error) { return h.CutoffDay(ctx, "INR", settlement.Customer) },
		func() (hub.DayView, error) { return h.CloseDay(ctx, "INR") },
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
}

// mustFixtureHolds leaves a cancellation request recorded on a held payment
// (cancellation.open) and a four-eyes release: the first recorded, the
// second carrying out the request; and a first release still waiting.
func mustFixtureHolds(t *testing.T, h *hub.Hub) {
	ctx := context.Background()
	held, waiting := listedPayment(83), listedPayment(84)
	mustSubmit(t, h, held, corridor.StatusPending)
	mustSubmit(t, h, waiting, corridor.StatusPending)
	mustCancel(t, h, "CXL-HELD", held, corridor.StatusPending)
	for _, d := range []struct {
		by   string
		uetr corridor.UETR
	}{{"alice", held.UETR}, {"bob", held.UETR}, {"alice", waiting.UETR}} {
		if err := h.Decide(ctx, d.by, d.uetr, true, "registry checked", false); err != nil {
			t.Fatalf("release by %s: %v", d.by, err)
		}
	}
}

// stateReport is the state hash and what the participants see of the state,
// one fact a line, in a form that does not depend on Go type names.
func stateReport(t *testing.T, h *hub.Hub) string {
	ctx := context.Background()
	sum, seq, err := h.StateSum(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "seq %d\nsum %x\n", seq, sum)
	for _, bic := range []corridor.BIC{bankIN, bankRU, "DEMOAEADXXX"} {
		bals, err := h.Balances(ctx, bic)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range bals {
			fmt.Fprintf(&b, "balance %s %s %d\n", bic, a.Currency, a.Balance)
		}
		msgs, err := h.Inbox(ctx, bic, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			fmt.Fprintf(&b, "inbox %s %d %s %s\n", bic, m.Seq, m.MsgDefID, m.UETR)
		}
	}
	var uetrs []corridor.UETR
	for i := 1; i <= 60; i++ {
		uetrs = append(uetrs, payment(i, 1).UETR)
	}
	for _, u := range slices.Compact(uetrs) {
		tracks, err := h.Track(ctx, corridor.Identity{Role: corridor.RoleOperator}, u)
		if err != nil {
			continue // Not every i is a payment.
		}
		for _, tr := range tracks {
			if tr.Archived {
				continue // The store's, not the state's: a journal replayed into a new store has no archive.
			}
			fmt.Fprintf(&b, "payment %s %s %s %s %d events\n", u, tr.Payment.InstructingAgent, tr.Status, tr.Reason, len(tr.Events))
		}
	}
	return b.String()
}

// mustLoadFixture appends the entries of the fixture journal to a new
// journal in dir.
func mustLoadFixture(t *testing.T, dir, journal string) {
	f, err := os.Open(journal)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "corridor.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	var entries []corridor.JournalEntry
	for sc.Scan() {
		var fe fixtureEntry
		if err := json.Unmarshal(sc.Bytes(), &fe); err != nil {
			t.Fatalf("fixture line %d: %v", len(entries)+1, err)
		}
		entries = append(entries, fe.entry())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if err := db.Journal().Append(context.Background(), entries); err != nil {
		t.Fatal(err)
	}
}

// mustStoredBooks reads the book entries of the store in file, each run
// under the journal entry that wrote it: the store's Replay returns only
// entries, so the fixture writer reads the table itself.
func mustStoredBooks(t *testing.T, file string) map[uint64][]corridor.BookEntry {
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT account, first_n, last_n, seq, records FROM book_run ORDER BY seq, account, first_n`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[uint64][]corridor.BookEntry{}
	for rows.Next() {
		var r corridor.BookRun
		if err := rows.Scan(&r.Account, &r.First, &r.Last, &r.Seq, &r.Records); err != nil {
			t.Fatal(err)
		}
		if out[r.Seq], err = corridor.ReadBookRun(out[r.Seq], r.Account, 0, int64(r.First), int64(r.Last), r.Records, 0, math.MaxInt); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func (fe fixtureEntry) entry() corridor.JournalEntry {
	e := corridor.JournalEntry{Seq: fe.Seq, Time: time.Unix(0, fe.TimeNS).UTC(), Kind: fe.Kind, Payload: fe.Payload, Booked: fe.Booked}
	copy(e.PrevHash[:], fe.PrevHash)
	copy(e.Hash[:], fe.Hash)
	return e
}

// mustFixtureDefund has the Indian bank take liquidity out by pacs.009.
func mustFixtureDefund(t *testing.T, h *hub.Hub) {
	msg, err := iso20022.EncodeDefund(iso20022.Defund{MsgID: "DEFUND-FIXTURE", UETR: "0a1b2c3d-0000-4000-8000-0000000000ff",
		Created: businessDay, From: bankIN, Hub: hubBIC, Amount: corridor.Money{Amount: 10_00, Currency: "INR"}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := submitMessage(t, h, bankIN, msg); err != nil || res.Status != corridor.StatusSettled {
		t.Fatalf("defund = %+v, %v; want ACSC", res, err)
	}
}

// mustFixtureGridlock has the Russian bank pay one rupee more than it holds
// to the Indian bank, whose own payments wait: only resolution settles them.
// It is urgent: its normal payments to the Indian bank wait on a bilateral limit.
func mustFixtureGridlock(t *testing.T, h *hub.Hub) {
	ctx := context.Background()
	bals, err := h.Balances(ctx, bankRU)
	if err != nil {
		t.Fatal(err)
	}
	var inr int64
	for _, b := range bals {
		if b.Currency == "INR" {
			inr = b.Balance
		}
	}
	p := pay(61, bankRU, bankIN, corridor.Amount(inr+1))
	p.Urgent = true
	mustSubmit(t, h, p, corridor.StatusPending)
	rep, err := h.Resolve(ctx)
	if err != nil || rep.Resolved == 0 {
		t.Fatalf("Resolve = %+v, %v; want a gridlock resolved", rep, err)
	}
}

// mustFixtureFX converts 1.01 INR of the Indian bank into roubles for the
// Russian bank, payment-versus-payment against DEMOAEADXXX's offer (see
// mustSettlementState), leaving a rounding remainder booked; the Russian
// bank returns it, converted back into rupees (the Indian bank holds no
// roubles).
func mustFixtureFX(t *testing.T, h *hub.Hub) {
	q, err := h.Quote(context.Background(), bankIN, corridor.Money{Amount: 1_01, Currency: "INR"}, "RUB")
	if err != nil {
		t.Fatal(err)
	}
	p := pay(63, bankIN, bankRU, q.To.Amount)
	p.Currency, p.Instructed, p.FXQuote, p.XchgRate = "RUB", q.From, q.ID, q.Rate
	mustSubmit(t, h, p, corridor.StatusSettled)
	if res, err := submitMessage(t, h, bankRU, returnOf(t, 63, p, q.To.Amount, "AC04")); err != nil || res.Status != corridor.StatusSettled {
		t.Fatalf("converted return = %+v, %v; want ACSC", res, err)
	}
}
