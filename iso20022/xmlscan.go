package iso20022

import (
	"encoding/xml"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// The namespaces the Namespaces in XML recommendation reserves.
const (
	xmlNamespace   = "http://www.w3.org/XML/1998/namespace" // Bound to the prefix xml, always.
	xmlnsNamespace = "http://www.w3.org/2000/xmlns/"        // Bound to nothing that can be declared.
)

// byteOrderMark is UTF-8's encoding signature, which may open a document.
const byteOrderMark = "\xEF\xBB\xBF"

// tokenKind is the kind of token scanner.next read.
type tokenKind uint8

const (
	tokenNone  tokenKind = iota // Markup that carries nothing (a comment, a PI): read on.
	tokenStart                  // A start tag: space, local and attrs are set.
	tokenEnd                    // The end of the element last started and not yet ended.
	tokenText                   // Character data of the open element: text or textBytes is set.
	tokenEOF                    // The end of a well-formed document.
)

// scanner reads an XML 1.0 document with namespaces, strictly and within the
// bounds of tree.go, one token at a time. It keeps no copy of the input:
// names and most text are substrings of src. Whatever it cannot read is a
// *scanError.
//
// It accepts a document that is well-formed under XML 1.0 (fifth edition)
// and namespace-well-formed under Namespaces in XML 1.0, in UTF-8, without a
// document type declaration and with no entity references but the five
// predefined ones. Where encoding/xml (which parse used before) is lax, it
// follows the recommendations and refuses: character references to
// surrogates; characters XML does not allow in comments and processing
// instructions; an XML declaration that is not first, or lacks its version;
// processing instruction targets with a colon or without white space after
// them; attributes not separated by white space, or given twice; names with
// a colon that are not prefix:local; undeclared prefixes; misuse of the xml
// and xmlns prefixes and namespaces, and (beyond the recommendation) an
// element named xmlns; anything but white space around the root element, a
// CDATA section or a reference included. It takes names under the fifth
// edition's rules, which allow more characters than encoding/xml's fourth
// edition tables; a byte order mark at the start; and it turns white space
// in attribute values into spaces, as XML requires.
type scanner struct {
	src    string
	pos    int         // Offset of the next byte to read.
	declAt int         // Where an XML declaration may stand: 0, or past a byte order mark.
	open   []openElem  // Elements started and not yet ended, the root first.
	ns     []nsBinding // Namespace declarations in scope, innermost last.
	raw    []rawAttr   // Attributes of the start tag being read.
	buf    []byte      // Character data or a value whose references were replaced.

	tag        qname // Name of the start tag being read, for problems' paths; end 0 when none.
	elements   int   // Start tags read so far.
	rootDone   bool  // The root element has ended.
	canonical  bool  // Refuse comments, processing instructions and CDATA sections (see canonicalOnly).
	pendingEnd bool  // The last start tag was an empty-element tag.

	// The token next returned.
	space, local string     // tokenStart: the element's namespace and local name.
	attrs        []xml.Attr // tokenStart: its attributes, declarations left out; reused.
	text         string     // tokenText: the data, when it is a substring of src.
	textBytes    []byte     // tokenText: the data, when decoded (text is then ""); reused.
}

// qname is a qualified name in the input: src[start:end] as written, its
// prefix src[start:colon] and its local part src[colon+1:end]. Without a
// prefix, colon is start-1. Offsets rather than strings, so that the
// scanner's stacks hold no pointers.
type qname struct {
	start, colon, end int
}

// openElem is an element being read.
type openElem struct {
	name      qname
	nsMark    int // Length of scanner.ns before the element's declarations.
	textBytes int // Character data read directly inside, after decoding.
}

// nsBinding is a namespace declaration: xmlns:prefix="uri", or xmlns="uri"
// with an empty prefix.
type nsBinding struct {
	prefix, uri string
}

// rawAttr is an attribute as written, its value decoded.
type rawAttr struct {
	qname, prefix, local, value string
	off                         int // Where its name starts in src.
}

// newScanner returns a scanner at the start of src that uses the buffers of
// sc. A value, so that a caller can keep it on its stack.
func newScanner(src string, sc *scratch) scanner {
	s := scanner{src: src, open: sc.open, ns: sc.ns, raw: sc.raw, attrs: sc.attrs, buf: sc.buf}
	if strings.HasPrefix(src, byteOrderMark) {
		s.pos = len(byteOrderMark)
		s.declAt = s.pos
	}
	return s
}

// next reads the next token. After an error or tokenEOF it must not be called
// again.
func (s *scanner) next() (tokenKind, *scanError) {
	if s.pendingEnd {
		s.pendingEnd = false
		s.pop()
		return tokenEnd, nil
	}
	for s.pos < len(s.src) {
		if s.src[s.pos] != '<' {
			if len(s.open) == 0 {
				if e := s.outside(); e != nil {
					return tokenNone, e
				}
				continue
			}
			end := strings.IndexByte(s.src[s.pos:], '<')
			if end < 0 {
				end = len(s.src) - s.pos
			}
			run, off := s.src[s.pos:s.pos+end], s.pos
			s.pos += end
			return s.emitText(run, off, modeText)
		}
		tok, e := s.markup()
		if e != nil || tok != tokenNone {
			return tok, e
		}
	}
	return s.atEOF()
}

// atEOF ends the document, which must have had its root and closed it.
func (s *scanner) atEOF() (tokenKind, *scanError) {
	if len(s.open) > 0 {
		top := s.open[len(s.open)-1]
		return tokenNone, s.malformed(errEOF, "input ends inside <%.40s>", s.str(top.name))
	}
	if !s.rootDone {
		return tokenNone, s.fail(errNoRoot, "malformed XML: no root element")
	}
	return tokenEOF, nil
}

// outside skips the white space around the root element, which is all the
// character data allowed there.
func (s *scanner) outside() *scanError {
	for s.pos < len(s.src) && isSpace(s.src[s.pos]) {
		s.pos++
	}
	if s.pos < len(s.src) && s.src[s.pos] != '<' {
		return s.fail(errOutside, "text outside the root element")
	}
	return nil
}

// markup reads what starts with '<' at s.pos.
func (s *scanner) markup() (tokenKind, *scanError) {
	rest := s.src[s.pos:]
	switch {
	case strings.HasPrefix(rest, "</"):
		return s.endTag()
	case strings.HasPrefix(rest, "<!--"):
		if s.canonical {
			return tokenNone, s.notCanonical("a comment")
		}
		return tokenNone, s.comment()
	case strings.HasPrefix(rest, "<![CDATA["):
		if s.canonical {
			return tokenNone, s.notCanonical("a CDATA section")
		}
		return s.cdata()
	case strings.HasPrefix(rest, "<!-"), strings.HasPrefix(rest, "<!["), rest == "<!":
		return tokenNone, s.malformed(errSyntax, "<! starts neither a comment nor a CDATA section")
	case strings.HasPrefix(rest, "<!"):
		return tokenNone, s.fail(errDTD, "DTDs and other <!...> directives are not accepted")
	case strings.HasPrefix(rest, "<?"):
		return tokenNone, s.procInst()
	}
	return s.startTag()
}

// startTag reads a start tag or an empty-element tag and resolves its names.
func (s *scanner) startTag() (tokenKind, *scanError) {
	if s.rootDone {
		return tokenNone, s.fail(errRoots, "more than one root element")
	}
	s.pos++ // '<'
	name, e := s.readQName("element")
	if e != nil {
		return tokenNone, e
	}
	s.tag = name
	s.elements++
	if s.elements > MaxElements {
		return tokenNone, s.fail(errElements, fmt.Sprintf("more than %d elements", MaxElements))
	}
	if len(s.open) >= MaxDepth {
		return tokenNone, s.fail(errDepth, fmt.Sprintf("elements nested deeper than %d", MaxDepth))
	}
	if e := s.attributes(); e != nil {
		return tokenNone, e
	}
	nsMark := len(s.ns)
	if e := s.declare(); e != nil {
		return tokenNone, e
	}
	space, e := s.elementSpace(s.prefixOf(name), s.localOf(name))
	if e != nil {
		return tokenNone, e
	}
	if e := s.resolveAttrs(); e != nil {
		return tokenNone, e
	}
	s.open = append(s.open, openElem{name: name, nsMark: nsMark})
	s.tag = qname{}
	s.space, s.local = space, s.localOf(name)
	return tokenStart, nil
}

// attributes reads the attributes of a start tag into s.raw, and the tag's
// end.
func (s *scanner) attributes() *scanError {
	s.raw = s.raw[:0]
	for {
		spaced := s.skipSpace()
		if s.pos >= len(s.src) {
			return s.malformed(errEOF, "input ends inside a start tag")
		}
		switch s.src[s.pos] {
		case '>':
			s.pos++
			return nil
		case '/':
			if !strings.HasPrefix(s.src[s.pos:], "/>") {
				return s.malformed(errSyntax, "'/' not followed by '>' in a start tag")
			}
			s.pos += 2
			s.pendingEnd = true
			return nil
		}
		if s.src[s.pos] != ':' && !startsName(s.src[s.pos:]) {
			return s.malformed(errSyntax, "unexpected character in a start tag")
		}
		if !spaced {
			return s.malformed(errAttrSpace, "no white space before an attribute")
		}
		if len(s.raw) == MaxAttributes {
			return s.fail(errAttrs, fmt.Sprintf("more than %d attributes", MaxAttributes))
		}
		if e := s.attribute(); e != nil {
			return e
		}
	}
}

// attribute reads name="value" or name='value' into s.raw.
func (s *scanner) attribute() *scanError {
	off := s.pos
	name, e := s.readQName("attribute")
	if e != nil {
		return e
	}
	qname := s.str(name)
	s.skipSpace()
	if s.pos >= len(s.src) || s.src[s.pos] != '=' {
		return s.malformed(errSyntax, "attribute %.40s without '='", qname)
	}
	s.pos++
	s.skipSpace()
	if s.pos >= len(s.src) || (s.src[s.pos] != '"' && s.src[s.pos] != '\'') {
		return s.malformed(errSyntax, "value of attribute %.40s not in quotes", qname)
	}
	end := strings.IndexByte(s.src[s.pos+1:], s.src[s.pos])
	if end < 0 {
		return s.malformed(errEOF, "input ends inside the value of attribute %.40s", qname)
	}
	start := s.pos + 1
	s.pos = start + end + 1
	value, decoded, e := s.decode(s.src[start:start+end], start, modeAttr)
	if e != nil {
		return e
	}
	if len(value)+len(decoded) > MaxAttrValueBytes {
		return s.fail(errAttrValue, fmt.Sprintf("attribute value longer than %d bytes", MaxAttrValueBytes))
	}
	if decoded != nil {
		value = string(decoded)
	}
	s.raw = append(s.raw, rawAttr{qname: qname, prefix: s.prefixOf(name), local: s.localOf(name), value: value, off: off})
	return nil
}

// endTag reads an end tag, which must close the innermost open element.
func (s *scanner) endTag() (tokenKind, *scanError) {
	s.pos += 2                   // "</"
	if n := len(s.open); n > 0 { // The usual case, without reading the name twice.
		q := s.str(s.open[n-1].name)
		if end := s.pos + len(q); strings.HasPrefix(s.src[s.pos:], q) && end < len(s.src) && s.src[end] == '>' {
			s.pos = end + 1
			s.pop()
			return tokenEnd, nil
		}
	}
	name, e := s.readQName("element")
	if e != nil {
		return tokenNone, e
	}
	qname := s.str(name)
	s.skipSpace()
	if s.pos >= len(s.src) {
		return tokenNone, s.malformed(errEOF, "input ends inside an end tag")
	}
	if s.src[s.pos] != '>' {
		return tokenNone, s.malformed(errSyntax, "unexpected character in end tag </%.40s>", qname)
	}
	s.pos++
	if len(s.open) == 0 {
		return tokenNone, s.malformed(errEndTag, "end tag </%.40s> without a start tag", qname)
	}
	if top := s.str(s.open[len(s.open)-1].name); top != qname {
		return tokenNone, s.malformed(errEndTag, "element <%.40s> closed by </%.40s>", top, qname)
	}
	s.pop()
	return tokenEnd, nil
}

// pop ends the innermost open element and its declarations' scope.
func (s *scanner) pop() {
	top := s.open[len(s.open)-1]
	s.ns = s.ns[:top.nsMark]
	s.open = s.open[:len(s.open)-1]
	s.rootDone = len(s.open) == 0
}

// comment skips a comment, which may not contain "--" nor end with '-'.
func (s *scanner) comment() *scanError {
	start := s.pos + len("<!--")
	end := strings.Index(s.src[start:], "-->")
	if end < 0 {
		return s.malformed(errEOF, "input ends inside a comment")
	}
	body := s.src[start : start+end]
	if strings.Contains(body, "--") || strings.HasSuffix(body, "-") {
		return s.malformed(errComment, `"--" inside a comment`)
	}
	if e := s.checkChars(body, start); e != nil {
		return e
	}
	s.pos = start + end + len("-->")
	return nil
}

// cdata reads a CDATA section as character data.
func (s *scanner) cdata() (tokenKind, *scanError) {
	if len(s.open) == 0 {
		return tokenNone, s.fail(errOutside, "text outside the root element")
	}
	start := s.pos + len("<![CDATA[")
	end := strings.Index(s.src[start:], "]]>")
	if end < 0 {
		return tokenNone, s.malformed(errEOF, "input ends inside a CDATA section")
	}
	s.pos = start + end + len("]]>")
	return s.emitText(s.src[start:start+end], start, modeCDATA)
}

// emitText decodes run, character data at off, as the text token of the
// innermost open element, counting it against MaxTextBytes.
func (s *scanner) emitText(run string, off int, mode decodeMode) (tokenKind, *scanError) {
	text, decoded, e := s.decode(run, off, mode)
	if e != nil {
		return tokenNone, e
	}
	top := &s.open[len(s.open)-1]
	top.textBytes += len(text) + len(decoded)
	if top.textBytes > MaxTextBytes {
		return tokenNone, s.fail(errText, fmt.Sprintf("text longer than %d bytes", MaxTextBytes))
	}
	if len(text)+len(decoded) == 0 {
		return tokenNone, nil
	}
	s.text, s.textBytes = text, decoded
	return tokenText, nil
}

// procInst skips a processing instruction, or reads the XML declaration.
func (s *scanner) procInst() *scanError {
	start := s.pos
	s.pos += len("<?")
	end, colon, _ := nameEnd(s.src, s.pos)
	if end == s.pos {
		return s.malformed(errSyntax, "<? not followed by a target name")
	}
	target := s.src[s.pos:end]
	switch {
	case target == "xml" && start == s.declAt:
		s.pos = end
		return s.xmlDecl()
	case strings.EqualFold(target, "xml"):
		return s.malformed(errDecl, "XML declaration not at the start of the document")
	case s.canonical:
		s.pos = start
		return s.notCanonical("a processing instruction")
	case colon >= 0:
		return s.malformed(errPI, "processing instruction target %.40q has a colon", target)
	}
	term := strings.Index(s.src[end:], "?>")
	if term < 0 {
		return s.malformed(errEOF, "input ends inside a processing instruction")
	}
	body := s.src[end : end+term]
	if body != "" && !isSpace(body[0]) {
		return s.malformed(errPI, "no white space after processing instruction target %.40q", target)
	}
	if e := s.checkChars(body, end); e != nil {
		return e
	}
	s.pos = end + term + len("?>")
	return nil
}

// xmlDecl reads the XML declaration after "<?xml": version 1.0, and the
// encoding, if declared, UTF-8.
func (s *scanner) xmlDecl() *scanError {
	if v, ok := s.pseudoAttr("version"); !ok || v != "1.0" {
		return s.malformed(errDecl, "XML declaration without version 1.0")
	}
	if enc, ok := s.pseudoAttr("encoding"); ok && !strings.EqualFold(enc, "UTF-8") {
		return s.malformed(errDecl, "encoding %.40q declared; only UTF-8 is accepted", enc)
	}
	if sa, ok := s.pseudoAttr("standalone"); ok && sa != "yes" && sa != "no" {
		return s.malformed(errDecl, "standalone %.40q declared; yes or no expected", sa)
	}
	s.skipSpace()
	if !strings.HasPrefix(s.src[s.pos:], "?>") {
		return s.malformed(errDecl, "malformed XML declaration")
	}
	s.pos += len("?>")
	return nil
}

// pseudoAttr reads ` name="value"` of the XML declaration and returns the
// value. When something else follows, it reads nothing and returns false.
func (s *scanner) pseudoAttr(name string) (string, bool) {
	i := skipSpace(s.src, s.pos)
	if i == s.pos || !strings.HasPrefix(s.src[i:], name) {
		return "", false
	}
	i = skipSpace(s.src, i+len(name))
	if i >= len(s.src) || s.src[i] != '=' {
		return "", false
	}
	i = skipSpace(s.src, i+1)
	if i >= len(s.src) || (s.src[i] != '"' && s.src[i] != '\'') {
		return "", false
	}
	end := strings.IndexByte(s.src[i+1:], s.src[i])
	if end < 0 {
		return "", false
	}
	s.pos = i + 1 + end + 1
	return s.src[i+1 : i+1+end], true
}

// readQName reads a qualified name: an XML name with at most one colon,
// which splits it into a prefix and a local part that are both names without
// colons. what names its role in the messages.
func (s *scanner) readQName(what string) (qname, *scanError) {
	start := s.pos
	end, colon, colons := nameEnd(s.src, start)
	if end == start {
		if start >= len(s.src) {
			return qname{}, s.malformed(errEOF, "input ends where an %s name was expected", what)
		}
		return qname{}, s.malformed(errName, "%s name expected", what)
	}
	s.pos = end
	switch {
	case colons == 0:
		return qname{start: start, colon: start - 1, end: end}, nil
	case colons > 1:
		return qname{}, s.malformed(errName, "%s name %.40q has more than one colon", what, s.src[start:end])
	case colon == start || !startsName(s.src[colon+1:end]):
		return qname{}, s.malformed(errQName, "%s name %.40q is not prefix:local", what, s.src[start:end])
	}
	return qname{start: start, colon: colon, end: end}, nil
}

// str returns q as written.
func (s *scanner) str(q qname) string { return s.src[q.start:q.end] }

// prefixOf returns the prefix of q, "" when it has none.
func (s *scanner) prefixOf(q qname) string { return s.src[q.start:max(q.colon, q.start)] }

// localOf returns the local part of q.
func (s *scanner) localOf(q qname) string { return s.src[q.colon+1 : q.end] }

// skipSpace skips white space and reports whether there was any.
func (s *scanner) skipSpace() bool {
	i := skipSpace(s.src, s.pos)
	spaced := i > s.pos
	s.pos = i
	return spaced
}

// decodeMode says which kind of data decode reads.
type decodeMode uint8

const (
	modeText  decodeMode = iota // Character data between tags: references, line ends, no "]]>".
	modeAttr                    // An attribute value: references, white space becomes spaces.
	modeCDATA                   // A CDATA section: line ends only.
)

// plainIn holds, per mode, the byte class of the ASCII bytes that mode
// copies as they are.
var plainIn = [...]uint8{modeText: classText, modeAttr: classAttr, modeCDATA: classCDATA}

// decode checks that run, data at offset off of src, holds only characters
// XML allows, and replaces its references and normalises its line ends and,
// in a value, its white space. When nothing changes it returns run itself;
// otherwise it returns "" and the result in s.buf, valid until the next call.
func (s *scanner) decode(run string, off int, mode decodeMode) (string, []byte, *scanError) {
	plain := plainIn[mode]
	changed, copied := false, 0
	for i := 0; i < len(run); {
		c := run[i]
		if byteClass[c]&plain != 0 {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			n, e := s.checkRune(run[i:], off+i, errChar)
			if e != nil {
				return "", nil, e
			}
			i += n
			continue
		}
		if c == ']' { // Plain except in text, where "]]>" is not allowed.
			if strings.HasPrefix(run[i:], "]]>") {
				return "", nil, s.malformedAt(errCDATAEnd, off+i, `"]]>" outside a CDATA section`)
			}
			i++
			continue
		}
		if !changed {
			s.buf, changed = s.buf[:0], true
		}
		s.buf = append(s.buf, run[copied:i]...)
		n, e := s.special(run[i:], off+i, mode)
		if e != nil {
			return "", nil, e
		}
		i += n
		copied = i
	}
	if !changed {
		return run, nil, nil
	}
	s.buf = append(s.buf, run[copied:]...)
	return "", s.buf, nil
}

// special appends to s.buf what the ASCII byte that starts rest, at offset
// off, stands for in mode, and returns how many bytes it read: a reference, a
// line end, or white space in a value. Anything else is an error.
func (s *scanner) special(rest string, off int, mode decodeMode) (int, *scanError) {
	c := rest[0]
	switch {
	case c == '&' && mode != modeCDATA:
		return s.reference(rest, off)
	case c == '\r' || (mode == modeAttr && (c == '\n' || c == '\t')):
		out := byte('\n')
		if mode == modeAttr {
			out = ' '
		}
		s.buf = append(s.buf, out)
		if c == '\r' && len(rest) > 1 && rest[1] == '\n' {
			return 2, nil // CR LF is one line end.
		}
		return 1, nil
	case c == '<':
		return 0, s.malformedAt(errLessThan, off, "'<' in an attribute value")
	}
	return 0, s.malformedAt(errChar, off, "character %U is not allowed in XML", rune(c))
}

// reference appends the character of the reference that starts ref, at
// offset off, and returns its length. Only the five predefined entities and
// character references to characters XML allows are accepted.
func (s *scanner) reference(ref string, off int) (int, *scanError) {
	if strings.HasPrefix(ref, "&#") {
		return s.charRef(ref, off)
	}
	end, _, _ := nameEnd(ref, 1)
	if end >= len(ref) || ref[end] != ';' || end == 1 {
		return 0, s.malformedAt(errReference, off, "'&' not part of a reference")
	}
	var c byte
	switch ref[1:end] {
	case "lt":
		c = '<'
	case "gt":
		c = '>'
	case "amp":
		c = '&'
	case "apos":
		c = '\''
	case "quot":
		c = '"'
	default:
		return 0, s.malformedAt(errReference, off, "undefined entity %.40s", ref[:end+1])
	}
	s.buf = append(s.buf, c)
	return end + 1, nil
}

// charRef appends the character of the reference &#digits; or &#xhex; that
// starts ref, at offset off, and returns the reference's length.
func (s *scanner) charRef(ref string, off int) (int, *scanError) {
	i, base := len("&#"), rune(10)
	if strings.HasPrefix(ref, "&#x") {
		i, base = len("&#x"), 16
	}
	start := i
	var r rune
	for ; i < len(ref); i++ {
		d := digitValue(ref[i])
		if d >= base {
			break
		}
		r = min(r*base+d, utf8.MaxRune+1) // Saturates: no overflow, still out of range.
	}
	if i == start || i >= len(ref) || ref[i] != ';' {
		return 0, s.malformedAt(errReference, off, "malformed character reference")
	}
	switch {
	case r >= 0xD800 && r <= 0xDFFF:
		return 0, s.malformedAt(errSurrogateRef, off, "character reference %.20s to a surrogate", ref[:i+1])
	case !isXMLChar(r):
		return 0, s.malformedAt(errCharRef, off, "character reference %.20s to a character XML does not allow", ref[:i+1])
	}
	s.buf = utf8.AppendRune(s.buf, r)
	return i + 1, nil
}

// digitValue is the value of the hexadecimal digit c, or 16 when c is none.
func digitValue(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return rune(c-'A') + 10
	}
	return 16
}

