package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/corridor-network/corridor/httpapi"
)

// syncBuffer is a buffer the server's goroutines write log lines into.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines(tb testing.TB) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			tb.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// TestRequestLog checks that a refused request is logged once, with the
// caller, the route, the status and the reason, and that an operator's
// action names the operator.
func TestRequestLog(t *testing.T) {
	var logs syncBuffer
	f := mustFixture(t, func(s *httpapi.Server) {
		s.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	m := rupees(1, bankA, bankC, 1_00) // C has no rupee account.
	_, err := f.a.Submit(context.Background(), mustEncode(t, m))
	mustAPIError(t, err, http.StatusUnprocessableEntity, "AC01")
	var refused, operator []map[string]any
	for _, l := range logs.lines(t) {
		if l["msg"] != "request" {
			continue
		}
		if l["status"] == float64(422) {
			refused = append(refused, l)
		}
		if strings.HasPrefix(l["caller"].(string), "operator ") {
			operator = append(operator, l)
		}
	}
	if len(refused) != 1 {
		t.Fatalf("%d log lines for one refusal; want 1: %v", len(refused), refused)
	}
	r := refused[0]
	if r["route"] != "POST /v1/messages" || !strings.HasPrefix(r["caller"].(string), "participant ") || r["reason"] != "AC01" {
		t.Errorf("refusal logged as %v; want the route, the participant and AC01", r)
	}
	if len(operator) == 0 || !strings.Contains(operator[0]["caller"].(string), "operator") {
		t.Errorf("operator actions logged: %v; want them with the operator's name", operator)
	}
}
