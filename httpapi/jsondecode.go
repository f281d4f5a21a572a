package httpapi

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// The one-pass, reflection-free JSON decoding of the answers a client reads
// most: an inbox page (inbox_decode.go), the answer to a message and to a
// batch (answer_decode.go). Each decodes as json.Unmarshal into its type
// does, and refuses what it refuses; what they share is here.

// maxJSONNesting is how deep encoding/json lets arrays and objects nest
// (its scanner's maxNestingDepth): a decoder refuses what json.Unmarshal
// refuses for it.
const maxJSONNesting = 10000

// jsonDecoder reads one JSON value of an answer.
type jsonDecoder struct {
	data    []byte
	pos     int    // Of the next byte to read.
	scratch []byte // A string's unquoted bytes, when they are not the bytes it is written with.
	what    string // What data is, as an error names it: "inbox page".
	noun    string // The same, short: "page".

	// Every message of a page has one of a few types, and all of a page
	// signed as one have the same signature; every receipt of a batch's
	// answer has the same sender and signature, and most results the same
	// status (statuses holds the codes: status, wait, reason, outcome): a
	// string equal to one of the last few read for its field is not made
	// again.
	msgDefIDs, signatures, senders, statuses recentStrings
}

// end refuses anything but space after the value read.
func (d *jsonDecoder) end() error {
	if d.space(); d.pos < len(d.data) {
		return d.errorf("data after the %s", d.noun)
	}
	return nil
}

// recentStrings are the last few distinct strings read for one field.
type recentStrings [4]string

// of is the string of b: one of r if it is the same, else a new one, kept
// in r as the most recent.
func (r *recentStrings) of(b []byte) string {
	for _, s := range r {
		if string(b) == s {
			return s
		}
	}
	s := string(b)
	copy(r[1:], r[:len(r)-1])
	r[0] = s
	return s
}

// elementAt is s, of length i, grown by element i: as json.Unmarshal
// grows it, that is what s's array holds there while within its capacity,
// and the zero value past it.
func elementAt[E any](s []E, i int) []E {
	if i < cap(s) {
		return s[:i+1]
	}
	return append(s[:i], *new(E))
}

// batch reads the place of a message in its inbox page, or of a receipt
// among those of its batch.
func (d *jsonDecoder) batch(dst **BatchProofBody, depth int) error {
	return pointee(d, dst, depth, "batch", func(b *BatchProofBody, f jsonField) error {
		switch f {
		case fieldIndex:
			return d.intValue(&b.Index, "index")
		case fieldCount:
			return d.intValue(&b.Count, "count")
		case fieldPath:
			return d.path(&b.Path, depth+1)
		}
		return d.skip(depth + 1)
	})
}

// pointee reads the object at d.pos, within depth arrays and objects, into
// *dst as json.Unmarshal reads one into a pointer to a struct: null sets
// *dst to nil; an object decodes into what *dst points to, new if it is
// nil, member reading the value of each of its members. what names the
// value in an error.
func pointee[T any](d *jsonDecoder, dst **T, depth int, what string, member func(v *T, f jsonField) error) error {
	switch d.peek() {
	case 'n':
		*dst = nil
		return d.literal("null")
	case '{':
	default:
		return d.typeError(what, "an object")
	}
	if *dst == nil {
		*dst = new(T)
	}
	v := *dst
	return d.object(depth, func(f jsonField) error { return member(v, f) })
}

// record reads the object at d.pos, within depth arrays and objects, each
// of its members with member; null leaves what it would decode into as it
// is. what names the value in an error.
func (d *jsonDecoder) record(depth int, what string, member func(f jsonField) error) error {
	switch d.peek() {
	case 'n':
		return d.literal("null")
	case '{':
		return d.object(depth, member)
	}
	return d.typeError(what, "an object")
}

// list reads the array at d.pos, within depth arrays and objects, into
// *dst as json.Unmarshal reads one into a slice: null sets *dst to nil; an
// array decodes into the elements *dst has (elementAt), element reading
// each, and [] is an empty list, not nil. what names the value in an error.
func list[E any](d *jsonDecoder, dst *[]E, depth int, what string, element func(e *E) error) error {
	return sizedList(d, dst, depth, what, nil, element)
}

