package iso20022_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

func TestDecodeSubmission(t *testing.T) {
	p := validPayment()
	tests := []struct {
		name   string
		data   []byte
		sender corridor.BIC
		want   iso20022.Submission
	}{
		{"Pacs008", []byte(MustEncodeValid(t)), p.InstructingAgent, iso20022.Submission{MsgDefID: iso20022.MsgDefCustomerCreditTransfer,
			Sender: p.InstructingAgent, Payment: &iso20022.CustomerCreditTransfer{Header: validHeader(), Payment: p, InstrID: "INSTR-1"}}},
		{"Pacs004", MustReadFile(t, "pacs004.xml"), p.InstructedAgent, iso20022.Submission{MsgDefID: iso20022.MsgDefReturn,
			Sender: p.InstructedAgent, Return: &iso20022.ReturnInstruction{MsgID: "RTR-0001", ReturnID: "RTRID-0001", UETR: p.UETR, OriginalMsgID: "MSG-0001",
				EndToEndID: p.EndToEndID, InstructingAgent: p.InstructedAgent, InstructedAgent: p.InstructingAgent,
				Amount: corridor.Money{Amount: 100_000_00, Currency: "INR"}, SettlementDate: fixtureDay, Urgent: true, Reason: "FOCR"}}},
		{"Camt056", MustReadFile(t, "camt056.xml"), p.InstructingAgent, iso20022.Submission{MsgDefID: iso20022.MsgDefCancelRequest,
			Sender: p.InstructingAgent, Cancel: &iso20022.CancelInstruction{ID: "CXL-0001", CaseID: "CXL-0001", UETR: p.UETR, Reason: "DUPL"}}},
		{"Camt029", MustReadFile(t, "camt029_rjcr.xml"), p.InstructedAgent, iso20022.Submission{MsgDefID: iso20022.MsgDefResolution,
			Sender: p.InstructedAgent, Resolution: &iso20022.CaseResolution{ID: "ANS-0001", UETR: p.UETR, Status: iso20022.ResolutionRejected, Reason: "LEGL"}}},
		{"Pacs009", MustReadFile(t, "pacs009.xml"), p.InstructingAgent, iso20022.Submission{MsgDefID: iso20022.MsgDefInstitutionCreditTransfer,
			Sender: p.InstructingAgent, Defund: &iso20022.DefundInstruction{MsgID: "DEFUND-0001", UETR: "0a1b2c3d-0000-4000-8000-0000000000ff",
				Amount: corridor.Money{Amount: 10_00, Currency: "INR"}, SettlementDate: fixtureDay}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := iso20022.DecodeSubmission(tt.data, tt.sender, hubBIC)
			if err != nil {
				t.Fatalf("DecodeSubmission(%s) = %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("DecodeSubmission(%s) mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

// TestDecodeSubmission_Refuses checks each kind of error a bank gets back:
// an *InvalidError (400), a reject with its reason (422), or ErrUnauthorized (403).
func TestDecodeSubmission_Refuses(t *testing.T) {
	p := validPayment()
	pacs008, pacs004 := MustEncodeValid(t), string(MustReadFile(t, "pacs004.xml"))
	camt029, pacs009 := string(MustReadFile(t, "camt029_cncl.xml")), string(MustReadFile(t, "pacs009.xml"))
	tests := []struct {
		name   string
		data   string
		sender corridor.BIC
		want   string // "invalid", "unauthorized" or a reason code.
		detail string
	}{
		{"Malformed", "<Envelope", p.InstructingAgent, "invalid", "FF01"},
		{"Comment", strings.Replace(pacs008, "<Document", "<!-- x --><Document", 1), p.InstructingAgent, "invalid", "a comment at byte"},
		{"CommentInText", strings.Replace(pacs008, "</MsgId>", "<!--x--></MsgId>", 1), p.InstructingAgent, "invalid", "a comment at byte"},
		{"ProcessingInstruction", strings.Replace(pacs008, "<Document", "<?pi x?><Document", 1), p.InstructingAgent, "invalid",
			"a processing instruction at byte"},
		{"CDATA", strings.Replace(pacs008, "</MsgId>", "<![CDATA[]]></MsgId>", 1), p.InstructingAgent, "invalid", "a CDATA section at byte"},
		{"NoDocument", `<Envelope><AppHdr/></Envelope>`, p.InstructingAgent, "invalid", "Document: required"},
		{"NewerPacs008", strings.Replace(pacs008, "pacs.008.001.08\">", "pacs.008.001.12\">", 1), p.InstructingAgent, "invalid",
			"pacs.008.001.12 is not supported; this hub accepts pacs.008.001.08"},
		{"Pacs008OtherSender", pacs008, p.InstructedAgent, "unauthorized", "AppHdr/Fr is DEMOINBBXXX but the client certificate is DEMORUMMXXX's"},
		{"Pacs008Bare", pacs008[strings.Index(pacs008, "<Document"):strings.Index(pacs008, "</Envelope>")], p.InstructingAgent, "invalid",
			"the AppHdr and the Document must be side by side"},
		{"Pacs004OtherSender", pacs004, p.InstructingAgent, "unauthorized", "AppHdr/Fr is DEMORUMMXXX"},
		{"Pacs004Bare", pacs004[strings.Index(pacs004, "<Document"):strings.Index(pacs004, "</Envelope>")], p.InstructedAgent, "FF01",
			"a message needs its AppHdr and its Document"},
		{"Pacs004TwoTransactions", strings.Replace(pacs004, "<NbOfTxs>1</NbOfTxs>", "<NbOfTxs>2</NbOfTxs>", 1), p.InstructedAgent, "invalid",
			"CBPR+ allows exactly 1 transaction"},
		{"Pacs004UnknownCurrency", strings.ReplaceAll(pacs004, `Ccy="INR"`, `Ccy="ZZZ"`), p.InstructedAgent, "AM03", "currency \"ZZZ\""},
		{"Camt029Status", strings.Replace(camt029, "<Conf>CNCL</Conf>", "<Conf>RJCR</Conf>", 1), p.InstructedAgent, "FF01",
			`Sts/Conf and TxCxlSts "RJCR/ACCR"`},
		{"Pacs009ToBank", strings.ReplaceAll(pacs009, string(hubBIC), "DEMOAEADXXX"), p.InstructingAgent, "AG01",
			"a pacs.009 to the hub defunds; DEMOAEADXXX is not the hub CRDRINBBXXX"},
		{"StatusReport", string(MustReadFile(t, "pacs002_acsc.xml")), hubBIC, "FF01",
			"pacs.002.001.10 is not supported; this hub accepts pacs.008.001.08, pacs.004.001.09"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := iso20022.DecodeSubmission([]byte(tt.data), tt.sender, hubBIC)
			var invalid *iso20022.InvalidError
			var got string
			switch reason, _ := corridor.ReasonOf(err); {
			case err == nil:
				t.Fatalf("DecodeSubmission(%s) = nil; want %s", tt.name, tt.want)
			case errors.As(err, &invalid):
				got = "invalid"
			case errors.Is(err, corridor.ErrUnauthorized):
				got = "unauthorized"
			default:
				got = string(reason)
			}
			if got != tt.want || !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("DecodeSubmission(%s) = %v (%s); want %s with %q", tt.name, err, got, tt.want, tt.detail)
			}
		})
	}
}
