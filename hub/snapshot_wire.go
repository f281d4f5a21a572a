package hub

// The snapshot's wire form: a plain binary encoding of Go values, written
// by reflection over the image's types with encoding/binary's varints, so
// that every exported field of every type the image holds is written, in
// declaration order, without a codec per type to keep in step with the
// types. A type with an unexported field (which the encoder could not read
// back) or of a kind it does not know (interfaces, functions, channels) is
// refused with an error, never skipped: TestSnapshotImage walks the image's
// types with the encoder's own rules.
//
// Each type is compiled once into a wireCodec (its fields, their codecs),
// and values are then written and read through it: looking a struct's
// fields up by reflection for every value took most of the time of
// encoding a snapshot of tens of thousands of payments.
//
//	bool            one byte, 0 or 1
//	int kinds       zig-zag varint
//	uint kinds      varint
//	float64         8 bytes, big-endian IEEE 754 bits
//	string          varint length, bytes
//	time.Time       varint length, Time.MarshalBinary
//	[N]byte         N bytes
//	[N]T            N values
//	[]T, map, *T    one byte, 0 for nil; then a varint count and the values
//	                (a map's keys, strings, sorted), or the pointed value
//	struct          its fields in order
//
// Decoding is bounded: every count and length is checked against the bytes
// left before anything is allocated for it (each value takes at least one
// byte), so what decoding allocates is in proportion to the input; nesting
// is bounded by maxWireDepth.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/corridor-network/corridor/internal/assert"
)

// maxWireDepth bounds the nesting of decoded values: the image's types nest
// a dozen deep at most.
const maxWireDepth = 32

var timeType = reflect.TypeFor[time.Time]()

// errWire starts every error of the wire form.
var errWire = errors.New("snapshot wire form")

// wireCodec writes and reads the values of one type. Decode is given a
// settable zero value.
type wireCodec struct {
	encode func(e *wireEncoder, v reflect.Value) error
	decode func(d *wireDecoder, v reflect.Value) error
}

// wireCodecs holds the codec of every type compiled so far.
var wireCodecs sync.Map // reflect.Type → *wireCodec

// codecOf is t's codec, compiled at its first use.
func codecOf(t reflect.Type) (*wireCodec, error) {
	if c, ok := wireCodecs.Load(t); ok {
		return c.(*wireCodec), nil
	}
	b := wireCompiler{compiling: make(map[reflect.Type]*wireCodec)}
	c, err := b.compile(t)
	if err != nil {
		return nil, err
	}
	for t, c := range b.compiling { // Only whole codecs are kept: every one compiled without an error.
		wireCodecs.LoadOrStore(t, c)
	}
	return c, nil
}

// wireCompiler compiles a type and the types it holds. A type that holds
// itself gets the codec being compiled, filled in by the time it is used.
type wireCompiler struct {
	compiling map[reflect.Type]*wireCodec
}

func (b *wireCompiler) compile(t reflect.Type) (*wireCodec, error) {
	if c, ok := wireCodecs.Load(t); ok {
		return c.(*wireCodec), nil
	}
	if c, ok := b.compiling[t]; ok {
		return c, nil
	}
	c := &wireCodec{}
	b.compiling[t] = c
	var err error
	switch {
	case t == timeType:
		c.encode, c.decode = encodeTime, decodeTime
	case t.Kind() == reflect.Array && t.Elem().Kind() == reflect.Uint8:
		c.encode, c.decode = encodeByteArray, decodeByteArray
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		c.encode, c.decode = encodeBytes, decodeBytes
	default:
		err = b.compileKind(c, t)
	}
	return c, err
}

func (b *wireCompiler) compileKind(c *wireCodec, t reflect.Type) error {
	switch t.Kind() {
	case reflect.Bool:
		c.encode, c.decode = encodeBool, decodeBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.encode, c.decode = encodeInt, decodeInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.encode, c.decode = encodeUint, decodeUint
	case reflect.Float64:
		c.encode, c.decode = encodeFloat, decodeFloat
	case reflect.String:
		c.encode, c.decode = encodeString, decodeString
	case reflect.Array, reflect.Slice, reflect.Pointer:
		elem, err := b.compile(t.Elem())
		if err != nil {
			return err
		}
		c.encode, c.decode = holderCodec(t.Kind(), elem)
	case reflect.Map:
		return b.compileMap(c, t)
	case reflect.Struct:
		return b.compileStruct(c, t)
	default:
		return fmt.Errorf("%w: cannot write a %s", errWire, t)
	}
	return nil
}