// checkChars checks that body, the content of a comment or PI at offset off,
// is UTF-8 and holds only characters XML allows.
func (s *scanner) checkChars(body string, off int) *scanError {
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c >= utf8.RuneSelf:
			n, e := s.checkRune(body[i:], off+i, errMarkupChar)
			if e != nil {
				return e
			}
			i += n
		case c >= 0x20 || isSpace(c):
			i++
		default:
			return s.malformedAt(errMarkupChar, off+i, "character %U is not allowed in XML", rune(c))
		}
	}
	return nil
}

// checkRune checks the non-ASCII character that starts rest, at offset off,
// and returns its length; code is the error when it is not allowed.
func (s *scanner) checkRune(rest string, off int, code errCode) (int, *scanError) {
	r, n := utf8.DecodeRuneInString(rest)
	if r == utf8.RuneError && n == 1 {
		return 0, s.malformedAt(code, off, "invalid UTF-8")
	}
	if !isXMLChar(r) {
		return 0, s.malformedAt(code, off, "character %U is not allowed in XML", r)
	}
	return n, nil
}

// isXMLChar reports whether XML 1.0 allows r (its production Char).
func isXMLChar(r rune) bool {
	switch {
	case r < 0x20:
		return r == '\t' || r == '\n' || r == '\r'
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false // Surrogates.
	case r <= 0xFFFD:
		return true
	}
	return r >= 0x10000 && r <= utf8.MaxRune
}

