package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// benchBatchBody is the body of POST /v1/messages/batch with n pacs.008s
// as the bench sends them, and the average size of one message's XML.
func benchBatchBody(tb testing.TB, n int) ([]byte, int) {
	tb.Helper()
	created := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	req := BatchRequest{Messages: make([]string, n)}
	total := 0
	for i := range req.Messages {
		id := fmt.Sprintf("MSG-%04d", i)
		hdr := iso20022.AppHdr{From: "DEMOINBBXXX", To: "DEMORUMMXXX", BizMsgID: id,
			MsgDefID: iso20022.MsgDefCustomerCreditTransfer, BizSvc: iso20022.BizSvcCBPRPlus, Created: created}
		pay := corridor.Payment{MsgID: id, UETR: corridor.UETR(fmt.Sprintf("3f1c7a52-9b4e-4c1d-8a2f-%012d", i)),
			EndToEndID: fmt.Sprintf("E2E-CARGO-%04d", i), InstructingAgent: "DEMOINBBXXX", InstructedAgent: "DEMORUMMXXX",
			DebtorAgent: "DEMOINBBXXX", CreditorAgent: "DEMORUMMXXX", Amount: corridor.Amount(100_00 + i), Currency: "INR",
			SettlementDate: corridor.DateOf(created), DebtorName: "Bharat Refineries Ltd", CreditorName: "ООО Нефтеэкспорт"}
		msg, err := iso20022.EncodeCustomerCreditTransfer(hdr, pay, fmt.Sprintf("INSTR-%04d", i))
		if err != nil {
			tb.Fatal(err)
		}
		total += len(msg)
		req.Messages[i] = base64.StdEncoding.EncodeToString(msg)
	}
	body, err := json.Marshal(req)
	if err != nil {
		tb.Fatal(err)
	}
	return body, total / n
}

// BenchmarkDecodeStrictBatch decodes a batch of 64 messages, as
// corridor bench --batch 64 sends them, with decodeStrict (new) and with
// the decoder it replaced (old).
func BenchmarkDecodeStrictBatch(b *testing.B) {
	body, xmlBytes := benchBatchBody(b, 64)
	b.Logf("64 messages of %d bytes of XML on average: a body of %d bytes", xmlBytes, len(body))
	for _, impl := range []struct {
		name   string
		decode func([]byte, any) error
	}{{"old", refDecodeStrict}, {"new", decodeStrict}} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				var req BatchRequest
				if err := impl.decode(body, &req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
