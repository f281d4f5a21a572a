package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// mustGet fetches url and returns its status and body.
func mustGet(tb testing.TB, url string) (int, string) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read %s: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

// TestOpsNotReady checks that the operations listener, open before the
// journal is replayed, says the process lives and is not ready.
func TestOpsNotReady(t *testing.T) {
	o := newOps()
	if err := o.open("127.0.0.1:0", false, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = o.close(context.Background()) }) // Nothing left to check.
	if code, _ := mustGet(t, o.url()+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/ without --pprof = %d; want 404", code)
	}
	if code, _ := mustGet(t, o.url()+"/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz = %d; want 200", code)
	}
	if code, body := mustGet(t, o.url()+"/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz before replay = %d %q; want 503", code, body)
	}
	if code, body := mustGet(t, o.url()+"/metrics"); code != http.StatusOK || !strings.Contains(body, "corridor_stats_up 0") {
		t.Errorf("GET /metrics before replay = %d, want 200 with corridor_stats_up 0:\n%s", code, body)
	}
}

// TestOpsProfiles checks that --pprof serves Go's profiles.
func TestOpsProfiles(t *testing.T) {
	o := newOps()
	if err := o.open("127.0.0.1:0", true, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = o.close(context.Background()) })
	for path, want := range map[string]string{"/debug/pprof/": "goroutine", "/debug/pprof/heap?debug=1": "heap profile", "/debug/pprof/cmdline": ""} {
		if code, body := mustGet(t, o.url()+path); code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s = %d, want 200 with %q:\n%.300s", path, code, want, body)
		}
	}
}

// TestOps checks a running hub's readiness and metrics.
func TestOps(t *testing.T) {
	m := mustRunHub(t, mustCA(t))
	if code, body := mustGet(t, m.OpsURL()+"/readyz"); code != http.StatusOK {
		t.Errorf("GET /readyz = %d %q; want 200", code, body)
	}
	_, body := mustGet(t, m.OpsURL()+"/metrics")
	for _, want := range []string{"corridor_stats_up 1", "corridor_journal_seq ", "corridor_sequencer_queue_capacity "} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /metrics has no %q:\n%s", want, body)
		}
	}
}

// signalWriter closes started on its first write: the hub's "listening" line.
type signalWriter struct {
	once    sync.Once
	started chan struct{}
}

func (w *signalWriter) Write(b []byte) (int, error) {
	w.once.Do(func() { close(w.started) })
	return len(b), nil
}

// TestHubStopsCleanly runs 'corridor hub' twice on one data directory and
// stops each at once, as SIGTERM does: each returns nil (exit status 0),
// logs why it stops and logs no error.
func TestHubStopsCleanly(t *testing.T) {
	data := mustCA(t)
	for i := range 2 {
		ctx, cancel := context.WithCancel(context.Background())
		out := &signalWriter{started: make(chan struct{})}
		var logs bytes.Buffer
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"hub", "--data", data, "--addr", "127.0.0.1:0", "--ops-addr", "127.0.0.1:0",
				"--log-format", "json", "--resolve-every", "0", "--cycle-every", "0"}, out, &logs)
		}()
		select {
		case <-out.started:
		case err := <-done:
			t.Fatalf("hub %d ended before it listened: %v\n%s", i+1, err, logs.String())
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("hub %d stopped with %v; want nil", i+1, err)
		}
		mustCleanLog(t, logs.String())
	}
}

// mustCleanLog checks that a JSON log has a start line naming the
// listeners, a stop line saying why, and no error.
func mustCleanLog(t *testing.T, logs string) {
	t.Helper()
	msgs := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		if rec["level"] == "ERROR" {
			t.Errorf("log has an error: %s", line)
		}
		msgs[rec["msg"].(string)] = rec
	}
	start := msgs["hub started"]
	for _, k := range []string{"version", "data", "store", "api", "ops"} {
		if start[k] == nil {
			t.Errorf("start line %v has no %q", start, k)
		}
	}
	if msgs["hub stopping"]["why"] == nil || msgs["hub stopped"] == nil {
		t.Errorf("log has no stop lines with a why:\n%s", logs)
	}
}
