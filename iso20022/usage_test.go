package iso20022_test

import (
	"strings"
	"testing"

	"github.com/corridor-network/corridor/iso20022"
)

func TestValidate_Usage(t *testing.T) {
	pacs009 := string(MustReadFile(t, "cbprplus-translation/mt202_pacs_009_B_C.xml"))
	pacs008 := MustEncodeValid(t)
	pacs004 := string(MustReadFile(t, "cbprplus-translation/mt103_pacs_004_B_A.xml"))
	camt056 := string(MustReadFile(t, "cbprplus-translation/mt192_camt_056_A_D.xml"))
	camt029 := string(MustReadFile(t, "cbprplus-translation/mt_196_camt_029_D_A.xml"))
	const (
		rtr    = "Document/PmtRtr/TxInf/"
		cxlReq = "Document/FIToFIPmtCxlReq/"
		rsltn  = "Document/RsltnOfInvstgtn/"
		fr     = "AppHdr/Fr/FIId/FinInstnId/BICFI"
		to     = "AppHdr/To/FIId/FinInstnId/BICFI"
	)
	tests := []struct {
		name, in, path, reason, rule string
	}{
		{"Pacs004NoUETR", regexpCut(t, pacs004, "<pacs:OrgnlUETR>", "</pacs:OrgnlUETR>"), rtr + "OrgnlUETR", "FF01", "required by CBPR+"},
		{"Pacs004Fr", MustReplace(t, pacs004, "<head:BICFI>CHASUS33XXX<", "<head:BICFI>OTHRUS33XXX<"), fr, "FF01", "not the instructing agent"},
		{"Pacs004To", MustReplace(t, pacs004, "<head:BICFI>CHASGB2LXXX<", "<head:BICFI>OTHRGB2LXXX<"), to, "FF01", "not the instructed agent"},
		{"Pacs004NoInstgAgt", regexpCut(t, pacs004, "<pacs:InstgAgt>", "</pacs:InstgAgt>"), rtr + "InstgAgt", "FF01", "required by CBPR+"},
		{"Camt056NoUETR", regexpCut(t, camt056, "<camt:OrgnlUETR>", "</camt:OrgnlUETR>"), cxlReq + "Undrlyg/TxInf/OrgnlUETR", "FF01", "required by CBPR+"},
		{"Camt056Fr", MustReplace(t, camt056, "<head:BICFI>MYMBGB2LXXX<", "<head:BICFI>OTHRGB2LXXX<"), fr, "FF01", "not the assigner"},
		{"Camt056To", MustReplace(t, camt056, "<head:BICFI>GEBABEBBXXX<", "<head:BICFI>OTHRBEBBXXX<"), to, "FF01", "not the assignee"},
		{"Camt056AssgnrParty", replaceBetween(t, camt056, "<camt:Assgnr>", "</camt:Assgnr>", "<camt:Assgnr><camt:Pty><camt:Nm>MY MONEY BANK</camt:Nm></camt:Pty></camt:Assgnr>"), cxlReq + "Assgnmt/Assgnr/Agt", "FF01", "required by CBPR+"},
		{"Camt029NoUETR", regexpCut(t, camt029, "<camt:OrgnlUETR>", "</camt:OrgnlUETR>"), rsltn + "CxlDtls/TxInfAndSts/OrgnlUETR", "FF01", "required by CBPR+"},
		{"Camt029Fr", MustReplace(t, camt029, "<head:BICFI>GEBABEBBXXX<", "<head:BICFI>OTHRBEBBXXX<"), fr, "FF01", "not the assigner"},
		{"Camt029To", MustReplace(t, camt029, "<head:BICFI>MYMBGB2LXXX<", "<head:BICFI>OTHRGB2LXXX<"), to, "FF01", "not the assignee"},
		{"BizSvc", MustReplace(t, pacs008, "<BizSvc>swift.cbprplus.03<", "<BizSvc>swift.cbprplus.3<"), "AppHdr/BizSvc", "FF01", "swift.cbprplus.NN (two digits)"},
		{"BizSvcOther", MustReplace(t, pacs008, "<BizSvc>swift.cbprplus.03<", "<BizSvc>swift.ti.01<"), "AppHdr/BizSvc", "FF01", "a CBPR+ pacs.008 names the business service swift.cbprplus.NN"},
		{"BizSvcCOVNotPacs009", MustReplace(t, pacs008, "<BizSvc>swift.cbprplus.03<", "<BizSvc>swift.cbprplus.cov.03<"), "AppHdr/BizSvc", "FF01", "swift.cbprplus.NN (two digits)"},
		{"Pacs009BizSvc", MustReplace(t, pacs009, "<head:BizSvc>swift.cbprplus.03<", "<head:BizSvc>swift.cbprplus.cov.3<"), "AppHdr/BizSvc", "FF01", "swift.cbprplus.cov.NN"},
		{"ChrgBrSLEV", MustReplace(t, pacs008, "<ChrgBr>SHAR<", "<ChrgBr>SLEV<"), tx + "ChrgBr", "FF01", "CBPR+ allows DEBT, CRED or SHAR"},
		{"NoUETR", regexpCut(t, pacs009, "<pacs:UETR>", "</pacs:UETR>"), "Document/FICdtTrf/CdtTrfTxInf/PmtId/UETR", "FF01", "required by CBPR+"},
		{"NbOfTxs", MustReplace(t, pacs008, "<NbOfTxs>1<", "<NbOfTxs>2<"), "Document/FIToFICstmrCdtTrf/GrpHdr/NbOfTxs", "FF01", "exactly 1"},
		{"MsgDefIdr", MustReplace(t, pacs008, "<MsgDefIdr>pacs.008.001.08<", "<MsgDefIdr>pacs.009.001.08<"), "AppHdr/MsgDefIdr", "FF01", "the Document is pacs.008.001.08"},
		{"Fr", MustReplace(t, pacs008, fromBIC, "<BICFI>OTHRINBBXXX</BICFI>"), "AppHdr/Fr/FIId/FinInstnId/BICFI", "FF01", "not the instructing agent"},
		{"Decimals", MustReplace(t, pacs008, amount, `<IntrBkSttlmAmt Ccy="JPY">10.5</IntrBkSttlmAmt>`), tx + "IntrBkSttlmAmt", "CH20", "decimals"},
		{"NoZone", MustReplace(t, pacs008, "<CreDt>2026-03-02T10:30:00+05:30<", "<CreDt>2026-03-02T10:30:00<"), "AppHdr/CreDt", "DT01", "zone"},
		{"Copy", MustReplace(t, pacs008, "<CreDt>2026-03-02T10:30:00+05:30</CreDt>", "<CreDt>2026-03-02T10:30:00+05:30</CreDt><CpyDplct>COPY</CpyDplct>"), "AppHdr/CpyDplct", "FF01", "not copies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := iso20022.Validate([]byte(tt.in))
			if len(ps) != 1 {
				t.Fatalf("Validate(%s) = %v; want one problem", tt.name, ps)
			}
			p := ps[0]
			if p.Layer != iso20022.LayerUsage || p.Path != tt.path || string(p.Reason) != tt.reason || !strings.Contains(p.Rule, tt.rule) {
				t.Errorf("Validate(%s) = %+v; want a usage problem %s at %s with %q", tt.name, p, tt.reason, tt.path, tt.rule)
			}
		})
	}
}

