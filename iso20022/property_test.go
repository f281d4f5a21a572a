package iso20022_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// propertyMessagesPerCheck is how many messages each rapid check writes:
// 200 per run with rapid's default of 100 checks.
const propertyMessagesPerCheck = 2

// propertyDefinitions are the message definitions of the set, each drawn
// from its valid samples (admi.002 from the fuzz seed, head.001 as the
// AppHdr of any envelope written alone).
var propertyDefinitions = []string{
	"head.001.001.02", "pacs.008.001.08", "pacs.009.001.08", "pacs.002.001.10", "pacs.004.001.09",
	"camt.056.001.08", "camt.029.001.09", "camt.052.001.08", "camt.053.001.08", "camt.054.001.08",
	"admi.002.001.01",
}

// propertyMessage is a message TestEncode_Property wrote, for xmllint.
type propertyMessage struct {
	def, sample string
	parts       int // The AppHdr and the Document it holds: 1 or 2.
	data        []byte
}

// TestEncode_Property draws valid samples of every message definition of
// the set, perturbs their text fields and amounts at random within what the
// XSD allows, and checks that Encode writes them, that Validate accepts
// what it wrote, that Decode gives back the same message, and that xmllint
// accepts every AppHdr and Document against the official XSD. xmllint runs
// once per schema on the messages of all checks.
func TestEncode_Property(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Fatal("xmllint not found; install it with apt-get install libxml2-utils: every message the hub writes must pass the official XSD")
	}
	texts := mustTextFields(t)
	byDef, data := mustPropertySamples(t)
	var written []propertyMessage
	perDef := map[string]int{}
	var nTexts, nAmounts int
	rapid.Check(t, func(rt *rapid.T) {
		for range propertyMessagesPerCheck {
			def := rapid.SampledFrom(propertyDefinitions).Draw(rt, "definition")
			name := rapid.SampledFrom(byDef[def]).Draw(rt, "sample")
			m, err := iso20022.Decode(data[name])
			if err != nil {
				rt.Fatalf("Decode(%s) = %v", name, err)
			}
			if def == iso20022.MsgDefAppHdr {
				m.Document = nil
			}
			p := perturber{t: rt, lengths: texts}
			if m.AppHdr != nil {
				p.walk(reflect.ValueOf(m.AppHdr).Elem(), "AppHdr")
			}
			if m.Document != nil {
				p.walk(reflect.ValueOf(m.Document).Elem(), "Document")
			}
			out, err := iso20022.Encode(*m)
			if err != nil {
				rt.Fatalf("Encode(%s perturbed) = %v", name, err)
			}
			if ps := iso20022.Validate(out); len(ps) > 0 {
				rt.Fatalf("Validate(Encode(%s perturbed)) = %v\n%s", name, ps, out)
			}
			again, err := iso20022.Decode(out)
			if err != nil {
				rt.Fatalf("Decode(Encode(%s perturbed)) = %v\n%s", name, err, out)
			}
			if diff := cmp.Diff(m, again); diff != "" {
				rt.Fatalf("Decode(Encode(%s perturbed)) differs (-encoded +decoded):\n%s\n%s", name, diff, out)
			}
			parts := 1
			if m.AppHdr != nil && m.Document != nil {
				parts = 2
			}
			written = append(written, propertyMessage{def: def, sample: name, parts: parts, data: out})
			perDef[def]++
			nTexts += p.texts
			nAmounts += p.amounts
		}
	})
	if t.Failed() {
		return
	}
	if len(written) >= 10*len(propertyDefinitions) {
		for _, def := range propertyDefinitions {
			if perDef[def] == 0 {
				t.Errorf("no %s message among %d drawn", def, len(written))
			}
		}
	}

	var parts []part
	for i, w := range written {
		ps := splitParts(t, fmt.Sprintf("%03d %s from %s", i, w.def, w.sample), w.data)
		if len(ps) != w.parts {
			t.Fatalf("message %d (%s) splits into %d parts; want %d:\n%s", i, w.def, len(ps), w.parts, w.data)
		}
		parts = append(parts, ps...)
	}
	verdicts := xmllintVerdicts(t, parts)
	refused := 0
	for _, p := range parts {
		if verdicts[p.name] {
			continue
		}
		if refused++; refused <= 3 {
			t.Errorf("xmllint --schema %s.xsd refuses %s, which Encode wrote and Validate accepts:\n%s\n%s", p.id, p.name, mustXMLLintOutput(t, p), p.data)
		}
	}
	if refused > 0 {
		t.Errorf("xmllint refuses %d of %d parts", refused, len(parts))
	}
	t.Logf("%d messages (%v), %d parts accepted by xmllint; %d texts and %d amounts perturbed", len(written), perDef, len(parts)-refused, nTexts, nAmounts)
}

