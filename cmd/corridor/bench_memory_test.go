package main

import (
	"os"
	"slices"
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

// TestTenthsP99 checks that the p99 of each tenth is of those answers, in
// the order they came, that the last tenth takes the answers the division
// leaves over, and that a run too short for a tenth has none.
func TestTenthsP99(t *testing.T) {
	d := make([]time.Duration, 105)
	for i := range d {
		d[i] = time.Duration(i+1) * time.Millisecond
	}
	got := tenthsP99(d)
	want := []int64{10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 105_000}
	if !slices.Equal(got, want) {
		t.Errorf("tenthsP99 = %v µs; want %v", got, want)
	}
	if d[0] != time.Millisecond || d[104] != 105*time.Millisecond {
		t.Error("tenthsP99 reordered its input")
	}
	if p := tenthsP99(d[:9]); p != nil {
		t.Errorf("tenthsP99 of 9 answers = %v; want none", p)
	}
}
