package iso20022_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"corridor"
	"corridor/iso20022"
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
}
