package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/metrics"
)

// defaultOpsAddr is where 'corridor hub' serves its operations listener:
// loopback, for a local Prometheus agent and the supervisor's probes. Not
// 9090, which a Prometheus server on the same machine takes itself.
const defaultOpsAddr = "127.0.0.1:9464"

// Limits of the operations listener.
const (
	opsReadTimeout  = 5 * time.Second
	opsWriteTimeout = 10 * time.Second // A scrape waits up to metrics.StatsTimeout for the sequencer.
	opsHeaderBytes  = 8 << 10
	readyTimeout    = time.Second // How long /readyz waits for the sequencer's answer.
)

// saneClock is the earliest time the hub accepts as now: a clock before it
// (a machine that booted without its RTC) would date payments wrongly.
var saneClock = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// opsServer is the operations listener: plain HTTP, no client certificate
// and no payment data. /metrics for Prometheus, /healthz (the process
// lives) and /readyz (the journal is replayed, the sequencer answers and the
// clock is sane) for supervisors and load balancers.
type opsServer struct {
	hub     atomic.Pointer[hub.Hub] // Set once the journal is replayed and the sequencer runs.
	standby atomic.Bool             // This node follows a journal another node writes.
	metrics *metrics.Metrics
	srv     *http.Server
	ln      net.Listener
	wg      sync.WaitGroup
}

// newOps returns an operations server whose metrics read the hub once it is
// ready.
func newOps() *opsServer {
	o := &opsServer{}
	o.metrics = metrics.New(o.stats)
	return o
}

// stats is the hub's snapshot, or ErrStopped while it is not ready yet.
func (o *opsServer) stats(ctx context.Context) (hub.Stats, error) {
	h := o.hub.Load()
	if h == nil {
		return hub.Stats{}, errors.New("the hub is not ready")
	}
	return h.Stats(ctx)
}

// open listens on addr and serves until close, with Go's profiles at
// /debug/pprof/ when profiles is set.
func (o *opsServer) open(addr string, profiles bool, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen ops %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", o.metrics.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", o.ready)
	if profiles {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	o.ln = ln
	o.srv = &http.Server{Handler: mux, ReadTimeout: opsReadTimeout, ReadHeaderTimeout: opsReadTimeout,
		WriteTimeout: opsWriteTimeout, MaxHeaderBytes: opsHeaderBytes}
	o.wg.Add(1)
	go func() {
		defer o.wg.Done()
		if err := o.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("operations listener stopped; metrics and probes are unreachable", "error", err)
		}
	}()
	return nil
}

// ready answers 200 when the hub serves and 503 with the reason when not.
func (o *opsServer) ready(w http.ResponseWriter, r *http.Request) {
	if err := o.check(r.Context()); err != nil {
		http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

// check is nil when the journal is replayed and can be written, the
// sequencer answers a query within readyTimeout and the clock is past
// saneClock.
func (o *opsServer) check(ctx context.Context) error {
	h := o.hub.Load()
	if h == nil {
		if o.standby.Load() {
			return errors.New("standby: another node is the active hub; this one follows the journal")
		}
		return errors.New("the journal is being opened and replayed")
	}
	if err := h.JournalDown(); err != nil { // It answers reads but takes nothing: send payments elsewhere.
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if _, err := h.Stats(ctx); err != nil {
		return fmt.Errorf("the sequencer does not answer: %w", err)
	}
	if now := time.Now(); now.Before(saneClock) {
		return fmt.Errorf("the clock reads %s, before %s", now.Format(time.RFC3339), saneClock.Format(time.DateOnly))
	}
	return nil
}

// url is the listener's base URL.
func (o *opsServer) url() string { return "http://" + o.ln.Addr().String() }

// close stops the listener and waits for it.
func (o *opsServer) close(ctx context.Context) error {
	if o.srv == nil {
		return nil
	}
	err := o.srv.Shutdown(ctx)
	o.wg.Wait()
	return err
}

// instrument connects the API's request hook to the metrics.
func (o *opsServer) instrument(api *httpapi.Server) { api.OnRequest = o.metrics.Request }
