package main

import (
	"bytes"
	"context"
	"regexp"
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
		"fx-position/RUB                      0.00  floor 0.00", "operator opened it (POST /v1/days/INR/open)",
		"REFUSED 422 AG01", "every message is signed",
		"HELD for compliance review", "REJECTED it: the Indian bank's tracker says RJCT RR04",
		"returns INR 5000000.00 of the first cargo with a pacs.004", "pacs.004.001.09",
		"status PDNG  WAREHOUSED: waits for its value date", "wait warehouse, value date",
		"warehoused   PDNG waits for its settlement date", "(1000000.00 value-dated, 5000000.00 returned)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo trace lacks %q:\n%s", want, out.String())
		}
	}
	checkDemoDay(t, out.String())
}

// checkDemoDay checks the trace's end of day: the INR day closed, a
// camt.053 reached each bank, and the value-dated payment settled on the
// business day that opened.
func checkDemoDay(t *testing.T, trace string) {
	t.Helper()
	closed := regexp.MustCompile(`operator closed INR business day (\S+) .*\n.*now INR business day (\S+) is open, 0 warehoused \(was 1\)`).FindStringSubmatch(trace)
	if closed == nil {
		t.Fatalf("demo trace shows no INR end of day:\n%s", trace)
	}
	day, next := closed[1], closed[2]
	for _, bic := range []string{"DEMORUMMXXX", "DEMOINBBXXX"} {
		stmt := "camt.053.001.08 end-of-day statement, reference S" + strings.ReplaceAll(day, "-", "") + "INR" + bic + "N1P1"
		if !strings.Contains(trace, stmt) {
			t.Errorf("demo trace lacks %q", stmt)
		}
	}
	if n := strings.Count(trace, "ElctrncSeqNb 1  LglSeqNb 1"); n != 2 {
		t.Errorf("demo trace has %d statements numbered 1; want 2", n)
	}
	for _, want := range []string{"value-dated " + next + ", the next INR business day", "business day " + next + " opened",
		"ACSC, FctvIntrBkSttlmDt " + next + ": RELEASED at the next day's open", "ACSC settled " + next} {
		if !strings.Contains(trace, want) {
			t.Errorf("demo trace lacks %q (the value-dated payment settled on the new business day)", want)
		}
	}
}