// sizedList is list, except that where the list would grow past its
// capacity it grows at once to size of what it holds so far, when size is
// not nil and says more: the same elements, without growing through every
// capacity on the way to a size the value announces.
func sizedList[E any](d *jsonDecoder, dst *[]E, depth int, what string, size func([]E) int, element func(e *E) error) error {
	switch d.peek() {
	case 'n':
		*dst = nil
		return d.literal("null")
	case '[':
	default:
		return d.typeError(what, "an array")
	}
	s := (*dst)[:0]
	err := d.array(depth, func(i int) error {
		if size != nil && i == cap(s) { // Where elementAt would append: no element of s's array is left to expose.
			s = slices.Grow(s, max(size(s)-i, 0))
		}
		s = elementAt(s, i)
		return element(&s[i])
	})
	if len(s) == 0 {
		s = []E{} // Not nil: [] is a list of none.
	}
	*dst = s
	return err
}

// path reads the hashes of a Merkle path into dst. They are read into an
// array on the stack and copied once into a slice of their number, unlike
// json.Unmarshal, which grows the slice as it goes, to the same values.
func (d *jsonDecoder) path(dst *[]corridor.MerkleHash, depth int) error {
	switch d.peek() {
	case 'n':
		*dst = nil
		return d.literal("null")
	case '[':
	default:
		return d.typeError("path", "an array")
	}
	old := (*dst)[:cap(*dst)]
	var buf [corridor.MaxBatchPath]corridor.MerkleHash
	path := buf[:0]
	err := d.array(depth, func(i int) error {
		var h corridor.MerkleHash // What null leaves: as for elementAt.
		if i < len(old) {
			h = old[i]
		}
		path = append(path, h)
		return d.hash(&path[i])
	})
	switch {
	case len(path) == 0:
		*dst = []corridor.MerkleHash{}
	case len(path) <= len(old):
		*dst = old[:copy(old, path)]
	default:
		*dst = slices.Clone(path)
	}
	return err
}

// hash reads one hash of a Merkle path.
func (d *jsonDecoder) hash(h *corridor.MerkleHash) error {
	switch d.peek() {
	case 'n':
		return d.literal("null") // Leaves h as it is.
	case '"':
		start := d.pos
		text, err := d.text()
		if err != nil {
			return err
		}
		if err := h.UnmarshalText(text); err != nil {
			d.pos = start
			return d.errorf("path: %v", err)
		}
		return nil
	}
	return d.typeError("a hash of the path", "a string")
}

// stringValue reads a string into dst, one of recent if it is given.
func (d *jsonDecoder) stringValue(dst *string, recent *recentStrings, field string) error {
	switch d.peek() {
	case 'n':
		return d.literal("null") // Leaves dst as it is.
	case '"':
		text, err := d.text()
		if err != nil {
			return err
		}
		if recent == nil {
			*dst = string(text)
		} else {
			*dst = recent.of(text)
		}
		return nil
	}
	return d.typeError(field, "a string")
}

// uint64Value reads a number into dst: digits only, as strconv.ParseUint
// reads them, and at most math.MaxUint64.
func (d *jsonDecoder) uint64Value(dst *uint64, field string) error {
	return numberValue(d, dst, field, parseUint64, "an unsigned 64-bit integer")
}

// intValue reads a number into dst: digits with an optional minus, as
// strconv.ParseInt reads them, within the range of int.
func (d *jsonDecoder) intValue(dst *int, field string) error {
	return numberValue(d, dst, field, parseInt, intKind)
}

// intKind is what intValue refuses a number for not being.
var intKind = fmt.Sprintf("an integer of %d bits", strconv.IntSize)

// numberValue reads a number into dst with parse, which refuses what is
// not kind; null leaves dst as it is.
func numberValue[T any](d *jsonDecoder, dst *T, field string, parse func([]byte) (T, bool), kind string) error {
	switch c := d.peek(); {
	case c == 'n':
		return d.literal("null")
	case c == '-' || isDigit(c):
		start := d.pos
		num, err := d.number()
		if err != nil {
			return err
		}
		v, ok := parse(num)
		if !ok {
			d.pos = start
			return d.errorf("%s: %s is not %s", field, num, kind)
		}
		*dst = v
		return nil
	}
	return d.typeError(field, "a number")
}

