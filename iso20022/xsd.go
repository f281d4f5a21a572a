package iso20022

import (
	"math/bits"
	"strings"
)

//go:generate go run ./internal/xsdgen -out . testdata/xsd

// xsdKind is what a type of the tables holds.
type xsdKind uint8

const (
	kindSimple        xsdKind = iota // Text only, checked against the facets.
	kindSequence                     // Elements in the order of elems.
	kindChoice                       // Elements of exactly one of elems.
	kindAny                          // One element of namespace anyNS, any content (lax).
	kindSimpleContent                // Text of type value, with attrs.
)

// xsdBase is the built-in type a simple type restricts.
type xsdBase uint8

const (
	baseString xsdBase = iota
	baseDecimal
	baseBoolean
	baseDate
	baseDateTime
	baseTime
	baseGYearMonth
)

// xsdType is one type of the message set, as xsdgen writes it from the XSDs.
type xsdType struct {
	name  string
	kind  xsdKind
	elems []xsdParticle // kindSequence and kindChoice.
	anyNS string        // kindAny: "##any" or a namespace.
	value uint16        // kindSimpleContent: index of the text's type.
	attrs []xsdAttr     // kindSimpleContent.

	// kindSimple: the facets; -1 where the XSD sets none.
	base                        xsdBase
	minLen, maxLen              int32 // In characters.
	totalDigits, fractionDigits int8
	pattern                     uint8 // Index into xsdPatterns + 1; 0 for none.
	minZero                     bool  // minInclusive 0.
	enum                        []string
}

// xsdParticle is an element of a sequence or choice.
type xsdParticle struct {
	name     string
	typ      uint16 // Index into xsdTypes.
	min, max uint16 // max 0 is unbounded.
}

// xsdAttr is an attribute of a type with simple content.
type xsdAttr struct {
	name     string
	typ      uint16
	required bool
}

// xsdSchema is one message definition's global element.
type xsdSchema struct {
	id   string // "pacs.008.001.08".
	root string // "Document" or "AppHdr".
	typ  uint16
}

// xsdPattern is an XSD pattern compiled by xsdgen into a Glushkov automaton
// over ASCII: position q takes the characters in class[q], and may be
// followed by the positions in follow[q]. Sets of positions are bit masks,
// so matching allocates nothing and takes time linear in the text.
type xsdPattern struct {
	text        string
	nullable    bool
	first, last uint64
	class       [][2]uint64
	follow      []uint64
}

// match reports whether the whole of s matches p, as XSD patterns are
// implicitly anchored.
func (p *xsdPattern) match(s string) bool {
	if s == "" {
		return p.nullable
	}
	var cur uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return false // No pattern of the set takes a non-ASCII character.
		}
		cand := p.first
		if i > 0 {
			cand = 0
			for m := cur; m != 0; m &= m - 1 {
				cand |= p.follow[bits.TrailingZeros64(m)]
			}
		}
		cur = 0
		for m := cand; m != 0; m &= m - 1 {
			q := bits.TrailingZeros64(m)
			if p.class[q][c>>6]&(1<<(c&63)) != 0 {
				cur |= 1 << q
			}
		}
		if cur == 0 {
			return false
		}
	}
	return cur&p.last != 0
}

// namespace is s's target namespace, joined for a problem's rule only.
func (s *xsdSchema) namespace() string { return namespacePrefix + s.id }

// inNamespace reports whether space is s's target namespace, without
// joining it: each element checked is compared with it.
func (s *xsdSchema) inNamespace(space string) bool {
	id, ok := strings.CutPrefix(space, namespacePrefix)
	return ok && id == s.id
}

// schemaFor returns the schema of message definition id, or nil.
func schemaFor(id string) *xsdSchema {
	for i := range xsdSchemas {
		if xsdSchemas[i].id == id {
			return &xsdSchemas[i]
		}
	}
	return nil
}
