package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
)

// countingHandler counts the records logged, by message.
type countingHandler struct {
	mu      sync.Mutex // guards records
	records []slog.Record
}

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r)
	return nil
}
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }

// TestServerLogRateLimitsHandshakes writes 2,000 handshake failures from one
// host (many ports) and some from another: each host is logged once, and
// again with the count left out once HandshakeLogEvery has passed.
func TestServerLogRateLimitsHandshakes(t *testing.T) {
	h := &countingHandler{}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	l := newServerLog(slog.New(h), func() time.Time { return now })
	for i := range 2000 {
		l.Printf("http: TLS handshake error from 127.0.0.1:%d: tls: client didn't provide a certificate", 40000+i)
	}
	l.Printf("http: TLS handshake error from 10.0.0.9:5555: EOF")
	l.Printf("http: superfluous response.WriteHeader call")
	if len(h.records) != 3 {
		t.Fatalf("%d lines logged; want 3 (one per host, one other)", len(h.records))
	}
	now = now.Add(HandshakeLogEvery)
	l.Printf("http: TLS handshake error from 127.0.0.1:1: EOF")
	if len(h.records) != 4 {
		t.Fatalf("%d lines after the interval; want 4", len(h.records))
	}
	var suppressed string
	h.records[3].Attrs(func(a slog.Attr) bool {
		if a.Key == "suppressed" {
			suppressed = fmt.Sprint(a.Value)
		}
		return true
	})
	if suppressed != "1999" {
		t.Errorf("suppressed = %s; want 1999", suppressed)
	}
}

// TestErrorOutcome checks that a 503 says which case the client is in.
func TestErrorOutcome(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{corridor.ErrBusy, OutcomeNotTaken},
		{corridor.ErrStopped, OutcomeNotTaken},
		{fmt.Errorf("journal: %w", corridor.ErrOutcomeUnknown), OutcomeUnknown},
		{corridor.ErrInboxFull, OutcomeReceiverFull},
		{context.DeadlineExceeded, OutcomeUnknown},
	} {
		status, body := errorResponse(tc.err)
		if status != http.StatusServiceUnavailable || body.Outcome != tc.want {
			t.Errorf("errorResponse(%v) = %d %q; want 503 %q", tc.err, status, body.Outcome, tc.want)
		}
	}
}