// parseUint64 is the value of digits, if they are only digits and it is
// at most math.MaxUint64.
func parseUint64(digits []byte) (uint64, bool) {
	var v uint64
	for _, c := range digits {
		if !isDigit(c) || v > (math.MaxUint64-uint64(c-'0'))/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, len(digits) > 0
}

// parseInt is the value of num, digits after an optional minus, if it is
// in the range of int.
func parseInt(num []byte) (int, bool) {
	digits, neg := num, len(num) > 0 && num[0] == '-'
	if neg {
		digits = num[1:]
	}
	u, ok := parseUint64(digits)
	switch {
	case !ok, !neg && u > math.MaxInt, neg && u > -math.MinInt:
		return 0, false
	case neg:
		return int(-u), true // -u wraps to the two's complement of u, which is MinInt for u = -MinInt.
	}
	return int(u), true
}

// boolValue reads true or false into dst.
func (d *jsonDecoder) boolValue(dst *bool, field string) error {
	switch d.peek() {
	case 'n':
		return d.literal("null") // Leaves dst as it is.
	case 't':
		*dst = true
		return d.literal("true")
	case 'f':
		*dst = false
		return d.literal("false")
	}
	return d.typeError(field, "true or false")
}

// timeValue reads a time as json.Unmarshal does: whatever the value, its
// bytes go to time.Time.UnmarshalJSON, which takes null and RFC 3339 in a
// string (read without unquoting it).
func (d *jsonDecoder) timeValue(dst *time.Time, depth int) error {
	start := d.pos
	if err := d.skip(depth); err != nil {
		return err
	}
	if err := dst.UnmarshalJSON(d.data[start:d.pos]); err != nil {
		d.pos = start
		return d.errorf("time: %v", err)
	}
	return nil
}

// object reads the object at d.pos, within depth arrays and objects, and
// calls member for each of its members with the field its key names and
// d.pos at its value. member reads the value.
func (d *jsonDecoder) object(depth int, member func(f jsonField) error) error {
	if depth >= maxJSONNesting {
		return d.errorf("nested deeper than %d", maxJSONNesting)
	}
	d.pos++ // {
	if d.space(); d.peek() == '}' {
		d.pos++
		return nil
	}
	for {
		f, err := d.key()
		if err != nil {
			return err
		}
		if err := member(f); err != nil {
			return err
		}
		if more, err := d.next('}'); !more || err != nil {
			return err
		}
	}
}

// array reads the array at d.pos, within depth arrays and objects, and
// calls element for each of its elements, with d.pos at it. element reads
// the element.
func (d *jsonDecoder) array(depth int, element func(i int) error) error {
	if depth >= maxJSONNesting {
		return d.errorf("nested deeper than %d", maxJSONNesting)
	}
	d.pos++ // [
	if d.space(); d.peek() == ']' {
		d.pos++
		return nil
	}
	for i := 0; ; i++ {
		if err := element(i); err != nil {
			return err
		}
		if more, err := d.next(']'); !more || err != nil {
			return err
		}
	}
}

// key reads a member's key and the colon after it, and returns the field
// the key names.
func (d *jsonDecoder) key() (jsonField, error) {
	if d.peek() != '"' {
		return 0, d.syntaxError("a key")
	}
	text, err := d.text()
	if err != nil {
		return 0, err
	}
	f := fieldOf(text)
	if d.space(); d.peek() != ':' {
		return 0, d.syntaxError("a colon after the key")
	}
	d.pos++
	d.space()
	return f, nil
}

// jsonField is a field of the types of the answers decoded here, as a key
// names it: of an inbox page (InboxResponse, InboxMessageBody), of the
// answer to a message (SubmitResponse, ReceiptBody, BatchProofBody) and of
// a batch (BatchResponse, BatchResult, ErrorBody, ProblemBody). Types share
// a field by its name: "path" is a Merkle path in BatchProofBody and a
// string in ProblemBody; what a field holds is for its type's decoder.
type jsonField uint8

const (
	fieldUnknown jsonField = iota // A key that names none of them.
	fieldMessages
	fieldSeq
	fieldMsgDefID
	fieldUETR
	fieldReference
	fieldTime
	fieldPossibleDuplicate
	fieldBody
	fieldSignature
	fieldBatch
	fieldIndex
	fieldCount
	fieldPath
	fieldResults
	fieldStatus
	fieldAccepted
	fieldError
	fieldWait
	fieldReason
	fieldDetail
	fieldDuplicate
	fieldReceipt
	fieldSender
	fieldSHA256
	fieldProblems
	fieldOutcome
	fieldLeader
	fieldRule
)

// fieldOf is the field named by key, unquoted. It matches key to the
// fields' JSON names as encoding/json does when no name is the key
// exactly: whatever its case (foldName). Within each type the names are
// all different, folded or not, so that matching a key exactly first, as
// encoding/json does, would find the same field.
func fieldOf(key []byte) jsonField {
	var buf [32]byte
	folded := foldName(buf[:0], key)
	if f := inboxFieldOf(folded); f != fieldUnknown {
		return f
	}
	return answerFieldOf(folded)
}

// inboxFieldOf is the field of an inbox page, or of a receipt's place in
// its batch, named by folded, a key as foldName folds it.
func inboxFieldOf(folded []byte) jsonField {
	switch string(folded) {
	case "MESSAGES":
		return fieldMessages
	case "SEQ":
		return fieldSeq
	case "MSGDEFID":
		return fieldMsgDefID
	case "UETR":
		return fieldUETR
	case "REFERENCE":
		return fieldReference
	case "TIME":
		return fieldTime
	case "POSSIBLEDUPLICATE":
		return fieldPossibleDuplicate
	case "BODY":
		return fieldBody
	case "SIGNATURE":
		return fieldSignature
	case "BATCH":
		return fieldBatch
	case "INDEX":
		return fieldIndex
	case "COUNT":
		return fieldCount
	case "PATH":
		return fieldPath
	}
	return fieldUnknown
}

// answerFieldOf is the field of the answer to a message or to a batch
// named by folded, a key as foldName folds it.
func answerFieldOf(folded []byte) jsonField {
	switch string(folded) {
	case "RESULTS":
		return fieldResults
	case "STATUS":
		return fieldStatus
	case "ACCEPTED":
		return fieldAccepted
	case "ERROR":
		return fieldError
	case "WAIT":
		return fieldWait
	case "REASON":
		return fieldReason
	case "DETAIL":
		return fieldDetail
	case "DUPLICATE":
		return fieldDuplicate
	case "RECEIPT":
		return fieldReceipt
	case "SENDER":
		return fieldSender
	case "SHA256":
		return fieldSHA256
	case "PROBLEMS":
		return fieldProblems
	case "OUTCOME":
		return fieldOutcome
	case "LEADER":
		return fieldLeader
	case "RULE":
		return fieldRule
	}
	return fieldUnknown
}

// foldName appends key to buf as encoding/json folds a key to match it to
// a field whatever its case (its foldName): ASCII letters in upper case,
// and the two runes beyond ASCII whose fold sets hold ASCII letters as
// those letters: U+017F (ſ) as S and U+212A (the Kelvin sign) as K. A key
// with any other rune beyond ASCII, or longer than buf holds, names none of
// the fields, whose names are short and ASCII: it folds to nil.
func foldName(buf, key []byte) []byte {
	for i := 0; i < len(key); {
		if len(buf) == cap(buf) {
			return nil
		}
		c := key[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			buf = append(buf, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(key[i:])
		switch r {
		case '\u017f':
			buf = append(buf, 'S')
		case '\u212a':
			buf = append(buf, 'K')
		default:
			return nil
		}
		i += n
	}
	return buf
}

// next reads what follows a member or an element: a comma, and reports
// that another follows; or end, which closes the object or array.
func (d *jsonDecoder) next(end byte) (more bool, err error) {
	d.space()
	switch d.peek() {
	case ',':
		d.pos++
		d.space()
		return true, nil
	case end:
		d.pos++
		return false, nil
	}
	return false, d.syntaxError(fmt.Sprintf("a comma or %q", end))
}

// skip reads the value at d.pos, within depth arrays and objects, for a
// member no field takes: it need only be JSON, nested no deeper than
// encoding/json allows. It goes through nested values in a loop, not by
// recursion, so that a deep one needs no deep stack.
func (d *jsonDecoder) skip(depth int) error {
	var closersArray [64]byte
	closers := closersArray[:0] // Of the arrays and objects open within the value, innermost last.
	for {
		opened, err := d.skipStart(depth + len(closers))
		if err != nil {
			return err
		}
		if opened != 0 {
			closers = append(closers, opened)
			continue
		}
		for len(closers) > 0 {
			more, err := d.next(closers[len(closers)-1])
			if err != nil {
				return err
			}
			if more {
				break
			}
			closers = closers[:len(closers)-1]
		}
		if len(closers) == 0 {
			return nil
		}
		if closers[len(closers)-1] == '}' {
			if _, err := d.key(); err != nil {
				return err
			}
		}
	}
}

// skipStart reads the start of the value at d.pos, within depth arrays and
// objects: an array or object up to its first element or member's value,
// whose closing byte it returns, or the whole value, if it is a scalar or
// empty, and 0.
func (d *jsonDecoder) skipStart(depth int) (opened byte, err error) {
	c := d.peek()
	if c != '{' && c != '[' {
		return 0, d.scalar()
	}
	if depth >= maxJSONNesting {
		return 0, d.errorf("nested deeper than %d", maxJSONNesting)
	}
	closer := byte('}')
	if c == '[' {
		closer = ']'
	}
	d.pos++
	if d.space(); d.peek() == closer {
		d.pos++
		return 0, nil
	}
	if c == '{' {
		if _, err := d.key(); err != nil {
			return 0, err
		}
	}
	return closer, nil
}

// scalar reads the string, number, true, false or null at d.pos.
func (d *jsonDecoder) scalar() error {
	switch c := d.peek(); {
	case c == '"':
		_, err := d.text()
		return err
	case c == '-' || isDigit(c):
		_, err := d.number()
		return err
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	}
	return d.syntaxError("a value")
}

// text reads the string at d.pos and returns what it stands for, as
// encoding/json unquotes it: its own bytes if it has no escape and is valid
// UTF-8, as most are; else its unquoted bytes in d.scratch, valid until the
// next string is read.
func (d *jsonDecoder) text() ([]byte, error) {
	start := d.pos + 1
	for i := start; ; {
		i = plainEnd(d.data, i)
		if i == len(d.data) {
			d.pos = i
			return nil, d.syntaxError("the end of the string")
		}
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			return d.data[start:i], nil
		case c == '\\':
			return d.unquote(start, i)
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(d.data[i:])
			if r == utf8.RuneError && n == 1 {
				return d.unquote(start, i)
			}
			i += n
		default:
			d.pos = i
			return nil, d.errorf("control character %q in a string", c)
		}
	}
}

// unquote is text for a string that starts at start and needs unquoting
// from i: its escapes decoded, and each byte that is not part of valid
// UTF-8 read as U+FFFD, as encoding/json reads it.
func (d *jsonDecoder) unquote(start, i int) ([]byte, error) {
	out := d.scratch[:0]
	if out == nil { // Room for most strings of the page: it is no longer than what remains of it, but for U+FFFD.
		out = make([]byte, 0, min(len(d.data)-start, 8<<10))
	}
	out = append(out, d.data[start:i]...)
	for {
		j := plainEnd(d.data, i)
		out = append(out, d.data[i:j]...)
		if i = j; i == len(d.data) {
			d.pos = i
			return nil, d.syntaxError("the end of the string")
		}
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			d.scratch = out[:0] // Kept for the next string, however large it grew.
			return out, nil
		case c == '\\':
			var err error
			if out, i, err = d.escape(out, i); err != nil {
				return nil, err
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(d.data[i:])
			out = utf8.AppendRune(out, r)
			i += n
		default:
			d.pos = i
			return nil, d.errorf("control character %q in a string", c)
		}
	}
}

// escape appends what the escape at i stands for to out and returns the
// index after it. A \u escape of a surrogate stands for the rune of the
// pair it forms with the \u escape after it, if they do form one; else for
// U+FFFD, as for encoding/json.
func (d *jsonDecoder) escape(out []byte, i int) ([]byte, int, error) {
	if i+1 < len(d.data) && unescape[d.data[i+1]] != 0 { // Not \u, whose byte is 0 in unescape.
		return append(out, unescape[d.data[i+1]]), i + 2, nil
	}
	r := escapedRune(d.data[i:])
	if r < 0 {
		d.pos = i
		return nil, 0, d.errorf("invalid escape in a string")
	}
	i += 6
	if utf16.IsSurrogate(r) {
		if pair := utf16.DecodeRune(r, escapedRune(d.data[i:])); pair != utf8.RuneError {
			return utf8.AppendRune(out, pair), i + 6, nil
		}
		r = utf8.RuneError
	}
	return utf8.AppendRune(out, r), i, nil
}

// escapedRune is the value of the \uXXXX escape at the start of b, or -1.
func escapedRune(b []byte) rune {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return -1
	}
	return hex4(b[2:6])
}

// plainEnd is the index of the first byte from i in b that is not plain
// ASCII in a string (strPlain), or len(b). It looks at eight bytes at a
// time: a body of XML is long, and its bytes are nearly all plain. It reads
// what a decoder reads and what an encoder writes.
func plainEnd[T []byte | string](b T, i int) int {
	for ; i+8 <= len(b) && !special8(load64(b, i)); i += 8 {
	}
	for i < len(b) && strByte[b[i]] == strPlain {
		i++
	}
	return i
}

// load64 is the eight bytes of b from i, little-endian, as
// binary.LittleEndian.Uint64 reads them (in one load), of a string too.
func load64[T []byte | string](b T, i int) uint64 {
	b = b[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// special8 reports whether any of the eight bytes of x is not plain in a
// string: a quote, a backslash, a control character or beyond ASCII. Each
// term sets the high bit of a byte that is one; a borrow can set it in a
// byte above one that is, never in eight plain bytes.
func special8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := x^(ones*'"'), x^(ones*'\\')
	control := (x - ones*0x20) &^ x
	return (control|(quote-ones)&^quote|(backslash-ones)&^backslash|x)&highs != 0
}

// number reads the number at d.pos and returns its bytes, checked against
// JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *jsonDecoder) number() ([]byte, error) {
	start := d.pos
	if d.peek() == '-' {
		d.pos++
	}
	switch c := d.peek(); {
	case c == '0':
		d.pos++
	case '1' <= c && c <= '9':
		d.digits()
	default:
		return nil, d.syntaxError("a digit")
	}
	if d.peek() == '.' {
		if d.pos++; !isDigit(d.peek()) {
			return nil, d.syntaxError("a digit after the decimal point")
		}
		d.digits()
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		if d.pos++; d.peek() == '+' || d.peek() == '-' {
			d.pos++
		}
		if !isDigit(d.peek()) {
			return nil, d.syntaxError("a digit of the exponent")
		}
		d.digits()
	}
	return d.data[start:d.pos], nil
}

// digits reads the digits at d.pos.
func (d *jsonDecoder) digits() {
	for d.pos < len(d.data) && isDigit(d.data[d.pos]) {
		d.pos++
	}
}

// literal reads lit, true, false or null, at d.pos.
func (d *jsonDecoder) literal(lit string) error {
	for i := range len(lit) {
		if d.peek() != lit[i] {
			return d.syntaxError(fmt.Sprintf("%q of %s", lit[i], lit))
		}
		d.pos++
	}
	return nil
}

// peek is the byte at d.pos, or 0 at the end.
func (d *jsonDecoder) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// space skips the space (RFC 8259's four bytes) at d.pos.
func (d *jsonDecoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// syntaxError refuses the byte at d.pos, where the JSON needs want.
func (d *jsonDecoder) syntaxError(want string) error {
	if d.pos >= len(d.data) {
		return d.errorf("the %s ends where its JSON needs %s", d.noun, want)
	}
	return d.errorf("invalid character %q where the JSON needs %s", d.data[d.pos], want)
}

// typeError refuses the value at d.pos, which is not of the kind what
// must be, or no JSON value at all.
func (d *jsonDecoder) typeError(what, want string) error {
	switch c := d.peek(); {
	case c == '{', c == '[', c == '"', c == '-', isDigit(c), c == 't', c == 'f', c == 'n':
		return d.errorf("%s must be %s or null", what, want)
	}
	return d.syntaxError("a value")
}

// errorf is an error at d.pos.
func (d *jsonDecoder) errorf(format string, args ...any) error {
	return fmt.Errorf("%s, byte %d: %s", d.what, d.pos, fmt.Sprintf(format, args...))
}
