package iso20022_test

import (
	"strings"
	"testing"

	"corridor/iso20022"
)

func TestValidate_Usage(t *testing.T) {
	pacs009 := string(MustReadFile(t, "cbprplus-translation/mt202_pacs_009_B_C.xml"))
	pacs008 := MustEncodeValid(t)
	tests := []struct {
		name, in, path, reason, rule string
	}{
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
