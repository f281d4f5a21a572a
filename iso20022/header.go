package iso20022

import (
	"fmt"
	"strings"
	"time"

	"github.com/corridor-network/corridor"
)

// The message definitions this package reads and writes, and the namespace
// prefix of their Documents and AppHdrs.
const (
	MsgDefAppHdr                    = "head.001.001.02"
	MsgDefCustomerCreditTransfer    = "pacs.008.001.08"
	MsgDefInstitutionCreditTransfer = "pacs.009.001.08"
	MsgDefStatusReport              = "pacs.002.001.10"
	MsgDefReturn                    = "pacs.004.001.09"
	MsgDefCancelRequest             = "camt.056.001.08"
	MsgDefResolution                = "camt.029.001.09"
	MsgDefAccountReport             = "camt.052.001.08"
	MsgDefStatement                 = "camt.053.001.08"
	MsgDefNotification              = "camt.054.001.08"

	namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:"
)

// BizSvcCBPRPlus is the business service the hub names in the AppHdrs it writes.
const BizSvcCBPRPlus = "swift.cbprplus.03"

// AppHdr is the business application header head.001.001.02.
type AppHdr struct {
	From, To          corridor.BIC // Fr/FIId/FinInstnId/BICFI and To/FIId/FinInstnId/BICFI, 11-character form.
	BizMsgID          string       // BizMsgIdr: 1 to 35 characters.
	MsgDefID          string       // MsgDefIdr, e.g. "pacs.008.001.08".
	BizSvc            string       // BizSvc, optional: at most 35 characters, "" when absent.
	Created           time.Time    // CreDt, with its zone offset.
	PossibleDuplicate bool         // PssblDplct.
}

// MessageDefinition returns the message identifier of data's Document, taken
// from its namespace: "pacs.008.001.08" for a Document in
// urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08. The Document may be the root
// or a child of the root (an envelope). It checks well-formedness and the
// bounds, nothing else; a caller routes on the result and refuses what it does
// not support (see Unsupported). The error is an *InvalidError (FF01).
func MessageDefinition(data []byte) (string, error) {
	root, p := parse(data)
	if p != nil {
		return "", &InvalidError{Problems: []Problem{*p}}
	}
	return documentDefinition(root)
}

// documentDefinition is MessageDefinition of the parsed message root.
func documentDefinition(root *node) (string, error) {
	doc := root
	if root.local != "Document" {
		doc = root.first("Document")
	}
	if doc == nil {
		return "", &InvalidError{Problems: []Problem{{Path: "Document", Rule: "required", Reason: corridor.ReasonInvalidFormat}}}
	}
	id, ok := strings.CutPrefix(doc.space, namespacePrefix)
	if !ok || id == "" {
		rule := fmt.Sprintf("namespace %.80q is not an ISO 20022 message namespace", doc.space)
		return "", &InvalidError{Problems: []Problem{{Path: "Document", Rule: rule, Reason: corridor.ReasonInvalidFormat}}}
	}
	return id, nil
}

// Unsupported returns the reject for a message definition the hub does not
// take where it expects want: "pacs.008.001.12 is not supported; this hub
// accepts pacs.008.001.08" (FF01).
func Unsupported(got, want string) *corridor.RejectError {
	return corridor.Reject(corridor.ReasonInvalidFormat, unsupported(got, want))
}

func unsupported(got, want string) string {
	return fmt.Sprintf("%.40s is not supported; this hub accepts %s", got, want)
}

// openEnvelope parses data, into the nodes of st when it is not nil, and
// returns its AppHdr and Document, each checked to be in the namespace of its
// supported version and against its XSD. An element that cannot be used
// comes back absent, its problem recorded. The problems the caller records
// after it are of LayerUsage, and dropped where the schema already found one.
func openEnvelope(data []byte, docID string, st *nodeStore) (hdr, doc elem, ps *problems) {
	root, p := parseWith(data, false, st)
	if p != nil {
		ps = &problems{}
		ps.addLayer(p.Path, LayerSchema, p.Rule, p.Reason)
		return elem{at: pathOf("AppHdr"), ps: ps}, elem{at: pathOf("Document"), ps: ps}, ps
	}
	return openTree(root, docID)
}

