package hub_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
)

// TestFXReturn covers issue 10's defect "a converted payment cannot be
// returned to a bank that has no account in the settlement currency
// (AC01)": the Russian bank's return in roubles settles back in rupees
// through the provider, payment-versus-payment, and the Indian bank gets a
// pacs.004 of what settled that passes the official XSD.
func TestFXReturn(t *testing.T) {
	h, _, _ := mustHubWith(t, t.TempDir(), hub.Config{QuoteLife: time.Minute})
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 10_000_00}, 10_000_00)
	mustProvider(t, h, 5_000_00)
	q, err := h.Quote(context.Background(), bankIN, corridor.Money{Amount: 1000_00, Currency: "INR"}, "RUB")
	if err != nil {
		t.Fatal(err)
	}
	p := fxPayment(2, 1000_00, 1082_30, q.ID)
	mustSubmit(t, h, p, corridor.StatusSettled)
	t.Run("OK", func(t *testing.T) {
		// 500.00 RUB at the ask 1.09 is 458.7155… INR: paid 458.72 INR.
		res, err := submitMessage(t, h, bankRU, returnOf(t, 2, p, 500_00, "AC04"))
		if err != nil || res.Status != corridor.StatusSettled {
			t.Fatalf("return = %+v, %v; want ACSC", res, err)
		}
		mustBalance(t, h, bankIN, "INR", 9_458_72)
		mustBalance(t, h, bankRU, "RUB", 10_582_30)
		mustBalance(t, h, bankFX, "INR", 541_28)
		mustBalance(t, h, bankFX, "RUB", 4_417_70)
		m := lastMessage(t, h, bankIN, iso20022.MsgDefReturn)
		mustPassXMLLint(t, "converted pacs.004", m.Body)
		for _, want := range []string{`<RtrdIntrBkSttlmAmt Ccy="INR">458.72</RtrdIntrBkSttlmAmt>`,
			`<RtrdInstdAmt Ccy="RUB">500.00</RtrdInstdAmt>`, `<XchgRate>1.09</XchgRate>`, `<Cd>AC04</Cd>`} {
			if !bytes.Contains(m.Body, []byte(want)) {
				t.Errorf("the delivered pacs.004 has no %s:\n%s", want, m.Body)
			}
		}
	})
	t.Run("Rest", func(t *testing.T) { // 582.30 RUB at 1.09 is 534.2201… INR: paid 534.22 INR.
		if res, err := submitMessage(t, h, bankRU, returnOf(t, 3, p, 582_30, "AC04")); err != nil || res.Status != corridor.StatusSettled {
			t.Fatalf("return of the rest = %+v, %v; want ACSC", res, err)
		}
		mustBalance(t, h, bankIN, "INR", 9_992_94)
		mustBalance(t, h, bankFX, "INR", 7_06)
		_, err := submitMessage(t, h, bankRU, returnOf(t, 4, p, 1_00, "AC04"))
		if r, _ := corridor.ReasonOf(err); r != hub.ReasonReturnExceeded {
			t.Fatalf("a return of more than is left: %v; want %s", err, hub.ReasonReturnExceeded)
		}
	})
}
