package httpapi

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// appendAnswer appends v to b as json.NewEncoder with SetEscapeHTML(false)
// encodes it, with the newline Encode ends it with: the answers the hub
// writes most (an inbox page, the answer to a message and to a batch) by
// hand, without reflection, byte for byte as encoding/json writes them;
// any other by encoding/json. On an error b holds nothing more of v.
func appendAnswer(b []byte, v any) ([]byte, error) {
	n := len(b)
	var err error
	switch v := v.(type) {
	case InboxResponse:
		b, err = appendInboxResponse(b, &v)
	case BatchResponse:
		b, err = appendBatchResponse(b, &v)
	case SubmitResponse:
		b, err = appendSubmitResponse(b, &v)
	default:
		w := bytes.NewBuffer(b)
		enc := json.NewEncoder(w)
		// Inbox bodies are XML: escaped for HTML, each < and > would be six
		// bytes to send and to unescape. The API's answers are JSON, never HTML.
		enc.SetEscapeHTML(false)
		err := enc.Encode(v) // Writes nothing on an error.
		return w.Bytes(), err
	}
	if err != nil {
		return b[:n], err
	}
	return append(b, '\n'), nil
}

// appendInboxResponse appends r as encoding/json writes it.
func appendInboxResponse(b []byte, r *InboxResponse) ([]byte, error) {
	b = append(b, `{"messages":`...)
	if r.Messages == nil {
		return append(b, "null}"...), nil
	}
	b = append(b, '[')
	for i := range r.Messages {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendInboxMessage(b, &r.Messages[i]); err != nil {
			return b, err
		}
	}
	return append(b, "]}"...), nil
}

// appendInboxMessage appends m as encoding/json writes it.
func appendInboxMessage(b []byte, m *InboxMessageBody) ([]byte, error) {
	return appendInboxMessageWith(b, m, m.Body)
}

// appendInboxMessageWith appends m as encoding/json writes it, with body in
// place of m.Body: the hub writes the bodies of its pages (inboxPage) from
// the bytes it holds, without a copy of each in a string.
func appendInboxMessageWith[T string | []byte](b []byte, m *InboxMessageBody, body T) ([]byte, error) {
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, m.Seq, 10)
	b = appendJSONString(append(b, `,"msgDefId":`...), m.MsgDefID)
	b = appendJSONString(append(b, `,"uetr":`...), m.UETR)
	b = appendJSONString(append(b, `,"reference":`...), m.Reference)
	b, err := appendJSONTime(append(b, `,"time":`...), m.Time)
	if err != nil {
		return b, err
	}
	if m.PossibleDuplicate {
		b = append(b, `,"possibleDuplicate":true`...)
	}
	b = appendJSONString(append(b, `,"body":`...), body)
	b = appendJSONString(append(b, `,"signature":`...), m.Signature)
	if m.Batch != nil {
		b = appendBatchProof(append(b, `,"batch":`...), m.Batch)
	}
	return append(b, '}'), nil
}

// appendBatchProof appends p as encoding/json writes it: each hash of the
// path as its MarshalText writes it, in a string.
func appendBatchProof(b []byte, p *BatchProofBody) []byte {
	b = append(b, `{"index":`...)
	b = strconv.AppendInt(b, int64(p.Index), 10)
	b = append(b, `,"count":`...)
	b = strconv.AppendInt(b, int64(p.Count), 10)
	b = append(b, `,"path":`...)
	if p.Path == nil {
		return append(b, "null}"...)
	}
	b = append(b, '[')
	for i, h := range p.Path {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMerkleHash(b, h)
	}
	return append(b, "]}"...)
}

// appendMerkleHash appends h in lower-case hex, as its MarshalText writes
// it, in quotes: hex needs no escaping.
func appendMerkleHash(b []byte, h corridor.MerkleHash) []byte {
	b = append(b, '"')
	b = hex.AppendEncode(b, h[:])
	return append(b, '"')
}

