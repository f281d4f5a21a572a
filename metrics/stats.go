package metrics

import (
	"context"

	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/settlement"
	"github.com/prometheus/client_golang/prometheus"
)

// The gauges read from hub.Stats at each scrape.
var (
	descUp = prometheus.NewDesc("corridor_stats_up",
		"1 when the sequencer answered the scrape's snapshot, 0 when it did not (busy or stopped).", nil, nil)
	descSeq = prometheus.NewDesc("corridor_journal_seq",
		"The last journal entry applied.", nil, nil)
	descQueueDepth = prometheus.NewDesc("corridor_sequencer_queue_depth",
		"Requests waiting for the sequencer.", nil, nil)
	descQueueCapacity = prometheus.NewDesc("corridor_sequencer_queue_capacity",
		"The sequencer queue's capacity: beyond it requests are refused busy.", nil, nil)
	descPayments = prometheus.NewDesc("corridor_payments",
		"Payment legs the hub holds, by message definition, status and reason code.", []string{"type", "status", "reason"}, nil)
	descPending = prometheus.NewDesc("corridor_pending_payments",
		"PDNG payments by why they wait (queue: RTGS, limit: the limit queue, compliance: holds, warehouse) and currency.",
		[]string{"wait", "currency"}, nil)
	descPendingValue = prometheus.NewDesc("corridor_pending_value_minor_units",
		"The value of PDNG payments, in the currency's minor units, by wait and currency.", []string{"wait", "currency"}, nil)
	descCycle = prometheus.NewDesc("corridor_net_cycle_payments",
		"Payments in the open net settlement cycle, by currency.", []string{"currency"}, nil)
	descCycleValue = prometheus.NewDesc("corridor_net_cycle_value_minor_units",
		"The value of the open net cycle's payments, in minor units, by currency.", []string{"currency"}, nil)
	descCycles = prometheus.NewDesc("corridor_net_cycles_closed_total",
		"Net settlement cycles closed.", nil, nil)
	descDay = prometheus.NewDesc("corridor_business_day_phase",
		"1 for the phase of each calendar currency's business day (none before the first opens).", []string{"currency", "phase"}, nil)
	descDayWaiting = prometheus.NewDesc("corridor_business_day_warehoused_payments",
		"Payments warehoused for a later business day, by currency.", []string{"currency"}, nil)
	descInbox = prometheus.NewDesc("corridor_inbox_backlog_messages",
		"Messages a participant has not acknowledged.", []string{"bic"}, nil)
	descCert = prometheus.NewDesc("corridor_certificate_expiry_timestamp_seconds",
		"When a participant's last valid certificate expires, in Unix seconds.", []string{"bic"}, nil)
)

// phases are every business-day phase, so that each has a series.
var phases = []settlement.Phase{"", settlement.PhaseOpen, settlement.PhaseCustomerCutoff, settlement.PhaseInterbankCutoff}

// statsCollector turns one hub.Stats snapshot per scrape into gauges.
type statsCollector struct {
	stats func(context.Context) (hub.Stats, error)
}

// Describe implements prometheus.Collector.
func (c *statsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descSeq, descQueueDepth, descQueueCapacity, descPayments, descPending,
		descPendingValue, descCycle, descCycleValue, descCycles, descDay, descDayWaiting, descInbox, descCert} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. A sequencer that does not answer
// in StatsTimeout gives corridor_stats_up 0 and no other gauge.
func (c *statsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), StatsTimeout)
	defer cancel()
	st, err := c.stats(ctx)
	if err != nil {
		ch <- gauge(descUp, 0)
		return
	}
	ch <- gauge(descUp, 1)
	ch <- gauge(descSeq, float64(st.Seq))
	ch <- gauge(descQueueDepth, float64(st.QueueDepth))
	ch <- gauge(descQueueCapacity, hub.QueueDepth)
	ch <- prometheus.MustNewConstMetric(descCycles, prometheus.CounterValue, float64(st.CyclesClosed))
	for _, p := range st.Payments {
		ch <- gauge(descPayments, float64(p.Count), p.MsgDef, string(p.Status), string(p.Reason))
	}
	for _, w := range st.Waiting {
		ch <- gauge(descPending, float64(w.Count), string(w.Wait), string(w.Currency))
		ch <- gauge(descPendingValue, float64(w.Value), string(w.Wait), string(w.Currency))
	}
	for _, w := range st.Cycle {
		ch <- gauge(descCycle, float64(w.Count), string(w.Currency))
		ch <- gauge(descCycleValue, float64(w.Value), string(w.Currency))
	}
	collectDays(ch, st.Days)
	for _, in := range st.Inboxes {
		ch <- gauge(descInbox, float64(in.Messages), string(in.BIC))
	}
	for _, ce := range st.Certificates {
		ch <- gauge(descCert, float64(ce.NotAfter.Unix()), string(ce.BIC))
	}
}

// collectDays sends one series per phase of each currency's business day.
func collectDays(ch chan<- prometheus.Metric, days []hub.DayView) {
	for _, d := range days {
		for _, p := range phases {
			v, name := 0.0, string(p)
			if d.Phase == p {
				v = 1
			}
			if name == "" {
				name = "none"
			}
			ch <- gauge(descDay, v, string(d.Currency), name)
		}
		ch <- gauge(descDayWaiting, float64(d.Waiting), string(d.Currency))
	}
}

func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}