// holderCodec is the codec of an array, a slice or a pointer of elem.
func holderCodec(kind reflect.Kind, elem *wireCodec) (func(*wireEncoder, reflect.Value) error, func(*wireDecoder, reflect.Value) error) {
	switch kind {
	case reflect.Array:
		return func(e *wireEncoder, v reflect.Value) error { return e.elems(v, elem) },
			func(d *wireDecoder, v reflect.Value) error { return d.elems(v, elem) }
	case reflect.Slice:
		return func(e *wireEncoder, v reflect.Value) error { return e.slice(v, elem) },
			func(d *wireDecoder, v reflect.Value) error { return d.slice(v, elem) }
	default:
		return func(e *wireEncoder, v reflect.Value) error { return e.pointer(v, elem) },
			func(d *wireDecoder, v reflect.Value) error { return d.pointer(v, elem) }
	}
}

func (b *wireCompiler) compileMap(c *wireCodec, t reflect.Type) error {
	if t.Key().Kind() != reflect.String {
		return fmt.Errorf("%w: cannot write a %s: its keys are not strings", errWire, t)
	}
	key, err := b.compile(t.Key())
	if err != nil {
		return err
	}
	elem, err := b.compile(t.Elem())
	if err != nil {
		return err
	}
	c.encode = func(e *wireEncoder, v reflect.Value) error { return e.encodeMap(v, key, elem) }
	c.decode = func(d *wireDecoder, v reflect.Value) error { return d.decodeMap(v, key, elem) }
	return nil
}

func (b *wireCompiler) compileStruct(c *wireCodec, t reflect.Type) error {
	if t.NumField() == 0 {
		return fmt.Errorf("%w: cannot write %s: it has no fields", errWire, t)
	}
	fields := make([]*wireCodec, t.NumField()) // By field index.
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			return fmt.Errorf("%w: cannot write %s: its field %s is unexported", errWire, t, f.Name)
		}
		fc, err := b.compile(f.Type)
		if err != nil {
			return err
		}
		fields[i] = fc
	}
	c.encode = func(e *wireEncoder, v reflect.Value) error {
		for i, f := range fields {
			if err := f.encode(e, v.Field(i)); err != nil {
				return err
			}
		}
		return nil
	}
	c.decode = func(d *wireDecoder, v reflect.Value) error {
		if err := d.enter(v); err != nil {
			return err
		}
		defer d.leave()
		for i, f := range fields {
			if err := f.decode(d, v.Field(i)); err != nil {
				return err
			}
		}
		return nil
	}
	return nil
}

// wireEncoder appends values to buf. With yieldEvery set it rests each
// time it has written that many more bytes, for as long as writing them
// took (at most maxRest), so that a long encoding beside a busy hub takes
// at most about half a core (encodeImage says why).
type wireEncoder struct {
	buf        []byte
	yieldEvery int
	yieldAt    int
	since      time.Time // When the bytes since the last rest began.
}

// maxRest bounds one rest of a yielding encoder: a slice held up by the
// scheduler does not stop the encoding for as long.
const maxRest = 5 * time.Millisecond

// yield rests once yieldEvery more bytes are written.
func (e *wireEncoder) yield() {
	if e.yieldEvery == 0 || len(e.buf) < e.yieldAt {
		return
	}
	time.Sleep(min(time.Since(e.since), maxRest))
	e.yieldAt, e.since = len(e.buf)+e.yieldEvery, time.Now()
}

// encode appends v.
func (e *wireEncoder) encode(v reflect.Value) error {
	c, err := codecOf(v.Type())
	if err != nil {
		return err
	}
	return c.encode(e, v)
}

func (e *wireEncoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }

