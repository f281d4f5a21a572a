package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The XSD subset, as encoding/xml reads it.
type (
	xsdSchema struct {
		TargetNamespace string       `xml:"targetNamespace,attr"`
		Elements        []xsdElement `xml:"element"`
		Simple          []xsdSimple  `xml:"simpleType"`
		Complex         []xsdComplex `xml:"complexType"`
	}
	xsdElement struct {
		Name      string `xml:"name,attr"`
		Type      string `xml:"type,attr"`
		MinOccurs string `xml:"minOccurs,attr"`
		MaxOccurs string `xml:"maxOccurs,attr"`
	}
	xsdValue struct {
		Value string `xml:"value,attr"`
	}
	xsdSimple struct {
		Name        string `xml:"name,attr"`
		Restriction struct {
			Base           string     `xml:"base,attr"`
			Patterns       []xsdValue `xml:"pattern"`
			MinLength      *xsdValue  `xml:"minLength"`
			MaxLength      *xsdValue  `xml:"maxLength"`
			Length         *xsdValue  `xml:"length"`
			Enumerations   []xsdValue `xml:"enumeration"`
			TotalDigits    *xsdValue  `xml:"totalDigits"`
			FractionDigits *xsdValue  `xml:"fractionDigits"`
			MinInclusive   *xsdValue  `xml:"minInclusive"`
			MaxInclusive   *xsdValue  `xml:"maxInclusive"`
			MinExclusive   *xsdValue  `xml:"minExclusive"`
			MaxExclusive   *xsdValue  `xml:"maxExclusive"`
		} `xml:"restriction"`
	}
	xsdGroup struct {
		Elements []xsdElement `xml:"element"`
		Any      []struct {
			Namespace string `xml:"namespace,attr"`
			Process   string `xml:"processContents,attr"`
			MinOccurs string `xml:"minOccurs,attr"`
			MaxOccurs string `xml:"maxOccurs,attr"`
		} `xml:"any"`
		Nested []xml.Name `xml:",any"` // Nested groups: not in the subset.
	}
	xsdComplex struct {
		Name          string    `xml:"name,attr"`
		Sequence      *xsdGroup `xml:"sequence"`
		Choice        *xsdGroup `xml:"choice"`
		SimpleContent *struct {
			Extension struct {
				Base       string `xml:"base,attr"`
				Attributes []struct {
					Name string `xml:"name,attr"`
					Type string `xml:"type,attr"`
					Use  string `xml:"use,attr"`
				} `xml:"attribute"`
			} `xml:"extension"`
		} `xml:"simpleContent"`
	}
)

// message is one schema of the set, read and checked.
type message struct {
	id       string // "pacs.008.001.08", from the file name.
	ns       string // Its target namespace.
	root     string // Local name of its global element: Document or AppHdr.
	rootType string
	types    map[string]*typeDef
}

// typeDef is a type of one schema in a form that compares across schemas.
type typeDef struct {
	name   string
	simple *simpleDef // A simple type.
	group  string     // "sequence" or "choice" for a complex type with elements.
	elems  []elemDef  // Its elements, in order.
	any    *anyDef    // Or its single xs:any.
	value  string     // Simple content: the type of the text.
	attrs  []attrDef  // Simple content: its attributes.
	key    string     // Canonical text of the definition, to compare schemas.
	goName string     // Name of the Go type, when it has one.
}

type elemDef struct {
	name, typ string
	min, max  int // max 0: unbounded.
}

type anyDef struct {
	namespace string // "##any" or a namespace URI.
}

type attrDef struct {
	name, typ string
	required  bool
}

type simpleDef struct {
	base                  string // Built-in base without the xs: prefix.
	pattern               string
	minLen, maxLen        int // -1: none.
	enum                  []string
	totalDigits, fraction int // -1: none.
	minInclusive          string
}

// readMessage reads one XSD file.
func readMessage(path string) (*message, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s xsdSchema
	if err := xml.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := &message{id: strings.TrimSuffix(filepath.Base(path), ".xsd"), ns: s.TargetNamespace, types: map[string]*typeDef{}}
	if want := "urn:iso:std:iso:20022:tech:xsd:" + m.id; m.ns != want {
		return nil, fmt.Errorf("%s: target namespace %q; want %q", path, m.ns, want)
	}
	if len(s.Elements) != 1 {
		return nil, fmt.Errorf("%s: %d global elements; want 1", path, len(s.Elements))
	}
	m.root, m.rootType = s.Elements[0].Name, s.Elements[0].Type
	for _, st := range s.Simple {
		t, err := simpleType(st)
		if err != nil {
			return nil, fmt.Errorf("%s: simple type %s: %w", path, st.Name, err)
		}
		m.types[t.name] = t
	}
	for _, ct := range s.Complex {
		t, err := complexType(ct)
		if err != nil {
			return nil, fmt.Errorf("%s: complex type %s: %w", path, ct.Name, err)
		}
		if m.types[t.name] != nil {
			return nil, fmt.Errorf("%s: type %s defined twice", path, t.name)
		}
		m.types[t.name] = t
	}
	return m, m.checkRefs()
}

