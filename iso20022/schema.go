package iso20022

import (
	"fmt"
	"strings"

	"github.com/corridor-network/corridor"
)

// xsiNamespace is the namespace of xsi:schemaLocation and its kin, which
// any element may carry.
const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

// checker walks a parsed AppHdr or Document against the schema tables and
// records every problem: those of the schema, and those of the usage rules
// it can check on the way (amounts within their currency).
type checker struct {
	ps    *problems
	root  *xsdSchema           // Its target namespace; for lax wildcards holding a root element.
	names [MaxDepth + 1]string // Local names from the root to the element checked.
	depth int
}

// checkSchema checks n, the root element of message definition s, and
// records its problems in ps. n has been found in s's namespace.
func checkSchema(n *node, s *xsdSchema, ps *problems) {
	c := checker{ps: ps, root: s}
	c.names[0] = n.local
	c.element(n, &xsdTypes[s.typ])
}

// path is the path of the element being checked, plus suffix.
func (c *checker) path(suffix string) string {
	var b strings.Builder
	for i := 0; i <= c.depth; i++ {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(c.names[i])
	}
	if suffix != "" {
		b.WriteByte('/')
		b.WriteString(suffix)
	}
	return b.String()
}

func (c *checker) add(suffix, rule string, reason corridor.ReasonCode) {
	c.ps.addLayer(c.path(suffix), LayerSchema, rule, reason)
}

// element checks n against t.
func (c *checker) element(n *node, t *xsdType) {
	c.attributes(n, t)
	switch t.kind {
	case kindSimple, kindSimpleContent:
		if len(n.children) > 0 {
			c.add("", fmt.Sprintf("holds the element %s; %s holds text only", n.children[0].local, t.name), corridor.ReasonInvalidFormat)
			return
		}
		vt := t
		if t.kind == kindSimpleContent {
			vt = &xsdTypes[t.value]
		}
		if rule, reason := checkSimple(vt, n.text); rule != "" {
			c.add("", rule, reason)
			return
		}
		if t.kind == kindSimpleContent {
			c.amount(n, t)
		}
		return
	}
	if trimSpace(n.text) != "" {
		c.add("", fmt.Sprintf("holds the text %s; %s holds elements only", quote(trimSpace(n.text)), t.name), corridor.ReasonInvalidFormat)
	}
	switch t.kind {
	case kindSequence:
		c.sequence(n, t)
	case kindChoice:
		c.choice(n, t)
	case kindAny:
		c.wildcard(n, t)
	}
}

// attributes checks n's attributes: only those of a type with simple
// content, each valid, the required ones present; xsi attributes aside.
func (c *checker) attributes(n *node, t *xsdType) {
	for _, a := range n.attrs {
		if a.Name.Space == xsiNamespace && (a.Name.Local == "schemaLocation" || a.Name.Local == "noNamespaceSchemaLocation") {
			continue
		}
		d := t.attr(a.Name.Local)
		if d == nil || a.Name.Space != "" {
			c.add("@"+a.Name.Local, fmt.Sprintf("attribute not allowed on %s", t.name), corridor.ReasonInvalidFormat)
			continue
		}
		if rule, reason := checkSimple(&xsdTypes[d.typ], a.Value); rule != "" {
			c.add("@"+a.Name.Local, rule, reason)
		}
	}
	for _, d := range t.attrs {
		if d.required && !hasAttr(n, d.name) {
			c.add("@"+d.name, "required", corridor.ReasonInvalidFormat)
		}
	}
}

func (t *xsdType) attr(name string) *xsdAttr {
	for i := range t.attrs {
		if t.attrs[i].name == name {
			return &t.attrs[i]
		}
	}
	return nil
}

func hasAttr(n *node, local string) bool {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return true
		}
	}
	return false
}

// find returns the index of the particle named local at or after from, or -1.
func (t *xsdType) find(local string, from int) int {
	for i := from; i < len(t.elems); i++ {
		if t.elems[i].name == local {
			return i
		}
	}
	return -1
}

