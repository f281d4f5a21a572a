package hub

import (
	"encoding/binary"
	"fmt"
)

// The binary records the hub writes to the store (book entries, payment
// payloads) are fields in order: numbers as varints, strings and byte
// strings as a uvarint length and their bytes.

// appendString appends s as a uvarint length and its bytes.
func appendString[S ~string | ~[]byte](buf []byte, s S) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// recordReader reads a record's fields in order; the first failure sticks,
// and every read after it returns zero. Its errors wrap kind, and no string
// it reads is longer than maxString.
type recordReader struct {
	buf       []byte
	err       error
	kind      error
	maxString int
}

func (d *recordReader) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", d.kind, fmt.Sprintf(format, args...))
	}
	d.buf = nil
}

func (d *recordReader) oneByte() byte {
	if len(d.buf) < 1 {
		d.fail("cut short")
		return 0
	}
	b := d.buf[0]
	d.buf = d.buf[1:]
	return b
}

func (d *recordReader) uvarint() uint64 { return readNumber(d, binary.Uvarint) }

func (d *recordReader) varint() int64 { return readNumber(d, binary.Varint) }

// readNumber reads one varint with read (binary.Uvarint or binary.Varint).
func readNumber[T uint64 | int64](d *recordReader, read func([]byte) (T, int)) T {
	v, n := read(d.buf)
	if n <= 0 {
		d.fail("a number is cut short or too long")
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *recordReader) string() string {
	return string(d.bytesUpTo(d.maxString))
}

// bytes reads a byte string of any length the record holds, as a slice of
// the record: the caller copies what it keeps.
func (d *recordReader) bytes() []byte { return d.bytesUpTo(len(d.buf)) }

func (d *recordReader) bytesUpTo(limit int) []byte {
	n := d.uvarint()
	switch {
	case d.err != nil:
		return nil
	case n > uint64(limit) || n > uint64(len(d.buf)):
		d.fail("a string of %d bytes, with %d left (at most %d)", n, len(d.buf), limit)
		return nil
	}
	b := d.buf[:n:n]
	d.buf = d.buf[n:]
	return b
}

// fixed reads n bytes as they are.
func (d *recordReader) fixed(n int) []byte {
	if len(d.buf) < n {
		d.fail("cut short")
		return nil
	}
	b := d.buf[:n:n]
	d.buf = d.buf[n:]
	return b
}