func (e *wireEncoder) flag(present bool) {
	if present {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// encodeTime writes t's MarshalBinary form after its length. The form is
// at most 16 bytes, so its length is one byte, written before the form is
// known and set after: the form is written in place, with nothing
// allocated for it or for the time.
func encodeTime(e *wireEncoder, v reflect.Value) error {
	t, _ := reflect.TypeAssert[time.Time](v) // Compiled for time.Time only.
	at := len(e.buf)
	b, err := t.AppendBinary(append(e.buf, 0))
	if err != nil {
		return fmt.Errorf("%w: %v", errWire, err)
	}
	n := len(b) - at - 1
	assert.That(n < 0x80, "a time's binary form of %d bytes", n)
	b[at] = byte(n)
	e.buf = b
	return nil
}

func encodeBool(e *wireEncoder, v reflect.Value) error { e.flag(v.Bool()); return nil }

func encodeInt(e *wireEncoder, v reflect.Value) error {
	e.buf = binary.AppendVarint(e.buf, v.Int())
	return nil
}

func encodeUint(e *wireEncoder, v reflect.Value) error { e.uvarint(v.Uint()); return nil }

func encodeFloat(e *wireEncoder, v reflect.Value) error {
	e.buf = binary.BigEndian.AppendUint64(e.buf, math.Float64bits(v.Float()))
	return nil
}

func encodeString(e *wireEncoder, v reflect.Value) error {
	e.uvarint(uint64(v.Len()))
	e.buf = append(e.buf, v.String()...)
	return nil
}

// encodeByteArray writes an array of bytes as they are. An array that is
// not addressable (a map's value) is read a byte at a time.
func encodeByteArray(e *wireEncoder, v reflect.Value) error {
	if v.CanAddr() {
		e.buf = append(e.buf, v.Bytes()...)
		return nil
	}
	for i := range v.Len() {
		e.buf = append(e.buf, byte(v.Index(i).Uint()))
	}
	return nil
}

func encodeBytes(e *wireEncoder, v reflect.Value) error {
	e.flag(!v.IsNil())
	if !v.IsNil() {
		e.uvarint(uint64(v.Len()))
		e.buf = append(e.buf, v.Bytes()...)
	}
	return nil
}

func (e *wireEncoder) elems(v reflect.Value, elem *wireCodec) error {
	for i := range v.Len() {
		if err := elem.encode(e, v.Index(i)); err != nil {
			return err
		}
		e.yield()
	}
	return nil
}

func (e *wireEncoder) slice(v reflect.Value, elem *wireCodec) error {
	e.flag(!v.IsNil())
	if v.IsNil() {
		return nil
	}
	e.uvarint(uint64(v.Len()))
	return e.elems(v, elem)
}

func (e *wireEncoder) pointer(v reflect.Value, elem *wireCodec) error {
	e.flag(!v.IsNil())
	if v.IsNil() {
		return nil
	}
	return elem.encode(e, v.Elem())
}

// encodeMap writes a map with string keys in key order.
func (e *wireEncoder) encodeMap(v reflect.Value, key, elem *wireCodec) error {
	e.flag(!v.IsNil())
	if v.IsNil() {
		return nil
	}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int {
		switch {
		case a.String() < b.String():
			return -1
		case a.String() > b.String():
			return 1
		}
		return 0
	})
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		if err := key.encode(e, k); err != nil {
			return err
		}
		if err := elem.encode(e, v.MapIndex(k)); err != nil {
			return err
		}
	}
	return nil
}

// wireDecoder reads values from buf.
type wireDecoder struct {
	buf   []byte
	depth int
}

// decode reads into v, which is settable and zero.
func (d *wireDecoder) decode(v reflect.Value) error {
	c, err := codecOf(v.Type())
	if err != nil {
		return d.fail("cannot read a %s: %v", v.Type(), err)
	}
	return c.decode(d, v)
}

// enter starts reading v, a value that holds others, within maxWireDepth;
// leave ends it.
func (d *wireDecoder) enter(v reflect.Value) error {
	if d.depth++; d.depth > maxWireDepth {
		return d.fail("values nested deeper than %d in a %s", maxWireDepth, v.Type())
	}
	return nil
}

func (d *wireDecoder) leave() { d.depth-- }

func (d *wireDecoder) fail(format string, args ...any) error {
	return fmt.Errorf("%w: %s, %d bytes before the end", errWire, fmt.Sprintf(format, args...), len(d.buf))
}

func (d *wireDecoder) uvarint() (uint64, error) {
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		return 0, d.fail("a malformed or cut count")
	}
	d.buf = d.buf[n:]
	return v, nil
}

// count reads a count of values that take at least one byte each.
func (d *wireDecoder) count() (int, error) {
	n, err := d.uvarint()
	if err != nil {
		return 0, err
	}
	if n > uint64(len(d.buf)) {
		return 0, d.fail("a count of %d", n)
	}
	return int(n), nil
}

func (d *wireDecoder) flag() (bool, error) {
	if len(d.buf) == 0 {
		return false, d.fail("cut before a flag")
	}
	b := d.buf[0]
	d.buf = d.buf[1:]
	if b > 1 {
		return false, d.fail("flag %d", b)
	}
	return b == 1, nil
}

