package httpapi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxJSONDepth bounds the nesting of a JSON request body.
const MaxJSONDepth = 16

// errBadJSON marks a request body that is not exactly the JSON an endpoint
// takes: 400, with the field it names.
var errBadJSON = errors.New("httpapi: request body refused")

// decodeStrict decodes body into v, a pointer to a request struct, and
// refuses what encoding/json would let pass: unknown fields, fields in
// another case, a key given twice, trailing data, and null or no value for
// a field without omitempty. The error names the field.
//
// One pass over body checks all of that against the plan of v's type
// (planOf); encoding/json then decodes it, and refuses what the pass leaves
// to it, such as a string where v has a number.
func decodeStrict(body []byte, v any) error {
	p := planOf(reflect.TypeOf(v).Elem())
	s := strictScanner{data: body}
	s.path, s.keys = s.pathArray[:0], s.keysArray[:0]
	if err := s.check(p.root); err != nil {
		return fmt.Errorf("%w: %v", errBadJSON, err)
	}
	var err error
	if p.checked {
		err = json.Unmarshal(body, v)
	} else {
		d := json.NewDecoder(bytes.NewReader(body))
		d.DisallowUnknownFields()
		err = d.Decode(v)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errBadJSON, err)
	}
	return nil
}

// strictPlan is how decodeStrict decodes into a type.
type strictPlan struct {
	root *typePlan // What the check of a body goes by.

	// The check covers every key that encoding/json would decode into a
	// struct (checkedThrough): a key it lets pass is one encoding/json
	// knows, and DisallowUnknownFields would find nothing more to refuse.
	// json.Unmarshal, which reads the body in place, decodes the same; the
	// decoder copies it into a growing buffer first.
	checked bool
}

// typePlan is what checking a JSON value against a Go type needs of the
// type. A nil *typePlan checks nothing: the type is none of those below
// (pointers are followed), and encoding/json alone judges its value.
type typePlan struct {
	kind     reflect.Kind          // Struct, Slice or Map.
	elem     *typePlan             // Slice: of each element; Map: of each value.
	fields   map[string]*planField // Struct: by exact JSON name.
	required []*planField          // Struct: those without omitempty, in the order declared.
}

// planField is a struct field as JSON names it.
type planField struct {
	name string
	bit  int // Its place in required, or -1 if it has omitempty.
	plan *typePlan
}

var plans sync.Map // reflect.Type to the *strictPlan planOf made of it; as many as the types decodeStrict is called with.

// planOf is the plan of t, made once.
func planOf(t reflect.Type) *strictPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*strictPlan)
	}
	p, _ := plans.LoadOrStore(t, &strictPlan{root: planner{}.plan(t), checked: checkedThrough(t, map[reflect.Type]bool{})})
	return p.(*strictPlan)
}

// checkedThrough reports whether the check of a body against the plan of t
// sees every object that encoding/json would decode into a struct, and
// every key of it is the exact JSON name of the same field to both. That
// holds if each struct reached through pointers, slices and maps has no
// embedded field, no two fields of one name and no tag name that
// encoding/json might take for invalid; an array or an interface leads to
// values the check does not follow.
func checkedThrough(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return true // Being answered further up.
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		return checkedThrough(t.Elem(), seen)
	case reflect.Array, reflect.Interface:
		return false
	case reflect.Struct:
		names := map[string]bool{}
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				return false
			}
			name, _, ok := jsonName(f)
			switch {
			case !ok:
				continue
			case name != f.Name && strings.TrimLeft(name, plainNameBytes) != "": // A tag's name; a Go name is valid as it is.
				return false
			}
			if names[name] || !checkedThrough(f.Type, seen) {
				return false
			}
			names[name] = true
		}
	}
	return true
}

