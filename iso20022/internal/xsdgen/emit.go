package main

import (
	"fmt"
	"strconv"
)

var kinds = map[string]string{"sequence": "kindSequence", "choice": "kindChoice"}

var bases = map[string]string{
	"string": "baseString", "decimal": "baseDecimal", "boolean": "baseBoolean", "date": "baseDate",
	"dateTime": "baseDateTime", "time": "baseTime", "gYearMonth": "baseGYearMonth",
}

// tables writes xsd_tables.go: every type of the set, the compiled
// patterns and the schemas' global elements.
func (s *set) tables() []byte {
	var p printer
	p.f("%s", header)
	p.f("// xsdTypes holds every type of the message set; particles refer to types by index.\n")
	p.f("var xsdTypes = [...]xsdType{\n")
	for i, t := range s.types {
		p.f("\t%d: %s,\n", i, s.typeLiteral(t))
	}
	p.f("}\n\n")
	p.f("// xsdPatterns holds the schemas' patterns; a simple type names one by index + 1.\n")
	p.f("var xsdPatterns = [...]xsdPattern{\n")
	for i, pat := range s.patterns {
		p.f("\t%d: {text: %q, nullable: %t, first: %#x, last: %#x,\n\t\tclass: [][2]uint64{", i, pat.text, pat.nullable, pat.first, pat.last)
		for _, c := range pat.class {
			p.f("{%#x, %#x}, ", c[0], c[1])
		}
		p.f("},\n\t\tfollow: []uint64{")
		for _, f := range pat.follow {
			p.f("%#x, ", f)
		}
		p.f("}},\n")
	}
	p.f("}\n\n")
	p.f("// xsdSchemas holds, per message definition, its global element and type.\n")
	p.f("var xsdSchemas = [...]xsdSchema{\n")
	for _, m := range s.messages {
		p.f("\t{id: %q, root: %q, typ: %d},\n", m.id, m.root, s.index[s.resolve[m.id][m.rootType]])
	}
	p.f("}\n")
	return p.Bytes()
}

// ref is the table index of the type named name in the message that
// defined t; a merged type resolves alike in every schema that has it.
func (s *set) ref(t *typeDef, name string) int {
	for _, m := range s.messages {
		if s.resolve[m.id][t.name] == t {
			return s.index[s.resolve[m.id][name]]
		}
	}
	panic("unresolved type " + name)
}

func (s *set) typeLiteral(t *typeDef) string {
	switch {
	case t.simple != nil:
		return s.simpleLiteral(t)
	case t.value != "":
		lit := fmt.Sprintf("{name: %q, kind: kindSimpleContent, value: %d, attrs: []xsdAttr{", t.name, s.ref(t, t.value))
		for _, a := range t.attrs {
			lit += fmt.Sprintf("{name: %q, typ: %d, required: %t}, ", a.name, s.ref(t, a.typ), a.required)
		}
		return lit + "}}"
	case t.any != nil:
		return fmt.Sprintf("{name: %q, kind: kindAny, anyNS: %q}", t.name, t.any.namespace)
	}
	lit := fmt.Sprintf("{name: %q, kind: %s, elems: []xsdParticle{", t.name, kinds[t.group])
	for _, e := range t.elems {
		lit += fmt.Sprintf("{name: %q, typ: %d, min: %d, max: %d}, ", e.name, s.ref(t, e.typ), e.min, e.max)
	}
	return lit + "}}"
}

func (s *set) simpleLiteral(t *typeDef) string {
	sd := t.simple
	lit := fmt.Sprintf("{name: %q, kind: kindSimple, base: %s, minLen: %d, maxLen: %d, totalDigits: %d, fractionDigits: %d",
		t.name, bases[sd.base], sd.minLen, sd.maxLen, sd.totalDigits, sd.fraction)
	if sd.pattern != "" {
		lit += fmt.Sprintf(", pattern: %d", s.patIndex[sd.pattern])
	}
	if sd.minInclusive != "" {
		lit += ", minZero: true"
	}
	if len(sd.enum) > 0 {
		lit += ", enum: []string{"
		for _, e := range sd.enum {
			lit += strconv.Quote(e) + ", "
		}
		lit += "}"
	}
	return lit + "}"
}

// goTypes writes messages.go: a Go struct per complex type, and per message
// the Document (or AppHdr) type it decodes into.
func (s *set) goTypes() []byte {
	var p printer
	p.f("%s", header)
	p.f("import \"encoding/xml\"\n\nvar _ xml.Name // Keeps the import when no type needs it.\n\n")
	for _, t := range s.types {
		if t.simple != nil {
			continue
		}
		s.goType(&p, t)
	}
	p.f("// newDocument returns a new, empty Document of the message definition id,\n// or nil when id is not in the set.\n")
	p.f("func newDocument(id string) Document {\n\tswitch id {\n")
	for _, m := range s.messages {
		if m.root != "Document" {
			continue
		}
		p.f("\tcase %q:\n\t\treturn new(%s)\n", m.id, s.resolve[m.id][m.rootType].goName)
	}
	p.f("\t}\n\treturn nil\n}\n\n")
	for _, m := range s.messages {
		if m.root != "Document" {
			continue
		}
		g := s.resolve[m.id][m.rootType].goName
		p.f("// MessageDefinition returns %q.\nfunc (*%s) MessageDefinition() string { return %q }\n\n", m.id, g, m.id)
	}
	return p.Bytes()
}

func (s *set) goType(p *printer, t *typeDef) {
	switch {
	case t.value != "":
		p.f("// %s is the ISO 20022 type %s: a value with attributes.\ntype %s struct {\n", t.goName, t.name, t.goName)
		p.f("\tValue string `xml:\",chardata\"` // %s\n", s.types[s.ref(t, t.value)].name)
		for _, a := range t.attrs {
			opt := ""
			if !a.required {
				opt = ",omitempty"
			}
			p.f("\t%s string `xml:\"%s,attr%s\"` // %s\n", goIdent(a.name), a.name, opt, a.typ)
		}
		p.f("}\n\n")
		return
	case t.any != nil:
		p.f("// %s is the ISO 20022 type %s: one element of namespace %s, any content.\n", t.goName, t.name, t.any.namespace)
		p.f("type %s struct {\n\tAny AnyElement `xml:\",any\"`\n}\n\n", t.goName)
		return
	}
	p.f("// %s is the ISO 20022 type %s (a %s).\ntype %s struct {\n", t.goName, t.name, t.group, t.goName)
	for _, e := range t.elems {
		et := s.types[s.ref(t, e.typ)]
		gt := "string"
		if et.simple == nil {
			gt = et.goName
		}
		switch {
		case e.max != 1:
			gt = "[]" + gt
		case e.min == 0 || t.group == "choice":
			gt = "*" + gt
		}
		p.f("\t%s %s `xml:\"%s\"` // %s %s\n", goIdent(e.name), gt, e.name, et.name, occurs(e, t.group))
	}
	p.f("}\n\n")
}

func occurs(e elemDef, group string) string {
	max := "*"
	if e.max > 0 {
		max = strconv.Itoa(e.max)
	}
	s := fmt.Sprintf("[%d..%s]", e.min, max)
	if group == "choice" {
		s += " choice"
	}
	return s
}