// sequence checks n's children against the particles of t in order: each
// known, in order, within its occurrences, the required ones present.
func (c *checker) sequence(n *node, t *xsdType) {
	var counts [64]uint16 // xsdgen allows at most 64 particles.
	cursor := 0
	for _, ch := range n.children {
		if !c.inNamespace(ch) {
			continue
		}
		j := t.find(ch.local, cursor)
		if j < 0 {
			j = t.find(ch.local, 0)
			if j < 0 {
				c.add(ch.local, fmt.Sprintf("element not allowed in %s", t.name), corridor.ReasonInvalidFormat)
				continue
			}
			c.add(ch.local, fmt.Sprintf("out of order: must come before %s", t.elems[cursor].name), corridor.ReasonInvalidFormat)
		} else {
			c.missing(n, t, counts[:], cursor, j)
			cursor = j
		}
		counts[j]++
		c.occurrence(t.elems[j], counts[j])
		c.child(ch, t.elems[j])
	}
	c.missing(n, t, counts[:], cursor, len(t.elems))
}

// missing reports the required particles in [from, to) that n lacks.
func (c *checker) missing(n *node, t *xsdType, counts []uint16, from, to int) {
	for k := from; k < to; k++ {
		p := t.elems[k]
		if counts[k] >= p.min || (counts[k] == 0 && hasChild(n, p.name)) {
			continue
		}
		if p.min == 1 {
			c.add(p.name, "required", corridor.ReasonInvalidFormat)
		} else {
			c.add(p.name, fmt.Sprintf("occurs %d times; at least %d required", counts[k], p.min), corridor.ReasonInvalidFormat)
		}
	}
}

func hasChild(n *node, local string) bool {
	for _, ch := range n.children {
		if ch.local == local {
			return true
		}
	}
	return false
}

// occurrence reports the count-th occurrence of p past its maximum, once.
func (c *checker) occurrence(p xsdParticle, count uint16) {
	if p.max != 0 && count == p.max+1 {
		c.add(p.name, fmt.Sprintf("occurs more than %d times", p.max), corridor.ReasonInvalidFormat)
	}
}

// choice checks that n's children are occurrences of one particle of t.
func (c *checker) choice(n *node, t *xsdType) {
	chosen, count := -1, uint16(0)
	for _, ch := range n.children {
		if !c.inNamespace(ch) {
			continue
		}
		j := t.find(ch.local, 0)
		switch {
		case j < 0:
			c.add(ch.local, fmt.Sprintf("element not allowed in %s", t.name), corridor.ReasonInvalidFormat)
			continue
		case chosen >= 0 && j != chosen:
			c.add(ch.local, fmt.Sprintf("%s is a choice: %s is already given", t.name, t.elems[chosen].name), corridor.ReasonInvalidFormat)
		default:
			chosen = j
			count++
			c.occurrence(t.elems[j], count)
		}
		c.child(ch, t.elems[j])
	}
	if chosen < 0 {
		c.add("", fmt.Sprintf("requires one of %s", t.names()), corridor.ReasonInvalidFormat)
	}
}

// names lists t's particles: "IBAN or Othr".
func (t *xsdType) names() string {
	names := make([]string, len(t.elems))
	for i, p := range t.elems {
		names[i] = p.name
	}
	if len(names) <= 2 {
		return strings.Join(names, " or ")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// wildcard checks the one element of an xs:any with lax processing: in the
// wildcard's namespace, and, if it is the schema's own root element, valid.
func (c *checker) wildcard(n *node, t *xsdType) {
	if len(n.children) != 1 {
		c.add("", fmt.Sprintf("holds %d elements; %s holds exactly one", len(n.children), t.name), corridor.ReasonInvalidFormat)
		return
	}
	ch := n.children[0]
	if t.anyNS != "##any" && ch.space != t.anyNS {
		c.add(ch.local, fmt.Sprintf("element in namespace %.80q; %s takes one in %s", ch.space, t.name, t.anyNS), corridor.ReasonInvalidFormat)
		return
	}
	if c.root.inNamespace(ch.space) && ch.local == c.root.root {
		c.child(ch, xsdParticle{name: ch.local, typ: c.root.typ})
	}
}

// inNamespace reports whether ch is in the schema's namespace, recording a
// problem if not.
func (c *checker) inNamespace(ch *node) bool {
	if c.root.inNamespace(ch.space) {
		return true
	}
	c.add(ch.local, fmt.Sprintf("element in namespace %.80q; expected %s", ch.space, c.root.namespace()), corridor.ReasonInvalidFormat)
	return false
}

// child checks ch as an occurrence of p, one level down.
func (c *checker) child(ch *node, p xsdParticle) {
	if c.depth+1 >= len(c.names) {
		c.add(ch.local, "nested too deep", corridor.ReasonInvalidFormat) // parse bounds depth first.
		return
	}
	c.depth++
	c.names[c.depth] = p.name
	c.element(ch, &xsdTypes[p.typ])
	c.depth--
}
