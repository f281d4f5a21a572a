// Package metrics exposes the hub to Prometheus. It is the one package that
// imports the Prometheus client: hub reports through hub.Observer and
// hub.Stats, the store through sqlite.DB.Timing and the API through
// httpapi.Server.OnRequest, and cmd/corridor wires them to a Metrics.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/corridor-network/corridor/hub"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// StatsTimeout bounds how long a scrape waits for the sequencer's snapshot.
const StatsTimeout = 2 * time.Second

// Metrics is the hub's registry and the instruments its parts feed.
type Metrics struct {
	Registry *prometheus.Registry

	batchRequests *prometheus.HistogramVec // By kind: requests, entries.
	journalAppend prometheus.Histogram
	journalFsync  prometheus.Histogram
	api           *prometheus.HistogramVec // By route and status.
	screening     prometheus.Histogram
	screeningHits prometheus.Counter
}

var _ hub.Observer = (*Metrics)(nil)

// New registers the instruments and, when stats is not nil, a collector that
// asks it for a snapshot at every scrape.
func New(stats func(context.Context) (hub.Stats, error)) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.batchRequests = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "corridor_sequencer_batch_size",
		Help:    "Requests per sequencer batch (kind=requests) and journal entries it appended (kind=entries).",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512}}, []string{"kind"})
	m.journalAppend = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "corridor_journal_append_seconds",
		Help: "Time to write one journal batch: begin, inserts and commit.", Buckets: latencyBuckets})
	m.journalFsync = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "corridor_journal_fsync_seconds",
		Help: "Time of a journal batch's commit, which with synchronous=FULL is the WAL's fsync.", Buckets: latencyBuckets})
	m.api = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "corridor_api_request_duration_seconds",
		Help: "API requests by route pattern and HTTP status.", Buckets: latencyBuckets}, []string{"route", "status"})
	m.screening = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "corridor_screening_duration_seconds",
		Help: "Time to screen one payment's parties against the sanctions lists.", Buckets: latencyBuckets})
	m.screeningHits = prometheus.NewCounter(prometheus.CounterOpts{Name: "corridor_screening_hits_total",
		Help: "Names that matched a sanctions list entry, over all payments screened."})
	m.Registry.MustRegister(m.batchRequests, m.journalAppend, m.journalFsync, m.api, m.screening, m.screeningHits,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if stats != nil {
		m.Registry.MustRegister(&statsCollector{stats: stats})
	}
	return m
}

// latencyBuckets run from 100µs to 10s.
var latencyBuckets = prometheus.ExponentialBucketsRange(0.0001, 10, 16)

// Handler serves the registry in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry, Timeout: StatsTimeout + time.Second})
}

// BatchCommitted implements hub.Observer.
func (m *Metrics) BatchCommitted(requests, entries int) {
	m.batchRequests.WithLabelValues("requests").Observe(float64(requests))
	if entries > 0 {
		m.batchRequests.WithLabelValues("entries").Observe(float64(entries))
	}
}

// Screened implements hub.Observer.
func (m *Metrics) Screened(d time.Duration, hits int) {
	m.screening.Observe(d.Seconds())
	m.screeningHits.Add(float64(hits))
}

// JournalTiming is the store's timing hook (sqlite.DB.Timing).
func (m *Metrics) JournalTiming(_ int, appendDur, fsyncDur time.Duration) {
	m.journalAppend.Observe(appendDur.Seconds())
	m.journalFsync.Observe(fsyncDur.Seconds())
}

// Request is the API's request hook (httpapi.Server.OnRequest). A request
// that matched no route is counted under route "unmatched", so that probing
// paths cannot grow the label set without bound.
func (m *Metrics) Request(route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.api.WithLabelValues(route, strconv.Itoa(status)).Observe(d.Seconds())
}