// Byte classes of ASCII, for the scanner's loops.
const (
	classNameStart uint8 = 1 << iota // May start a name: letters, '_' (and ':', counted apart).
	className                        // May continue a name: also digits, '-', '.'.
	classSpace                       // XML white space: space, tab, LF, CR.
	classText                        // Copied as is in character data.
	classAttr                        // Copied as is in an attribute value.
	classCDATA                       // Copied as is in a CDATA section.
)

// byteClass holds the classes of each byte; non-ASCII bytes have none.
var byteClass = func() (t [256]uint8) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = classText | classAttr | classCDATA
	}
	t['<'] &^= classText | classAttr
	t['&'] &^= classText | classAttr
	t[']'] &^= classText
	t['\t'], t['\n'] = classText|classCDATA, classText|classCDATA
	for _, c := range []byte(" \t\n\r") {
		t[c] |= classSpace
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= classNameStart | className
		t[c-'a'+'A'] |= classNameStart | className
	}
	for _, c := range []byte("0123456789-.") {
		t[c] |= className
	}
	t['_'] |= classNameStart | className
	return t
}()

// isSpace reports whether c is XML white space.
func isSpace(c byte) bool { return byteClass[c]&classSpace != 0 }

// skipSpace returns the offset of the first byte at or after i in src that
// is not white space.
func skipSpace(src string, i int) int {
	for i < len(src) && isSpace(src[i]) {
		i++
	}
	return i
}

