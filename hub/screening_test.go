package hub_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/sqlite"
)

// ownList is an operator's own list naming one Russian company.
const ownList = `id,kind,name,aliases,country
OWN-1,entity,Obshchestvo Neftegaz Vostok,ООО Нефтегаз Восток;Neftegaz Vostok LLC,RU
`

func mustOwnList(tb testing.TB, h *hub.Hub) {
	tb.Helper()
	info, err := h.LoadList(context.Background(), "own", hub.ListFormatCSV, [][]byte{[]byte(ownList)})
	if err != nil || info.Entries != 1 {
		tb.Fatalf("LoadList = %+v, %v; want 1 entry", info, err)
	}
}

// listedPayment is payment i to a creditor on the operator's list.
func listedPayment(i int) corridor.Payment {
	p := payment(i, 100)
	p.CreditorName = "ООО «Нефтегаз Восток»"
	return p
}

func TestScreeningHold(t *testing.T) {
	for _, release := range []bool{true, false} {
		name := map[bool]string{true: "Release", false: "Reject"}[release]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			h, stop := mustHub(t, dir)
			mustSetUp(t, h, "500.00")
			mustOwnList(t, h)
			if res, err := submit(t, h, payment(1, 100)); err != nil || res.Status != corridor.StatusSettled {
				t.Fatalf("an unlisted creditor: %+v, %v; want ACSC", res, err)
			}
			p := listedPayment(2)
			res, err := submit(t, h, p)
			if err != nil || res.Status != corridor.StatusPending {
				t.Fatalf("a listed creditor: %+v, %v; want PDNG (held)", res, err)
			}
			holds, err := h.Holds(ctx)
			if err != nil || len(holds) != 1 || holds[0].Hits[0].EntryID != "OWN-1" {
				t.Fatalf("Holds = %+v, %v; want the payment with a hit on OWN-1", holds, err)
			}
			mustSeeHeldWithoutDetails(t, h, p.UETR)
			if err := h.Decide(ctx, "operator", p.UETR, release, "checked with the registry", false); err != nil {
				t.Fatal(err)
			}
			want, reason := corridor.StatusSettled, corridor.ReasonCode("")
			if !release {
				want, reason = corridor.StatusRejected, corridor.ReasonRegulatory
			}
			tr, _ := h.Track(ctx, corridor.Identity{Role: corridor.RoleParticipant, BIC: bankIN}, p.UETR)
			if tr[0].Status != want || tr[0].Reason != reason {
				t.Errorf("after the decision: %s %s; want %s %s", tr[0].Status, tr[0].Reason, want, reason)
			}
			if err := h.Decide(ctx, "operator", p.UETR, release, "again", false); !errors.Is(err, corridor.ErrNotFound) {
				t.Errorf("a second decision: %v; want ErrNotFound", err)
			}
			stop()
			mustJournalSays(t, dir, "screening.list", "payment.submit", "payment.submit", "compliance.decide")
		})
	}
}

// mustSeeHeldWithoutDetails checks what the banks see of a held payment:
// pending, for compliance review, and not a word of lists or entries.
func mustSeeHeldWithoutDetails(tb testing.TB, h *hub.Hub, uetr corridor.UETR) {
	tb.Helper()
	for _, bic := range []corridor.BIC{bankIN, bankRU} {
		tr, err := h.Track(context.Background(), corridor.Identity{Role: corridor.RoleParticipant, BIC: bic}, uetr)
		if err != nil || tr[0].Status != corridor.StatusPending {
			tb.Fatalf("%s tracks %+v, %v; want PDNG", bic, tr, err)
		}
		for _, e := range tr[0].Events {
			if e.Event == "held" && e.Detail != "compliance review" {
				tb.Errorf("%s sees %q; banks see no list details", bic, e.Detail)
			}
		}
	}
}

// TestScreeningWhitelist releases a false positive with a whitelist: the
// same creditor is not held again, and a restart replays to the same state.
func TestScreeningWhitelist(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	h, stop := mustHub(t, dir)
	mustSetUp(t, h, "500.00")
	mustOwnList(t, h)
	p := listedPayment(1)
	if res, _ := submit(t, h, p); res.Status != corridor.StatusPending {
		t.Fatalf("first payment: %s; want held", res.Status)
	}
	if err := h.Decide(ctx, "operator", p.UETR, true, "another company of the same name, INN checked", true); err != nil {
		t.Fatal(err)
	}
	if res, _ := submit(t, h, listedPayment(2)); res.Status != corridor.StatusSettled {
		t.Errorf("after the whitelist: %s; want ACSC", res.Status)
	}
	sum, seq, _ := h.StateSum(ctx)
	stop()
	h2, _ := mustHub(t, dir)
	if sum2, seq2, _ := h2.StateSum(ctx); sum2 != sum || seq2 != seq {
		t.Fatalf("after restart: state %x at %d; want %x at %d", sum2[:6], seq2, sum[:6], seq)
	}
	if lists, _ := h2.Lists(ctx); len(lists) != 1 || lists[0].Name != "own" {
		t.Errorf("lists after restart: %+v", lists)
	}
}