// regexpCut removes from s the first text from open to close, both included.
func regexpCut(tb testing.TB, s, open, close string) string {
	tb.Helper()
	i, j := strings.Index(s, open), strings.Index(s, close)
	if i < 0 || j < i {
		tb.Fatalf("no %s...%s", open, close)
	}
	return s[:i] + s[j+len(close):]
}

// replaceBetween replaces in s the first text from open to close, both
// included, with repl.
func replaceBetween(tb testing.TB, s, open, close, repl string) string {
	tb.Helper()
	i := strings.Index(s, open)
	if i < 0 {
		tb.Fatalf("no %s", open)
	}
	return s[:i] + repl + regexpCut(tb, s[i:], open, close)
}

// TestValidate_UsageAccepts checks messages that the usage rules accept
// though they differ from the fixtures: a possible duplicate, reported as
// such; a bare Document with ChrgBr SLEV, which only CBPR+ (an AppHdr)
// forbids; a pacs.009 COV's business service.
func TestValidate_UsageAccepts(t *testing.T) {
	dup := MustReplace(t, MustEncodeValid(t), "</CreDt>", "</CreDt><PssblDplct>true</PssblDplct>")
	pacs008 := MustEncodeValid(t)
	bare := pacs008[strings.Index(pacs008, "<Document"):strings.Index(pacs008, "</Envelope>")]
	cov := string(MustReadFile(t, "cbprplus-translation/mt202_pacs_009COV_A_B.xml"))
	for name, in := range map[string]string{
		"PssblDplct":             dup,
		"DuplicateAndPssblDplct": MustReplace(t, dup, "</CreDt>", "</CreDt><CpyDplct>DUPL</CpyDplct>"),
		"BareSLEV":               MustReplace(t, bare, "<ChrgBr>SHAR<", "<ChrgBr>SLEV<"),
		"Pacs009COV":             MustReplace(t, cov, "swift.cbprplus.cov.03", "swift.cbprplus.cov.04"),
	} {
		if ps := iso20022.Validate([]byte(in)); len(ps) > 0 {
			t.Errorf("Validate(%s) = %v; want none", name, ps)
		}
	}
	m, err := iso20022.Decode([]byte(dup))
	if err != nil || m.AppHdr.PssblDplct == nil || *m.AppHdr.PssblDplct != "true" {
		t.Errorf("Decode(PssblDplct) = %+v, %v; want AppHdr.PssblDplct true", m, err)
	}
	c, err := iso20022.DecodeCustomerCreditTransfer([]byte(dup))
	if err != nil || !c.Header.PossibleDuplicate {
		t.Errorf("DecodeCustomerCreditTransfer(PssblDplct) = %+v, %v; want Header.PossibleDuplicate", c, err)
	}
}