// mustPropertySamples returns the names of the valid samples of each
// message definition (an envelope's name under head.001.001.02 too), and
// their content by name: the samples under testdata that decode, the
// golden files and the admi.002 seed.
func mustPropertySamples(tb testing.TB) (map[string][]string, map[string][]byte) {
	tb.Helper()
	data := MustSamples(tb)
	for _, f := range []string{"pacs002_acsc.xml", "pacs002_rjct_am04.xml"} {
		data[f] = MustReadFile(tb, f)
	}
	data["admi002 seed"] = []byte(admi002)
	byDef := map[string][]string{}
	for _, name := range slices.Sorted(maps.Keys(data)) {
		m, err := iso20022.Decode(data[name])
		if err != nil {
			continue // mt103_fin1.xml, whose CreDt is a placeholder: TestDecode_Samples.
		}
		if m.AppHdr != nil {
			byDef[iso20022.MsgDefAppHdr] = append(byDef[iso20022.MsgDefAppHdr], name)
		}
		if m.Document != nil {
			def := m.Document.MessageDefinition()
			byDef[def] = append(byDef[def], name)
		}
	}
	for _, def := range propertyDefinitions {
		if len(byDef[def]) == 0 {
			tb.Fatalf("no valid sample of %s", def)
		}
	}
	return byDef, data
}

// maxText matches the comment of a generated field of type MaxNText: an
// xs:string of 1 to N characters, nothing else (every XSD of the set).
var maxText = regexp.MustCompile(`^Max([0-9]+)Text\b`)

// usageTexts are the MaxNText fields that a usage rule constrains further,
// left as the sample has them: MsgDefIdr names the Document beside the
// AppHdr, and CBPR+ fixes BizSvc to swift.cbprplus.NN.
var usageTexts = map[string]bool{
	"BusinessApplicationHeaderV02.MsgDefIdr": true,
	"BusinessApplicationHeaderV02.BizSvc":    true,
}

// mustTextFields reads the XSD type that messages.go gives each generated
// field in its comment, and returns the maximum length in characters of
// every MaxNText field, keyed by "GoType.Field". The same tag names more
// than one type (Id is Max35Text under Othr, Max2048Text under
// ProxyAccountIdentification1), so the type comment and not the tag decides.
func mustTextFields(tb testing.TB) map[string]int {
	tb.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "messages.go", nil, parser.ParseComments)
	if err != nil {
		tb.Fatal(err)
	}
	texts := map[string]int{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok {
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, field := range st.Fields.List {
				if field.Comment == nil || len(field.Names) != 1 {
					continue
				}
				key := ts.Name.Name + "." + field.Names[0].Name
				m := maxText.FindStringSubmatch(strings.TrimSpace(field.Comment.Text()))
				if m == nil || usageTexts[key] {
					continue
				}
				n, err := strconv.Atoi(m[1])
				if err != nil {
					tb.Fatal(err)
				}
				texts[key] = n
			}
		}
	}
	for key, want := range map[string]int{"GroupHeader93.MsgId": 35, "PartyIdentification135.Nm": 140, "PostalAddress24.AdrLine": 70, "RemittanceInformation16.Ustrd": 140} {
		if texts[key] != want {
			tb.Fatalf("messages.go gives %s a maximum of %d characters; want %d: has the generator's comment changed?", key, texts[key], want)
		}
	}
	return texts
}

// textRunes draws the characters of perturbed texts: ASCII letters and
// digits, white space (xs:string preserves it, leading and trailing
// included), the XML metacharacters, Cyrillic and Devanagari.
var textRunes = rapid.OneOf(
	rapid.RuneFrom([]rune("abcxyzABCXYZ0123456789-./")),
	rapid.RuneFrom([]rune(" \t\n\r")),
	rapid.RuneFrom([]rune(`<>&"'`)),
	rapid.RuneFrom(nil, unicode.Cyrillic),
	rapid.RuneFrom(nil, unicode.Devanagari),
)

// maxTextRunes bounds the perturbed texts so that the 4-byte characters
// of textRunes stay within MaxTextBytes: only Max20000Text (admi.002
// AddtlData) is longer, a deliberate difference from the XSD (doc.go).
const maxTextRunes = iso20022.MaxTextBytes / 4

// otherMinorUnits are the ISO 4217 minor units of the samples' currencies
// that the root package does not know.
var otherMinorUnits = map[string]int{"CAD": 2, "DKK": 2, "RON": 2}

var (
	anyElementType     = reflect.TypeFor[iso20022.AnyElement]()
	activeAmountType   = reflect.TypeFor[iso20022.ActiveCurrencyAndAmount]()
	historicAmountType = reflect.TypeFor[iso20022.ActiveOrHistoricCurrencyAndAmount]()
)

// perturber rewrites, each at random or not, the MaxNText fields and the
// amounts of a generated struct with values the XSD and the usage rules
// allow.
type perturber struct {
	t       *rapid.T
	lengths map[string]int // mustTextFields.
	texts   int            // Texts perturbed.
	amounts int            // Amounts perturbed.
}

