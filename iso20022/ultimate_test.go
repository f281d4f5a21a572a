package iso20022_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// TestUltimateParties round-trips a pacs.008 on behalf of an ultimate debtor
// for an ultimate creditor: the parties screening checks beside debtor and
// creditor. The XSD puts UltmtDbtr before Dbtr and UltmtCdtr after Cdtr.
func TestUltimateParties(t *testing.T) {
	created := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	p := corridor.Payment{MsgID: "MSG-ULT-1", UETR: "3f1c7a52-9b4e-4c1d-8a2f-6d5e4b3c2a10", EndToEndID: "E2E-ULT-1",
		InstructingAgent: "DEMOINBBXXX", InstructedAgent: "DEMORUMMXXX", DebtorAgent: "DEMOINBBXXX", CreditorAgent: "DEMORUMMXXX",
		Amount: 100_00, Currency: "INR", SettlementDate: corridor.DateOf(created),
		DebtorName: "Bharat Refineries Ltd", CreditorName: "ООО Нефтеэкспорт",
		UltimateDebtor: "भारत पेट्रोलियम", UltimateCreditor: "ПАО Нефтегаз Восток"}
	mustRoundTrip(t, p, created)
}

// TestPaymentOptions round-trips the fields the hub settles on beyond the
// basics: an urgent priority, an instructed amount in another currency and
// the FX quote it converts at.
func TestPaymentOptions(t *testing.T) {
	created := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	p := corridor.Payment{MsgID: "MSG-FX-1", UETR: "3f1c7a52-9b4e-4c1d-8a2f-6d5e4b3c2a11", EndToEndID: "E2E-FX-1",
		InstructingAgent: "DEMOINBBXXX", InstructedAgent: "DEMORUMMXXX", DebtorAgent: "DEMOINBBXXX", CreditorAgent: "DEMORUMMXXX",
		Amount: 108_230_000, Currency: "RUB", SettlementDate: corridor.DateOf(created), Urgent: true,
		Instructed: corridor.Money{Amount: 100_000_000, Currency: "INR"}, FXQuote: 42}
	data := mustRoundTrip(t, p, created)
	bad := []byte(strings.Replace(string(data), iso20022.FXQuotePrefix+"42", iso20022.FXQuotePrefix+"x", 1))
	if _, err := iso20022.DecodeCustomerCreditTransfer(bad); err == nil {
		t.Error("a malformed quote reference was accepted")
	}
}

// mustRoundTrip encodes p, checks that the message validates and decodes
// back to p, and returns the message.
func mustRoundTrip(t *testing.T, p corridor.Payment, created time.Time) []byte {
	t.Helper()
	h := iso20022.AppHdr{From: p.InstructingAgent, To: p.InstructedAgent, BizMsgID: p.MsgID,
		MsgDefID: iso20022.MsgDefCustomerCreditTransfer, Created: created}
	data, err := iso20022.EncodeCustomerCreditTransfer(h, p, "")
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	if problems := iso20022.Validate(data); len(problems) > 0 {
		t.Fatalf("Validate: %v", problems)
	}
	got, err := iso20022.DecodeCustomerCreditTransfer(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got.Payment); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	return data
}
