package iso20022

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// sharedSamplesDir is where the project's shared ISO 20022 samples live beside
// the repository; tests that read it skip it when it is not there.
const sharedSamplesDir = "../../shared/testdata/iso20022"

// benchSample is a real CBPR+ pacs.008 with its envelope, about 5 KB.
const benchSample = "testdata/cbprplus-translation/mt103_pacs_008_C_D.xml"

// dumpTree writes n and its subtree on one line, for comparing trees in tests:
// {space}local @name="value" "text" [children].
func dumpTree(n *node) string {
	var b strings.Builder
	dumpTreeTo(&b, n)
	return b.String()
}

// dumpTreeTo writes dumpTree's line to b.
func dumpTreeTo(b *strings.Builder, n *node) {
	b.WriteString(qualifiedName(n.space, n.local))
	for _, a := range n.attrs {
		fmt.Fprintf(b, " @%s=%q", qualifiedName(a.Name.Space, a.Name.Local), a.Value)
	}
	if n.text != "" {
		fmt.Fprintf(b, " %q", n.text)
	}
	if len(n.children) > 0 {
		b.WriteString(" [")
		for i, c := range n.children {
			if i > 0 {
				b.WriteByte(' ')
			}
			dumpTreeTo(b, c)
		}
		b.WriteByte(']')
	}
}

// qualifiedName is {space}local, or local when space is empty.
func qualifiedName(space, local string) string {
	if space == "" {
		return local
	}
	return "{" + space + "}" + local
}

