package iso20022

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"corridor"
)

// Bounds on what a decoder reads. A message past any of them is refused
// before it is interpreted.
const (
	MaxMessageBytes = 1 << 20 // Whole input, envelope included.
	MaxDepth        = 32      // Nesting of elements, the envelope being depth 1.
	MaxElements     = 5000    // Elements in the whole input.
	MaxTextBytes    = 10_000  // Character data of any one element.
)

// node is an element of a parsed message: enough of the XML infoset for the
// decoders, and nothing a peer can make unbounded.
type node struct {
	space, local string
	attrs        []xml.Attr // Without namespace declarations.
	text         string     // Character data directly inside, concatenated.
	children     []*node
}

// treeBuilder holds the state of parse's single pass over the tokens.
type treeBuilder struct {
	root     *node
	stack    []*node
	elements int
}

// parse reads data into a tree within the bounds above. A malformed or
// oversized input yields one FF01 problem naming where it stopped.
func parse(data []byte) (*node, *Problem) {
	if len(data) > MaxMessageBytes {
		return nil, &Problem{Rule: fmt.Sprintf("message is %d bytes; at most %d are accepted", len(data), MaxMessageBytes), Reason: corridor.ReasonInvalidFormat}
	}
	return buildTree(data) // The scanner of xmlscan.go, strict and bounded.
}

func (b *treeBuilder) add(tok xml.Token) *Problem {
	switch t := tok.(type) {
	case xml.StartElement:
		return b.start(t)
	case xml.EndElement:
		b.stack = b.stack[:len(b.stack)-1] // The decoder matched it with its start.
	case xml.CharData:
		if len(b.stack) == 0 {
			if len(bytes.TrimSpace(t)) != 0 {
				return b.problem("text outside the root element")
			}
			return nil
		}
		n := b.stack[len(b.stack)-1]
		if len(n.text)+len(t) > MaxTextBytes {
			return b.problem(fmt.Sprintf("text longer than %d bytes", MaxTextBytes))
		}
		n.text += string(t)
	case xml.Directive:
		return b.problem("DTDs and other <!...> directives are not accepted")
	}
	return nil // Comments and processing instructions carry nothing.
}

func (b *treeBuilder) start(t xml.StartElement) *Problem {
	b.elements++
	if b.elements > MaxElements {
		return b.problemAt(t.Name.Local, fmt.Sprintf("more than %d elements", MaxElements))
	}
	if len(b.stack) >= MaxDepth {
		return b.problemAt(t.Name.Local, fmt.Sprintf("elements nested deeper than %d", MaxDepth))
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
		return b.problem("more than one root element")
	default:
		b.root = n
	}
	b.stack = append(b.stack, n)
	return nil
}

// problem is an FF01 problem at the element being read, its path counted
// from below the envelope as every other path is.
func (b *treeBuilder) problem(rule string) *Problem {
	return b.problemAt("", rule)
}

// problemAt is problem at the child named local of the element being read.
func (b *treeBuilder) problemAt(local, rule string) *Problem {
	names := make([]string, 0, len(b.stack))
	for i, n := range b.stack {
		if i > 0 {
			names = append(names, n.local)
		}
	}
	if local != "" && len(b.stack) > 0 {
		names = append(names, local)
	}
	return &Problem{Path: strings.Join(names, "/"), Rule: rule, Reason: corridor.ReasonInvalidFormat}
}

// elem is a node met at a path while decoding. A missing element is an elem
// with a nil node: reading below it yields nothing and reports nothing more,
// since the first missing ancestor was already reported.
type elem struct {
	n    *node
	path string
	ps   *problems
}

func (e elem) present() bool { return e.n != nil }

// child returns the optional child named local. More than one is a problem,
// reported here; the first is returned.
func (e elem) child(local string) elem {
	c := elem{path: e.path + "/" + local, ps: e.ps}
	if e.n == nil {
		return c
	}
	for _, n := range e.n.children {
		if n.local != local {
			continue
		}
		if c.n != nil {
			e.ps.add(c.path, "must occur at most once", corridor.ReasonInvalidFormat)
			return c
		}
		c.n = n
	}
	return c
}

// req returns the required child named local, reporting it when missing.
func (e elem) req(local string) elem {
	c := e.child(local)
	if e.n != nil && c.n == nil {
		e.ps.add(c.path, "required", corridor.ReasonInvalidFormat)
	}
	return c
}

// attr returns the unqualified attribute named local and whether it is there.
func (e elem) attr(local string) (string, bool) {
	if e.n == nil {
		return "", false
	}
	for _, a := range e.n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}
