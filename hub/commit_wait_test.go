package hub

import (
	"runtime/metrics"
	"testing"
	"time"
)

// TestCommitWait: a batch waits for company only while the CPU is
// saturated, only for what is left of the interval since the append before
// it began, and never when the wait is off, when it journals nothing or
// when it is full; the saturation is asked only when it decides.
func TestCommitWait(t *testing.T) {
	const interval = 4 * time.Millisecond
	for _, c := range []struct {
		name              string
		interval, since   time.Duration
		entries, requests int
		saturated, asked  bool
		want              time.Duration
	}{
		{"saturated", interval, time.Millisecond, 3, 5, true, true, 3 * time.Millisecond},
		{"room", interval, time.Millisecond, 3, 5, false, true, 0},
		{"interval over", interval, interval, 3, 5, true, false, 0},
		{"off", -1, 0, 3, 5, true, false, 0},
		{"queries alone", interval, 0, 0, 5, true, false, 0},
		{"full", interval, 0, MaxBatch, MaxBatch, true, false, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			asked := false
			got := commitWait(c.interval, c.since, c.entries, c.requests, func() bool { asked = true; return c.saturated })
			if got != c.want || asked != c.asked {
				t.Errorf("commitWait = %v (saturation asked: %t); want %v (%t)", got, asked, c.want, c.asked)
			}
		})
	}
}

// TestCPUSaturatedReads: the runtime metrics the wait reads exist in this
// Go: without them a batch would never wait.
func TestCPUSaturatedReads(t *testing.T) {
	s := []metrics.Sample{{Name: runnableMetric}, {Name: gomaxprocsMetric}}
	metrics.Read(s)
	for _, m := range s {
		if m.Value.Kind() != metrics.KindUint64 {
			t.Fatalf("runtime metric %s: kind %v; want a uint64", m.Name, m.Value.Kind())
		}
	}
}
