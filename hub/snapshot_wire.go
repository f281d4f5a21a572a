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
//	bool            one byte, 0 or 1
//	int kinds       zig-zag varint
//	uint kinds      varint
//	float64         8 bytes, big-endian IEEE 754 bits
//	string          varint length, bytes
//	time.Time       varint length, Time.MarshalBinary
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
	"time"
)

// maxWireDepth bounds the nesting of decoded values: the image's types nest
// a dozen deep at most.
const maxWireDepth = 32

var timeType = reflect.TypeFor[time.Time]()

// errWire starts every error of the wire form.
var errWire = errors.New("snapshot wire form")

// wireEncoder appends values to buf.
type wireEncoder struct{ buf []byte }

func (e *wireEncoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }

func (e *wireEncoder) flag(present bool) {
	if present {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// encode appends v.
func (e *wireEncoder) encode(v reflect.Value) error {
	if v.Type() == timeType {
		b, err := v.Interface().(time.Time).MarshalBinary()
		if err != nil {
			return fmt.Errorf("%w: %v", errWire, err)
		}
		e.uvarint(uint64(len(b)))
		e.buf = append(e.buf, b...)
		return nil
	}
	switch v.Kind() {
	case reflect.Bool:
		e.flag(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = binary.AppendVarint(e.buf, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.uvarint(v.Uint())
	case reflect.Float64:
		e.buf = binary.BigEndian.AppendUint64(e.buf, math.Float64bits(v.Float()))
	case reflect.String:
		e.uvarint(uint64(v.Len()))
		e.buf = append(e.buf, v.String()...)
	case reflect.Array:
		return e.elems(v)
	case reflect.Slice:
		e.flag(!v.IsNil())
		if v.IsNil() {
			return nil
		}
		e.uvarint(uint64(v.Len()))
		if v.Type().Elem().Kind() == reflect.Uint8 {
			e.buf = append(e.buf, v.Bytes()...)
			return nil
		}
		return e.elems(v)
	case reflect.Pointer:
		e.flag(!v.IsNil())
		if v.IsNil() {
			return nil
		}
		return e.encode(v.Elem())
	case reflect.Map:
		return e.encodeMap(v)
	case reflect.Struct:
		return e.encodeStruct(v)
	default:
		return fmt.Errorf("%w: cannot write a %s", errWire, v.Type())
	}
	return nil
}

func (e *wireEncoder) elems(v reflect.Value) error {
	for i := range v.Len() {
		if err := e.encode(v.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

// encodeMap writes a map with string keys in key order.
func (e *wireEncoder) encodeMap(v reflect.Value) error {
	if v.Type().Key().Kind() != reflect.String {
		return fmt.Errorf("%w: cannot write a %s: its keys are not strings", errWire, v.Type())
	}
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
		if err := e.encode(k); err != nil {
			return err
		}
		if err := e.encode(v.MapIndex(k)); err != nil {
			return err
		}
	}
	return nil
}

func (e *wireEncoder) encodeStruct(v reflect.Value) error {
	t := v.Type()
	if t.NumField() == 0 {
		return fmt.Errorf("%w: cannot write %s: it has no fields", errWire, t)
	}
	for i := range t.NumField() {
		if !t.Field(i).IsExported() {
			return fmt.Errorf("%w: cannot write %s: its field %s is unexported", errWire, t, t.Field(i).Name)
		}
		if err := e.encode(v.Field(i)); err != nil {
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

// decode reads into v, which is settable and zero.
func (d *wireDecoder) decode(v reflect.Value) error {
	if d.depth++; d.depth > maxWireDepth {
		return d.fail("values nested deeper than %d", maxWireDepth)
	}
	defer func() { d.depth-- }()
	if v.Type() == timeType {
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
	switch v.Kind() {
	case reflect.Bool:
		b, err := d.flag()
		v.SetBool(b)
		return err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return d.decodeInt(v)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := d.uvarint()
		if err == nil && v.OverflowUint(n) {
			err = d.fail("%d overflows a %s", n, v.Type())
		}
		v.SetUint(n)
		return err
	case reflect.Float64:
		if len(d.buf) < 8 {
			return d.fail("cut in a number")
		}
		v.SetFloat(math.Float64frombits(binary.BigEndian.Uint64(d.buf)))
		d.buf = d.buf[8:]
		return nil
	case reflect.String:
		b, err := d.bytes()
		v.SetString(string(b))
		return err
	case reflect.Array:
		return d.elems(v)
	case reflect.Slice:
		return d.decodeSlice(v)
	case reflect.Pointer:
		return d.decodePointer(v)
	case reflect.Map:
		return d.decodeMap(v)
	case reflect.Struct:
		for i := range v.NumField() {
			if err := d.decode(v.Field(i)); err != nil {
				return err
			}
		}
		return nil
	}
	return d.fail("cannot read a %s", v.Type())
}

func (d *wireDecoder) decodeInt(v reflect.Value) error {
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

func (d *wireDecoder) elems(v reflect.Value) error {
	for i := range v.Len() {
		if err := d.decode(v.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

func (d *wireDecoder) decodeSlice(v reflect.Value) error {
	if ok, err := d.flag(); !ok || err != nil {
		return err
	}
	if v.Type().Elem().Kind() == reflect.Uint8 {
		b, err := d.bytes()
		if err != nil {
			return err
		}
		v.SetBytes(slices.Clone(b)) // Its own bytes: the state must not hold the whole snapshot alive.
		return nil
	}
	n, err := d.count()
	if err != nil {
		return err
	}
	v.Set(reflect.MakeSlice(v.Type(), n, n))
	return d.elems(v)
}

func (d *wireDecoder) decodePointer(v reflect.Value) error {
	if ok, err := d.flag(); !ok || err != nil {
		return err
	}
	p := reflect.New(v.Type().Elem())
	if err := d.decode(p.Elem()); err != nil {
		return err
	}
	v.Set(p)
	return nil
}

func (d *wireDecoder) decodeMap(v reflect.Value) error {
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
		if err := d.decode(k); err != nil {
			return err
		}
		if m.MapIndex(k).IsValid() {
			return d.fail("map key %.40q twice", k.String())
		}
		if err := d.decode(e); err != nil {
			return err
		}
		m.SetMapIndex(k, e)
	}
	v.Set(m)
	return nil
}
