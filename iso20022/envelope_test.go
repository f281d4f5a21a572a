package iso20022_test

import (
	"strings"
	"testing"

	"github.com/corridor-network/corridor/iso20022"
)

func TestSplitEnvelope(t *testing.T) {
	const decl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	tests := []struct {
		name, in, hdr, doc string
	}{
		{"Envelope", `<E xmlns="e"><AppHdr xmlns="h"><Fr/></AppHdr><Document xmlns="d"/></E>`,
			`<AppHdr xmlns="h"><Fr/></AppHdr>`, `<Document xmlns="d"/>`},
		{"Inherited", `<E xmlns="e" xmlns:h="h" xmlns:d="a&amp;&quot;b"><h:AppHdr><h:Fr/></h:AppHdr><d:Document xmlns="x"><d:A/></d:Document></E>`,
			`<h:AppHdr xmlns:d="a&amp;&#34;b" xmlns:h="h" xmlns="e"><h:Fr/></h:AppHdr>`, `<d:Document xmlns:d="a&amp;&#34;b" xmlns:h="h" xmlns="x"><d:A/></d:Document>`},
		{"InnermostInScope", `<p:E xmlns:p="outer" xmlns=""><q:W xmlns:q="w"/><p:Document xmlns:p="d"/></p:E>`,
			"", `<p:Document xmlns:p="d"/>`},
		{"Undeclared", `<E xmlns="e"><F xmlns=""/><Document xmlns=""><A/></Document></E>`, "", `<Document xmlns=""><A/></Document>`},
		{"BareDocument", "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c --><Document xmlns=\"d\">\n<A>x</A></Document>\n",
			"", "<Document xmlns=\"d\">\n<A>x</A></Document>"},
		{"BareAppHdr", `<AppHdr xmlns="h"><Document/></AppHdr>`, `<AppHdr xmlns="h"><Document/></AppHdr>`, ""},
		{"NotInParts", `<E><X><AppHdr/></X><Document/></E>`, "", `<Document/>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr, doc, err := iso20022.SplitEnvelope([]byte(tt.in))
			if err != nil {
				t.Fatalf("SplitEnvelope(%q) = %v", tt.in, err)
			}
			for _, p := range []struct{ part, got, want string }{{"AppHdr", string(hdr), tt.hdr}, {"Document", string(doc), tt.doc}} {
				want := p.want
				if want != "" {
					want = decl + want + "\n"
				}
				if p.got != want {
					t.Errorf("SplitEnvelope(%q) %s =\n%s\nwant\n%s", tt.in, p.part, p.got, want)
				}
			}
		})
	}
}

func TestSplitEnvelope_Errors(t *testing.T) {
	tests := []struct{ name, in, path, rule string }{
		{"Malformed", `<E><AppHdr></E>`, "AppHdr", "malformed XML"},
		{"Neither", `<E><X/></E>`, "E", "holds neither an AppHdr nor a Document"},
		{"TwoAppHdrs", `<E><AppHdr/><Document/><AppHdr/></E>`, "AppHdr", "at most once"},
		{"TwoDocuments", `<E><Document/><Document/></E>`, "Document", "at most once"},
		{"OverSize", `<Document/>` + strings.Repeat(" ", iso20022.MaxMessageBytes), "", "at most 1048576"},
	}
	for _, tt := range tests {
		hdr, doc, err := iso20022.SplitEnvelope([]byte(tt.in))
		if err == nil {
			t.Errorf("SplitEnvelope(%s) = %q, %q, nil; want an error", tt.name, hdr, doc)
			continue
		}
		ps := problemsOf(t, err)
		if len(ps) != 1 || ps[0].Path != tt.path || ps[0].Reason != "FF01" || !strings.Contains(ps[0].Rule, tt.rule) {
			t.Errorf("SplitEnvelope(%s) = %v; want FF01 at %q with %q", tt.name, err, tt.path, tt.rule)
		}
	}
}

// TestSplitEnvelope_Samples checks that each part of every valid sample
// stands alone: it validates by itself, schema layer included, and decodes
// as it does in the whole message.
func TestSplitEnvelope_Samples(t *testing.T) {
	for name, data := range MustSamples(t) {
		m, err := iso20022.Decode(data)
		if err != nil {
			continue // mt103_fin1.xml: TestDecode_Samples.
		}
		hdr, doc, err := iso20022.SplitEnvelope(data)
		if err != nil || (hdr != nil) != (m.AppHdr != nil) || doc == nil {
			t.Errorf("SplitEnvelope(%s) = AppHdr %t, Document %t, %v; want both parts Decode finds", name, hdr != nil, doc != nil, err)
			continue
		}
		for _, part := range [][]byte{hdr, doc} {
			if ps := schemaProblems(part); part != nil && len(ps) > 0 {
				t.Errorf("a part of %s does not validate alone: %v\n%s", name, ps, part)
			}
		}
		if d, err := iso20022.Decode(doc); err != nil || d.Document.MessageDefinition() != m.Document.MessageDefinition() {
			t.Errorf("Decode(Document of %s) = %v", name, err)
		}
	}
}
