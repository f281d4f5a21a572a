package hub_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// bankFX is the FX provider of the FX tests: accounts in both currencies.
const bankFX corridor.BIC = "DEMOFXPRXXX"

// mustProvider registers bankFX, funds its roubles and has it quote
// INR/RUB 1.0823 bid, 1.0900 ask, beside the operator's reference rate.
func mustProvider(t *testing.T, h *hub.Hub, rub corridor.Amount) hub.FXOffer {
	t.Helper()
	ctx := context.Background()
	p := corridor.Participant{BIC: bankFX, Name: "Demo FX Provider", Currencies: []corridor.Currency{"INR", "RUB"}}
	if err := h.RegisterParticipant(ctx, p, certificate(p.BIC)); err != nil {
		t.Fatal(err)
	}
	mustFund(t, h, bankFX, corridor.Money{Amount: rub, Currency: "RUB"})
	if err := h.PublishRate(ctx, hub.FXRate{From: "INR", To: "RUB", Rate: "1.0823"}); err != nil {
		t.Fatal(err)
	}
	o, err := h.PublishOffer(ctx, bankFX, hub.OfferRequest{From: "INR", To: "RUB", Bid: "1.0823", Ask: "1.09", Size: 100_000_00, Life: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestFX covers the FX defects of issue 10 through the hub: the hub funds
// no conversion (PvP with a provider), the round trip and the band are
// refused, refusals come in the order that gives the true reason, XchgRate
// must equal the quote, and the creditor agent does not see /FXQT/.
func TestFX(t *testing.T) {
	h, clk, _ := mustHubWith(t, t.TempDir(), hub.Config{QuoteLife: time.Minute})
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 10_000_00}, 10_000_00)
	mustProvider(t, h, 5_000_00)
	ctx := context.Background()
	t.Run("ErrRoundTripRate", func(t *testing.T) { // Defect: RUB/INR 0.95 beside INR/RUB 1.0823.
		err := h.PublishRate(ctx, hub.FXRate{From: "RUB", To: "INR", Rate: "0.95"})
		if r, _ := corridor.ReasonOf(err); r != corridor.ReasonNotAllowed {
			t.Fatalf("PublishRate(RUB/INR 0.95) = %v; want AG01", err)
		}
	})
	t.Run("ErrOutsideBand", func(t *testing.T) {
		_, err := h.PublishOffer(ctx, bankFX, hub.OfferRequest{From: "INR", To: "RUB", Bid: "1.2", Ask: "1.21", Size: 100})
		if r, _ := corridor.ReasonOf(err); r != corridor.ReasonNotAllowed {
			t.Fatalf("an offer outside the band: %v; want AG01", err)
		}
	})
	if _, err := h.Quote(ctx, bankIN, corridor.Money{Amount: 1000_00, Currency: "INR"}, "AED"); err == nil {
		t.Error("a quote for a pair no provider offers was issued")
	}
	q, err := h.Quote(ctx, bankIN, corridor.Money{Amount: 1000_00, Currency: "INR"}, "RUB")
	if err != nil || q.To != (corridor.Money{Amount: 1082_30, Currency: "RUB"}) || q.Rate != "1.0823" || q.Provider != bankFX {
		t.Fatalf("Quote = %+v, %v; want 1082.30 RUB at 1.0823 from %s", q, err, bankFX)
	}
	mustFXRefusals(t, h, q)
	t.Run("OK", func(t *testing.T) {
		p := fxPayment(2, 1000_00, 1082_30, q.ID)
		mustSubmit(t, h, p, corridor.StatusSettled)
		mustBalance(t, h, bankIN, "INR", 9_000_00)
		mustBalance(t, h, bankFX, "INR", 1_000_00)
		mustBalance(t, h, bankFX, "RUB", 3_917_70)
		mustBalance(t, h, bankRU, "RUB", 11_082_30)
		tr := mustStatus(t, h, p.UETR, corridor.StatusSettled, "")
		if d := tr.Events[1].Detail; !strings.Contains(d, "payment-versus-payment") || !strings.Contains(d, string(bankFX)) {
			t.Errorf("conversion detail %q does not name the provider and PvP", d)
		}
		mustNoFXQuoteDelivered(t, h)
		mustHubAccountsUntouched(t, h)
	})
	t.Run("ErrUsedQuote", func(t *testing.T) {
		_, err := submit(t, h, fxPayment(3, 1000_00, 1082_30, q.ID))
		if r, _ := corridor.ReasonOf(err); r != corridor.ReasonDuplicate {
			t.Fatalf("reusing a quote: %v; want AM05", err)
		}
	})
	t.Run("ProviderShort", func(t *testing.T) { // The provider holds 3917.70 RUB: RJCT AM04, nothing moves.
		big, err := h.Quote(ctx, bankIN, corridor.Money{Amount: 5000_00, Currency: "INR"}, "RUB")
		if err != nil {
			t.Fatal(err)
		}
		p := fxPayment(6, 5000_00, big.To.Amount, big.ID)
		mustSubmit(t, h, p, corridor.StatusRejected)
		mustStatus(t, h, p.UETR, corridor.StatusRejected, corridor.ReasonInsufficientFunds)
		mustBalance(t, h, bankIN, "INR", 9_000_00)
		mustBalance(t, h, bankFX, "RUB", 3_917_70)
	})
	t.Run("ErrExpiredQuote", func(t *testing.T) {
		q2, err := h.Quote(ctx, bankIN, corridor.Money{Amount: 1_00, Currency: "INR"}, "RUB")
		if err != nil {
			t.Fatal(err)
		}
		clk.advance(time.Minute)
		_, err = submit(t, h, fxPayment(4, 1_00, 1_08, q2.ID))
		if r, _ := corridor.ReasonOf(err); r != corridor.ReasonQuoteExpired {
			t.Fatalf("an expired quote: %v; want TM01", err)
		}
	})
	t.Run("RoundingBooked", func(t *testing.T) {
		q3, err := h.Quote(ctx, bankIN, corridor.Money{Amount: 1, Currency: "INR"}, "RUB")
		if err != nil || q3.To.Amount != 1 || q3.Remainder != "0.0823" {
			t.Fatalf("Quote(0.01 INR at 1.0823) = %+v, %v; want 0.01 RUB, remainder 0.0823", q3, err)
		}
		mustSubmit(t, h, fxPayment(5, 1, 1, q3.ID), corridor.StatusSettled)
		accts, err := h.HubAccounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range accts {
			if a.Name != "fx-rounding/RUB" {
				continue
			}
			want := []hub.RoundingAccrual{{Provider: bankFX, Fraction: "0.0823"}}
			if a.Balance != 0 || a.Floor != 0 || !slices.Equal(a.Accrued, want) {
				t.Errorf("fx-rounding/RUB = %+v; want balance 0, floor 0, accrued %+v", a, want)
			}
		}
	})
}

// mustFXRefusals checks that bad conversions are refused with their true
// reason and change nothing.
func mustFXRefusals(t *testing.T, h *hub.Hub, q hub.FXQuote) {
	ctx := context.Background()
	short := pay(7, bankAE, bankRU, 1082_30) // bankAE holds no rupees.
	short.Currency, short.Instructed, short.FXQuote, short.XchgRate = "RUB", corridor.Money{Amount: 1000_00, Currency: "INR"}, q.ID, "1.0823"
	reverse := pay(8, bankRU, bankIN, 923_96)
	reverse.Currency, reverse.Instructed, reverse.FXQuote = "INR", corridor.Money{Amount: 1000_00, Currency: "RUB"}, q.ID
	noRate := fxPayment(1, 1000_00, 1082_30, q.ID)
	noRate.XchgRate = ""
	refusals := []struct {
		name   string
		p      corridor.Payment
		reason corridor.ReasonCode
	}{
		{"ErrNoQuote", fxPayment(1, 1000_00, 1082_30, 0), corridor.ReasonNotSpecified},
		{"ErrUnknownQuote", fxPayment(1, 1000_00, 1082_30, 999), corridor.ReasonNotSpecified},
		{"ErrWrongSettlementAmount", fxPayment(1, 1000_00, 1082_31, q.ID), corridor.ReasonWrongAmount},
		{"ErrAboveQuoted", fxPayment(1, 1000_01, 1082_32, q.ID), corridor.ReasonWrongAmount},
		{"ErrNoXchgRate", noRate, corridor.ReasonWrongAmount},
		{"ErrShortBankOthersQuote", short, corridor.ReasonNotAllowed}, // Defect: was AM04.
		{"ErrOtherDirection", reverse, corridor.ReasonNotAllowed},     // Another's quote first; see below for the pair.
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			before, _, _ := h.StateSum(ctx)
			_, err := submit(t, h, tt.p)
			if r, _ := corridor.ReasonOf(err); r != tt.reason {
				t.Fatalf("SubmitPayment = %v; want %s", err, tt.reason)
			}
			if after, _, _ := h.StateSum(ctx); after != before {
				t.Error("a refused FX payment changed the state")
			}
		})
	}
	t.Run("ErrOtherDirectionOwnQuote", func(t *testing.T) { // Defect: was AM09 with a must-be amount at the wrong rate.
		own, err := h.Quote(ctx, bankRU, corridor.Money{Amount: 100_00, Currency: "INR"}, "RUB")
		if err != nil {
			t.Fatal(err)
		}
		p := pay(9, bankRU, bankAE, 92_40)
		p.Currency, p.Instructed, p.FXQuote = "INR", corridor.Money{Amount: 100_00, Currency: "RUB"}, own.ID
		_, err = submit(t, h, p)
		if r, _ := corridor.ReasonOf(err); r != corridor.ReasonCurrency || strings.Contains(err.Error(), "must be") {
			t.Fatalf("a quote for the other direction: %v; want AM03 without a must-be amount", err)
		}
	})
}

// mustNoFXQuoteDelivered checks that the creditor agent's copy of the
// converted pacs.008 carries XchgRate and not the hub's /FXQT/ reference,
// and passes the official XSD.
func mustNoFXQuoteDelivered(t *testing.T, h *hub.Hub) {
	msgs, err := h.Inbox(context.Background(), bankRU, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	last := msgs[len(msgs)-1]
	if bytes.Contains(last.Body, []byte("/FXQT/")) || !bytes.Contains(last.Body, []byte("<XchgRate>1.0823</XchgRate>")) {
		t.Errorf("delivered pacs.008 leaks /FXQT/ or lacks XchgRate:\n%s", last.Body)
	}
	mustPassXMLLint(t, "the converted pacs.008 as delivered", last.Body)
}

// mustHubAccountsUntouched checks that a conversion moved nothing through
// the hub's own accounts, and that each is at or above its floor.
func mustHubAccountsUntouched(t *testing.T, h *hub.Hub) {
	accts, err := h.HubAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accts {
		if a.Breach || (a.Kind == "fx-position" && (a.Debits != 0 || a.Credits != 0)) {
			t.Errorf("hub account %+v was used or is below its floor", a)
		}
	}
}