func simpleType(st xsdSimple) (*typeDef, error) {
	r := st.Restriction
	base, ok := strings.CutPrefix(r.Base, "xs:")
	if !ok {
		return nil, fmt.Errorf("base %q is not a built-in type", r.Base)
	}
	switch base {
	case "string", "decimal", "boolean", "date", "dateTime", "time", "gYearMonth":
	default:
		return nil, fmt.Errorf("base %q is not supported", r.Base)
	}
	if r.Length != nil || r.MaxInclusive != nil || r.MinExclusive != nil || r.MaxExclusive != nil || len(r.Patterns) > 1 {
		return nil, fmt.Errorf("facet not supported")
	}
	sd := &simpleDef{base: base, minLen: -1, maxLen: -1, totalDigits: -1, fraction: -1}
	if len(r.Patterns) == 1 {
		sd.pattern = r.Patterns[0].Value
	}
	var err error
	sd.minLen, err = facetInt(r.MinLength, err)
	sd.maxLen, err = facetInt(r.MaxLength, err)
	sd.totalDigits, err = facetInt(r.TotalDigits, err)
	sd.fraction, err = facetInt(r.FractionDigits, err)
	if err != nil {
		return nil, err
	}
	for _, e := range r.Enumerations {
		sd.enum = append(sd.enum, e.Value)
	}
	if r.MinInclusive != nil {
		if r.MinInclusive.Value != "0" || base != "decimal" {
			return nil, fmt.Errorf("minInclusive %q on %s: only 0 on decimals is supported", r.MinInclusive.Value, base)
		}
		sd.minInclusive = "0"
	}
	t := &typeDef{name: st.Name, simple: sd}
	t.key = fmt.Sprintf("simple %+v", *sd)
	return t, nil
}

func facetInt(v *xsdValue, err error) (int, error) {
	if err != nil || v == nil {
		return -1, err
	}
	var n int
	if _, err := fmt.Sscanf(v.Value, "%d", &n); err != nil || n < 0 {
		return -1, fmt.Errorf("facet value %q is not a count", v.Value)
	}
	return n, nil
}

func complexType(ct xsdComplex) (*typeDef, error) {
	t := &typeDef{name: ct.Name}
	switch {
	case ct.SimpleContent != nil && ct.Sequence == nil && ct.Choice == nil:
		ext := ct.SimpleContent.Extension
		t.value = ext.Base
		for _, a := range ext.Attributes {
			t.attrs = append(t.attrs, attrDef{name: a.Name, typ: a.Type, required: a.Use == "required"})
		}
	case ct.Sequence != nil && ct.Choice == nil:
		t.group = "sequence"
		return t, t.readGroup(ct.Sequence)
	case ct.Choice != nil && ct.Sequence == nil:
		t.group = "choice"
		return t, t.readGroup(ct.Choice)
	default:
		return nil, fmt.Errorf("neither one sequence, one choice nor simple content")
	}
	t.key = fmt.Sprintf("simpleContent %s %+v", t.value, t.attrs)
	return t, nil
}

func (t *typeDef) readGroup(g *xsdGroup) error {
	if len(g.Nested) > 0 {
		return fmt.Errorf("nested %s not supported", g.Nested[0].Local)
	}
	if len(g.Any) > 0 {
		a := g.Any[0]
		if len(g.Any) > 1 || len(g.Elements) > 0 || a.Process != "lax" || a.MinOccurs != "" || a.MaxOccurs != "" {
			return fmt.Errorf("xs:any supported only alone, once, lax")
		}
		t.any = &anyDef{namespace: a.Namespace}
		t.key = fmt.Sprintf("%s any %s", t.group, a.Namespace)
		return nil
	}
	for _, e := range g.Elements {
		ed := elemDef{name: e.Name, typ: e.Type, min: 1, max: 1}
		if e.MinOccurs != "" {
			if _, err := fmt.Sscanf(e.MinOccurs, "%d", &ed.min); err != nil {
				return fmt.Errorf("element %s: minOccurs %q", e.Name, e.MinOccurs)
			}
		}
		switch e.MaxOccurs {
		case "":
		case "unbounded":
			ed.max = 0
		default:
			if _, err := fmt.Sscanf(e.MaxOccurs, "%d", &ed.max); err != nil || ed.max < 1 {
				return fmt.Errorf("element %s: maxOccurs %q", e.Name, e.MaxOccurs)
			}
		}
		t.elems = append(t.elems, ed)
	}
	if len(t.elems) == 0 || len(t.elems) > 64 {
		return fmt.Errorf("%d elements; 1 to 64 are supported", len(t.elems))
	}
	t.key = fmt.Sprintf("%s %+v", t.group, t.elems)
	return nil
}

// checkRefs makes sure every type referred to is defined in the schema.
func (m *message) checkRefs() error {
	ref := func(name string) error {
		if m.types[name] == nil {
			return fmt.Errorf("%s: type %q is not defined", m.id, name)
		}
		return nil
	}
	if err := ref(m.rootType); err != nil {
		return err
	}
	for _, t := range m.types {
		for _, e := range t.elems {
			if err := ref(e.typ); err != nil {
				return err
			}
		}
		if t.value != "" {
			if err := ref(t.value); err != nil {
				return err
			}
			for _, a := range t.attrs {
				if err := ref(a.typ); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
