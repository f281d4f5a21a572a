package hub

import (
	"encoding/binary"
	"reflect"
	"testing"
	"time"
)

// TestEncodeTimeForm checks that a time is written as its length and its
// MarshalBinary form, as snapshots have always held it, now that the form
// is appended in place.
func TestEncodeTimeForm(t *testing.T) {
	times := []time.Time{
		{},
		time.Date(2026, 12, 2, 8, 0, 0, 123456789, time.UTC),
		time.Date(2026, 12, 2, 13, 30, 0, 0, time.FixedZone("IST", 5*3600+1800)),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.FixedZone("odd", 17)), // A zone offset in seconds: the longer form.
		time.Now(), // With a monotonic reading, which the form leaves out.
	}
	for _, tm := range times {
		want, err := tm.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		want = append(binary.AppendUvarint(nil, uint64(len(want))), want...)
		e := wireEncoder{buf: []byte("prefix")}
		if err := encodeTime(&e, reflect.ValueOf(tm)); err != nil {
			t.Fatal(err)
		}
		if got := string(e.buf[len("prefix"):]); got != string(want) {
			t.Errorf("%v: wrote %x, want %x", tm, got, want)
		}
	}
}