// appendBatchResponse appends r as encoding/json writes it.
func appendBatchResponse(b []byte, r *BatchResponse) ([]byte, error) {
	b = append(b, `{"results":`...)
	if r.Results == nil {
		return append(b, "null}"...), nil
	}
	b = append(b, '[')
	for i := range r.Results {
		if i > 0 {
			b = append(b, ',')
		}
		res := &r.Results[i]
		b = append(b, `{"status":`...)
		b = strconv.AppendInt(b, int64(res.Status), 10)
		if res.Accepted != nil {
			var err error
			if b, err = appendSubmitResponse(append(b, `,"accepted":`...), res.Accepted); err != nil {
				return b, err
			}
		}
		if res.Error != nil {
			b = appendErrorBody(append(b, `,"error":`...), res.Error)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// appendSubmitResponse appends r as encoding/json writes it.
func appendSubmitResponse(b []byte, r *SubmitResponse) ([]byte, error) {
	b = appendJSONString(append(b, `{"reference":`...), r.Reference)
	b = appendJSONString(append(b, `,"uetr":`...), r.UETR)
	b = appendJSONString(append(b, `,"status":`...), r.Status)
	b = appendOptionalString(b, `,"wait":`, r.Wait)
	b = appendOptionalString(b, `,"reason":`, r.Reason)
	b = appendOptionalString(b, `,"detail":`, r.Detail)
	if r.Duplicate {
		b = append(b, `,"duplicate":true`...)
	}
	if r.Receipt != nil {
		var err error
		if b, err = appendReceipt(append(b, `,"receipt":`...), r.Receipt); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendReceipt appends r as encoding/json writes it.
func appendReceipt(b []byte, r *ReceiptBody) ([]byte, error) {
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, r.Seq, 10)
	b, err := appendJSONTime(append(b, `,"time":`...), r.Time)
	if err != nil {
		return b, err
	}
	b = appendJSONString(append(b, `,"sender":`...), r.Sender)
	b = appendJSONString(append(b, `,"sha256":`...), r.SHA256)
	b = appendJSONString(append(b, `,"signature":`...), r.Signature)
	if r.Batch != nil {
		b = appendBatchProof(append(b, `,"batch":`...), r.Batch)
	}
	return append(b, '}'), nil
}

// appendErrorBody appends e as encoding/json writes it.
func appendErrorBody(b []byte, e *ErrorBody) []byte {
	b = appendJSONString(append(b, `{"error":`...), e.Error)
	b = appendOptionalString(b, `,"reason":`, e.Reason)
	if len(e.Problems) > 0 { // omitempty leaves out an empty list as a nil one.
		b = append(b, `,"problems":[`...)
		for i, p := range e.Problems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(append(b, `{"path":`...), p.Path)
			b = appendJSONString(append(b, `,"rule":`...), p.Rule)
			b = appendOptionalString(b, `,"reason":`, p.Reason)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendOptionalString(b, `,"outcome":`, e.Outcome)
	b = appendOptionalString(b, `,"leader":`, e.Leader)
	return append(b, '}')
}

// appendOptionalString appends member, the key of a string field with
// omitempty, and s, unless s is empty.
func appendOptionalString(b []byte, member, s string) []byte {
	if s == "" {
		return b
	}
	return appendJSONString(append(b, member...), s)
}

// appendJSONTime appends t as encoding/json writes it, through its
// MarshalJSON: RFC 3339 with the nanoseconds it has, in quotes; it refuses
// what MarshalJSON refuses (a year beyond 0 to 9999, an offset of 24 hours
// or more). No escaping: the text is digits, letters and -+:.
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	text, err := t.AppendText(append(b, '"'))
	if err != nil {
		return b, err // AppendText returns nil on an error.
	}
	return append(text, '"'), nil
}

// appendJSONString appends s as encoding/json writes a string with
// SetEscapeHTML(false): in quotes, with " and \ escaped, control characters
// as \b, \f, \n, \r, \t or \u00XX, each byte that is not part of valid
// UTF-8 as \ufffd, and U+2028 and U+2029 as \u2028 and \u2029 (a JavaScript
// line end); everything else as it is. It goes through plain ASCII eight
// bytes at a time (plainEnd): an inbox body is long, and nearly all plain.
// A []byte is written as the string of its bytes.
func appendJSONString[T string | []byte](b []byte, s T) []byte {
	b = append(b, '"')
	start := 0 // Of the bytes not yet appended.
	for i := 0; ; {
		if i = plainEnd(s, i); i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = appendEscaped(append(b, s[start:i]...), c)
			i++
			start = i
			continue
		}
		r, n := decodeRune(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', lowerHex[r&0xf])
		default:
			i += n // As it is.
			continue
		}
		i += n
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// decodeRune is utf8.DecodeRune of s, a string or a []byte.
func decodeRune[T string | []byte](s T) (rune, int) {
	var head [utf8.UTFMax]byte // A rune's bytes at most, copied not to convert all of s.
	return utf8.DecodeRune(head[:copy(head[:], s)])
}

// lowerHex are the digits encoding/json writes a \u escape with.
const lowerHex = "0123456789abcdef"

// appendEscaped appends the escape of c, a quote, a backslash or a control
// character, as encoding/json writes it.
func appendEscaped(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xf])
}
