package hub_test

import (
	"context"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// TestCycleResults closes a net cycle in which the Indian bank's payments
// out and in cancel out (issue 10: a bank whose net was zero heard nothing,
// net entries named no payment, and a bank asking for camt.054 got two for
// one net posting): every participant gets one camt.054, the zero net one
// saying so, and each net entry names the payments it covers.
func TestCycleResults(t *testing.T) {
	h, _, _ := mustHubWith(t, t.TempDir(), hub.Config{NetCurrencies: []corridor.Currency{"INR"}})
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00, bankRU: 100_00}, 0)
	ctx := context.Background()
	if err := h.SetNotifications(ctx, bankRU, true); err != nil {
		t.Fatal(err)
	}
	ps := []corridor.Payment{pay(1, bankIN, bankRU, 50_00), pay(2, bankRU, bankIN, 20_00), pay(3, bankAE, bankIN, 30_00)}
	mustFund(t, h, bankAE, corridor.Money{Amount: 30_00, Currency: "INR"})
	for _, p := range ps {
		mustSubmit(t, h, p, corridor.StatusInCycle)
	}
	if rep, err := h.CloseCycle(ctx); err != nil || rep.Settled != 3 {
		t.Fatalf("CloseCycle = %+v, %v; want 3 settled", rep, err)
	}
	zero := lastMessage(t, h, bankIN, "camt.054.001.08")
	mustContain(t, zero.Body, "net zero: nothing posted")
	if strings.Contains(string(zero.Body), "<Ntry>") {
		t.Errorf("the zero-net notification has an entry:\n%s", zero.Body)
	}
	credit := lastMessage(t, h, bankRU, "camt.054.001.08")
	mustContain(t, credit.Body, "<CdtDbtInd>CRDT</CdtDbtInd>", "30.00", "<TxDtls>", "50.00", "20.00")
	if n := strings.Count(inboxKinds(t, h, bankRU), "camt.054"); n != 1 {
		t.Errorf("the Russian bank, asking for camt.054 on every entry, got %d for one net posting; want 1", n)
	}
	for _, bic := range []corridor.BIC{bankIN, bankRU, bankAE} {
		mustPassXMLLint(t, "camt.054 of a cycle close", lastMessage(t, h, bic, "camt.054.001.08").Body)
	}
}
