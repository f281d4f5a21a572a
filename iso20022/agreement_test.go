package iso20022_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/iso20022"
)

// part is the AppHdr or the Document of a message, cut out with the
// namespace declarations it inherits, so that it stands alone as validate.sh
// wants it.
type part struct {
	name string // Where it comes from, for messages.
	id   string // Message definition, from its namespace.
	data []byte
}

// MustSamples returns the messages under testdata whose parts are in the set.
func MustSamples(tb testing.TB) map[string][]byte {
	tb.Helper()
	var files []string
	for _, dir := range []string{"cbprplus-translation", "fedwire"} {
		m, err := filepath.Glob(filepath.Join("testdata", dir, "*.xml"))
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		tb.Fatalf("only %d samples under testdata", len(files))
	}
	samples := map[string][]byte{}
	for _, f := range files {
		samples[f] = MustReadFile(tb, strings.TrimPrefix(f, "testdata/"))
	}
	return samples
}

// splitParts cuts data's AppHdr and Document with iso20022.SplitEnvelope.
func splitParts(tb testing.TB, name string, data []byte) []part {
	tb.Helper()
	hdr, doc, err := iso20022.SplitEnvelope(data)
	if err != nil {
		tb.Fatalf("SplitEnvelope(%s) = %v", name, err)
	}
	var parts []part
	for _, p := range []struct {
		local string
		data  []byte
	}{{"AppHdr", hdr}, {"Document", doc}} {
		if p.data != nil {
			parts = append(parts, part{name: name + "#" + p.local, id: mustRootDefinition(tb, p.data), data: p.data})
		}
	}
	return parts
}

// mustRootDefinition is the message definition that names the namespace of
// data's root element: "head.001.001.02" for an AppHdr.
func mustRootDefinition(tb testing.TB, data []byte) string {
	tb.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			tb.Fatalf("no root element: %v\n%s", err, data)
		}
		if t, ok := tok.(xml.StartElement); ok {
			return strings.TrimPrefix(t.Name.Space, "urn:iso:std:iso:20022:tech:xsd:")
		}
	}
}

// xmllintVerdicts runs xmllint on each part against the official XSD of
// its message definition and returns, per part name, whether it validates.
func xmllintVerdicts(tb testing.TB, parts []part) map[string]bool {
	tb.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		tb.Fatal("xmllint not found; install it with apt-get install libxml2-utils")
	}
	dir := tb.TempDir()
	byID := map[string][]string{}
	names := map[string]string{}
	for i, p := range parts {
		f := filepath.Join(dir, fmt.Sprintf("%04d.xml", i))
		if err := os.WriteFile(f, p.data, 0o644); err != nil {
			tb.Fatal(err)
		}
		byID[p.id] = append(byID[p.id], f)
		names[f] = p.name
	}
	verdicts := map[string]bool{}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		args := append([]string{"--noout", "--nonet", "--schema", filepath.Join("testdata", "xsd", id+".xsd")}, byID[id]...)
		out, _ := exec.Command(xmllint, args...).CombinedOutput() // The exit status only sums up the verdicts below.
		for _, line := range strings.Split(string(out), "\n") {
			if f, ok := strings.CutSuffix(line, " validates"); ok {
				verdicts[names[f]] = true
			} else if f, ok := strings.CutSuffix(line, " fails to validate"); ok {
				verdicts[names[f]] = false
			}
		}
		for _, f := range byID[id] {
			if _, ok := verdicts[names[f]]; !ok {
				tb.Fatalf("xmllint gave no verdict on %s (%s):\n%s", names[f], id, out)
			}
		}
	}
	return verdicts
}

// schemaProblems are the problems Validate finds in the schema layer.
func schemaProblems(data []byte) []iso20022.Problem {
	var ps []iso20022.Problem
	for _, p := range iso20022.Validate(data) {
		if p.Layer == iso20022.LayerSchema {
			ps = append(ps, p)
		}
	}
	return ps
}

// mutations make parts that the XSD refuses, each named.
var mutations = []struct {
	name string
	re   *regexp.Regexp
	repl string
}{
	{"DropRequired", regexp.MustCompile(`<(\w+:)?(CreDtTm|CreDt)>[^<]*</(\w+:)?(CreDtTm|CreDt)>`), ""},
	{"SwapOrder", regexp.MustCompile(`(<(\w+:)?(MsgId|BizMsgIdr)>[^<]*</(\w+:)?\w+>)(\s*)(<(\w+:)?(CreDtTm|MsgDefIdr)>[^<]*</(\w+:)?\w+>)`), "$6$5$1"},
	{"BreakPattern", regexp.MustCompile(`<(\w+:)?BICFI>[A-Z0-9]+</`), "<${1}BICFI>bad-bic</"},
	{"BreakCurrency", regexp.MustCompile(`Ccy="[A-Z]{3}"`), `Ccy="usd"`},
	{"UnknownElement", regexp.MustCompile(`(<(\w+:)?(MsgId|BizMsgIdr)>)`), "<${2}Unknown>x</${2}Unknown>$1"},
	{"TooLong", regexp.MustCompile(`<(\w+:)?(MsgId|BizMsgIdr)>[^<]*</`), "<${1}${2}>" + strings.Repeat("L", 36) + "</"},
	{"BadDate", regexp.MustCompile(`<(\w+:)?(CreDtTm|CreDt)>[^<]*</`), "<${1}${2}>2026-02-30T10:00:00</"},
}