// nameEnd returns where the XML name starting at i in src ends (i when no
// name starts there), where its first colon is (-1 when none) and how many
// colons it has.
func nameEnd(src string, i int) (end, colon, colons int) {
	start, colon := i, -1
	for i < len(src) {
		c := src[i]
		if c == ':' {
			if colons == 0 {
				colon = i
			}
			colons++
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if byteClass[c]&className == 0 || (i == start && byteClass[c]&classNameStart == 0) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(src[i:])
		if n == 1 || !isNameRune(r) || (i == start && !isNameStartRune(r)) { // n == 1: invalid UTF-8.
			break
		}
		i += n
	}
	return i, colon, colons
}

// startsName reports whether s starts with a character that may start a
// name without a colon.
func startsName(s string) bool {
	if s == "" {
		return false
	}
	if s[0] < utf8.RuneSelf {
		return byteClass[s[0]]&classNameStart != 0
	}
	r, n := utf8.DecodeRuneInString(s)
	return n > 1 && isNameStartRune(r) // n == 1: invalid UTF-8.
}

// isNameStartRune reports whether the non-ASCII r may start a name, per
// NameStartChar of XML 1.0 (fifth edition).
func isNameStartRune(r rune) bool {
	switch {
	case r < 0xC0, r == 0xD7, r == 0xF7:
		return false
	case r <= 0x2FF:
		return true
	case r >= 0x370 && r <= 0x1FFF:
		return r != 0x37E
	case r == 0x200C, r == 0x200D:
		return true
	}
	return r >= 0x2070 && r <= 0x218F ||
		r >= 0x2C00 && r <= 0x2FEF ||
		r >= 0x3001 && r <= 0xD7FF ||
		r >= 0xF900 && r <= 0xFDCF ||
		r >= 0xFDF0 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0xEFFFF
}

// isNameRune reports whether the non-ASCII r may continue a name, per
// NameChar of XML 1.0 (fifth edition).
func isNameRune(r rune) bool {
	return isNameStartRune(r) || r == 0xB7 || r >= 0x300 && r <= 0x36F || r == 0x203F || r == 0x2040
}

// declare puts the namespace declarations among s.raw in scope, refusing
// those the Namespaces in XML recommendation forbids.
func (s *scanner) declare() *scanError {
	for _, a := range s.raw {
		switch {
		case a.qname == "xmlns":
			if a.value == xmlNamespace || a.value == xmlnsNamespace {
				return s.malformedAt(errReserved, a.off, "%s cannot be the default namespace", a.value)
			}
			s.ns = append(s.ns, nsBinding{uri: a.value})
		case a.prefix == "xmlns":
			if e := s.checkBinding(a); e != nil {
				return e
			}
			s.ns = append(s.ns, nsBinding{prefix: a.local, uri: a.value})
		}
	}
	return nil
}

// checkBinding checks the declaration xmlns:prefix="uri" a.
func (s *scanner) checkBinding(a rawAttr) *scanError {
	switch {
	case a.local == "xmlns":
		return s.malformedAt(errReserved, a.off, "the prefix xmlns cannot be declared")
	case a.local == "xml" && a.value != xmlNamespace:
		return s.malformedAt(errReserved, a.off, "the prefix xml cannot be bound to another namespace")
	case a.local != "xml" && (a.value == xmlNamespace || a.value == xmlnsNamespace):
		return s.malformedAt(errReserved, a.off, "the prefix %.40q cannot be bound to %s", a.local, a.value)
	case a.value == "":
		return s.malformedAt(errReserved, a.off, "the prefix %.40q declared with an empty namespace", a.local)
	}
	return nil
}

// elementSpace returns the namespace of the element prefix:local.
func (s *scanner) elementSpace(prefix, local string) (string, *scanError) {
	switch {
	case prefix == "xml":
		return xmlNamespace, nil
	case prefix == "xmlns":
		return "", s.malformed(errReserved, "element with the prefix xmlns")
	case prefix == "" && local == "xmlns":
		return "", s.malformed(errReserved, "element named xmlns")
	}
	uri, ok := s.lookup(prefix)
	if !ok && prefix != "" {
		return "", s.malformed(errPrefix, "undeclared namespace prefix %.40q", prefix)
	}
	return uri, nil
}

// resolveAttrs sets s.attrs to the attributes in s.raw other than namespace
// declarations, their names resolved. No two attributes may share a name, as
// written or as resolved.
func (s *scanner) resolveAttrs() *scanError {
	s.attrs = s.attrs[:0]
	for i, a := range s.raw {
		for _, b := range s.raw[:i] {
			if a.qname == b.qname {
				return s.malformedAt(errDupAttr, a.off, "attribute %.40s given twice", a.qname)
			}
		}
		if a.qname == "xmlns" || a.prefix == "xmlns" {
			continue
		}
		name := xml.Name{Local: a.local}
		switch a.prefix {
		case "":
		case "xml":
			name.Space = xmlNamespace
		default:
			uri, ok := s.lookup(a.prefix)
			if !ok {
				return s.malformedAt(errPrefix, a.off, "undeclared namespace prefix %.40q", a.prefix)
			}
			name.Space = uri
		}
		for _, b := range s.attrs {
			if b.Name == name {
				return s.malformedAt(errDupAttr, a.off, "attribute {%.40s}%.40s given twice", name.Space, name.Local)
			}
		}
		s.attrs = append(s.attrs, xml.Attr{Name: name, Value: a.value})
	}
	return nil
}

// lookup returns the namespace prefix is bound to, the empty prefix meaning
// the default namespace.
func (s *scanner) lookup(prefix string) (string, bool) {
	for i := len(s.ns) - 1; i >= 0; i-- {
		if s.ns[i].prefix == prefix {
			return s.ns[i].uri, true
		}
	}
	return "", false
}

// errCode names the rule a scanError reports. The tests tell by it the rules
// that encoding/xml checks too from those only this scanner checks.
type errCode uint8

// The rules, XML 1.0 well-formedness first, then Namespaces in XML, then the
// shape parse expects and its bounds.
const (
	errEOF          errCode = iota + 1 // The input ends inside markup or an element.
	errSyntax                          // Markup not shaped as XML says.
	errName                            // A name missing or malformed.
	errEndTag                          // An end tag that closes no element or another one.
	errReference                       // An undefined entity, or '&' not starting a reference.
	errCharRef                         // A character reference to a character XML does not allow.
	errSurrogateRef                    // A character reference to a UTF-16 surrogate.
	errChar                            // Invalid UTF-8, or a character XML does not allow, in data.
	errMarkupChar                      // The same in a comment or a processing instruction.
	errCDATAEnd                        // "]]>" in character data.
	errLessThan                        // '<' in an attribute value.
	errComment                         // "--" inside a comment.
	errDecl                            // An XML declaration misplaced, malformed, or not 1.0 in UTF-8.
	errPI                              // A PI target with a colon, or without white space after it.
	errAttrSpace                       // Attributes not separated by white space.
	errDupAttr                         // The same attribute twice.
	errQName                           // A name with a colon that is not prefix:local.
	errPrefix                          // A prefix no enclosing element declares.
	errReserved                        // Misuse of the xml and xmlns prefixes or namespaces.
	errDTD                             // A document type declaration or another <!...> directive.
	errNoRoot                          // No element at all.
	errRoots                           // A second root element.
	errOutside                         // Character data before or after the root element.
	errDepth                           // MaxDepth.
	errElements                        // MaxElements.
	errText                            // MaxTextBytes.
	errAttrs                           // MaxAttributes.
	errAttrValue                       // MaxAttrValueBytes.
	errNotCanonical                    // A comment, PI or CDATA section where only canonical XML is taken.
)

// canonicalOnly is why the hub refuses what XML allows but it cannot vouch
// for: a comment, a processing instruction or a CDATA section changes
// nothing for this scanner, but XML readers differ on them (one that takes
// the first text node reads 10<!--.00-->000.00 as 10), so a message the hub
// delivers must not contain them. The DTD is refused everywhere.
const canonicalOnly = "the hub accepts no comments, processing instructions or CDATA sections"

// notCanonical refuses construct, at the current position.
func (s *scanner) notCanonical(construct string) *scanError {
	return s.malformed(errNotCanonical, "%s at byte %d: %s", construct, s.pos, canonicalOnly)
}

// scanError is where and why the scanner stopped.
type scanError struct {
	code errCode
	off  int    // Byte offset in the input.
	path string // Local names of the open elements below the root, as Problem.Path.
	rule string // As Problem.Rule.
}

// problem is the FF01 problem that reports e.
func (e *scanError) problem() *Problem {
	return &Problem{Path: e.path, Rule: e.rule, Reason: corridor.ReasonInvalidFormat}
}

// fail returns the error code with rule at the current position.
func (s *scanner) fail(code errCode, rule string) *scanError {
	return s.failAt(code, s.pos, rule)
}

// failAt returns the error code with rule at offset off. Its path, like
// every path of a decoder, counts from below the root element, and ends with
// the element whose start tag is being read.
func (s *scanner) failAt(code errCode, off int, rule string) *scanError {
	var b strings.Builder
	for i, o := range s.open {
		if i > 0 {
			b.WriteString(s.localOf(o.name))
			b.WriteByte('/')
		}
	}
	if s.tag.end > 0 && len(s.open) > 0 {
		b.WriteString(s.localOf(s.tag))
	}
	path := strings.TrimSuffix(b.String(), "/")
	return &scanError{code: code, off: off, path: path, rule: rule}
}

// malformed returns the error code at the current position, with a rule
// that says the XML is malformed, how, and on which line.
func (s *scanner) malformed(code errCode, format string, args ...any) *scanError {
	return s.malformedAt(code, s.pos, format, args...)
}

// malformedAt is malformed at offset off.
func (s *scanner) malformedAt(code errCode, off int, format string, args ...any) *scanError {
	off = min(off, len(s.src))
	line := 1 + strings.Count(s.src[:off], "\n")
	return s.failAt(code, off, fmt.Sprintf("malformed XML: "+format+" (line %d)", append(args, line)...))
}

// buildTree is parse's pass over data, which it has checked to be within
// MaxMessageBytes: the tree of the scanner's tokens, in the blocks of st
// when it is not nil, or the problem where the scanner stopped.
func buildTree(data []byte, canonical bool, st *nodeStore) (*node, *Problem) {
	src := string(data) // The one copy: names and most text are substrings of it.
	sc := scratchPool.Get().(*scratch)
	s := newScanner(src, sc)
	s.canonical = canonical
	a := newTreeArena(strings.Count(src, "<"), sc, st)
	root, p := build(&s, &a)
	sc.keep(&s, &a)
	scratchPool.Put(sc)
	return root, p
}

// build runs s to its end and a over its tokens.
func build(s *scanner, a *treeArena) (*node, *Problem) {
	for {
		tok, e := s.next()
		if e != nil {
			return nil, e.problem()
		}
		switch tok {
		case tokenStart:
			a.start(s.space, s.local, s.attrs)
		case tokenEnd:
			a.end()
		case tokenText:
			a.text(s.text, s.textBytes)
		case tokenEOF:
			return a.finish(), nil
		}
	}
}

// treeArena builds a tree from start, end and text tokens that nest. It
// allocates nodes, child lists, attributes and texts in blocks rather than
// one by one.
type treeArena struct {
	nodes []node     // Block the next nodes come from.
	ptrs  []*node    // Block the next child lists come from.
	attrs []xml.Attr // Block the next attribute lists come from.
	block int        // Size of a new node or pointer block.

	root    *node
	open    []openNode // Elements started and not yet ended, the root first.
	kids    []*node    // Children of the open elements, each one's after its mark.
	pending []byte     // Texts of open elements that came in pieces, innermost last.
	texts   []byte     // Such texts of ended elements, one after the other.
	fixes   []textFix  // The node each of those texts belongs to.
}

// openNode is an element of treeArena not yet ended.
type openNode struct {
	n      *node
	kids   int  // Where n's children start in treeArena.kids.
	text   int  // Where n's text starts in treeArena.pending, when pieced.
	pieced bool // n's text came in more than one piece, or decoded.
}

// textFix says that n's text is texts[start:end].
type textFix struct {
	n          *node
	start, end int
}

// maxBlock bounds the nodes and the pointers an arena allocates at once, so
// that a large input that turns out malformed early costs little.
const maxBlock = 256

// newTreeArena returns an arena for an input with lessThans '<' in it (at
// most that many elements, usually about half) that uses the buffers of sc,
// and its first blocks from st when it is not nil.
func newTreeArena(lessThans int, sc *scratch, st *nodeStore) treeArena {
	block := min(lessThans/2+2, maxBlock)
	nodes, ptrs, attrs := st.blocks(block)
	return treeArena{
		nodes:   nodes,
		ptrs:    ptrs,
		attrs:   attrs,
		block:   block,
		open:    sc.opened,
		kids:    sc.kids,
		pending: sc.pending,
		texts:   sc.texts,
		fixes:   sc.fixes,
	}
}

// scratch holds the buffers a parse works in and gives back for the next
// one: nothing in a tree points into them.
type scratch struct {
	open           []openElem
	ns             []nsBinding
	raw            []rawAttr
	attrs          []xml.Attr
	buf            []byte
	opened         []openNode
	kids           []*node
	pending, texts []byte
	fixes          []textFix
}

// scratchPool holds the scratch of finished parses.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxScratchLen bounds each buffer a scratch keeps, so that one large
// message does not hold memory for good.
const maxScratchLen = 16 << 10

// keep takes back the buffers of s and a, emptied and cleared of pointers
// into the message they read.
func (sc *scratch) keep(s *scanner, a *treeArena) {
	sc.open, sc.ns, sc.raw, sc.attrs = reuse(s.open), reuse(s.ns), reuse(s.raw), reuse(s.attrs)
	sc.opened, sc.kids, sc.fixes = reuse(a.open), reuse(a.kids), reuse(a.fixes)
	sc.buf, sc.pending, sc.texts = reuse(s.buf), reuse(a.pending), reuse(a.texts)
}

// reuse returns b emptied and cleared, or nil when it is too large to keep.
func reuse[T any](b []T) []T {
	if cap(b) > maxScratchLen {
		return nil
	}
	clear(b[:cap(b)])
	return b[:0]
}

// start opens an element as a child of the innermost open one.
func (a *treeArena) start(space, local string, attrs []xml.Attr) {
	if len(a.nodes) == cap(a.nodes) {
		a.nodes = make([]node, 0, a.block)
	}
	a.nodes = a.nodes[:len(a.nodes)+1]
	n := &a.nodes[len(a.nodes)-1]
	n.space, n.local = space, local
	if len(attrs) > 0 {
		if cap(a.attrs)-len(a.attrs) < len(attrs) {
			a.attrs = make([]xml.Attr, 0, max(8, len(attrs)))
		}
		i := len(a.attrs)
		a.attrs = append(a.attrs, attrs...)
		n.attrs = a.attrs[i:len(a.attrs):len(a.attrs)]
	}
	if a.root == nil {
		a.root = n
	} else {
		a.kids = append(a.kids, n)
	}
	a.open = append(a.open, openNode{n: n, kids: len(a.kids)})
}

// text adds a piece of character data, str or else b, to the innermost open
// element.
func (a *treeArena) text(str string, b []byte) {
	o := &a.open[len(a.open)-1]
	if !o.pieced && o.n.text == "" && b == nil {
		o.n.text = str // The common case: the whole text, a substring of the input.
		return
	}
	if !o.pieced {
		o.pieced, o.text = true, len(a.pending)
		a.pending = append(a.pending, o.n.text...)
		o.n.text = ""
	}
	a.pending = append(a.pending, str...)
	a.pending = append(a.pending, b...)
}

// end closes the innermost open element.
func (a *treeArena) end() {
	o := a.open[len(a.open)-1]
	a.open = a.open[:len(a.open)-1]
	if o.pieced {
		piece := a.pending[o.text:]
		a.fixes = append(a.fixes, textFix{n: o.n, start: len(a.texts), end: len(a.texts) + len(piece)})
		a.texts = append(a.texts, piece...)
		a.pending = a.pending[:o.text]
	}
	kids := a.kids[o.kids:]
	if len(kids) == 0 {
		return
	}
	if cap(a.ptrs)-len(a.ptrs) < len(kids) {
		a.ptrs = make([]*node, 0, max(a.block, len(kids)))
	}
	i := len(a.ptrs)
	a.ptrs = append(a.ptrs, kids...)
	o.n.children = a.ptrs[i:len(a.ptrs):len(a.ptrs)]
	a.kids = a.kids[:o.kids]
}

// finish gives the texts that came in pieces their nodes and returns the root.
func (a *treeArena) finish() *node {
	all := string(a.texts) // One allocation for all of them.
	for _, f := range a.fixes {
		f.n.text = all[f.start:f.end]
	}
	return a.root
}