// jsonName is the name encoding/json gives struct field f and whether it
// is tagged omitempty; ok is false for a field it leaves out (unexported,
// or tagged "-").
func jsonName(f reflect.StructField) (name string, omitempty, ok bool) {
	tag := f.Tag.Get("json")
	if !f.IsExported() || tag == "-" {
		return "", false, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	return cmp.Or(name, f.Name), strings.Contains(","+opts+",", ",omitempty,"), true
}

// plainNameBytes make up a tag name that encoding/json takes as it is.
const plainNameBytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-."

// planner holds the plans being made, so that a recursive type's plan
// refers to itself.
type planner map[reflect.Type]*typePlan

func (pl planner) plan(t reflect.Type) *typePlan {
	var pointers map[reflect.Type]bool
	for ; t.Kind() == reflect.Pointer; t = t.Elem() {
		if pointers[t] { // type P *P: no value of it is anything but null.
			return nil
		}
		if pointers == nil {
			pointers = map[reflect.Type]bool{}
		}
		pointers[t] = true
	}
	if p, ok := pl[t]; ok {
		return p
	}
	switch t.Kind() {
	case reflect.Struct:
		p := &typePlan{kind: reflect.Struct}
		pl[t] = p
		pl.fields(p, t)
		return p
	case reflect.Slice, reflect.Map:
		p := &typePlan{kind: t.Kind()}
		pl[t] = p
		if p.elem = pl.plan(t.Elem()); p.elem == nil { // Nothing in it to check, so nothing refers to p.
			pl[t] = nil
			return nil
		}
		return p
	}
	return nil
}

// fields fills in the fields of p, the plan of struct type t: its exported
// fields by their exact JSON names, the last of those sharing one.
func (pl planner) fields(p *typePlan, t reflect.Type) {
	p.fields = map[string]*planField{}
	var declared []*planField
	for i := range t.NumField() {
		f := t.Field(i)
		name, omitempty, ok := jsonName(f)
		if !ok {
			continue
		}
		pf := &planField{name: name, bit: -1, plan: pl.plan(f.Type)}
		if !omitempty {
			pf.bit = 0
		}
		p.fields[name] = pf
		declared = append(declared, pf)
	}
	for _, pf := range declared {
		if pf.bit >= 0 && p.fields[pf.name] == pf {
			pf.bit = len(p.required)
			p.required = append(p.required, pf)
		}
	}
}

// strictScanner reads one JSON body (RFC 8259) and checks it against a
// plan as it goes. A fault of the JSON itself (its syntax, its depth, a key
// twice, data after it) ends the pass; a fault of the fields is kept, the
// first in the order of the body, and reported only if the JSON is sound,
// so that a body with both is refused for its JSON.
type strictScanner struct {
	data     []byte
	pos      int        // Of the next byte to read.
	path     []pathStep // Down to the value being read, to name it in errors.
	keys     [][]byte   // Of the objects being read, unquoted, to find one twice.
	fieldErr error      // The first field the plan refuses.

	pathArray [MaxJSONDepth + 1]pathStep // Holds path, as deep as a body goes.
	keysArray [2 * linearKeys][]byte     // Holds keys, unless a body has many.
}

// pathStep is one step of a path: into an object's member or an array's
// element.
type pathStep struct {
	key   []byte // Unquoted.
	index int
	elem  bool // An element: index, not key.
}

// linearKeys is how many keys of an object are compared one by one with a
// new one before they go into a map.
const linearKeys = 16

// check reads the whole body as one value checked against p.
func (s *strictScanner) check(p *typePlan) error {
	s.skipSpace()
	if s.pos == len(s.data) {
		return s.notJSON()
	}
	if err := s.value(p, 0); err != nil {
		return err
	}
	s.skipSpace()
	if s.pos < len(s.data) {
		return errors.New("data after the JSON value")
	}
	return s.fieldErr
}

// value reads the value at s.pos, which is neither space nor the end,
// nested depth deep, and checks it against p.
func (s *strictScanner) value(p *typePlan, depth int) error {
	c := s.data[s.pos]
	if c == '{' {
		return s.object(p, depth)
	}
	if p != nil && p.kind == reflect.Struct {
		if s.fieldErr == nil {
			s.fieldErr = s.notObject(c == 'n') // A value that starts with n is null.
		}
		p = nil
	}
	if c == '[' {
		if p == nil || p.kind != reflect.Slice {
			return s.array(nil, depth)
		}
		return s.array(p.elem, depth)
	}
	return s.scalar()
}

// object reads the object at s.pos, checked against p if p is the plan of
// a struct or a map.
func (s *strictScanner) object(p *typePlan, depth int) error {
	var values *typePlan // Of every member, if p is a map's plan.
	if p != nil && p.kind == reflect.Map {
		values = p.elem
	}
	if p != nil && p.kind != reflect.Struct {
		p = nil
	}
	var given [1]uint64 // The fields of p.required given and not null, by bit.
	seen := given[:]
	if p != nil && len(p.required) > 64 {
		seen = make([]uint64, (len(p.required)+63)/64)
	}
	from := len(s.keys)
	var err error
	s.pos++
	if s.skipSpace(); s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
	} else {
		s.path = append(s.path, pathStep{})
		err = s.members(p, values, seen, from, depth)
		s.path = s.path[:len(s.path)-1]
	}
	s.keys = s.keys[:from]
	if err == nil && p != nil {
		s.requireFields(p, seen)
	}
	return err
}

