package iso20022

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/corridor-network/corridor"
)

// SplitEnvelope returns the AppHdr and the Document of data, each as a
// standalone XML document that a schema validator such as xmllint reads
// alone: an XML declaration, then the element byte for byte as written, its
// start tag given the namespace declarations it inherits from the envelope.
// data is what Validate reads: an envelope (any name, any namespace) holding
// an AppHdr and a Document side by side, a bare Document or a bare AppHdr. A
// part that is absent comes back nil. SplitEnvelope checks well-formedness
// and the bounds, not the schemas; its error is an *InvalidError (FF01) for
// malformed XML, for an envelope holding neither part, or one of them twice.
func SplitEnvelope(data []byte) (appHdr, document []byte, err error) {
	if len(data) > MaxMessageBytes {
		return nil, nil, invalid("", fmt.Sprintf("message is %d bytes; at most %d are accepted", len(data), MaxMessageBytes))
	}
	src := string(data)
	s := newScanner(src, &scratch{})
	var (
		root  string  // Local name of the root element.
		cur   *[]byte // The part being read, if any.
		start int     // Offset of the '<' that opens it.
		name  int     // Offset of the end of its name.
		decls string  // The namespace declarations it inherits.
	)
	for {
		tok, e := s.next()
		if e != nil {
			return nil, nil, &InvalidError{Problems: []Problem{*e.problem()}}
		}
		switch tok {
		case tokenStart:
			depth := len(s.open)
			if depth == 1 {
				root = s.local
			}
			if cur != nil || !isPart(s.local, depth, root) {
				continue
			}
			cur = &document
			if s.local == "AppHdr" {
				cur = &appHdr
			}
			if *cur != nil {
				return nil, nil, invalid(s.local, "must occur at most once")
			}
			start = strings.LastIndexByte(src[:s.pos], '<') // No '<' inside a start tag.
			name, decls = s.open[len(s.open)-1].name.end, s.inherited()
		case tokenEnd:
			if cur != nil && len(s.open) == partDepth(root)-1 {
				*cur = standalone(src[start:name], decls, src[name:s.pos])
				cur = nil
			}
		case tokenEOF:
			if appHdr == nil && document == nil {
				return nil, nil, invalid(root, "holds neither an AppHdr nor a Document")
			}
			return appHdr, document, nil
		}
	}
}

// isPart reports whether the element local at depth (the root being 1) is an
// AppHdr or a Document that SplitEnvelope returns: the root itself, or a
// child of a root that is neither.
func isPart(local string, depth int, root string) bool {
	return (local == "AppHdr" || local == "Document") && depth == partDepth(root)
}

// partDepth is the depth of the parts in a message whose root is named root.
func partDepth(root string) int {
	if root == "AppHdr" || root == "Document" {
		return 1
	}
	return 2
}

// inherited returns, as attributes to add to its start tag, the namespace
// declarations in scope at the element just started that it does not make
// itself.
func (s *scanner) inherited() string {
	top := s.open[len(s.open)-1]
	seen := make(map[string]bool, len(s.ns))
	for _, d := range s.ns[top.nsMark:] {
		seen[d.prefix] = true
	}
	var b strings.Builder
	for i := top.nsMark - 1; i >= 0; i-- { // Innermost first: it is the one in scope.
		d := s.ns[i]
		if seen[d.prefix] {
			continue
		}
		seen[d.prefix] = true
		if d.uri == "" { // xmlns="": no default namespace, as in a document of its own.
			continue
		}
		b.WriteString(" xmlns")
		if d.prefix != "" {
			b.WriteString(":" + d.prefix)
		}
		b.WriteString(`="`)
		_ = xml.EscapeText(&b, []byte(d.uri)) // A strings.Builder does not fail.
		b.WriteString(`"`)
	}
	return b.String()
}

// standalone is the document of an element: head, its start tag up to the
// end of its name, then decls, then rest.
func standalone(head, decls, rest string) []byte {
	b := make([]byte, 0, len(xml.Header)+len(head)+len(decls)+len(rest)+1)
	b = append(b, xml.Header...)
	b = append(b, head...)
	b = append(b, decls...)
	b = append(b, rest...)
	return append(b, '\n')
}

// invalid is an *InvalidError of one FF01 problem.
func invalid(path, rule string) *InvalidError {
	return &InvalidError{Problems: []Problem{{Path: path, Rule: rule, Reason: corridor.ReasonInvalidFormat}}}
}
