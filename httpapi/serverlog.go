package httpapi

import (
	"log"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
)

// Bounds of the server's own log: net/http writes a line for every failed
// TLS handshake, which a peer without a certificate can cause at will.
const (
	HandshakeLogEvery   = time.Minute // At most one line per address in this time.
	MaxHandshakeSources = 1024        // Addresses remembered; past it, the memory starts again.
)

// serverLog is net/http's error log. Handshake failures are logged at most
// once per remote address per HandshakeLogEvery, with how many were left
// out; everything else goes to the logger as a warning.
type serverLog struct {
	logger *slog.Logger
	now    func() time.Time

	mu      sync.Mutex // guards sources
	sources map[string]*handshakeSource
}

type handshakeSource struct {
	logged     time.Time
	suppressed int
}

func newServerLog(logger *slog.Logger, now func() time.Time) *log.Logger {
	return log.New(&serverLog{logger: logger, now: now, sources: map[string]*handshakeSource{}}, "", 0)
}

// Write takes one line of net/http's log.
func (l *serverLog) Write(p []byte) (int, error) {
	line := strings.TrimSpace(string(p))
	addr, cause, ok := handshakeFailure(line)
	if !ok {
		l.logger.Warn("http server", "message", line)
		return len(p), nil
	}
	if n, log := l.admit(addr); log {
		l.logger.Warn("TLS handshake failed", corridor.LogKeyRemote, addr, "cause", cause, "suppressed", n)
	}
	return len(p), nil
}

// admit says whether a handshake failure from addr is logged now, and how
// many from it were left out since the last line.
func (l *serverLog) admit(addr string) (int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	src, ok := l.sources[addr]
	if !ok {
		if len(l.sources) >= MaxHandshakeSources {
			clear(l.sources)
		}
		l.sources[addr] = &handshakeSource{logged: now}
		return 0, true
	}
	if now.Sub(src.logged) < HandshakeLogEvery {
		src.suppressed++
		return 0, false
	}
	n := src.suppressed
	src.logged, src.suppressed = now, 0
	return n, true
}

// handshakeFailure reads "http: TLS handshake error from ADDR: CAUSE", with
// the port left out of the address: one host opens many connections.
func handshakeFailure(line string) (addr, cause string, ok bool) {
	rest, ok := strings.CutPrefix(line, "http: TLS handshake error from ")
	if !ok {
		return "", "", false
	}
	addr, cause, _ = strings.Cut(rest, ": ")
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		addr = addr[:i]
	}
	return addr, cause, true
}
