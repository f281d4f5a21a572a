package iso20022

import (
	"encoding/xml"
	"fmt"
	"iter"
	"strings"
	"sync"

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
func parse(data []byte) (*node, *Problem) { return parseWith(data, false, nil) }

// parseWith is parse, into the nodes of st when it is not nil (the tree is
// then valid until st is released). A canonical parse also refuses
// comments, processing instructions and CDATA sections: what the hub
// accepts and relays (DecodeSubmission).
func parseWith(data []byte, canonical bool, st *nodeStore) (*node, *Problem) {
	if len(data) > MaxMessageBytes {
		return nil, &Problem{Rule: fmt.Sprintf("message is %d bytes; at most %d are accepted", len(data), MaxMessageBytes), Reason: corridor.ReasonInvalidFormat}
	}
	return buildTree(data, canonical, st) // The scanner of xmlscan.go, strict and bounded.
}

// nodeStore holds the first blocks of a tree's nodes, child lists and
// attributes, for a caller that lends them to parseWith and gives them back
// (release) once nothing it keeps points into the tree. The decoders keep
// strings, which point into the parse's copy of the message and never into
// a node, so the one that returns only what it decoded can lend a store:
// a new tree per message was most of the bytes a decode allocated.
type nodeStore struct {
	nodes []node
	ptrs  []*node
	attrs []xml.Attr
}

// storeAttrs is the attributes a store holds: a payment's few amounts.
const storeAttrs = 16

// nodeStores holds the stores given back.
var nodeStores = sync.Pool{New: func() any { return new(nodeStore) }}

// lendStore returns a store to parse into, which the caller must release.
func lendStore() *nodeStore { return nodeStores.Get().(*nodeStore) }

// blocks returns st's blocks emptied, each grown to hold block entries
// (storeAttrs attributes); fresh blocks when st is nil.
func (st *nodeStore) blocks(block int) ([]node, []*node, []xml.Attr) {
	if st == nil {
		return make([]node, 0, block), make([]*node, 0, block), nil
	}
	if cap(st.nodes) < block {
		st.nodes = make([]node, 0, block)
	}
	if cap(st.ptrs) < block {
		st.ptrs = make([]*node, 0, block)
	}
	if st.attrs == nil {
		st.attrs = make([]xml.Attr, 0, storeAttrs)
	}
	return st.nodes[:0], st.ptrs[:0], st.attrs[:0]
}

// release clears st and gives it back. Nothing may use a tree parsed into
// st after.
func (st *nodeStore) release() {
	st.reset()
	nodeStores.Put(st)
}

// reset clears st's blocks: so that a store given back keeps no message
// alive, and because treeArena.start takes a node to be zero.
func (st *nodeStore) reset() {
	clear(st.nodes[:cap(st.nodes)])
	clear(st.ptrs[:cap(st.ptrs)])
	clear(st.attrs[:cap(st.attrs)])
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