func TestLoadListRefused(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	for _, tt := range []struct {
		format string
		files  [][]byte
	}{
		{"un", [][]byte{[]byte("<not-un/>")}},
		{"ofac-csv", [][]byte{[]byte("x")}},
		{"pdf", [][]byte{[]byte("x")}},
	} {
		if _, err := h.LoadList(context.Background(), "bad", tt.format, tt.files); err == nil {
			t.Errorf("LoadList(%s) accepted", tt.format)
		}
	}
}

// mustJournalSays checks that the journal in dir holds entries of these
// kinds, in this order, after the set-up's registrations and funding.
func mustJournalSays(tb testing.TB, dir string, kinds ...string) {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "corridor.db"))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var got []string
	err = db.Journal().Replay(context.Background(), 0, func(e corridor.JournalEntry) error {
		if e.Kind != "participant.register" && e.Kind != "account.fund" && e.Kind != "settlement.config" {
			got = append(got, e.Kind)
		}
		return nil
	})
	if err != nil || !slices.Equal(got, kinds) {
		tb.Errorf("journal kinds %v, %v; want %v", got, err, kinds)
	}
}

// TestScreeningUltimateCreditor holds a payment whose ultimate creditor, not
// its creditor, is on the list.
func TestScreeningUltimateCreditor(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustSetUp(t, h, "500.00")
	mustOwnList(t, h)
	p := payment(1, 100)
	p.UltimateCreditor = "Neftegaz Vostok LLC"
	if res, err := submit(t, h, p); err != nil || res.Status != corridor.StatusPending {
		t.Fatalf("a listed ultimate creditor: %+v, %v; want held", res, err)
	}
	holds, _ := h.Holds(context.Background())
	if len(holds) != 1 || holds[0].Hits[0].Role != "ultimate creditor" {
		t.Errorf("Holds = %+v; want a hit on the ultimate creditor", holds)
	}
}

// TestScreeningHoldsBidi holds a payment whose creditor's name carries a
// right-to-left override, though the name matches no list entry, and lets
// the same name without it settle.
func TestScreeningHoldsBidi(t *testing.T) {
	ctx := context.Background()
	h, _ := mustHub(t, t.TempDir())
	mustSetUp(t, h, "500.00")
	mustOwnList(t, h)
	plain := payment(1, 100)
	plain.CreditorName = "Volga Timber Trading"
	if res, err := submit(t, h, plain); err != nil || res.Status != corridor.StatusSettled {
		t.Fatalf("plain name: %+v, %v; want ACSC", res, err)
	}
	bidi := payment(2, 100)
	bidi.CreditorName = "Volga \u202egnidarT rebmiT"
	res, err := submit(t, h, bidi)
	if err != nil || res.Status != corridor.StatusPending || res.Wait != hub.WaitCompliance {
		t.Fatalf("bidi override in a name: %+v, %v; want PDNG held for compliance", res, err)
	}
	holds, err := h.Holds(ctx)
	if err != nil || len(holds) != 1 || !strings.Contains(holds[0].Hits[0].Why, "bidi") {
		t.Fatalf("Holds = %+v, %v; want one, saying bidi", holds, err)
	}
}

// TestFourEyesSameOperator: under four eyes the operator who released a
// held payment first cannot release it again; the refusal says why.
func TestFourEyesSameOperator(t *testing.T) {
	ctx := context.Background()
	h, _, _ := mustHubWith(t, t.TempDir(), hub.Config{FourEyes: true})
	mustSetUp(t, h, "500.00")
	mustOwnList(t, h)
	held := listedPayment(1)
	mustSubmit(t, h, held, corridor.StatusPending)
	if err := h.Decide(ctx, "alice", held.UETR, true, "registry checked", false); err != nil {
		t.Fatalf("first release: %v", err)
	}
	err := h.Decide(ctx, "alice", held.UETR, true, "registry checked", false)
	if r, _ := corridor.ReasonOf(err); r != corridor.ReasonNotAllowed || !strings.Contains(err.Error(), "different operator") {
		t.Fatalf("second release by the same operator = %v; want AG01 naming a different operator", err)
	}
	if err := h.Decide(ctx, "bob", held.UETR, true, "registry checked", false); err != nil {
		t.Fatalf("second release by another operator: %v", err)
	}
	mustStatus(t, h, held.UETR, corridor.StatusSettled, "")
}
