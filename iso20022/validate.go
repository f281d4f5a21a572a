package iso20022

import (
	"fmt"
	"strings"

	"github.com/corridor-network/corridor"
)

// Validate checks data, an ISO 20022 message as the hub reads it (an
// envelope holding an AppHdr and a Document side by side, a bare Document,
// or a bare AppHdr), against the official XSD of its message definition
// (LayerSchema) and the CBPR+ usage rules (LayerUsage), and returns every
// problem found, in document order, followed by those of the usage rules
// that need the whole message; none means valid. Problem.Layer tells the
// two layers apart. A message definition outside the set
// is one problem naming the version the hub supports.
func Validate(data []byte) []Problem {
	st := lendStore() // Problems hold strings only.
	defer st.release()
	return check(data, st).ps.list
}

// checked is a message located and validated.
type checked struct {
	hdr, doc             *node
	hdrSchema, docSchema *xsdSchema
	ps                   *problems
}

// check parses data, into the nodes of st when it is not nil, finds its
// parts and checks them, first against their schemas, then, if the schemas
// hold, against the usage rules.
func check(data []byte, st *nodeStore) checked {
	root, p := parseWith(data, false, st)
	if p != nil {
		r := checked{ps: &problems{}}
		r.ps.addLayer(p.Path, LayerSchema, p.Rule, p.Reason)
		return r
	}
	return checkTree(root)
}

// checkTree is check of the parsed message root.
func checkTree(root *node) checked {
	r := checked{ps: &problems{}}
	r.locate(root)
	if r.hdr != nil {
		r.hdrSchema = r.version(r.hdr, "AppHdr")
	}
	if r.doc != nil {
		r.docSchema = r.version(r.doc, "Document")
	}
	if r.hdrSchema != nil {
		checkSchema(r.hdr, r.hdrSchema, r.ps)
	}
	if r.docSchema != nil {
		checkSchema(r.doc, r.docSchema, r.ps)
	}
	if r.schemaValid() {
		r.usage()
	}
	return r
}

// locate finds the AppHdr and the Document: the root itself, or the
// children of an envelope of any name and namespace.
func (r *checked) locate(root *node) {
	switch root.local {
	case "AppHdr":
		r.hdr = root
		return
	case "Document":
		r.doc = root
		return
	}
	for _, c := range root.children {
		switch {
		case c.local == "AppHdr" && r.hdr == nil:
			r.hdr = c
		case c.local == "Document" && r.doc == nil:
			r.doc = c
		case c.local == "AppHdr" || c.local == "Document":
			r.ps.add(c.local, "must occur at most once", corridor.ReasonInvalidFormat)
		default:
			r.ps.add(c.local, "unexpected element in the envelope: it holds an AppHdr and a Document", corridor.ReasonInvalidFormat)
		}
	}
	if r.hdr == nil && r.doc == nil {
		r.ps.add(root.local, "holds neither an AppHdr nor a Document", corridor.ReasonInvalidFormat)
	}
}

// version returns the schema of n, whose local name is local, or records
// why there is none: not an ISO 20022 namespace, or a message definition
// or version outside the set.
func (r *checked) version(n *node, local string) *xsdSchema {
	id, ok := strings.CutPrefix(n.space, namespacePrefix)
	if !ok || id == "" {
		r.ps.add(local, fmt.Sprintf("namespace %.80q is not an ISO 20022 message namespace", n.space), corridor.ReasonInvalidFormat)
		return nil
	}
	s := schemaFor(id)
	if s == nil {
		r.ps.add(local, unsupported(id, SupportedVersion(id)), corridor.ReasonInvalidFormat)
		return nil
	}
	if s.root != local {
		r.ps.add(local, fmt.Sprintf("a %s message is a %s, not a %s", id, s.root, local), corridor.ReasonInvalidFormat)
		return nil
	}
	return s
}

// SupportedVersion returns the version of id's message the hub supports:
// "pacs.008.001.08" for "pacs.008.001.12". For a message outside the set it
// lists the set.
func SupportedVersion(id string) string {
	if len(id) >= len("pacs.008") {
		for _, s := range xsdSchemas {
			if strings.HasPrefix(s.id, id[:len("pacs.008")]+".") {
				return s.id
			}
		}
	}
	ids := make([]string, len(xsdSchemas))
	for i, s := range xsdSchemas {
		ids[i] = s.id
	}
	return "only " + strings.Join(ids, ", ")
}

// schemaValid reports whether no problem of the schema layer was found.
func (r *checked) schemaValid() bool {
	for _, p := range r.ps.list {
		if p.Layer == LayerSchema {
			return false
		}
	}
	return true
}