// walk perturbs the fields of the struct v, at path.
func (p *perturber) walk(v reflect.Value, path string) {
	t := v.Type()
	for i := range t.NumField() {
		f, fv := t.Field(i), v.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
		fpath := path + "/" + tag
		maxRunes, ok := p.lengths[t.Name()+"."+f.Name]
		if !ok {
			p.value(fv, fpath)
			continue
		}
		switch fv.Kind() {
		case reflect.String:
			p.text(fv, fpath, maxRunes)
		case reflect.Pointer:
			if !fv.IsNil() {
				p.text(fv.Elem(), fpath, maxRunes)
			}
		case reflect.Slice:
			for j := range fv.Len() {
				p.text(fv.Index(j), fmt.Sprintf("%s[%d]", fpath, j), maxRunes)
			}
		default:
			p.t.Fatalf("%s: %s of kind %s", fpath, f.Name, fv.Kind())
		}
	}
}

// value perturbs v, at path, unless it is absent or held by a wildcard.
func (p *perturber) value(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			p.value(v.Elem(), path)
		}
	case reflect.Slice:
		for j := range v.Len() {
			p.value(v.Index(j), fmt.Sprintf("%s[%d]", path, j))
		}
	case reflect.Struct:
		switch v.Type() {
		case anyElementType:
		case activeAmountType:
			p.amount(v, path, 1)
		case historicAmountType:
			p.amount(v, path, 0)
		default:
			p.walk(v, path)
		}
	}
}

// text sets v, at path, to 1 to maxRunes characters, or leaves it.
func (p *perturber) text(v reflect.Value, path string, maxRunes int) {
	if !rapid.Bool().Draw(p.t, "perturb "+path) {
		return
	}
	maxRunes = min(maxRunes, maxTextRunes)
	n := rapid.OneOf(rapid.Just(1), rapid.Just(maxRunes), rapid.IntRange(1, maxRunes)).Draw(p.t, "characters of "+path)
	v.SetString(rapid.StringOfN(textRunes, n, n, -1).Draw(p.t, path))
	p.texts++
}

// amount sets the amount v, at path, to at least least minor units and at
// most corridor.MaxAmount (18 digits) in the decimals of its currency,
// which it may change, or leaves it. A settlement amount
// (ActiveCurrencyAndAmount) cannot be zero (AM01).
func (p *perturber) amount(v reflect.Value, path string, least int64) {
	if !rapid.Bool().Draw(p.t, "perturb "+path) {
		return
	}
	ccy := v.FieldByName("Ccy")
	c := rapid.SampledFrom([]string{ccy.String(), "JPY", "KWD", "BHD", "INR", "RUB", "USD", "EUR"}).Draw(p.t, "currency of "+path)
	exp, ok := otherMinorUnits[c]
	if cur := corridor.Currency(c); cur.Valid() {
		exp, ok = cur.Exponent(), true
	}
	if !ok {
		p.t.Fatalf("%s: currency %s of a sample has no minor units in otherMinorUnits", path, c)
	}
	a := rapid.OneOf(rapid.Just(least), rapid.Just(int64(corridor.MaxAmount)), rapid.Int64Range(least, int64(corridor.MaxAmount))).Draw(p.t, "minor units of "+path)
	ccy.SetString(c)
	v.FieldByName("Value").SetString(amountText(p.t, a, exp, path))
	p.amounts++
}

// amountText writes a minor units of a currency with exp decimals in one of
// the lexical forms of xs:decimal that keep within the currency's decimals
// and 18 significant digits: "1000.50", "1000.5", "1000.", "0001000.50",
// ".05", " 1000.50\n" (the XSD collapses white space around a decimal).
func amountText(t *rapid.T, a int64, exp int, path string) string {
	s := fmt.Sprintf("%0*d", exp+1, a)
	if exp > 0 {
		s = s[:len(s)-exp] + "." + s[len(s)-exp:]
	}
	switch rapid.SampledFrom([]string{"exact", "short", "point"}).Draw(t, "decimals of "+path) {
	case "short":
		if exp > 0 {
			s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
		}
	case "point":
		if exp > 0 {
			s = strings.TrimRight(s, "0")
		} else {
			s += "."
		}
	}
	if strings.HasPrefix(s, "0.") && len(s) > 2 && rapid.Bool().Draw(t, "no units digit in "+path) {
		s = s[1:]
	}
	s = strings.Repeat("0", rapid.IntRange(0, 3).Draw(t, "leading zeros of "+path)) + s
	if rapid.Bool().Draw(t, "white space around "+path) {
		s = " " + s + "\n"
	}
	return s
}

// mustXMLLintOutput is what xmllint says of p alone.
func mustXMLLintOutput(tb testing.TB, p part) string {
	tb.Helper()
	f := filepath.Join(tb.TempDir(), "part.xml")
	if err := os.WriteFile(f, p.data, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, _ := exec.Command("xmllint", "--noout", "--nonet", "--schema", filepath.Join("testdata", "xsd", p.id+".xsd"), f).CombinedOutput()
	return strings.TrimSpace(string(out))
}
