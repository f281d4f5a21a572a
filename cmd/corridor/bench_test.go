package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestBench runs a small `corridor bench`: every payment is acknowledged,
// settles once and reaches the sender as a pacs.002 that it acknowledges.
func TestBench(t *testing.T) {
	t.Run("ClosedLoop", func(t *testing.T) {
		var out, progress bytes.Buffer
		if err := run(context.Background(), []string{"bench", "--payments", "40", "--concurrency", "4", "--mix", "gross=1"}, &out, &progress); err != nil {
			t.Fatalf("bench: %v\n%s%s", err, out.String(), progress.String())
		}
		for _, want := range []string{"40 payments (mix gross=1), 4 submitters, screening true", "submitted 40, acknowledged (202) 40, refused 0, settled 40",
			"submit→pacs.002: p50", "messages delivered 80, acknowledged 80", "invariants hold"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("bench says:\n%s\nwant %q in it", out.String(), want)
			}
		}
	})
	t.Run("Mix", func(t *testing.T) { benchMixed(t, "--concurrency", "8") })
	t.Run("BatchMix", func(t *testing.T) { // Each sender's payments in batches of 16 under one signature.
		if r := benchMixed(t, "--concurrency", "4", "--batch", "16"); r.Options.Batch != 16 {
			t.Errorf("bench --batch 16 reports batch %d", r.Options.Batch)
		}
	})
	t.Run("OpenLoopJSON", func(t *testing.T) {
		var out, progress bytes.Buffer
		args := []string{"bench", "--duration", "300ms", "--rate", "100", "--concurrency", "8", "--json"}
		if err := run(context.Background(), args, &out, &progress); err != nil {
			t.Fatalf("bench: %v\n%s%s", err, out.String(), progress.String())
		}
		r := mustBenchReport(t, out.Bytes())
		if r.Submitted < 10 || r.Acknowledged != r.Submitted || !r.Invariants.OK || r.ListEntries == 0 {
			t.Errorf("bench --json = %+v; want every submission acknowledged, invariants ok, lists loaded", r)
		}
	})
	t.Run("ErrFlags", func(t *testing.T) {
		for _, args := range [][]string{{"--mix", "gross=1,wire=2"}, {"--mix", "gross=0"}, {"--mix", "gross=1,gross=2"},
			{"--kill-jitter", "1s"}, {"--kill-every", "10ms"}, {"--kill-every", "1s", "--kill-jitter", "2s"},
			{"--kill-every", "1s", "--crash-points", "journal.append"}, {"--batch", "0"}, {"--batch", "257"}} {
			var out, stderr bytes.Buffer
			err := run(context.Background(), append([]string{"bench"}, args...), &out, &stderr)
			if exitStatus(err) != 2 {
				t.Errorf("bench %q: %v (status %d); want a usage error", args, err, exitStatus(err))
			}
		}
	})
}

// benchMixed runs the bench of 300 payments of every kind with flags: every
// one acknowledged and settled once, every duplicate answered as one.
func benchMixed(t *testing.T, flags ...string) benchReport {
	t.Helper()
	var out, progress bytes.Buffer
	args := append([]string{"bench", "--payments", "300", "--mix", "gross=40,queued=20,fx=20,dup=10,return=10", "--json"}, flags...)
	if err := run(context.Background(), args, &out, &progress); err != nil {
		t.Fatalf("bench: %v\n%s%s", err, out.String(), progress.String())
	}
	r := mustBenchReport(t, out.Bytes())
	if len(r.Kinds) != int(numKinds) || r.Acknowledged != r.Submitted || !r.Invariants.OK {
		t.Fatalf("bench --json = %+v; want all five kinds, every submission acknowledged, invariants ok", r)
	}
	for _, k := range r.Kinds {
		switch {
		case k.Kind == "dup" && k.Duplicates != k.Acknowledged:
			t.Errorf("%d of %d duplicates answered as duplicates; want all", k.Duplicates, k.Acknowledged)
		case k.Kind != "dup" && (k.Settled != k.Acknowledged || k.Final["ACSC"] != int(k.Acknowledged)):
			t.Errorf("%s: %d acknowledged, %d with an ACSC pacs.002, final %v; want all settled", k.Kind, k.Acknowledged, k.Settled, k.Final)
		}
	}
	if progress.Len() != 0 {
		t.Errorf("bench --json wrote a progress line: %q", progress.String())
	}
	return r
}

func mustBenchReport(t *testing.T, data []byte) benchReport {
	t.Helper()
	var r benchReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, data)
	}
	return r
}
