package iso20022_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

func TestDecodeCustomerCreditTransfer_Samples(t *testing.T) {
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UTC()
	}
	hdr := func(from, to, id, created string) iso20022.AppHdr {
		return iso20022.AppHdr{From: corridor.BIC(from), To: corridor.BIC(to), BizMsgID: id,
			MsgDefID: "pacs.008.001.08", BizSvc: "swift.cbprplus.03", Created: utc(created)}
	}
	tests := []struct {
		file string
		want iso20022.CustomerCreditTransfer
	}{
		{cctSamples[0], iso20022.CustomerCreditTransfer{
			Header: hdr("NDEAFIHHXXX", "HELSFIHHXXX", "pacs8bizmsgidr03", "2021-04-09T07:20:00Z"),
			Payment: corridor.Payment{MsgID: "pacs8bizmsgidr03", UETR: "8a562c67-ca16-48ba-b074-65581be6f001",
				EndToEndID: "pacs008EndToEndId-001", InstructingAgent: "NDEAFIHHXXX", InstructedAgent: "HELSFIHHXXX",
				DebtorAgent: "RBOSGB2LXXX", CreditorAgent: "HELSFIHHXXX", Amount: 1_566_938, Currency: "EUR",
				SettlementDate: corridor.Date{Year: 2021, Month: time.April, Day: 9}, DebtorName: "C Consumer", CreditorName: "Evli",
				Instructed: corridor.Money{Amount: 1_566_938, Currency: "EUR"}},
			InstrID: "pacs8bizmsgidr03",
		}},
		{cctSamples[1], iso20022.CustomerCreditTransfer{
			Header: hdr("CHASGB2LXXX", "CHASUS33XXX", "A2B0506272708", "2021-05-11T10:13:00Z"),
			Payment: corridor.Payment{MsgID: "A2B0506272708", UETR: "174c245f-2682-4291-ad67-2a41e530cd27",
				EndToEndID: "E2E04044506271305", InstructingAgent: "CHASGB2LXXX", InstructedAgent: "CHASUS33XXX",
				DebtorAgent: "CHASGB2LXXX", CreditorAgent: "HNBAUS51XXX", Amount: 13_650_000, Currency: "USD",
				SettlementDate: corridor.Date{Year: 2021, Month: time.May, Day: 11}, DebtorName: "GB Engineering ", CreditorName: "US Engines",
				Instructed: corridor.Money{Amount: 13_650_000, Currency: "USD"}},
			InstrID: "A2B0506272708",
		}},
		{cctSamples[2], iso20022.CustomerCreditTransfer{ // COVE, and 8-character BICs that become 11.
			Header: hdr("CLYDGB2SXXX", "CAIXESBBXXX", "pcs008bzmsgidr-1", "2022-10-20T09:25:00Z"),
			Payment: corridor.Payment{MsgID: "pcs008bzmsgidr-1", UETR: "7a562c67-ca16-48ba-b074-65581be6f001",
				EndToEndID: "pacs008EndToEndId-001", InstructingAgent: "CLYDGB2SXXX", InstructedAgent: "CAIXESBBXXX",
				DebtorAgent: "CLYDGB2SXXX", CreditorAgent: "BSCHESMMXXX", Amount: 6_578_432, Currency: "EUR",
				SettlementDate: corridor.Date{Year: 2022, Month: time.October, Day: 20}, DebtorName: "A Debiter", CreditorName: "B Creditor Co",
				Instructed: corridor.Money{Amount: 6_578_432, Currency: "EUR"}},
			InstrID: "pcs008bzmsgidr-1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := iso20022.DecodeCustomerCreditTransfer(MustReadFile(t, tt.file))
			if err != nil {
				t.Fatalf("DecodeCustomerCreditTransfer(%s) = %v", tt.file, err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("DecodeCustomerCreditTransfer(%s) mismatch (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

const (
	tx      = "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/"
	grpHdr  = "Document/FIToFICstmrCdtTrf/GrpHdr/"
	uetr    = "3f1c7a52-9b4e-4c1d-8a2f-6d5e4b3c2a10"
	amount  = `<IntrBkSttlmAmt Ccy="INR">12500000.50</IntrBkSttlmAmt>`
	fromBIC = "<BICFI>DEMOINBBXXX</BICFI>"
)

func TestDecodeCustomerCreditTransfer_Rejects(t *testing.T) {
	valid := MustEncodeValid(t)
	deep := strings.Repeat("<a>", iso20022.MaxDepth+1) + strings.Repeat("</a>", iso20022.MaxDepth+1)
	tests := []struct {
		name   string
		in     string
		path   string
		reason corridor.ReasonCode
		rule   string // A part of the rule.
	}{
		{"BadUETR", strings.Replace(valid, uetr, strings.ToUpper(uetr), 1), tx + "PmtId/UETR", "FF01", "lower-case UUIDv4"},
		{"UETRNotV4", strings.Replace(valid, uetr, "3f1c7a52-9b4e-1c1d-8a2f-6d5e4b3c2a10", 1), tx + "PmtId/UETR", "FF01", "UUIDv4"},
		{"MissingUETR", strings.Replace(valid, "<UETR>"+uetr+"</UETR>", "", 1), tx + "PmtId/UETR", "FF01", "required"},
		{"DecimalsINR", strings.Replace(valid, amount, `<IntrBkSttlmAmt Ccy="INR">10.505</IntrBkSttlmAmt>`, 1), tx + "IntrBkSttlmAmt", "CH20", "decimals"},
		{"DecimalsJPY", strings.Replace(valid, amount, `<IntrBkSttlmAmt Ccy="JPY">10.5</IntrBkSttlmAmt>`, 1), tx + "IntrBkSttlmAmt", "CH20", "decimals"},
		{"CurrencyXXX", strings.Replace(valid, amount, `<IntrBkSttlmAmt Ccy="XXX">10.50</IntrBkSttlmAmt>`, 1), tx + "IntrBkSttlmAmt/@Ccy", "AM03", "not processable"},
		{"MissingCcy", strings.Replace(valid, amount, `<IntrBkSttlmAmt>10.50</IntrBkSttlmAmt>`, 1), tx + "IntrBkSttlmAmt/@Ccy", "FF01", "required"},
		{"ZeroAmount", strings.Replace(valid, amount, `<IntrBkSttlmAmt Ccy="INR">0.00</IntrBkSttlmAmt>`, 1), tx + "IntrBkSttlmAmt", "AM01", "zero"},
		{"AmountTooLarge", strings.Replace(valid, amount, `<IntrBkSttlmAmt Ccy="INR">99999999999999999999</IntrBkSttlmAmt>`, 1), tx + "IntrBkSttlmAmt", "AM02", "maximum"},
		{"AmountNotNumber", strings.Replace(valid, amount, `<IntrBkSttlmAmt Ccy="INR">1e5</IntrBkSttlmAmt>`, 1), tx + "IntrBkSttlmAmt", "FF01", "decimal"},
		{"BadDate", strings.Replace(valid, "<IntrBkSttlmDt>2026-03-02<", "<IntrBkSttlmDt>2026-02-30<", 1), tx + "IntrBkSttlmDt", "DT01", "YYYY-MM-DD"},
		{"BadCreDt", strings.Replace(valid, "<CreDt>2026-03-02T10:30:00+05:30<", "<CreDt>2026-03-02T10:30:00<", 1), "AppHdr/CreDt", "DT01", "zone offset"},
		{"BadBIC", strings.Replace(valid, "<DbtrAgt>\n          <FinInstnId>\n            <BICFI>DEMOINBBXXX", "<DbtrAgt>\n          <FinInstnId>\n            <BICFI>demoinbb", 1), tx + "DbtrAgt/FinInstnId/BICFI", "RC01", "ISO 9362"},
		{"FrNotInstgAgt", strings.Replace(valid, fromBIC, "<BICFI>OTHRINBBXXX</BICFI>", 1), "AppHdr/Fr/FIId/FinInstnId/BICFI", "FF01", "not the instructing agent"},
		{"ToNotInstdAgt", strings.Replace(valid, "<To>\n      <FIId>\n        <FinInstnId>\n          <BICFI>DEMORUMMXXX", "<To>\n      <FIId>\n        <FinInstnId>\n          <BICFI>OTHRRUMMXXX", 1), "AppHdr/To/FIId/FinInstnId/BICFI", "FF01", "not the instructed agent"},
		{"NbOfTxs2", strings.Replace(valid, "<NbOfTxs>1<", "<NbOfTxs>2<", 1), grpHdr + "NbOfTxs", "FF01", "exactly 1"},
		{"TwoTransactions", strings.Replace(valid, "<CdtTrfTxInf>", strings.Replace(valid[strings.Index(valid, "<CdtTrfTxInf>"):strings.Index(valid, "</CdtTrfTxInf>")+len("</CdtTrfTxInf>")], "E2E-OIL-CARGO-17", "E2E-2", 1)+"<CdtTrfTxInf>", 1), "Document/FIToFICstmrCdtTrf/CdtTrfTxInf", "FF01", "at most once"},
		{"MsgIdTooLong", strings.Replace(valid, "<MsgId>MSG-0001<", "<MsgId>"+strings.Repeat("M", 36)+"<", 1), grpHdr + "MsgId", "FF01", "1 to 35"},
		{"EmptyEndToEndId", strings.Replace(valid, "<EndToEndId>E2E-OIL-CARGO-17<", "<EndToEndId><", 1), tx + "PmtId/EndToEndId", "FF01", "1 to 35"},
		{"SttlmMtd", strings.Replace(valid, "<SttlmMtd>CLRG<", "<SttlmMtd>CASH<", 1), grpHdr + "SttlmInf/SttlmMtd", "FF01", "INDA, INGA, COVE, CLRG"},
		{"ChrgBr", strings.Replace(valid, "<ChrgBr>SHAR<", "<ChrgBr>OUR<", 1), tx + "ChrgBr", "FF01", "DEBT, CRED, SHAR"},
		{"ChrgBrSLEV", strings.Replace(valid, "<ChrgBr>SHAR<", "<ChrgBr>SLEV<", 1), tx + "ChrgBr", "FF01", "DEBT, CRED, SHAR"},
		{"BizSvc", strings.Replace(valid, "<BizSvc>swift.cbprplus.03<", "<BizSvc>swift.cbprplus.cov.03<", 1), "AppHdr/BizSvc", "FF01", "swift.cbprplus.NN"},
		{"NameTooLong", strings.Replace(valid, "<Nm>Bharat Petroleum Trading<", "<Nm>"+strings.Repeat("Щ", 141)+"<", 1), tx + "Dbtr/Nm", "FF01", "1 to 140"},
		{"MissingCdtr", strings.Replace(valid, "<Cdtr>\n          <Nm>ООО Нефтеэкспорт</Nm>\n        </Cdtr>", "", 1), tx + "Cdtr", "FF01", "required"},
		{"MsgDefIdr", strings.Replace(valid, "<MsgDefIdr>pacs.008.001.08<", "<MsgDefIdr>pacs.009.001.08<", 1), "AppHdr/MsgDefIdr", "FF01", "this message is pacs.008.001.08"},
		{"WrongVersion", strings.Replace(valid, "xsd:pacs.008.001.08", "xsd:pacs.008.001.12", 1), "Document", "FF01", "pacs.008.001.12 is not supported; this hub accepts pacs.008.001.08"},
		{"WrongHeaderVersion", strings.Replace(valid, "xsd:head.001.001.02", "xsd:head.001.001.01", 1), "AppHdr", "FF01", "head.001.001.01 is not supported; this hub accepts head.001.001.02"},
		{"ForeignElement", strings.Replace(valid, "<ChrgBr>", `<x:Extra xmlns:x="urn:other"/><ChrgBr>`, 1), tx + "Extra", "FF01", "namespace"},
		{"MissingAppHdr", valid[:strings.Index(valid, "  <AppHdr")] + valid[strings.Index(valid, "  <Document"):], "AppHdr", "FF01", "required"},
		{"NoEnvelope", valid[strings.Index(valid, "<Document"):strings.Index(valid, "</Envelope>")], "Document", "FF01", "envelope"},
		{"Malformed", valid[:len(valid)-20], "Document", "FF01", "malformed XML"},
		{"NotXML", "payment please", "", "FF01", "text outside the root element"},
		{"Empty", "", "", "FF01", "no root element"},
		{"TwoRoots", valid + "<Envelope/>", "", "FF01", "more than one root"},
		{"DTD", `<!DOCTYPE Envelope [<!ENTITY x "y">]>` + valid[strings.Index(valid, "<Envelope"):], "", "FF01", "DTD"},
		{"TooDeep", strings.Replace(valid, "<ChrgBr>", deep+"<ChrgBr>", 1), tx + strings.Repeat("a/", iso20022.MaxDepth-4) + "a", "FF01", "nested deeper than 32"},
		{"TooManyElements", strings.Replace(valid, "<ChrgBr>", strings.Repeat("<b/>", iso20022.MaxElements)+"<ChrgBr>", 1), tx + "b", "FF01", "more than 5000 elements"},
		{"TextTooLong", strings.Replace(valid, "<ChrgBr>", "<b>"+strings.Repeat("x", iso20022.MaxTextBytes+1)+"</b><ChrgBr>", 1), tx + "b", "FF01", "text longer than 10000 bytes"},
		{"OverSize", valid + "<!--" + strings.Repeat(" ", iso20022.MaxMessageBytes) + "-->", "", "FF01", "at most 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := iso20022.DecodeCustomerCreditTransfer([]byte(tt.in))
			if err == nil {
				t.Fatalf("DecodeCustomerCreditTransfer(%s) = %+v, nil; want %s at %s", tt.name, got, tt.reason, tt.path)
			}
			ps := problemsOf(t, err)
			p := ps[0]
			if p.Path != tt.path || p.Reason != tt.reason || !strings.Contains(p.Rule, tt.rule) {
				t.Errorf("DecodeCustomerCreditTransfer(%s) first problem = %+v; want %s at %q, rule with %q", tt.name, p, tt.reason, tt.path, tt.rule)
			}
			if len(ps) != 1 {
				t.Errorf("DecodeCustomerCreditTransfer(%s) gave %d problems, want 1: %v", tt.name, len(ps), err)
			}
			if r, ok := corridor.ReasonOf(err); !ok || r != tt.reason {
				t.Errorf("ReasonOf(DecodeCustomerCreditTransfer(%s)) = %q, %v; want %q", tt.name, r, ok, tt.reason)
			}
		})
	}
}

func TestDecodeCustomerCreditTransfer_AllProblems(t *testing.T) {
	in := MustEncodeValid(t)
	in = MustReplace(t, in, uetr, "not-a-uetr")
	in = MustReplace(t, in, amount, `<IntrBkSttlmAmt Ccy="INR">10.505</IntrBkSttlmAmt>`)
	in = MustReplace(t, in, "<NbOfTxs>1<", "<NbOfTxs>2<")
	in = MustReplace(t, in, fromBIC, "<BICFI>OTHRINBBXXX</BICFI>")
	in = MustReplace(t, in, "<IntrBkSttlmDt>2026-03-02<", "<IntrBkSttlmDt>2026-13-01<")
	_, err := iso20022.DecodeCustomerCreditTransfer([]byte(in))
	var got []string
	for _, p := range problemsOf(t, err) {
		got = append(got, string(p.Reason)+" "+p.Path)
	}
	want := []string{ // In document order, then the usage rules that need the whole message.
		"FF01 " + tx + "PmtId/UETR",
		"CH20 " + tx + "IntrBkSttlmAmt",
		"DT01 " + tx + "IntrBkSttlmDt",
		"FF01 " + grpHdr + "NbOfTxs",
		"FF01 AppHdr/Fr/FIId/FinInstnId/BICFI",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DecodeCustomerCreditTransfer(5 faults) problems mismatch (-want +got):\n%s", diff)
	}
	if r, _ := corridor.ReasonOf(err); r != "FF01" {
		t.Errorf("ReasonOf = %q; want the first problem's FF01", r)
	}
	if msg := err.Error(); !strings.Contains(msg, "5 problems") || !strings.Contains(msg, "CH20 "+tx+"IntrBkSttlmAmt") {
		t.Errorf("Error() = %q; want every problem listed", msg)
	}
}

func TestDecodeCustomerCreditTransfer_ManyProblemsBounded(t *testing.T) {
	in := MustEncodeValid(t)
	in = MustReplace(t, in, "<ChrgBr>", strings.Repeat(`<x:E xmlns:x="urn:x"/>`, 10)+"<ChrgBr>")
	in = strings.ReplaceAll(in, "<BICFI>DEMO", "<BICFI>demo")
	_, err := iso20022.DecodeCustomerCreditTransfer([]byte(in))
	ps := problemsOf(t, err)
	if len(ps) > iso20022.MaxProblems+1 {
		t.Errorf("DecodeCustomerCreditTransfer gave %d problems; want at most %d", len(ps), iso20022.MaxProblems+1)
	}
}

func TestCustomerCreditTransfer_RoundTrip(t *testing.T) {
	tests := map[string]func(*iso20022.AppHdr, *corridor.Payment, *string){
		"OK":       func(*iso20022.AppHdr, *corridor.Payment, *string) {},
		"Cyrillic": func(_ *iso20022.AppHdr, p *corridor.Payment, _ *string) { p.DebtorName = strings.Repeat("Ж", 140) },
		"Devanagari": func(_ *iso20022.AppHdr, p *corridor.Payment, _ *string) {
			p.CreditorName = strings.Repeat("भारत", 35) // 140 code points.
		},
		"NoNamesNoInstrID": func(_ *iso20022.AppHdr, p *corridor.Payment, id *string) {
			p.DebtorName, p.CreditorName, *id = "", "", ""
		},
		"Escaping": func(_ *iso20022.AppHdr, p *corridor.Payment, _ *string) { p.DebtorName = "A & B <\"Ltd\">\n\t\r 'x'" },
		"RUBDuplicateNanos": func(h *iso20022.AppHdr, p *corridor.Payment, _ *string) {
			h.PossibleDuplicate, h.BizSvc = true, ""
			h.Created = time.Date(2026, 1, 1, 23, 59, 59, 123456789, time.UTC)
			p.Currency, p.Amount = "RUB", 1
		},
		"JPYMax": func(_ *iso20022.AppHdr, p *corridor.Payment, _ *string) {
			p.Currency, p.Amount = "JPY", corridor.MaxAmount
		},
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			h, p, id := validHeader(), validPayment(), "INSTR-1"
			change(&h, &p, &id)
			data, err := iso20022.EncodeCustomerCreditTransfer(h, p, id)
			if err != nil {
				t.Fatalf("EncodeCustomerCreditTransfer(%s) = %v", name, err)
			}
			got, err := iso20022.DecodeCustomerCreditTransfer(data)
			if err != nil {
				t.Fatalf("DecodeCustomerCreditTransfer(EncodeCustomerCreditTransfer(%s)) = %v", name, err)
			}
			want := iso20022.CustomerCreditTransfer{Header: h, Payment: p, InstrID: id}
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("round trip of %s mismatch (-want +got):\n%s", name, diff)
			}
			again, _ := iso20022.EncodeCustomerCreditTransfer(got.Header, got.Payment, got.InstrID)
			if string(again) != string(data) {
				t.Errorf("encoding %s again gave different bytes", name)
			}
		})
	}
}

func TestEncodeCustomerCreditTransfer_Refuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*iso20022.AppHdr, *corridor.Payment)
		want   string
	}{
		{"ShortBIC", func(_ *iso20022.AppHdr, p *corridor.Payment) { p.CreditorAgent = "DEMORUMM" }, "CdtrAgt: BIC DEMORUMM is not in its 11-character form"},
		{"ZeroCreated", func(h *iso20022.AppHdr, _ *corridor.Payment) { h.Created = time.Time{} }, "Created is zero"},
		{"OffsetSeconds", func(h *iso20022.AppHdr, _ *corridor.Payment) {
			h.Created = h.Created.In(time.FixedZone("LMT", 5*3600+21*60+10))
		}, "AppHdr/CreDt: zone offset"},
		{"OffsetTooLarge", func(h *iso20022.AppHdr, _ *corridor.Payment) { h.Created = h.Created.In(time.FixedZone("", 15*3600)) }, "AppHdr/CreDt"},
		{"WrongMsgDefID", func(h *iso20022.AppHdr, _ *corridor.Payment) { h.MsgDefID = "pacs.008.001.12" }, "AppHdr/MsgDefIdr"},
		{"FromNotInstructing", func(h *iso20022.AppHdr, _ *corridor.Payment) { h.From = "OTHRINBBXXX" }, "not the instructing agent"},
		{"UnknownCurrency", func(_ *iso20022.AppHdr, p *corridor.Payment) { p.Currency = "XXX" }, "AM03"},
		{"Decimals", func(_ *iso20022.AppHdr, p *corridor.Payment) { p.Amount = 0 }, "AM01"},
		{"ImpossibleDate", func(_ *iso20022.AppHdr, p *corridor.Payment) { p.SettlementDate.Day = 31; p.SettlementDate.Month = 2 }, "IntrBkSttlmDt: 2026-02-31 is not a date"},
		{"ControlCharacter", func(_ *iso20022.AppHdr, p *corridor.Payment) { p.DebtorName = "A\x00B" }, "XML cannot carry"},
		{"InvalidUTF8", func(_ *iso20022.AppHdr, p *corridor.Payment) { p.DebtorName = "A\xffB" }, "UTF-8"},
		{"EmptyEndToEndID", func(_ *iso20022.AppHdr, p *corridor.Payment) { p.EndToEndID = "" }, "EndToEndId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, p := validHeader(), validPayment()
			tt.change(&h, &p)
			data, err := iso20022.EncodeCustomerCreditTransfer(h, p, "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("EncodeCustomerCreditTransfer(%s) = %d bytes, %v; want an error with %q", tt.name, len(data), err, tt.want)
			}
		})
	}
}

