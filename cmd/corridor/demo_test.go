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
	for _, want := range []string{"status ACSC", "reason AM04", "DUPLICATE", "pacs.008.001.08", "RJCT AM04", "balances add up",
		"QUEUED: waits for liquidity", "RELEASED by incoming liquidity", "got FX quote", "converted to RUB 1082300.00",
		"converted         1000000.00 INR at 1.0823", "DEMOFXPRXXX/RUB → DEMORUMMXXX/RUB 1082300.00", "FX provider DEMOFXPRXXX quotes INR/RUB",
		"fx-position/RUB                      0.00  floor 0.00", "expired 1",
		"REFUSED 422 AG01", "every message is signed",
		"HELD for compliance review", "REJECTED it: the Indian bank's tracker says RJCT RR04",
		"returns INR 5000000.00 of the first cargo with a pacs.004", "pacs.004.001.09"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo trace lacks %q:\n%s", want, out.String())
		}
	}
}
