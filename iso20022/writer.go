package iso20022

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// EnvelopeNamespace is the namespace of the element that holds the AppHdr
// and the Document side by side in what the encoders write.
const EnvelopeNamespace = "urn:swift:xsd:envelope"

// writer writes indented XML in one fixed layout, so that the same calls
// give the same bytes. The first text that XML cannot carry is kept in err.
type writer struct {
	buf   *bytes.Buffer
	depth int
	err   error
}

// writerBuffers keeps the buffers messages were written in: each message is
// copied out at its length (bytes), so that its buffer, grown once to the
// size messages have, serves the next one. Grown by doubling from 64 bytes
// for each message, they were 3% of the bytes a payment allocates.
var writerBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxKeptWriter bounds the buffer a writer gives back.
const maxKeptWriter = 64 << 10

// newWriter is small enough to inline, so that an encoder keeps its writer
// on its stack.
func newWriter() *writer { return &writer{buf: writerBuffer()} }

// writerBuffer is a buffer from writerBuffers holding the XML declaration.
func writerBuffer() *bytes.Buffer {
	b := writerBuffers.Get().(*bytes.Buffer)
	b.WriteString(xml.Header)
	return b
}

func (w *writer) indent() {
	for i := 0; i < w.depth; i++ {
		w.buf.WriteString("  ")
	}
}

// open writes a start tag with an optional default namespace.
func (w *writer) open(name, ns string) {
	w.indent()
	w.buf.WriteString("<" + name)
	if ns != "" {
		w.buf.WriteString(` xmlns="`)
		w.escape(ns)
		w.buf.WriteString(`"`)
	}
	w.buf.WriteString(">\n")
	w.depth++
}

func (w *writer) close(name string) {
	w.depth--
	w.indent()
	w.buf.WriteString("</" + name + ">\n")
}

// leaf writes an element holding text and, when attr is not empty, one
// attribute attr="value".
func (w *writer) leaf(name, text, attr, value string) {
	w.indent()
	w.buf.WriteString("<" + name)
	if attr != "" {
		w.buf.WriteString(" " + attr + `="`)
		w.escape(value)
		w.buf.WriteString(`"`)
	}
	w.buf.WriteString(">")
	w.escape(text)
	w.buf.WriteString("</" + name + ">\n")
}

// text writes a leaf without attributes.
func (w *writer) text(name, text string) { w.leaf(name, text, "", "") }

// dateTime writes a leaf holding t in dateTimeLayout, and date one holding
// d as d.String() has it. Both format into the buffer rather than into a
// string of their own (three per message): digits and the punctuation of
// the layouts, which escape leaves as they are.
func (w *writer) dateTime(name string, t time.Time) {
	w.formatted(name, t, dateTimeLayout)
}

func (w *writer) date(name string, d corridor.Date) {
	w.formatted(name, time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC), time.DateOnly)
}

func (w *writer) formatted(name string, t time.Time, layout string) {
	w.indent()
	w.buf.WriteString("<" + name + ">")
	w.buf.Write(t.AppendFormat(w.buf.AvailableBuffer(), layout))
	w.buf.WriteString("</" + name + ">\n")
}

// agent writes a BranchAndFinancialInstitutionIdentification6 by its BIC.
func (w *writer) agent(name, bic string) {
	w.open(name, "")
	w.open("FinInstnId", "")
	w.text("BICFI", bic)
	w.close("FinInstnId")
	w.close(name)
}

// escape writes s as character data, refusing what XML 1.0 cannot hold
// rather than letting encoding/xml replace it.
func (w *writer) escape(s string) {
	if w.err == nil {
		if err := checkXMLText(s); err != nil {
			w.err = err
		}
	}
	escapeText(w.buf, s)
}

// escapeText writes s to b as xml.EscapeText writes the XML 1.0 text that
// checkXMLText lets through, the same bytes, without making a []byte of s
// for each field.
func escapeText(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// bytes is what w wrote, or the first text it could not carry. It gives
// w's buffer back: w writes nothing after it.
func (w *writer) bytes() ([]byte, error) {
	defer w.release()
	if w.err != nil {
		return nil, w.err
	}
	return bytes.Clone(w.buf.Bytes()), nil
}

func (w *writer) release() {
	if w.buf.Cap() <= maxKeptWriter {
		w.buf.Reset()
		writerBuffers.Put(w.buf)
	}
	w.buf = nil
}

// checkXMLText reports whether s is UTF-8 made only of XML 1.0 characters.
func checkXMLText(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("iso20022: text is not valid UTF-8")
	}
	for _, r := range s {
		ok := r == 0x09 || r == 0x0A || r == 0x0D ||
			(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
		if !ok {
			return fmt.Errorf("iso20022: text holds %U, which XML cannot carry", r)
		}
	}
	return nil
}
