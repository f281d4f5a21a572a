package httpapi

import (
	"bytes"
	"strings"
	"testing"
)

// allocSlack is how much the allocator may round a large buffer up.
const allocSlack = 8 << 10

// TestReadAllPresize: a body is read whole into a buffer of its declared
// length, and a declared length past maxPresize sets aside no more than
// that before the bytes come.
func TestReadAllPresize(t *testing.T) {
	body := strings.Repeat("x", 300_000)
	got, err := readAllInto(new(bytes.Buffer), strings.NewReader(body), int64(len(body)), 1<<20)
	if err != nil || string(got) != body || cap(got) > len(body)+bytes.MinRead+allocSlack {
		t.Errorf("read %d bytes (cap %d), %v; want the %d declared in one buffer", len(got), cap(got), err, len(body))
	}
	got, err = readAllInto(new(bytes.Buffer), strings.NewReader("x"), 100<<20, 128<<20)
	if err != nil || string(got) != "x" || cap(got) > maxPresize+bytes.MinRead+allocSlack {
		t.Errorf("a 100 MiB declaration set aside %d bytes (%v); want at most %d", cap(got), err, maxPresize+bytes.MinRead)
	}
}