func TestParseWellFormed(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Empty element", `<a/>`, `a`},
		{"Text", `<a>x</a>`, `a "x"`},
		{"Declaration", `<?xml version="1.0" encoding="UTF-8"?><a/>`, `a`},
		{"DeclarationSingleQuotes", `<?xml version='1.0' encoding='utf-8' standalone='yes' ?><a/>`, `a`},
		{"DeclarationSpaces", "<?xml  version = \"1.0\"\n encoding=\"Utf-8\"?>\n<a/>\n", `a`},
		{"ByteOrderMark", "\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>", `a`},
		{"MiscAround", "\n<!-- c --><?pi data?>\t<a/><!-- d -->\r\n<?x?>", `a`},
		{"MixedContent", `<a>x<b>y</b>z<c/></a>`, `a "xz" [b "y" c]`},
		{"Whitespace", "<a>\n  <b/>\n</a>", `a "\n  \n" [b]`},
		{"Entities", `<a>&lt;&gt;&amp;&apos;&quot;</a>`, `a "<>&'\""`},
		{"CharRefs", `<a>&#65;&#x42;&#x00043;&#x10FFFF;&#9;</a>`, `a "ABC\U0010ffff\t"`},
		{"CharRefCR", `<a>x&#13;&#10;y</a>`, `a "x\r\ny"`},
		{"CDATA", `<a><![CDATA[<&>]]]]></a>`, `a "<&>]]"`},
		{"CDATAEmpty", `<a>x<![CDATA[]]>y</a>`, `a "xy"`},
		{"CommentInText", `<a>x<!-- - -->y<?p?>z</a>`, `a "xyz"`},
		{"LineEnds", "<a>1\r\n2\r3\n4\r</a>", `a "1\n2\n3\n4\n"`},
		{"LineEndsCDATA", "<a><![CDATA[1\r\n2\r]]></a>", `a "1\n2\n"`},
		{"LineEndAcrossComment", "<a>1\r<!---->\n2</a>", `a "1\n\n2"`},
		{"Attributes", `<a x="1" y='2"' z = "'"/>`, `a @x="1" @y="2\"" @z="'"`},
		{"AttrNormalised", "<a x=\"1\t2\n3\r\n4\r5\"/>", `a @x="1 2 3 4 5"`},
		{"NamespaceNormalised", "<p:a xmlns:p=\"urn:\tp\" xmlns=\"urn:\r\nd\"><b/></p:a>", `{urn: p}a [{urn: d}b]`},
		{"AttrCharRefsKept", `<a x="&#9;&#10;&#13;&lt;"/>`, `a @x="\t\n\r<"`},
		{"AttrGreaterThan", `<a x="]]>"/>`, `a @x="]]>"`},
		{"DefaultNamespace", `<a xmlns="urn:a"><b/></a>`, `{urn:a}a [{urn:a}b]`},
		{"Prefixes", `<p:a xmlns:p="urn:p" xmlns="urn:d"><b p:x="1" y="2"/><p:c/></p:a>`,
			`{urn:p}a [{urn:d}b @{urn:p}x="1" @y="2" {urn:p}c]`},
		{"Undeclare", `<a xmlns="urn:a"><b xmlns=""><c/></b><d/></a>`, `{urn:a}a [b [c] {urn:a}d]`},
		{"Scope", `<a><b xmlns:p="urn:1"><p:c/></b><b xmlns:p="urn:2"><p:c/></b></a>`, `a [b [{urn:1}c] b [{urn:2}c]]`},
		{"Shadow", `<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"/><p:c/></p:a>`, `{urn:1}a [{urn:2}b {urn:1}c]`},
		{"XMLPrefix", `<a xml:lang="en" xmlns:xml="http://www.w3.org/XML/1998/namespace"/>`,
			`a @{http://www.w3.org/XML/1998/namespace}lang="en"`},
		{"SameLocalTwoSpaces", `<a xmlns:p="urn:1" xmlns:q="urn:2" p:x="1" q:x="2" x="3"/>`, `a @{urn:1}x="1" @{urn:2}x="2" @x="3"`},
		{"Names", `<_a.b-c1 é="1" Ж·̀="2"/>`, `_a.b-c1 @é="1" @Ж·̀="2"`},
		{"NameFFFD", "<a\uFFFD/>", "a\uFFFD"},
		{"Cyrillic", `<a>ООО Нефтеэкспорт €</a>`, `a "ООО Нефтеэкспорт €"`},
		{"EndTagSpace", "<a></a \n>", `a`},
		{"PIXMLLike", `<?xml-stylesheet href="x"?><a/>`, `a`},
		{"LegalOddChars", "<a>\x7f\u0085\uFFFD</a>", `a "\x7f\u0085�"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, p := parse([]byte(tt.in))
			if p != nil {
				t.Fatalf("parse(%q) = %v; want %s", tt.in, p, tt.want)
			}
			if got := dumpTree(n); got != tt.want {
				t.Errorf("parse(%q) = %s; want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name, in string
		code     errCode
	}{
		{"Empty", ``, errNoRoot},
		{"OnlySpace", " \n", errNoRoot},
		{"OnlyComment", `<!-- -->`, errNoRoot},
		{"Unclosed", `<a>`, errEOF},
		{"UnclosedTag", `<a`, errEOF},
		{"UnclosedAttr", `<a x="1`, errEOF},
		{"UnclosedComment", `<a/><!-- `, errEOF},
		{"UnclosedCDATA", `<a><![CDATA[x</a>`, errEOF},
		{"UnclosedPI", `<a/><?p x`, errEOF},
		{"LessThanAlone", `<a><`, errEOF},
		{"SecondRootCut", `<a/><`, errRoots},
		{"Mismatch", `<a></b>`, errEndTag},
		{"MismatchPrefix", `<p:a xmlns:p="u" xmlns:q="u"></q:a>`, errEndTag},
		{"EndWithoutStart", `</a>`, errEndTag},
		{"EndTagAttr", `<a></a x="1">`, errSyntax},
		{"TwoRoots", `<a/><b/>`, errRoots},
		{"TextBefore", `x<a/>`, errOutside},
		{"TextAfter", `<a/>x`, errOutside},
		{"NBSPOutside", "\u00a0<a/>", errOutside},
		{"CDATAOutside", `<![CDATA[ ]]><a/>`, errOutside},
		{"RefOutside", `&#32;<a/>`, errOutside},
		{"DOCTYPE", `<!DOCTYPE a><a/>`, errDTD},
		{"ENTITY", `<a><!ENTITY x "y"></a>`, errDTD},
		{"BadBang", `<a><!-x--></a>`, errSyntax},
		{"BadCDATA", `<a><![CDAT[x]]></a>`, errSyntax},
		{"UndefinedEntity", `<a>&nbsp;</a>`, errReference},
		{"AmpAlone", `<a>a & b</a>`, errReference},
		{"AmpNoSemicolon", `<a>&lt</a>`, errReference},
		{"EntityInAttr", `<a x="&foo;"/>`, errReference},
		{"CharRefEmpty", `<a>&#;</a>`, errReference},
		{"CharRefHexUpperX", `<a>&#X41;</a>`, errReference},
		{"CharRefBadDigit", `<a>&#12a;</a>`, errReference},
		{"CharRefNUL", `<a>&#0;</a>`, errCharRef},
		{"CharRefControl", `<a>&#x1F;</a>`, errCharRef},
		{"CharRefFFFE", `<a>&#xFFFE;</a>`, errCharRef},
		{"CharRefTooBig", `<a>&#x110000;</a>`, errCharRef},
		{"CharRefHuge", `<a>&#99999999999999999999999999;</a>`, errCharRef},
		{"CharRefSurrogate", `<a>&#xD800;</a>`, errSurrogateRef},
		{"ControlInText", "<a>\x01</a>", errChar},
		{"ControlInAttr", "<a x=\"\x0b\"/>", errChar},
		{"ControlInCDATA", "<a><![CDATA[\x00]]></a>", errChar},
		{"BadUTF8Text", "<a>\xff</a>", errChar},
		{"BadUTF8Attr", "<a x=\"\xc3\"/>", errChar},
		{"EncodedSurrogate", "<a>\xed\xa0\x80</a>", errChar},
		{"FFFF", "<a>\uffff</a>", errChar},
		{"BadUTF8Comment", "<a><!-- \xff --></a>", errMarkupChar},
		{"ControlInPI", "<a><?p \x01?></a>", errMarkupChar},
		{"CDATAEndInText", `<a>]]></a>`, errCDATAEnd},
		{"LessThanInAttr", `<a x="<"/>`, errLessThan},
		{"DoubleHyphen", `<a><!-- a -- b --></a>`, errComment},
		{"CommentEndsHyphen", `<a><!-- a ---></a>`, errComment},
		{"DeclNotFirst", ` <?xml version="1.0"?><a/>`, errDecl},
		{"DeclAfterRoot", `<a/><?xml version="1.0"?>`, errDecl},
		{"DeclUpper", `<?XML version="1.0"?><a/>`, errDecl},
		{"DeclNoVersion", `<?xml encoding="UTF-8"?><a/>`, errDecl},
		{"DeclVersion11", `<?xml version="1.1"?><a/>`, errDecl},
		{"DeclLatin1", `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, errDecl},
		{"DeclUTF16", `<?xml version="1.0" encoding="UTF-16"?><a/>`, errDecl},
		{"DeclOrder", `<?xml encoding="UTF-8" version="1.0"?><a/>`, errDecl},
		{"DeclStandalone", `<?xml version="1.0" standalone="maybe"?><a/>`, errDecl},
		{"DeclJunk", `<?xml version="1.0" junk?><a/>`, errDecl},
		{"PIColon", `<?a:b?><a/>`, errPI},
		{"PINoSpace", `<?pi"x"?><a/>`, errPI},
		{"PINoTarget", `<? x?><a/>`, errSyntax},
		{"NoAttrSpace", `<a x="1"y="2"/>`, errAttrSpace},
		{"AttrNoValue", `<a x/>`, errSyntax},
		{"AttrUnquoted", `<a x=1/>`, errSyntax},
		{"SlashSpace", `<a / >`, errSyntax},
		{"DuplicateAttr", `<a x="1" x="2"/>`, errDupAttr},
		{"DuplicateXmlns", `<a xmlns="u" xmlns="v"/>`, errDupAttr},
		{"DuplicateExpanded", `<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>`, errDupAttr},
		{"NameDigit", `<1a/>`, errName},
		{"NameSpace", `< a/>`, errName},
		{"NameTwoColons", `<a:b:c/>`, errName},
		{"NameBadRune", "<a\u00a0/>", errSyntax},
		{"NameBadUTF8", "<a\xff/>", errSyntax},
		{"NameBadUTF8Start", "<\xff/>", errName},
		{"AttrNameBadUTF8", "<a b\xff='1'/>", errSyntax},
		{"EndNameBadUTF8", "<a\xc3></a\xc3>", errSyntax},
		{"QNameLeadingColon", `<:a/>`, errQName},
		{"QNameTrailingColon", `<a: xmlns:a="u"/>`, errQName},
		{"QNameLocalDigit", `<p:1 xmlns:p="u"/>`, errQName},
		{"AttrQName", `<a :x="1"/>`, errQName},
		{"UndeclaredElement", `<p:a/>`, errPrefix},
		{"UndeclaredAttr", `<a p:x="1"/>`, errPrefix},
		{"OutOfScope", `<a><b xmlns:p="u"/><p:c/></a>`, errPrefix},
		{"DeclareXmlns", `<a xmlns:xmlns="u"/>`, errReserved},
		{"RebindXml", `<a xmlns:xml="u"/>`, errReserved},
		{"BindToXmlNamespace", `<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>`, errReserved},
		{"DefaultXmlns", `<a xmlns="http://www.w3.org/2000/xmlns/"/>`, errReserved},
		{"EmptyPrefixed", `<a xmlns:p=""/>`, errReserved},
		{"ElementXmlnsPrefix", `<xmlns:a/>`, errReserved},
		{"ElementXmlns", `<xmlns/>`, errReserved},
		{"TooDeep", strings.Repeat("<a>", MaxDepth+1), errDepth},
		{"TooManyElements", "<a>" + strings.Repeat("<b/>", MaxElements) + "</a>", errElements},
		{"TextTooLong", "<a>" + strings.Repeat("x", MaxTextBytes) + "<b/>y</a>", errText},
		{"TooManyAttrs", "<a" + manyAttrs(MaxAttributes+1) + "/>", errAttrs},
		{"AttrTooLong", `<a x="` + strings.Repeat("v", MaxAttrValueBytes+1) + `"/>`, errAttrValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScanner(tt.in, &scratch{})
			var e *scanError
			for e == nil {
				var tok tokenKind
				if tok, e = s.next(); tok == tokenEOF {
					break
				}
			}
			if e == nil || e.code != tt.code {
				t.Errorf("scanning %.80q stopped with %+v; want code %d", tt.in, e, tt.code)
			}
			if n, p := parse([]byte(tt.in)); p == nil || p.Reason != corridor.ReasonInvalidFormat || p.Rule == "" {
				t.Errorf("parse(%.80q) = %v, %v; want an FF01 problem", tt.in, n, p)
			}
		})
	}
}

// manyAttrs returns n distinct attributes.
func manyAttrs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, " a%d='%d'", i, i)
	}
	return b.String()
}

func TestParseProblem(t *testing.T) {
	tests := []struct {
		in, path, rule string
	}{
		{`<E><D><a>`, "D/a", "malformed XML: input ends inside <a> (line 1)"},
		{"<E>\n<D><a x='1' x='2'/></D></E>", "D/a", "malformed XML: attribute x given twice (line 2)"},
		{`<E><D><p:a/></D></E>`, "D/a", `malformed XML: undeclared namespace prefix "p" (line 1)`},
		{`<E><D>&bad;</D></E>`, "D", "malformed XML: undefined entity &bad; (line 1)"},
		{`<E><D></E>`, "D", "malformed XML: element <D> closed by </E> (line 1)"},
		{`<E/><F/>`, "", "more than one root element"},
		{`<E>` + strings.Repeat("<a>", MaxDepth), strings.Repeat("a/", MaxDepth-1) + "a", "elements nested deeper than 32"},
		{`<E><D a="` + strings.Repeat("v", MaxAttrValueBytes+1) + `"/></E>`, "D", "attribute value longer than 1024 bytes"},
		{`<E><D` + manyAttrs(MaxAttributes+1) + `/></E>`, "D", "more than 16 attributes"},
		{`<E><D><!DOCTYPE x></D></E>`, "D", "DTDs and other <!...> directives are not accepted"},
	}
	for _, tt := range tests {
		_, p := parse([]byte(tt.in))
		want := Problem{Path: tt.path, Rule: tt.rule, Reason: corridor.ReasonInvalidFormat}
		if p == nil || *p != want {
			t.Errorf("parse(%.60q) = %+v; want %+v", tt.in, p, want)
		}
	}
}

// TestParseTreesIndependent checks that a tree shares nothing with the input,
// which the caller may reuse, nor with the buffers later parses reuse.
func TestParseTreesIndependent(t *testing.T) {
	data := []byte("<a x='&lt;\t1'>\r\n <b>&amp;</b> <c y='2'>z</c>\n</a>")
	const want = `a @x="< 1" "\n  \n" [b "&" c @y="2" "z"]`
	n, p := parse(data)
	if p != nil {
		t.Fatal(p)
	}
	for i := range data {
		data[i] = ' '
	}
	for range 3 {
		parse([]byte("<a x='&gt;\t2'>\r\n <b>&lt;</b> <c y='3'>w</c>\n</a>"))
		parse([]byte("<a><b>" + strings.Repeat("&amp;", 100) + "</b></a>"))
	}
	if got := dumpTree(n); got != want {
		t.Errorf("tree after reuse of its input and more parses = %s; want %s", got, want)
	}
}

// scanStricter lists, for each rule this scanner enforces and encoding/xml does
// not, why: where only the scanner refuses an input, it must be for one of
// these. Each is an XML 1.0 or Namespaces in XML 1.0 rule, or a bound.
var scanStricter = map[errCode]string{
	errSurrogateRef: "XML 1.0 WFC Legal Character; encoding/xml reads &#xD800; as U+FFFD",
	errMarkupChar:   "XML 1.0 [15] [16]: comments and PIs hold Chars; encoding/xml does not check them",
	errDecl:         "XML 1.0 [23]: the declaration comes first, with its version; encoding/xml takes <?xml anywhere and only looks for version= and encoding=",
	errPI:           "XML 1.0 [16] wants white space after the target; Namespaces section 7 forbids colons in it",
	errAttrSpace:    "XML 1.0 [40] wants white space between attributes",
	errDupAttr:      "XML 1.0 WFC Unique Att Spec; Namespaces section 6.3",
	errQName:        "Namespaces [7]: a QName is prefix:local, both NCNames",
	errPrefix:       "Namespaces NSC Prefix Declared; encoding/xml takes the prefix as the namespace",
	errReserved:     "Namespaces section 3 on xml and xmlns; an element named xmlns goes beyond the recommendation",
	errAttrs:        "MaxAttributes, a bound of ours",
	errAttrValue:    "MaxAttrValueBytes, a bound of ours",
	errOutside:      "XML 1.0 [27]: only S around the root; old parse let Unicode spaces, &#32; and CDATA through (see outsideLaxStd)",
}

// outsideLaxStd reports whether old parse accepts what the scanner refused as
// text outside the root at off: a Unicode space that is not XML white space,
// a reference, or a CDATA section, all of which may decode to white space.
func outsideLaxStd(data []byte, off int) bool {
	rest := data[off:]
	r, _ := utf8.DecodeRune(rest)
	return unicode.IsSpace(r) || bytes.HasPrefix(rest, []byte("&")) || bytes.HasPrefix(rest, []byte("<![CDATA["))
}

// checkAgainstStd fails unless parse and parseStd agree on data: both accept
// it and build the same tree, or both refuse it, or one refuses it for a
// documented difference.
func checkAgainstStd(t *testing.T, data []byte) {
	t.Helper()
	got, p := parse(data)
	if p != nil && (p.Reason != corridor.ReasonInvalidFormat || p.Rule == "") {
		t.Fatalf("parse(%.200q) = problem %+v; want FF01 and a rule", data, p)
	}
	stdData := bytes.TrimPrefix(data, []byte(byteOrderMark)) // Which encoding/xml takes for text.
	want, stdErr := parseStd(stdData)
	switch {
	case p == nil && stdErr == nil:
		if g, w := dumpTreeNormalised(got), dumpTreeNormalised(want); g != w {
			t.Fatalf("parse(%.200q) =\n%s\nparseStd =\n%s", data, g, w)
		}
	case p == nil:
		_, name, ok := strings.Cut(stdErr.Error(), "invalid XML name: ")
		if !ok || allASCII([]byte(name)) || !utf8.Valid(data) {
			t.Fatalf("parse(%.200q) accepts what parseStd refuses: %v", data, stdErr)
		}
	case stdErr == nil:
		e := scanOnly(data)
		if e == nil {
			t.Fatalf("parse(%.200q) = %v but the scanner reads it to its end", data, p)
		}
		if _, ok := scanStricter[e.code]; !ok || (e.code == errOutside && !outsideLaxStd(data, e.off)) {
			t.Fatalf("parse(%.200q) refuses what parseStd accepts: %+v", data, e)
		}
	}
}

// scanOnly runs the scanner over data and returns the error it stops with.
func scanOnly(data []byte) *scanError {
	s := newScanner(string(data), &scratch{})
	for {
		tok, e := s.next()
		if e != nil || tok == tokenEOF {
			return e
		}
	}
}

// dumpTreeNormalised is dumpTree with white space in attribute values made spaces,
// as XML requires and encoding/xml does not do; namespace names, which are
// the values of declarations, included.
func dumpTreeNormalised(n *node) string {
	spaces := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	var walk func(n *node)
	walk = func(n *node) {
		n.space = spaces.Replace(n.space)
		for i := range n.attrs {
			n.attrs[i].Name.Space = spaces.Replace(n.attrs[i].Name.Space)
			n.attrs[i].Value = spaces.Replace(n.attrs[i].Value)
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(n)
	return dumpTree(n)
}

// allASCII reports whether data has no byte above 0x7F.
func allASCII(data []byte) bool {
	for _, c := range data {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// xmlSamples returns every XML file under the package's testdata and the shared
// samples, keyed by path.
func xmlSamples(tb testing.TB) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	for _, root := range []string{"testdata", sharedSamplesDir} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".xml") {
				return err
			}
			data, err := os.ReadFile(path)
			out[path] = data
			return err
		})
		if err != nil && !(root == sharedSamplesDir && errors.Is(err, fs.ErrNotExist)) {
			tb.Fatalf("reading samples under %s: %v", root, err)
		}
	}
	if len(out) == 0 {
		tb.Fatal("no samples under testdata")
	}
	return out
}

func TestParseSamples(t *testing.T) {
	for path, data := range xmlSamples(t) {
		t.Run(path, func(t *testing.T) {
			if _, p := parse(data); p != nil {
				t.Errorf("parse(%s) = %v", path, p)
			}
			checkAgainstStd(t, data)
		})
	}
}

// TestParseNamesSupersetOfStd checks that every name encoding/xml accepts,
// which follows the tables of XML 1.0 fourth edition, the scanner accepts
// too under the fifth edition's rules.
func TestParseNamesSupersetOfStd(t *testing.T) {
	for r := rune(0x80); r <= 0xFFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		for _, in := range []string{"<" + string(r) + "/>", "<a" + string(r) + "/>"} {
			if _, err := parseStd([]byte(in)); err != nil {
				continue
			}
			if _, p := parse([]byte(in)); p != nil {
				t.Errorf("parse(%q) = %v; encoding/xml accepts %U in a name", in, p, r)
			}
		}
	}
}

func TestParseDifferential(t *testing.T) {
	for _, in := range differentialInputs() {
		checkAgainstStd(t, []byte(in))
	}
}

// differentialInputs are small documents, valid and not, that exercise the
// differences listed in scanStricter and the places where encoding/xml is lax.
func differentialInputs() []string {
	return []string{
		`<a/>`, `<a>x</a>`, "<a x='1\t2'/>", "\xEF\xBB\xBF<a/>", "\xEF\xBB\xBF\xEF\xBB\xBF<a/>",
		`<a>&#xD800;</a>`, "<a><!-- \x01 --></a>", ` <?xml version="1.0"?><a/>`, `<?xml?><a/>`,
		`<a/><?xml version="1.0"?>`, `<?a:b?><a/>`, `<?pi"x"?><a/>`, `<a x="1"y="2"/>`,
		`<a x="1" x="2"/>`, `<:a/>`, `<a:/>`, `<p:1 xmlns:p="u"/>`, `<p:a/>`, `<a p:x="1"/>`,
		`<a xmlns:p=""><p:b/></a>`, `<xmlns/>`, `<xmlns:a/>`, "\u00a0<a/>", `&#32;<a/>`,
		`<![CDATA[ ]]><a/>`, `<a>&nbsp;</a>`, `<a>]]></a>`, `<a x="<"/>`, `<a><!-- -- --></a>`,
		`<a` + manyAttrs(MaxAttributes+1) + `/>`, `<a x="` + strings.Repeat("v", MaxAttrValueBytes+1) + `"/>`,
		"<a>\r\n</a>", "<a x='\r\n'/>", `<é/>`, "<\u0300/>", "<a\u0300/>", "<\U00010000/>",
		`<a xml:lang="en"/>`, `<xml:a/>`, `<a xmlns="http://www.w3.org/XML/1998/namespace"/>`,
	}
}

func FuzzScan(f *testing.F) {
	for _, data := range xmlSamples(f) {
		f.Add(data)
	}
	for _, in := range differentialInputs() {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		checkAgainstStd(t, data)
	})
}

