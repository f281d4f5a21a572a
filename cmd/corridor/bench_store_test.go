package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/internal/pgtest"
)

// TestBenchStores runs the bench on both journal stores in one run and
// checks that it compares them, the invariants holding on each.
func TestBenchStores(t *testing.T) {
	var out, progress bytes.Buffer
	args := []string{"bench", "--payments", "60", "--concurrency", "4", "--quiet", "--store", "sqlite", "--store", pgtest.New(t)}
	if err := run(context.Background(), args, &out, &progress); err != nil {
		t.Fatalf("bench: %v\n%s%s", err, out.String(), progress.String())
	}
	said := out.String()
	if strings.Count(said, "invariants hold") != 2 || !strings.Contains(said, "== stores compared, acknowledged payments/s:") ||
		!strings.Contains(said, "× the first") || !strings.Contains(said, "== journal on postgres://") {
		t.Errorf("bench on two stores says:\n%s", said)
	}
}
