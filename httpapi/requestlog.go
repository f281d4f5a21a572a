package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/corridor-network/corridor"
)

// recorder remembers what a handler answered, for the request's log line.
type recorder struct {
	http.ResponseWriter
	status  int
	reason  string // The ISO 20022 reason of a refusal, if it had one.
	outcome string // A 503's outcome: OutcomeNotTaken, OutcomeUnknown or OutcomeReceiverFull.
	err     error  // What went wrong, for a 5xx: the details go only to the log.
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// noteError records err and its reason on w when w is a recorder.
func noteError(w http.ResponseWriter, body ErrorBody, err error) {
	if rec, ok := w.(*recorder); ok {
		rec.reason, rec.outcome, rec.err = body.Reason, body.Outcome, err
	}
}

// logRequest writes the request's one log line: route, status, duration,
// caller and reason. Refusals and everything the operator does are Info
// (an incident team reads them), and so is a 503 that took nothing (the hub
// busy, a full inbox, a journal that cannot be written: the hub logs that
// once itself, not once per request); a 503 whose outcome is unknown is
// Warn; any other failure of the hub is Error with its cause; a
// participant's request that succeeded is Debug, for it is the hub's
// ordinary work.
func (s *Server) logRequest(r *http.Request, w *recorder, id corridor.Identity, start time.Time) {
	d := s.Now().Sub(start)
	if s.OnRequest != nil {
		s.OnRequest(r.Pattern, w.status, d)
	}
	level := slog.LevelDebug
	switch {
	case w.status == http.StatusServiceUnavailable && w.outcome == OutcomeUnknown:
		level = slog.LevelWarn
	case w.status >= 500 && (w.status != http.StatusServiceUnavailable || w.outcome == ""):
		level = slog.LevelError
	case w.status >= 400, id.Role == corridor.RoleOperator:
		level = slog.LevelInfo
	}
	if !s.Logger.Enabled(r.Context(), level) {
		return
	}
	attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", r.Pattern), slog.String("path", r.URL.Path),
		slog.Int("status", w.status), slog.Duration("duration", d),
		slog.String("caller", callerOf(r, id)), slog.String(corridor.LogKeyRemote, r.RemoteAddr)}
	if w.reason != "" {
		attrs = append(attrs, slog.String(corridor.LogKeyReason, w.reason))
	}
	if w.err != nil {
		attrs = append(attrs, slog.String("error", w.err.Error()))
	}
	s.Logger.LogAttrs(r.Context(), level, "request", attrs...)
}

// callerOf names who made r: its role and certificate's name once
// authenticated, else the subject of the certificate it presented.
func callerOf(r *http.Request, id corridor.Identity) string {
	if id.Role != "" {
		return string(id.Role) + " " + id.Name
	}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		return "unauthenticated " + r.TLS.PeerCertificates[0].Subject.CommonName
	}
	return "unauthenticated"
}