// bytes reads a length and that many bytes.
func (d *wireDecoder) bytes() ([]byte, error) {
	n, err := d.count()
	if err != nil {
		return nil, err
	}
	b := d.buf[:n:n]
	d.buf = d.buf[n:]
	return b, nil
}

func decodeTime(d *wireDecoder, v reflect.Value) error {
	b, err := d.bytes()
	if err != nil {
		return err
	}
	var t time.Time
	if err := t.UnmarshalBinary(b); err != nil {
		return d.fail("a time: %v", err)
	}
	if _, offset := t.Zone(); t.Year() < 0 || t.Year() > 9999 || offset <= -24*3600 || offset >= 24*3600 {
		return d.fail("a time out of range") // The state hash writes times in RFC 3339, which has no room for it.
	}
	v.Set(reflect.ValueOf(t))
	return nil
}

func decodeBool(d *wireDecoder, v reflect.Value) error {
	b, err := d.flag()
	v.SetBool(b)
	return err
}

func decodeInt(d *wireDecoder, v reflect.Value) error {
	n, k := binary.Varint(d.buf)
	if k <= 0 {
		return d.fail("a malformed or cut number")
	}
	d.buf = d.buf[k:]
	if v.OverflowInt(n) {
		return d.fail("%d overflows a %s", n, v.Type())
	}
	v.SetInt(n)
	return nil
}

func decodeUint(d *wireDecoder, v reflect.Value) error {
	n, err := d.uvarint()
	if err == nil && v.OverflowUint(n) {
		err = d.fail("%d overflows a %s", n, v.Type())
	}
	v.SetUint(n)
	return err
}

func decodeFloat(d *wireDecoder, v reflect.Value) error {
	if len(d.buf) < 8 {
		return d.fail("cut in a number")
	}
	v.SetFloat(math.Float64frombits(binary.BigEndian.Uint64(d.buf)))
	d.buf = d.buf[8:]
	return nil
}

func decodeString(d *wireDecoder, v reflect.Value) error {
	b, err := d.bytes()
	v.SetString(string(b))
	return err
}

func decodeByteArray(d *wireDecoder, v reflect.Value) error {
	n := v.Len()
	if len(d.buf) < n {
		return d.fail("cut in a %s", v.Type())
	}
	copy(v.Bytes(), d.buf[:n])
	d.buf = d.buf[n:]
	return nil
}

func decodeBytes(d *wireDecoder, v reflect.Value) error {
	if ok, err := d.flag(); !ok || err != nil {
		return err
	}
	b, err := d.bytes()
	if err != nil {
		return err
	}
	v.SetBytes(slices.Clone(b)) // Its own bytes: the state must not hold the whole snapshot alive.
	return nil
}

func (d *wireDecoder) elems(v reflect.Value, elem *wireCodec) error {
	if err := d.enter(v); err != nil {
		return err
	}
	defer d.leave()
	for i := range v.Len() {
		if err := elem.decode(d, v.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

func (d *wireDecoder) slice(v reflect.Value, elem *wireCodec) error {
	if ok, err := d.flag(); !ok || err != nil {
		return err
	}
	n, err := d.count()
	if err != nil {
		return err
	}
	v.Set(reflect.MakeSlice(v.Type(), n, n))
	return d.elems(v, elem)
}

func (d *wireDecoder) pointer(v reflect.Value, elem *wireCodec) error {
	if err := d.enter(v); err != nil {
		return err
	}
	defer d.leave()
	if ok, err := d.flag(); !ok || err != nil {
		return err
	}
	p := reflect.New(v.Type().Elem())
	if err := elem.decode(d, p.Elem()); err != nil {
		return err
	}
	v.Set(p)
	return nil
}

func (d *wireDecoder) decodeMap(v reflect.Value, key, elem *wireCodec) error {
	if err := d.enter(v); err != nil {
		return err
	}
	defer d.leave()
	if ok, err := d.flag(); !ok || err != nil {
		return err
	}
	n, err := d.count()
	if err != nil {
		return err
	}
	t := v.Type()
	m := reflect.MakeMapWithSize(t, n)
	for range n {
		k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
		if err := key.decode(d, k); err != nil {
			return err
		}
		if m.MapIndex(k).IsValid() {
			return d.fail("map key %.40q twice", k.String())
		}
		if err := elem.decode(d, e); err != nil {
			return err
		}
		m.SetMapIndex(k, e)
	}
	v.Set(m)
	return nil
}