func TestInvalidError_Unwrap(t *testing.T) {
	long := strings.Repeat("x", 200)
	err := &iso20022.InvalidError{Problems: []iso20022.Problem{
		{Path: tx + "PmtId/UETR", Rule: long, Reason: "FF01"},
		{Path: "AppHdr", Rule: "required", Reason: "RC01"},
	}}
	var re *corridor.RejectError
	re, _ = err.Unwrap().(*corridor.RejectError)
	if re == nil || re.Reason != "FF01" || !strings.HasPrefix(re.Detail, tx+"PmtId/UETR: xxx") || len([]rune(re.Detail)) > 105 {
		t.Errorf("Unwrap() = %#v; want FF01 with a detail of at most 105 characters naming the path", re)
	}
	if got := fmt.Sprint(err); !strings.Contains(got, "2 problems") {
		t.Errorf("Error() = %q", got)
	}
}

func TestMessageDefinition(t *testing.T) {
	valid := MustEncodeValid(t)
	tests := []struct {
		name, in, want string
		reason         corridor.ReasonCode
	}{
		{"Envelope", valid, "pacs.008.001.08", ""},
		{"Sample", string(MustReadFile(t, statusSamples[0])), "pacs.002.001.10", ""},
		{"BareDocument", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>`, "camt.053.001.08", ""},
		{"NewerVersion", strings.Replace(valid, "pacs.008.001.08\">", "pacs.008.001.12\">", 1), "pacs.008.001.12", ""},
		{"NoDocument", `<Envelope><AppHdr/></Envelope>`, "", "FF01"},
		{"OtherNamespace", `<Document xmlns="urn:tch"/>`, "", "FF01"},
		{"Malformed", `<Document`, "", "FF01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := iso20022.MessageDefinition([]byte(tt.in))
			r, _ := corridor.ReasonOf(err)
			if got != tt.want || r != tt.reason {
				t.Errorf("MessageDefinition(%s) = %q, %v; want %q, reason %q", tt.name, got, err, tt.want, tt.reason)
			}
		})
	}
	re := iso20022.Unsupported("pacs.008.001.12", iso20022.MsgDefCustomerCreditTransfer)
	if re.Reason != "FF01" || re.Detail != "pacs.008.001.12 is not supported; this hub accepts pacs.008.001.08" {
		t.Errorf("Unsupported = %#v", re)
	}
}