// members reads the members of an object up to its closing brace, each
// checked as a field of p, the plan of a struct, or against values. The
// object's keys go into s.keys from from.
func (s *strictScanner) members(p, values *typePlan, seen []uint64, from, depth int) error {
	var set map[string]bool // The keys, once there are more than linearKeys.
	for {
		if s.pos == len(s.data) || s.data[s.pos] != '"' {
			return s.notJSON()
		}
		key, err := s.key()
		if err != nil {
			return err
		}
		s.path[len(s.path)-1].key = key
		if set, err = s.addKey(from, key, set); err != nil {
			return err
		}
		if depth+1 > MaxJSONDepth {
			return fmt.Errorf("nested deeper than %d", MaxJSONDepth)
		}
		if s.skipSpace(); s.pos == len(s.data) || s.data[s.pos] != ':' {
			return s.notJSON()
		}
		s.pos++
		if s.skipSpace(); s.pos == len(s.data) {
			return s.notJSON()
		}
		plan := values
		if p != nil {
			plan = s.member(p, key, seen)
		}
		if err := s.value(plan, depth+1); err != nil {
			return err
		}
		if done, err := s.next('}'); done || err != nil {
			return err
		}
	}
}

// member is the plan of the member of key in an object checked against p,
// the plan of a struct, whose value is at s.pos; it marks the field as given
// unless the value is null, and refuses a key that names no field.
func (s *strictScanner) member(p *typePlan, key []byte, seen []uint64) *typePlan {
	f, ok := p.fields[string(key)]
	if !ok {
		if s.fieldErr == nil {
			s.fieldErr = fmt.Errorf("unknown field %q", s.pathString())
		}
		return nil
	}
	if f.bit >= 0 && s.data[s.pos] != 'n' { // A value that starts with n is null.
		seen[f.bit/64] |= 1 << (f.bit % 64)
	}
	return f.plan
}

// requireFields refuses the first field of p, the plan of a struct, that
// its object just read leaves out or gives as null.
func (s *strictScanner) requireFields(p *typePlan, seen []uint64) {
	if s.fieldErr != nil {
		return
	}
	for _, f := range p.required {
		if seen[f.bit/64]&(1<<(f.bit%64)) == 0 {
			s.path = append(s.path, pathStep{key: []byte(f.name)})
			s.fieldErr = fmt.Errorf("field %q is required", s.pathString())
			s.path = s.path[:len(s.path)-1]
			return
		}
	}
}

// addKey adds key to the keys of the object being read, s.keys[from:] or
// set, and refuses it if it is there already.
func (s *strictScanner) addKey(from int, key []byte, set map[string]bool) (map[string]bool, error) {
	if set == nil {
		for _, k := range s.keys[from:] {
			if bytes.Equal(k, key) {
				return nil, fmt.Errorf("field %q given twice", s.pathString())
			}
		}
		if s.keys = append(s.keys, key); len(s.keys)-from <= linearKeys {
			return nil, nil
		}
		set = make(map[string]bool, 2*linearKeys)
		for _, k := range s.keys[from:] {
			set[string(k)] = true
		}
		return set, nil
	}
	if set[string(key)] {
		return nil, fmt.Errorf("field %q given twice", s.pathString())
	}
	set[string(key)] = true
	return set, nil
}