func BenchmarkParse(b *testing.B) {
	data := mustReadSample(b, benchSample)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, p := parse(data); p != nil {
			b.Fatal(p)
		}
	}
}

func BenchmarkParseStd(b *testing.B) {
	data := mustReadSample(b, benchSample)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseStd(data); err != nil {
			b.Fatal(err)
		}
	}
}

// mustReadSample returns the content of the file at path.
func mustReadSample(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// parseStd is parse as it was before the scanner, over encoding/xml, kept to
// check the scanner against. It returns encoding/xml's error, or the problem
// as an error.
func parseStd(data []byte) (*node, error) {
	if len(data) > MaxMessageBytes {
		return nil, errors.New("message too large")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var b stdTreeBuilder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if p := b.add(tok); p != nil {
			return nil, errors.New(p.String())
		}
	}
	if b.root == nil {
		return nil, errors.New("malformed XML: no root element")
	}
	return b.root, nil
}

// stdTreeBuilder is parseStd's treeBuilder, as parse had it.
type stdTreeBuilder struct {
	root     *node
	stack    []*node
	elements int
}

func (b *stdTreeBuilder) add(tok xml.Token) *Problem {
	switch t := tok.(type) {
	case xml.StartElement:
		return b.start(t)
	case xml.EndElement:
		b.stack = b.stack[:len(b.stack)-1]
	case xml.CharData:
		if len(b.stack) == 0 {
			if len(bytes.TrimSpace(t)) != 0 {
				return &Problem{Rule: "text outside the root element"}
			}
			return nil
		}
		n := b.stack[len(b.stack)-1]
		if len(n.text)+len(t) > MaxTextBytes {
			return &Problem{Rule: "text longer than " + strconv.Itoa(MaxTextBytes) + " bytes"}
		}
		n.text += string(t)
	case xml.Directive:
		return &Problem{Rule: "DTDs and other <!...> directives are not accepted"}
	}
	return nil
}

func (b *stdTreeBuilder) start(t xml.StartElement) *Problem {
	b.elements++
	if b.elements > MaxElements {
		return &Problem{Rule: "too many elements"}
	}
	if len(b.stack) >= MaxDepth {
		return &Problem{Rule: "too deep"}
	}
	n := &node{space: t.Name.Space, local: t.Name.Local}
	for _, a := range t.Attr {
		if a.Name.Space != "xmlns" && !(a.Name.Space == "" && a.Name.Local == "xmlns") {
			n.attrs = append(n.attrs, a)
		}
	}
	switch {
	case len(b.stack) > 0:
		parent := b.stack[len(b.stack)-1]
		parent.children = append(parent.children, n)
	case b.root != nil:
		return &Problem{Rule: "more than one root element"}
	default:
		b.root = n
	}
	b.stack = append(b.stack, n)
	return nil
}
