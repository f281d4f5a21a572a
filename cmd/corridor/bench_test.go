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
		if err := run(context.Background(), []string{"bench", "--payments", "40", "--concurrency", "4"}, &out, &progress); err != nil {
			t.Fatalf("bench: %v\n%s%s", err, out.String(), progress.String())
		}
		for _, want := range []string{"40 payments, 4 submitters, screening true", "submitted 40, acknowledged (202) 40, refused 0, settled 40",
			"submit→pacs.002: p50", "messages delivered 80, acknowledged 80", "invariants hold"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("bench says:\n%s\nwant %q in it", out.String(), want)
			}
		}
	})
	t.Run("OpenLoopJSON", func(t *testing.T) {
		var out, progress bytes.Buffer
		args := []string{"bench", "--duration", "300ms", "--rate", "100", "--concurrency", "8", "--json"}
		if err := run(context.Background(), args, &out, &progress); err != nil {
			t.Fatalf("bench: %v\n%s%s", err, out.String(), progress.String())
		}
		var r benchReport
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatalf("bench --json: %v\n%s", err, out.String())
		}
		if r.Submitted < 10 || r.Acknowledged != r.Submitted || r.Settled != r.Acknowledged || !r.Invariants.OK || r.ListEntries == 0 {
			t.Errorf("bench --json = %+v; want every submission acknowledged and settled, invariants ok, lists loaded", r)
		}
	})
}
