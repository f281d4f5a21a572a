package hub_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
)

// TestStatement reads the statements, reports and notifications of a
// day, with the entries in memory and with them in the store.
func TestStatement(t *testing.T) {
	t.Run("Kept", func(t *testing.T) { testStatement(t, 0) })
	t.Run("Stored", func(t *testing.T) { testStatement(t, hub.MaxRetention) })
}

func testStatement(t *testing.T, retention time.Duration) {
	ctx := context.Background()
	h, clk, _ := mustHubWith(t, t.TempDir(), hub.Config{Retention: retention})
	mustBanks(t, h, nil, 0)
	if err := h.SetNotifications(ctx, bankRU, true); err != nil {
		t.Fatal(err)
	}
	mustFund(t, h, bankIN, corridor.Money{Amount: 1000_00, Currency: "INR"})
	orig := pay(1, bankIN, bankRU, 600_00)
	mustSubmit(t, h, orig, corridor.StatusSettled)
	if _, err := submitMessage(t, h, bankRU, returnOf(t, 1, orig, 200_00, "AC04")); err != nil {
		t.Fatal(err)
	}

	t.Run("Camt054", func(t *testing.T) {
		if got := inboxKinds(t, h, bankRU); got != "pacs.008.001.08 camt.054.001.08 pacs.002.001.10 camt.054.001.08" {
			t.Fatalf("RU's inbox: %s; want a camt.054 for the credit and one for the return's debit", got)
		}
		n := lastMessage(t, h, bankRU, "camt.054.001.08")
		mustPassXMLLint(t, "camt.054 of a debit", n.Body)
		mustContain(t, n.Body, "<CdtDbtInd>DBIT</CdtDbtInd>", "<Cd>RTRN</Cd>", "<UETR>"+string(orig.UETR)+"</UETR>")
		if got := inboxKinds(t, h, bankIN); strings.Contains(got, "camt.054") {
			t.Errorf("IN did not ask for notifications but got: %s", got)
		}
	})
	t.Run("Camt053", func(t *testing.T) {
		st, err := h.Statement(ctx, bankIN, "INR", corridor.DateOf(businessDay), 1)
		if err != nil {
			t.Fatal(err)
		}
		mustPassXMLLint(t, "camt.053", st.Body)
		mustContain(t, st.Body, "<Cd>OPBD</Cd>", "<Amt Ccy=\"INR\">0.00</Amt>", "<Cd>CLBD</Cd>", "<Amt Ccy=\"INR\">600.00</Amt>",
			"<Cd>FUND</Cd>", "<Cd>PMNT</Cd>", "<Cd>RTRN</Cd>", "<UETR>"+string(orig.UETR)+"</UETR>", "<EndToEndId>"+orig.EndToEndID+"</EndToEndId>")
		if n := strings.Count(string(st.Body), "<Ntry>"); n != 3 {
			t.Errorf("%d entries; want the funding, the payment and the return", n)
		}
	})
	t.Run("NextDay", func(t *testing.T) {
		clk.advance(24 * time.Hour)
		st, err := h.Statement(ctx, bankIN, "INR", corridor.DateOf(businessDay.Add(24*time.Hour)), 1)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(string(st.Body), "<Amt Ccy=\"INR\">600.00</Amt>") != 2 || strings.Contains(string(st.Body), "<Ntry>") {
			t.Errorf("a day without entries: want opening and closing 600.00 and no entry:\n%s", st.Body)
		}
		_, err = h.Statement(ctx, bankIN, "INR", corridor.DateOf(businessDay.Add(72*time.Hour)), 1)
		if r, _ := corridor.ReasonOf(err); r != corridor.ReasonInvalidDate {
			t.Errorf("a future date: %v; want DT01", err)
		}
	})
	t.Run("Camt052", func(t *testing.T) {
		mustFund(t, h, bankIN, corridor.Money{Amount: 5_00, Currency: "INR"})
		rp, err := h.Report(ctx, bankIN, "INR", 1)
		if err != nil {
			t.Fatal(err)
		}
		mustPassXMLLint(t, "camt.052", rp.Body)
		mustContain(t, rp.Body, "<Cd>ITBD</Cd>", "<Amt Ccy=\"INR\">605.00</Amt>")
	})
	t.Run("ErrNoAccount", func(t *testing.T) {
		if _, err := h.Statement(ctx, bankIN, "RUB", corridor.DateOf(businessDay), 1); err == nil {
			t.Error("a statement of an account that does not exist")
		}
	})
}

func mustContain(tb testing.TB, body []byte, parts ...string) {
	tb.Helper()
	for _, p := range parts {
		if !strings.Contains(string(body), p) {
			tb.Errorf("message lacks %s:\n%s", p, body)
		}
	}
}

var _ = iso20022.Validate