// array reads the array at s.pos, each element checked against elem.
func (s *strictScanner) array(elem *typePlan, depth int) error {
	s.pos++
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return nil
	}
	if s.pos == len(s.data) || s.data[s.pos] == '}' {
		return s.notJSON()
	}
	if depth+1 > MaxJSONDepth {
		return fmt.Errorf("nested deeper than %d", MaxJSONDepth)
	}
	s.path = append(s.path, pathStep{elem: true})
	err := s.elements(elem, depth)
	s.path = s.path[:len(s.path)-1]
	return err
}

// elements reads the elements of an array up to its closing bracket, each
// checked against elem.
func (s *strictScanner) elements(elem *typePlan, depth int) error {
	for i := 0; ; i++ {
		s.path[len(s.path)-1].index = i
		if err := s.value(elem, depth+1); err != nil {
			return err
		}
		if done, err := s.next(']'); done || err != nil {
			return err
		}
	}
}

// next reads what follows a member or an element: a comma and the space
// after it, or end, which closes the object or array.
func (s *strictScanner) next(end byte) (done bool, err error) {
	s.skipSpace()
	if s.pos == len(s.data) {
		return false, s.notJSON()
	}
	switch s.data[s.pos] {
	case ',':
		s.pos++
		if s.skipSpace(); s.pos == len(s.data) {
			return false, s.notJSON()
		}
		return false, nil
	case end:
		s.pos++
		return true, nil
	}
	return false, s.notJSON()
}

// scalar reads the string, number or literal at s.pos.
func (s *strictScanner) scalar() error {
	switch c := s.data[s.pos]; {
	case c == '"':
		_, err := s.str()
		return err
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return s.notJSON()
}

// key reads the string at s.pos, an object's key, and unquotes it.
func (s *strictScanner) key() ([]byte, error) {
	start := s.pos
	plain, err := s.str()
	if err != nil {
		return nil, err
	}
	raw := s.data[start+1 : s.pos-1]
	if plain {
		return raw, nil
	}
	return unquote(raw), nil
}

// What a byte in a string is.
const (
	strPlain   = iota // ASCII that stands for itself.
	strQuote          // The end of the string.
	strEscape         // The start of an escape.
	strControl        // A control character, which must be escaped.
	strUTF8           // Part of UTF-8, valid or not.
)

// strByte is what each byte in a string is.
var strByte = func() (t [256]byte) {
	for c := range t {
		switch {
		case c == '"':
			t[c] = strQuote
		case c == '\\':
			t[c] = strEscape
		case c < 0x20:
			t[c] = strControl
		case c >= utf8.RuneSelf:
			t[c] = strUTF8
		}
	}
	return t
}()

// str reads the string at s.pos. It reports whether the string is plain:
// without escapes and in ASCII, so its content is what it stands for.
func (s *strictScanner) str() (plain bool, err error) {
	plain = true
	for i := s.pos + 1; ; {
		for i < len(s.data) && strByte[s.data[i]] == strPlain {
			i++
		}
		if i == len(s.data) {
			return false, s.notJSON()
		}
		switch strByte[s.data[i]] {
		case strQuote:
			s.pos = i + 1
			return plain, nil
		case strUTF8:
			plain = false
			i++
		case strEscape:
			plain = false
			n := escapeLen(s.data[i:])
			if n == 0 {
				return false, s.notJSON()
			}
			i += n
		default:
			return false, s.notJSON()
		}
	}
}

// escapeLen is the length of the escape at the start of b, or 0 if it is
// not one JSON has.
func escapeLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if len(b) >= 6 && hex4(b[2:6]) >= 0 {
			return 6
		}
	}
	return 0
}

