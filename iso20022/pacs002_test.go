package iso20022_test

import (
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// settled and rejected are the status reports of the golden files.
func settled() iso20022.StatusReport {
	return iso20022.StatusReport{
		From:               "CRDRINBBXXX",
		To:                 "DEMOINBBXXX",
		MsgID:              "HUB-STS-000001",
		Created:            time.Date(2026, 3, 2, 10, 30, 5, 0, time.UTC),
		OriginalMsgID:      "MSG-0001",
		OriginalMsgDefID:   iso20022.MsgDefCustomerCreditTransfer,
		OriginalInstrID:    "INSTR-1",
		OriginalEndToEndID: "E2E-OIL-CARGO-17",
		OriginalUETR:       "3f1c7a52-9b4e-4c1d-8a2f-6d5e4b3c2a10",
		Status:             corridor.StatusSettled,
		InstructingAgent:   "DEMOINBBXXX",
		InstructedAgent:    "DEMORUMMXXX",
		SettlementDate:     corridor.Date{Year: 2026, Month: time.March, Day: 2},
	}
}

func rejected() iso20022.StatusReport {
	sr := settled()
	sr.MsgID = "HUB-STS-000002"
	sr.Status = corridor.StatusRejected
	sr.Reason = corridor.ReasonInsufficientFunds
	sr.AdditionalInfo = "Settlement account DEMOINBB INR cannot cover 12500000.50 INR at cut-off"
	sr.SettlementDate = corridor.Date{}
	sr.OriginalInstrID = ""
	return sr
}

func TestEncodeStatusReport_Golden(t *testing.T) {
	tests := []struct {
		file string
		sr   iso20022.StatusReport
	}{
		{"pacs002_acsc.xml", settled()},
		{"pacs002_rjct_am04.xml", rejected()},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := iso20022.EncodeStatusReport(tt.sr)
			if err != nil {
				t.Fatalf("EncodeStatusReport(%s) = %v", tt.file, err)
			}
			MustMatchGolden(t, tt.file, got)
			back, err := iso20022.DecodeStatusReport(got)
			if err != nil {
				t.Fatalf("DecodeStatusReport(%s) = %v", tt.file, err)
			}
			if diff := cmp.Diff(tt.sr, *back); diff != "" {
				t.Errorf("DecodeStatusReport(EncodeStatusReport(%s)) mismatch (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

func TestDecodeStatusReport_Samples(t *testing.T) {
	created := func(s string) time.Time {
		tm, _ := time.Parse(time.RFC3339, s)
		return tm.UTC()
	}
	tests := []struct {
		file string
		want iso20022.StatusReport
	}{
		{statusSamples[0], iso20022.StatusReport{From: "HELSFIHHXXX", To: "NDEAFIHHXXX", MsgID: "pacs2bizmsgidr01",
			Created: created("2020-08-03T11:13:00Z"), OriginalMsgID: "pacs9bizmsgidr02", OriginalMsgDefID: "MT299",
			OriginalInstrID: "pacs9bizmsgidr02", OriginalEndToEndID: "pacs009EndToEnd+", OriginalUETR: "dab3b64f-092b-4839-b7e9-8f438af50961",
			Status: "RJCT", Reason: "AC04", InstructingAgent: "HELSFIHHXXX", InstructedAgent: "NDEAFIHHXXX"}},
		{statusSamples[1], iso20022.StatusReport{From: "BOFSGB2LXXX", To: "NDEADKK2XXX", MsgID: "pacs002bizmsgid+",
			Created: created("2022-10-20T08:35:00Z"), OriginalMsgID: "pcs010bizmsgidr1", OriginalMsgDefID: "MT299",
			OriginalInstrID: "pcs010bizmsgidr1", OriginalEndToEndID: "MANDATE123456", OriginalUETR: "7a562c67-ca16-48ba-b074-65581be6f001",
			Status: "RJCT", Reason: "XT99", AdditionalInfo: "MD01", InstructingAgent: "BOFSGB2LXXX", InstructedAgent: "NDEADKK2XXX"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := iso20022.DecodeStatusReport(MustReadFile(t, tt.file))
			if err != nil {
				t.Fatalf("DecodeStatusReport(%s) = %v", tt.file, err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("DecodeStatusReport(%s) mismatch (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

func TestDecodeStatusReport_GroupLevelOriginal(t *testing.T) {
	in := string(MustReadFile(t, "pacs002_rjct_am04.xml"))
	orig := "      <TxInfAndSts>\n        <OrgnlGrpInf>\n          <OrgnlMsgId>MSG-0001</OrgnlMsgId>\n          <OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId>\n        </OrgnlGrpInf>\n"
	in = MustReplace(t, in, orig, "<OrgnlGrpInfAndSts><OrgnlMsgId>MSG-0001</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId></OrgnlGrpInfAndSts><TxInfAndSts>")
	got, err := iso20022.DecodeStatusReport([]byte(in))
	if err != nil {
		t.Fatalf("DecodeStatusReport(OrgnlGrpInfAndSts) = %v", err)
	}
	if diff := cmp.Diff(rejected(), *got); diff != "" {
		t.Errorf("DecodeStatusReport(OrgnlGrpInfAndSts) mismatch (-want +got):\n%s", diff)
	}
}

func TestEncodeStatusReport_Refuses(t *testing.T) {
	tests := []struct {
		name   string
		sr     func() iso20022.StatusReport
		change func(*iso20022.StatusReport)
		want   string
	}{
		{"RejectWithoutReason", rejected, func(sr *iso20022.StatusReport) { sr.Reason, sr.AdditionalInfo = "", "" }, "StsRsnInf: required with TxSts RJCT"},
		{"RejectWithOnlyInfo", rejected, func(sr *iso20022.StatusReport) { sr.Reason = "" }, "StsRsnInf/Rsn/Cd"},
		{"SettledWithReason", settled, func(sr *iso20022.StatusReport) { sr.Reason = "AM04" }, "StsRsnInf: only with TxSts RJCT"},
		{"SettledWithInfo", settled, func(sr *iso20022.StatusReport) { sr.AdditionalInfo = "x" }, "only with TxSts RJCT"},
		{"RejectWithSettlementDate", rejected, func(sr *iso20022.StatusReport) { sr.SettlementDate = corridor.Date{Year: 2026, Month: 3, Day: 2} }, "FctvIntrBkSttlmDt: only with TxSts ACSC"},
		{"BadReason", rejected, func(sr *iso20022.StatusReport) { sr.Reason = "am04" }, "external status reason code"},
		{"InfoTooLong", rejected, func(sr *iso20022.StatusReport) { sr.AdditionalInfo = strings.Repeat("я", 106) }, "AddtlInf: must be 1 to 105"},
		{"MsgIDTooLong", settled, func(sr *iso20022.StatusReport) { sr.MsgID = strings.Repeat("9", 36) }, "BizMsgIdr: must be 1 to 35"},
		{"StatusACTC", settled, func(sr *iso20022.StatusReport) { sr.Status = corridor.StatusAccepted }, "TxSts"},
		{"NoStatus", settled, func(sr *iso20022.StatusReport) { sr.Status = "" }, "TxSts"},
		{"ShortBIC", settled, func(sr *iso20022.StatusReport) { sr.InstructedAgent = "DEMORUMM" }, "InstdAgt: BIC DEMORUMM is not in its 11-character form"},
		{"BadBIC", settled, func(sr *iso20022.StatusReport) { sr.From = "hub" }, "RC01"},
		{"BadUETR", settled, func(sr *iso20022.StatusReport) { sr.OriginalUETR = "x" }, "OrgnlUETR"},
		{"NoEndToEndID", settled, func(sr *iso20022.StatusReport) { sr.OriginalEndToEndID = "" }, "OrgnlEndToEndId"},
		{"ZeroCreated", settled, func(sr *iso20022.StatusReport) { sr.Created = time.Time{} }, "Created is zero"},
		{"Year10000", settled, func(sr *iso20022.StatusReport) { sr.Created = sr.Created.AddDate(8000, 0, 0) }, "CreDt"},
		{"ImpossibleDate", settled, func(sr *iso20022.StatusReport) { sr.SettlementDate.Month = 13 }, "FctvIntrBkSttlmDt/Dt: 2026-13-02 is not a date"},
		{"NotXMLText", settled, func(sr *iso20022.StatusReport) { sr.OriginalInstrID = "\x1b[0m" }, "XML cannot carry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sr := tt.sr()
			tt.change(&sr)
			data, err := iso20022.EncodeStatusReport(sr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("EncodeStatusReport(%s) = %d bytes, %v; want an error with %q", tt.name, len(data), err, tt.want)
			}
		})
	}
}

func TestDecodeStatusReport_Rejects(t *testing.T) {
	golden := string(MustReadFile(t, "pacs002_acsc.xml"))
	tests := []struct {
		name, in, path string
		reason         corridor.ReasonCode
	}{
		{"WrongVersion", strings.Replace(golden, "pacs.002.001.10\">", "pacs.002.001.12\">", 1), "Document", "FF01"},
		{"CreditTransfer", string(MustReadFile(t, cctSamples[0])), "Document", "FF01"},
		{"TwoTransactions", strings.Replace(golden, "</TxInfAndSts>", "</TxInfAndSts><TxInfAndSts/>", 1), "Document/FIToFIPmtStsRpt/TxInfAndSts", "FF01"},
		{"DateTimeSettlement", strings.Replace(golden, "<Dt>2026-03-02</Dt>", "<DtTm>2026-03-02T10:00:00Z</DtTm>", 1), "Document/FIToFIPmtStsRpt/TxInfAndSts/FctvIntrBkSttlmDt/Dt", "FF01"},
		{"BadSettlementDate", strings.Replace(golden, "<Dt>2026-03-02</Dt>", "<Dt>0000-03-02</Dt>", 1), "Document/FIToFIPmtStsRpt/TxInfAndSts/FctvIntrBkSttlmDt/Dt", "DT01"},
		{"CommaFraction", strings.Replace(golden, "<CreDtTm>2026-03-02T10:30:05+00:00<", "<CreDtTm>2026-03-02T10:30:05,5+00:00<", 1), "Document/FIToFIPmtStsRpt/GrpHdr/CreDtTm", "DT01"},
		{"PssblDplct", strings.Replace(golden, "</CreDt>", "</CreDt><PssblDplct>yes</PssblDplct>", 1), "AppHdr/PssblDplct", "FF01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := iso20022.DecodeStatusReport([]byte(tt.in))
			ps := problemsOf(t, err)
			if ps[0].Path != tt.path || ps[0].Reason != tt.reason {
				t.Errorf("DecodeStatusReport(%s) first problem = %+v; want %s at %s (all: %v)", tt.name, ps[0], tt.reason, tt.path, err)
			}
		})
	}
}
