package iso20022

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/corridor-network/corridor"
)

// Document is the Document of one message definition of the set, as
// generated from its XSD: *Pacs008Document, *Camt053Document, and so on.
type Document interface {
	// MessageDefinition is the identifier of the message, e.g. "pacs.008.001.08".
	MessageDefinition() string
}

// Message is an ISO 20022 message of the set as Decode reads it and Encode
// writes it: a business application header, a Document, or both side by
// side in an envelope.
type Message struct {
	AppHdr   *BusinessApplicationHeaderV02 // head.001.001.02; nil when absent.
	Document Document                      // nil when absent.
}

// AnyElement is an element held by an XSD wildcard (SplmtryData/Envlp,
// AppHdr/Sgntr): its name, attributes, text and child elements as read.
// Text is all the character data directly inside, concatenated; it is
// written before the children.
type AnyElement struct {
	XMLName  xml.Name
	Attrs    []xml.Attr // Without namespace declarations.
	Text     string
	Children []AnyElement
}

// UnmarshalXML reads the element start begins.
func (a *AnyElement) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	a.XMLName = start.Name
	for _, at := range start.Attr {
		if at.Name.Space != "xmlns" && !(at.Name.Space == "" && at.Name.Local == "xmlns") {
			a.Attrs = append(a.Attrs, at)
		}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			var c AnyElement
			if err := c.UnmarshalXML(d, t); err != nil {
				return err
			}
			a.Children = append(a.Children, c)
		case xml.CharData:
			a.Text += string(t)
		case xml.EndElement:
			return nil
		}
	}
}

// MarshalXML writes a under its own name, declaring its namespace.
func (a AnyElement) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	start := xml.StartElement{Name: a.XMLName, Attr: a.Attrs}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if a.Text != "" {
		if err := e.EncodeToken(xml.CharData(a.Text)); err != nil {
			return err
		}
	}
	for _, c := range a.Children {
		if err := e.Encode(c); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// Decode reads data, an envelope holding an AppHdr and a Document side by
// side, a bare Document or a bare AppHdr, of any message definition of the
// set, into the generated types. It returns the message only when Validate
// finds no problem, else an *InvalidError listing them all; one that
// Validate accepts but encoding/xml cannot read (a name of XML 1.0 fifth
// edition in a wildcard's content, say) is an *InvalidError too.
func Decode(data []byte) (*Message, error) {
	r := check(data, nil)
	if err := r.ps.err(); err != nil {
		return nil, err
	}
	m, err := r.decode(data)
	if err != nil {
		r.ps.addLayer("", LayerUsage, "cannot read the message: "+err.Error(), corridor.ReasonInvalidFormat)
		return nil, r.ps.err()
	}
	return m, nil
}

// decode reads the typed message out of data, which check found valid.
func (r *checked) decode(data []byte) (*Message, error) {
	var m Message
	if r.hdr != nil {
		m.AppHdr = new(BusinessApplicationHeaderV02)
	}
	if r.doc != nil {
		m.Document = newDocument(r.docSchema.id)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	for depth := 0; ; {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return &m, nil
		}
		if err != nil {
			return nil, fmt.Errorf("iso20022: decode: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			target := r.target(&m, t, depth)
			if target == nil {
				depth++
				continue
			}
			if err := d.DecodeElement(target, &t); err != nil {
				return nil, fmt.Errorf("iso20022: decode %s: %w", t.Name.Local, err)
			}
		case xml.EndElement:
			depth--
		}
	}
}

// target is where the element t at depth goes: the AppHdr or the Document
// at the root or right under it, else nowhere.
func (r *checked) target(m *Message, t xml.StartElement, depth int) any {
	if depth > 1 {
		return nil
	}
	switch {
	case t.Name.Local == "AppHdr" && m.AppHdr != nil:
		return m.AppHdr
	case t.Name.Local == "Document" && m.Document != nil:
		return m.Document
	}
	return nil
}

// Encode writes m: the AppHdr and the Document side by side in
// <Envelope xmlns="urn:swift:xsd:envelope"> when m has both, else the one
// it has. The same m always gives the same bytes. It never writes an
// invalid message: what Validate would refuse comes back as an error
// wrapping the *InvalidError.
func Encode(m Message) ([]byte, error) {
	data, err := encode(m)
	if err != nil {
		return nil, err
	}
	if r := check(data, nil); len(r.ps.list) > 0 {
		return nil, fmt.Errorf("iso20022: encode: %w", r.ps.err())
	}
	return data, nil
}

// encode writes m as Encode does, without validating it: the encoders of
// the hub's messages check their input instead.
func encode(m Message) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	e := xml.NewEncoder(&b)
	both := m.AppHdr != nil && m.Document != nil
	if both {
		b.WriteString(`<Envelope xmlns="` + EnvelopeNamespace + `">`)
	}
	if m.AppHdr != nil {
		if err := e.EncodeElement(m.AppHdr, rootStart("AppHdr", MsgDefAppHdr)); err != nil {
			return nil, fmt.Errorf("iso20022: encode AppHdr: %w", err)
		}
	}
	if m.Document != nil {
		if err := e.EncodeElement(m.Document, rootStart("Document", m.Document.MessageDefinition())); err != nil {
			return nil, fmt.Errorf("iso20022: encode %s: %w", m.Document.MessageDefinition(), err)
		}
	}
	if err := e.Flush(); err != nil {
		return nil, fmt.Errorf("iso20022: encode: %w", err)
	}
	if both {
		b.WriteString(`</Envelope>`)
	}
	b.WriteString("\n")
	return b.Bytes(), nil
}

func rootStart(local, id string) xml.StartElement {
	return xml.StartElement{Name: xml.Name{Local: local}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: namespacePrefix + id}}}
}

// encodeWith writes doc with the AppHdr h, which checkAppHdr found
// writable: CreDt in its own zone to the millisecond, as the hub has always
// written the messages built from the generated types.
func encodeWith(h AppHdr, doc Document) ([]byte, error) {
	hdr := &BusinessApplicationHeaderV02{Fr: Party44Choice{FIId: agentOf(h.From)}, To: Party44Choice{FIId: agentOf(h.To)},
		BizMsgIdr: h.BizMsgID, MsgDefIdr: h.MsgDefID, BizSvc: optional(h.BizSvc), CreDt: formatMillis(h.Created)}
	if h.PossibleDuplicate {
		hdr.PssblDplct = optional("true")
	}
	return encode(Message{AppHdr: hdr, Document: doc})
}

// agentOf is the BranchAndFinancialInstitutionIdentification6 of a bank
// named by its BIC: FinInstnId/BICFI.
func agentOf(bic corridor.BIC) *BranchAndFinancialInstitutionIdentification6 {
	return &BranchAndFinancialInstitutionIdentification6{FinInstnId: FinancialInstitutionIdentification18{BICFI: optional(string(bic))}}
}

// optional is a pointer to s, or nil for "": an element written only when
// it has a value.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// formatMillis writes t in its own zone to the millisecond, with a numeric
// offset as CBPR+ wants: 2026-03-02T10:30:00.000+05:30.
func formatMillis(t time.Time) string { return t.Format("2006-01-02T15:04:05.000-07:00") }