// hex4 is the value of four hex digits, or -1.
func hex4(b []byte) rune {
	r := rune(0)
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// unquote is what raw, the content of a JSON string without its quotes,
// stands for as encoding/json reads it: its escapes decoded, and a
// surrogate that is not the first half of a pair, like each byte that is
// not part of valid UTF-8, read as U+FFFD.
func unquote(raw []byte) []byte {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\' && raw[i+1] == 'u':
			r := hex4(raw[i+2:])
			i += 6
			if utf16.IsSurrogate(r) {
				pair := utf8.RuneError
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					pair = utf16.DecodeRune(r, hex4(raw[i+2:]))
				}
				if r = pair; r != utf8.RuneError {
					i += 6
				}
			}
			out = utf8.AppendRune(out, r)
		case c == '\\':
			out = append(out, unescape[raw[i+1]])
			i += 2
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, n := utf8.DecodeRune(raw[i:])
			out = utf8.AppendRune(out, r)
			i += n
		}
	}
	return out
}

// unescape is the byte of each one-letter escape.
var unescape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// number reads the number at s.pos: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *strictScanner) number() error {
	i := s.pos
	if s.data[i] == '-' {
		i++
	}
	switch {
	case i < len(s.data) && s.data[i] == '0':
		i++
	case i < len(s.data) && '1' <= s.data[i] && s.data[i] <= '9':
		i = s.digits(i)
	default:
		return s.notJSON()
	}
	if i < len(s.data) && s.data[i] == '.' {
		if i++; i == len(s.data) || !isDigit(s.data[i]) {
			return s.notJSON()
		}
		i = s.digits(i)
	}
	if i < len(s.data) && (s.data[i] == 'e' || s.data[i] == 'E') {
		if i++; i < len(s.data) && (s.data[i] == '+' || s.data[i] == '-') {
			i++
		}
		if i == len(s.data) || !isDigit(s.data[i]) {
			return s.notJSON()
		}
		i = s.digits(i)
	}
	s.pos = i
	return nil
}

// digits is the index past the digits from i.
func (s *strictScanner) digits(i int) int {
	for i < len(s.data) && isDigit(s.data[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// literal reads lit, true, false or null, at s.pos.
func (s *strictScanner) literal(lit string) error {
	if end := s.pos + len(lit); end > len(s.data) || string(s.data[s.pos:end]) != lit {
		return s.notJSON()
	}
	s.pos += len(lit)
	return nil
}

// skipSpace skips the space (RFC 8259's four bytes) at s.pos.
func (s *strictScanner) skipSpace() { s.pos = spaceEnd(s.data, s.pos) }

// spaceEnd is where the space (RFC 8259's four bytes) at data[pos:] ends.
func spaceEnd(data []byte, pos int) int {
	for pos < len(data) {
		switch data[pos] {
		case ' ', '\t', '\n', '\r':
			pos++
		default:
			return pos
		}
	}
	return pos
}

// notJSON is the error for a body whose JSON value has a fault of syntax
// at or after s.pos, in the words of encoding/json, which finds the same
// first fault: a syntax error, or an unexpected EOF if the body ends in
// the middle of its value.
func (s *strictScanner) notJSON() error {
	var raw json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(s.data)).Decode(&raw); err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return fmt.Errorf("not JSON from byte %d", s.pos) // Not reached: the scanner refuses only what encoding/json does.
}

// pathString names the value being read: messages[3].body.
func (s *strictScanner) pathString() string {
	var b []byte
	for _, st := range s.path {
		if st.elem {
			b = append(strconv.AppendInt(append(b, '['), int64(st.index), 10), ']')
			continue
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, st.key...)
	}
	return string(b)
}

// notObject refuses the value being read, which is null or else not an
// object, for a struct.
func (s *strictScanner) notObject(null bool) error {
	what := "the body" // Or the member "" of a map that is the body, as the path is the same.
	if path := s.pathString(); path != "" {
		what = fmt.Sprintf("field %q", path)
	}
	if null {
		return fmt.Errorf("%s must be an object, not null", what)
	}
	return fmt.Errorf("%s must be an object", what)
}
