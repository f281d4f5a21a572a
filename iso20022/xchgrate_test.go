package iso20022_test

import (
	"bytes"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// TestXchgRateAndFXQuote checks that a converted pacs.008 carries XchgRate
// through encode and decode, and that the creditor agent's copy drops the
// /FXQT/ instruction meant for the hub and keeps everything else.
func TestXchgRateAndFXQuote(t *testing.T) {
	p := validPayment()
	p.Currency, p.Amount = "RUB", 1082_30
	p.Instructed, p.FXQuote, p.XchgRate = corridor.Money{Amount: 1000_00, Currency: "INR"}, 42, "1.0823"
	msg, err := iso20022.EncodeCustomerCreditTransfer(validHeader(), p, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := iso20022.DecodeCustomerCreditTransfer(msg)
	if err != nil || c.Payment.XchgRate != "1.0823" || c.Payment.FXQuote != 42 {
		t.Fatalf("decoded %+v, %v; want XchgRate 1.0823 and quote 42", c, err)
	}
	out := iso20022.WithoutFXQuote(msg)
	if bytes.Contains(out, []byte(iso20022.FXQuotePrefix)) || bytes.Contains(out, []byte("InstrForNxtAgt")) {
		t.Fatalf("copy still names the quote:\n%s", out)
	}
	if ps := iso20022.Validate(out); len(ps) > 0 {
		t.Fatalf("copy does not validate: %v\n%s", ps, out)
	}
	d, err := iso20022.DecodeCustomerCreditTransfer(out)
	if err != nil || d.Payment.FXQuote != 0 || d.Payment.XchgRate != "1.0823" || d.Payment.Amount != p.Amount {
		t.Fatalf("copy decoded %+v, %v; want the payment without its quote", d, err)
	}
	if plain := iso20022.WithoutFXQuote([]byte(MustEncodeValid(t))); string(plain) != MustEncodeValid(t) {
		t.Error("a message without a quote changed")
	}
}
