package main

import (
	"os"
	"testing"
	"time"
)

func TestResidentMB(t *testing.T) {
	mb, err := residentMB(os.Getpid())
	if err != nil || mb < 1 || mb > 64<<10 {
		t.Fatalf("residentMB(self) = %.1f, %v; want a few MB", mb, err)
	}
	if _, err := residentMB(-1); err == nil {
		t.Error("residentMB(-1) found a process")
	}
}

// TestTenthsP99 checks that the p99 of the first and last tenth are of
// those answers, in the order they came, and that a run too short for a
// tenth has none.
func TestTenthsP99(t *testing.T) {
	d := make([]time.Duration, 100)
	for i := range d {
		d[i] = time.Duration(i+1) * time.Millisecond
	}
	first, last := tenthsP99(d)
	if first != 10_000 || last != 100_000 {
		t.Errorf("tenthsP99 = %d, %d µs; want 10000, 100000", first, last)
	}
	if d[0] != time.Millisecond || d[99] != 100*time.Millisecond {
		t.Error("tenthsP99 reordered its input")
	}
	if f, l := tenthsP99(d[:9]); f != 0 || l != 0 {
		t.Errorf("tenthsP99 of 9 answers = %d, %d; want none", f, l)
	}
}
