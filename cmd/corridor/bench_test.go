package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestBench runs a small `corridor bench`: every payment settles.
func TestBench(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"bench", "--payments", "40", "--concurrency", "4"}, &out, &out); err != nil {
		t.Fatalf("bench: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "40 payments, 4 submitters, screening true") || !strings.Contains(out.String(), "0 failed") {
		t.Errorf("bench says:\n%s", out.String())
	}
}
