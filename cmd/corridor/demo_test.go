package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestDemo runs the demo in-process, as `corridor demo --once` does.
func TestDemo(t *testing.T) {
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--once", "--data", t.TempDir()}, &out, &errs); err != nil {
		t.Fatalf("demo: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errs.String())
	}
	for _, want := range []string{"status ACSC", "reason AM04", "DUPLICATE", "pacs.008.001.08", "RJCT AM04", "balances add up"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo trace lacks %q:\n%s", want, out.String())
		}
	}
}