// openTree is openEnvelope of the parsed message root.
func openTree(root *node, docID string) (hdr, doc elem, ps *problems) {
	ps = &problems{}
	hdr = elem{at: pathOf("AppHdr"), ps: ps}
	doc = elem{at: pathOf("Document"), ps: ps}
	if root.local == "AppHdr" || root.local == "Document" {
		ps.add(root.local, "the AppHdr and the Document must be side by side in an envelope element", corridor.ReasonInvalidFormat)
		return hdr, doc, ps
	}
	for _, c := range root.children {
		switch {
		case c.local == "AppHdr" && hdr.n == nil:
			hdr.n = c
		case c.local == "Document" && doc.n == nil:
			doc.n = c
		case c.local == "AppHdr" || c.local == "Document":
			ps.add(c.local, "must occur at most once", corridor.ReasonInvalidFormat)
		default:
			ps.add(c.local, "unexpected element in the envelope", corridor.ReasonInvalidFormat)
		}
	}
	hdr = hdr.version(MsgDefAppHdr)
	doc = doc.version(docID)
	if hdr.n != nil {
		checkSchema(hdr.n, schemaFor(MsgDefAppHdr), ps)
	}
	if doc.n != nil {
		checkSchema(doc.n, schemaFor(docID), ps)
	}
	ps.layer = LayerUsage // What the decoders find beyond the schema.
	return hdr, doc, ps
}

// version checks that e is present and in the namespace of message id, and
// that everything under it is too.
func (e elem) version(id string) elem {
	if e.n == nil {
		e.ps.add(e.path(), "required", corridor.ReasonInvalidFormat)
		return e
	}
	if got, ok := strings.CutPrefix(e.n.space, namespacePrefix); !ok || got != id {
		rule := fmt.Sprintf("namespace %.80q is not %s%s", e.n.space, namespacePrefix, id)
		if ok {
			rule = unsupported(got, id)
		}
		e.ps.add(e.path(), rule, corridor.ReasonInvalidFormat)
		e.n = nil
		return e
	}
	return e // checkSchema checks the namespace of every element below.
}

// decodeAppHdr reads h, which must name msgDef as its MsgDefIdr.
func decodeAppHdr(h elem, msgDef string) AppHdr {
	var a AppHdr
	a.From = h.req("Fr").req("FIId").bic()
	a.To = h.req("To").req("FIId").bic()
	a.BizMsgID = h.req("BizMsgIdr").text(MaxIDChars)
	md := h.req("MsgDefIdr")
	a.MsgDefID = md.text(MaxIDChars)
	if a.MsgDefID != "" && a.MsgDefID != msgDef {
		h.ps.add(md.path(), fmt.Sprintf("is %q; this message is %s", a.MsgDefID, msgDef), corridor.ReasonInvalidFormat)
	}
	svc := h.child("BizSvc")
	a.BizSvc = svc.text(MaxIDChars)
	if rule := businessServiceRule(a.BizSvc, msgDef); a.BizSvc != "" && rule != "" {
		h.ps.add(svc.path(), rule, corridor.ReasonInvalidFormat)
	}
	a.Created = h.req("CreDt").dateTime()
	a.PossibleDuplicate = h.child("PssblDplct").boolean()
	return a
}

// writeAppHdr writes a in the order of head.001.001.02's BusinessApplicationHeaderV02.
func writeAppHdr(w *writer, a AppHdr) {
	w.open("AppHdr", namespacePrefix+MsgDefAppHdr)
	w.open("Fr", "")
	w.agent("FIId", string(a.From))
	w.close("Fr")
	w.open("To", "")
	w.agent("FIId", string(a.To))
	w.close("To")
	w.text("BizMsgIdr", a.BizMsgID)
	w.text("MsgDefIdr", a.MsgDefID)
	if a.BizSvc != "" {
		w.text("BizSvc", a.BizSvc)
	}
	w.dateTime("CreDt", a.Created)
	if a.PossibleDuplicate {
		w.text("PssblDplct", "true")
	}
	w.close("AppHdr")
}

// checkAppHdr records what of h cannot be written as the AppHdr of an
// in.msgDef message that decodes back to h.
func checkAppHdr(in *input, h AppHdr) {
	in.bic("AppHdr/Fr/FIId/FinInstnId/BICFI", h.From)
	in.bic("AppHdr/To/FIId/FinInstnId/BICFI", h.To)
	in.text("AppHdr/BizMsgIdr", h.BizMsgID, MaxIDChars)
	if h.MsgDefID != in.msgDef {
		in.add("AppHdr/MsgDefIdr", "is %.40q; this message is %s", h.MsgDefID, in.msgDef)
	}
	if h.BizSvc != "" {
		in.text("AppHdr/BizSvc", h.BizSvc, MaxIDChars)
		if rule := businessServiceRule(h.BizSvc, in.msgDef); rule != "" {
			in.add("AppHdr/BizSvc", "%s", rule)
		}
	}
	in.dateTime("AppHdr/CreDt", h.Created)
}
