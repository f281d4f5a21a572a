package metrics_test

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/metrics"
	"github.com/corridor-network/corridor/settlement"
)

// fullStats has a value of every kind, so that every gauge has a series.
func fullStats(context.Context) (hub.Stats, error) {
	return hub.Stats{Seq: 7, QueueDepth: 1,
		Payments:     []hub.PaymentCount{{MsgDef: "pacs.008.001.08", Status: corridor.StatusSettled, Count: 2}},
		Waiting:      []hub.WaitingTotal{{Wait: hub.WaitCompliance, Currency: "INR", Count: 1, Value: 100}},
		Cycle:        []hub.WaitingTotal{{Currency: "RUB", Count: 1, Value: 5}},
		Days:         []hub.DayView{{Currency: "INR", Phase: settlement.PhaseOpen, Waiting: 1}},
		Inboxes:      []hub.InboxBacklog{{BIC: "DEMOINBBXXX", Messages: 3}},
		Certificates: []hub.CertificateEnd{{BIC: "DEMOINBBXXX", NotAfter: time.Unix(2e9, 0)}},
	}, nil
}

// mustNames are the metric families m exposes once each hook ran.
func mustNames(tb testing.TB, m *metrics.Metrics) map[string]bool {
	tb.Helper()
	m.BatchCommitted(2, 1)
	m.Screened(time.Millisecond, 1)
	m.JournalTiming(1, time.Millisecond, time.Millisecond)
	m.Request("POST /v1/messages", 202, time.Millisecond)
	families, err := m.Registry.Gather()
	if err != nil {
		tb.Fatalf("gather: %v", err)
	}
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
	}
	return names
}

// TestDashboard checks that every corridor metric the Grafana dashboard
// names is in the registry, and that the dashboard shows each of them.
func TestDashboard(t *testing.T) {
	b, err := os.ReadFile("../deploy/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("dashboard is not valid JSON: %v", err)
	}
	names := mustNames(t, metrics.New(fullStats))
	shown := map[string]bool{}
	word := regexp.MustCompile(`corridor_[a-z0-9_]+`)
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			for _, n := range word.FindAllString(tg.Expr, -1) {
				base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_count"), "_sum")
				if !names[base] {
					t.Errorf("panel %q names %s, which the registry does not have", p.Title, n)
				}
				shown[base] = true
			}
		}
	}
	for n := range names {
		if strings.HasPrefix(n, "corridor_") && !shown[n] {
			t.Errorf("the dashboard shows no panel of %s", n)
		}
	}
}

// TestNotReady checks that a hub that does not answer gives
// corridor_stats_up 0 and no other hub gauge.
func TestNotReady(t *testing.T) {
	m := metrics.New(func(context.Context) (hub.Stats, error) { return hub.Stats{}, corridor.ErrStopped })
	names := mustNames(t, m)
	if !names["corridor_stats_up"] || names["corridor_journal_seq"] {
		t.Errorf("metrics of a stopped hub = %v; want corridor_stats_up and no corridor_journal_seq", names)
	}
}