// TestXSDAgreement checks that Validate's schema layer and xmllint with the
// official XSD give the same verdict on every part of every sample, and
// that both refuse every mutation of them.
func TestXSDAgreement(t *testing.T) {
	var parts []part
	mutated := map[string]bool{}
	for name, data := range MustSamples(t) {
		for _, p := range splitParts(t, name, data) {
			parts = append(parts, p)
			for _, m := range mutations {
				loc := m.re.FindIndex(p.data) // The first match only.
				if loc == nil {
					continue
				}
				bad := append(append(append([]byte{}, p.data[:loc[0]]...), m.re.ReplaceAll(p.data[loc[0]:loc[1]], []byte(m.repl))...), p.data[loc[1]:]...)
				q := part{name: p.name + "~" + m.name, id: p.id, data: bad}
				parts = append(parts, q)
				mutated[q.name] = true
			}
		}
	}
	verdicts := xmllintVerdicts(t, parts)
	agree, refused, valid := 0, 0, 0
	for _, p := range parts {
		ps := schemaProblems(p.data)
		ours := len(ps) == 0
		if ours != verdicts[p.name] {
			t.Errorf("%s: xmllint valid = %t, Validate valid = %t: %v", p.name, verdicts[p.name], ours, ps)
			continue
		}
		agree++
		if ours {
			valid++
		}
		if mutated[p.name] {
			if ours {
				t.Errorf("%s: both accept a mutation meant to be invalid", p.name)
			}
			refused++
		}
	}
	if refused < 100 {
		t.Errorf("only %d mutations checked", refused)
	}
	if valid < 30 {
		t.Errorf("only %d parts valid; the samples should be", valid)
	}
	t.Logf("Validate and xmllint agree on %d parts: %d of the samples (%d valid), %d mutations refused by both", agree, len(parts)-len(mutated), valid, refused)
}

// TestDecode_Samples checks that every sample of the set decodes, schema
// and usage rules included, except mt103_fin1.xml, whose CreDt and CreDtTm
// hold the placeholder CURRENT_TIME (xmllint refuses it too).
func TestDecode_Samples(t *testing.T) {
	for name, data := range MustSamples(t) {
		m, err := iso20022.Decode(data)
		if strings.HasSuffix(name, "mt103_fin1.xml") {
			if err == nil {
				t.Errorf("Decode(%s) = nil error; want CURRENT_TIME refused", name)
			}
			continue
		}
		if err != nil {
			t.Errorf("Decode(%s) = %v", name, err)
			continue
		}
		if m.Document == nil {
			t.Errorf("Decode(%s) has no Document", name)
		}
	}
}

// TestDecode_Unsupported checks that messages in versions outside the set
// are refused with the version the hub supports named.
func TestDecode_Unsupported(t *testing.T) {
	tests := []struct{ file, want string }{
		{"unsupported/FI_camt_053_sample.xml.xml", "camt.053.001.02 is not supported; this hub accepts camt.053.001.08"},
		{"unsupported/valid_pacs_v11.xml", "pacs.002.001.11 is not supported; this hub accepts pacs.002.001.10"},
		{"unsupported/PaymentReturn_Scenario1_Step4_pacs.004.xml", "pacs.004.001.10 is not supported; this hub accepts pacs.004.001.09"},
	}
	for _, tt := range tests {
		_, err := iso20022.Decode(MustReadFile(t, tt.file))
		ps := problemsOf(t, err)
		if len(ps) != 1 || ps[0].Path != "Document" || !strings.Contains(ps[0].Rule, tt.want) || ps[0].Reason != "FF01" {
			t.Errorf("Decode(%s) = %v; want one FF01 problem at Document saying %q", tt.file, err, tt.want)
		}
	}
	valid := MustEncodeValid(t)
	for _, tt := range []struct{ from, to, want string }{
		{"pacs.008.001.08", "pacs.008.001.12", "pacs.008.001.12 is not supported; this hub accepts pacs.008.001.08"},
		{"head.001.001.02", "head.001.001.01", "head.001.001.01 is not supported; this hub accepts head.001.001.02"},
		{"pacs.008.001.08", "pain.001.001.09", "pain.001.001.09 is not supported; this hub accepts only admi.002.001.01"},
	} {
		_, err := iso20022.Decode([]byte(strings.Replace(valid, "xsd:"+tt.from, "xsd:"+tt.to, 1)))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Decode(%s) = %v; want %q", tt.to, err, tt.want)
		}
	}
}
