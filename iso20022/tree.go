package iso20022

import (
	"encoding/xml"
	"fmt"
	"iter"
	"strings"

	"github.com/corridor-network/corridor"
)

// Bounds on what a decoder reads. A message past any of them is refused
// before it is interpreted.
const (
	MaxMessageBytes = 1 << 20 // Whole input, envelope included.
	MaxDepth        = 32      // Nesting of elements, the envelope being depth 1.
	MaxElements     = 5000    // Elements in the whole input.
	MaxTextBytes    = 10_000  // Character data of any one element.

	MaxAttributes     = 16   // Attributes of one element, namespace declarations included.
	MaxAttrValueBytes = 1024 // One attribute value, after references are replaced.
)

// node is an element of a parsed message: enough of the XML infoset for the
// decoders, and nothing a peer can make unbounded.
type node struct {
	space, local string
	attrs        []xml.Attr // Without namespace declarations.
	text         string     // Character data directly inside, concatenated.
	children     []*node
}

// parse reads data into a tree within the bounds above. A malformed or
// oversized input yields one FF01 problem naming where it stopped.
func parse(data []byte) (*node, *Problem) { return parseWith(data, false) }

// parseCanonical is parse that also refuses comments, processing
// instructions and CDATA sections: what the hub accepts and relays.
func parseCanonical(data []byte) (*node, *Problem) { return parseWith(data, true) }

func parseWith(data []byte, canonical bool) (*node, *Problem) {
	if len(data) > MaxMessageBytes {
		return nil, &Problem{Rule: fmt.Sprintf("message is %d bytes; at most %d are accepted", len(data), MaxMessageBytes), Reason: corridor.ReasonInvalidFormat}
	}
	return buildTree(data, canonical) // The scanner of xmlscan.go, strict and bounded.
}

// elem is a node met at a path while decoding. A missing element is an elem
// with a nil node: reading below it yields nothing and reports nothing more,
// since the first missing ancestor was already reported.
type elem struct {
	n  *node
	at elemPath
	ps *problems
}

// elemPath is the path of an elem, kept as its steps: a decoder looks up
// some fifty children per message and reports a problem at few, so the path
// is joined only for a problem (joining each one as it was looked up was
// most of a decode's allocations).
type elemPath struct {
	steps [maxPathSteps]string
	n     int
}

// maxPathSteps is the steps an elemPath holds apart; a deeper path folds
// the first ones into one. The decoders go 6 deep.
const maxPathSteps = 8

// pathOf is the path of one step, which may hold slashes.
func pathOf(step string) elemPath {
	var p elemPath
	p.steps[0], p.n = step, 1
	return p
}

// child is the path p/local.
func (p elemPath) child(local string) elemPath {
	if p.n == len(p.steps) {
		p = pathOf(p.String())
	}
	p.steps[p.n] = local
	p.n++
	return p
}

// String is the path with its steps joined by slashes.
func (p elemPath) String() string { return strings.Join(p.steps[:p.n], "/") }

// path is where e is, as a Problem's path.
func (e elem) path() string { return e.at.String() }

func (e elem) present() bool { return e.n != nil }

// child returns the optional child named local. More than one is a problem,
// reported here; the first is returned.
func (e elem) child(local string) elem {
	c := elem{at: e.at.child(local), ps: e.ps}
	if e.n == nil {
		return c
	}
	for _, n := range e.n.children {
		if n.local != local {
			continue
		}
		if c.n != nil {
			e.ps.add(c.path(), "must occur at most once", corridor.ReasonInvalidFormat)
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
		e.ps.add(c.path(), "required", corridor.ReasonInvalidFormat)
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

// first returns the first child of n named local, or nil; n may be nil.
func (n *node) first(local string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.local == local {
			return c
		}
	}
	return nil
}

// at follows path from n, one first child a step: nil when one is missing.
func (n *node) at(path ...string) *node {
	for _, local := range path {
		n = n.first(local)
	}
	return n
}

// all yields the children of n named local; n may be nil.
func (n *node) all(local string) iter.Seq[*node] {
	return func(yield func(*node) bool) {
		if n == nil {
			return
		}
		for _, c := range n.children {
			if c.local == local && !yield(c) {
				return
			}
		}
	}
}

// content is the text of n as written, or "" when n is nil.
func (n *node) content() string {
	if n == nil {
		return ""
	}
	return n.text
}
