package main

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/postgres"
	"github.com/corridor-network/corridor/screening"
	"github.com/corridor-network/corridor/settlement"
)

// Config is how the hub runs.
type Config struct {
	DataDir      string // Holds ca/ (the hub's CA), corridor.db (the journal) and hub.addr.
	Addr         string // Where the API listens.
	OpsAddr      string // Where the operations listener (metrics, health) listens; empty for none.
	Pprof        bool   // The operations listener also serves Go's profiles at /debug/pprof/.
	LogFormat    string // The log's format on stderr: text or json.
	BIC          string // The hub's own BIC, the sender of the messages it writes.
	MaxBodyBytes int64  // Largest message accepted.

	NetCurrencies []string      // Settled in deferred net cycles (--net-currency, repeatable); the rest gross.
	PublishedRate bool          // A conversion without an FX quote may use the published rate.
	QuoteLife     time.Duration // How long an FX quote stays live.
	ResolveEvery  time.Duration // Gridlock resolution timer; 0 for off.
	CycleEvery    time.Duration // Net cycle close timer; 0 for off.
	SnapshotEvery int64         // Journal entries between state snapshots; 0 for off.
	Retention     time.Duration // How long final payments stay in memory before the store archives them; 0 keeps them all.

	Calendars     []settlement.Calendar // Business-day calendars (--calendar FILE, repeatable); a currency without one runs on the UTC date.
	CalendarFiles []string              // The files Calendars were read from, as the configuration names them.
	DayTimes      DayTimes              // Local times of the business day's phases.

	RateLimit          int     // Requests per second per participant.
	RateBurst          int     // Requests a participant may send at once above the rate.
	ScreeningThreshold float64 // Screening score (0..1] at or above which a payment is held; a score, not money.
	FourEyes           bool    // A compliance release needs two different operators.

	// Store is where the journal is: "" for DataDir's SQLite file, or a
	// postgres:// URL shared by the nodes of a cluster (see cluster.go).
	Store     string
	Node      string        // This node's name in the journal's lease; the host name and API port if "".
	Advertise string        // The API URL standbys send clients to while this node leads; https://Addr if "".
	LeaseTTL  time.Duration // How long the active node's lease lasts unless renewed.
}

// DefaultConfig is the configuration tests and the demo start from; 'corridor
// hub' starts from hubDefaults.
func DefaultConfig() Config {
	return Config{Addr: "127.0.0.1:8443", OpsAddr: "127.0.0.1:0", LogFormat: "text", BIC: "CRDRINBBXXX", MaxBodyBytes: httpapi.DefaultMaxBodyBytes,
		QuoteLife: hub.DefaultQuoteLife, ResolveEvery: 30 * time.Second, CycleEvery: time.Hour, SnapshotEvery: DefaultSnapshotEvery, Retention: DefaultRetention, DayTimes: DefaultDayTimes,
		RateLimit: httpapi.DefaultRatePerSecond, RateBurst: httpapi.DefaultRateBurst, ScreeningThreshold: screening.DefaultThreshold,
		LeaseTTL: DefaultLeaseTTL}
}

// Limits of the configuration.
const (
	maxBodyBytesLimit = 16 << 20
	maxRateLimit      = 1_000_000   // Requests per second per participant.
	minTimer          = time.Second // Shortest resolution or cycle timer.
	minLeaseTTL       = time.Second // Below it a busy machine's pause loses the lease.
	maxTimer          = 24 * time.Hour
)

// Validate reports every problem with c at once.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data is required"))
	}
	if err := c.DayTimes.check(); err != nil {
		errs = append(errs, err)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: %w", c.Addr, err))
	}
	if _, _, err := net.SplitHostPort(c.OpsAddr); c.OpsAddr != "" && err != nil {
		errs = append(errs, fmt.Errorf("--ops-addr %q: %w", c.OpsAddr, err))
	}
	if c.Store != "" && !c.onPostgres() {
		errs = append(errs, fmt.Errorf("--store %q: want a postgres:// URL, or nothing for the data directory's SQLite file", c.Store))
	}
	if c.LeaseTTL < minLeaseTTL || c.LeaseTTL > postgres.MaxLeaseTTL {
		errs = append(errs, fmt.Errorf("--lease-ttl %s: want %s to %s", c.LeaseTTL, minLeaseTTL, postgres.MaxLeaseTTL))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format %q: want text or json", c.LogFormat))
	}
	if _, err := corridor.ParseBIC(c.BIC); err != nil {
		errs = append(errs, fmt.Errorf("--bic: %w", err))
	}
	if c.MaxBodyBytes < 1024 || c.MaxBodyBytes > maxBodyBytesLimit {
		errs = append(errs, fmt.Errorf("--max-body-bytes must be between 1024 and %d", maxBodyBytesLimit))
	}
	errs = append(errs, c.validateSettlement()...)
	if c.RateLimit < 1 || c.RateLimit > maxRateLimit || c.RateBurst < 1 || c.RateBurst > maxRateLimit {
		errs = append(errs, fmt.Errorf("--rate-limit and --rate-burst must be between 1 and %d", maxRateLimit))
	}
	if c.Retention != 0 && (c.Retention < hub.MinRetention || c.Retention > hub.MaxRetention) {
		errs = append(errs, fmt.Errorf("--retention must be 0 (keep every payment in memory) or within [%v, %v]", hub.MinRetention, hub.MaxRetention))
	}
	if c.SnapshotEvery < 0 || c.SnapshotEvery > maxSnapshotEvery {
		errs = append(errs, fmt.Errorf("--snapshot-every must be 0 (off) or within [1, %d]", maxSnapshotEvery))
	}
	if !(c.ScreeningThreshold > 0 && c.ScreeningThreshold <= 1) {
		errs = append(errs, errors.New("--screening-threshold must be in (0, 1]"))
	}
	return errors.Join(errs...)
}

func (c Config) validateSettlement() []error {
	var errs []error
	if len(c.NetCurrencies) > corridor.MaxParticipantCurrencies {
		errs = append(errs, fmt.Errorf("at most %d --net-currency", corridor.MaxParticipantCurrencies))
	}
	for _, cur := range c.NetCurrencies {
		if _, err := corridor.ParseCurrency(cur); err != nil {
			errs = append(errs, fmt.Errorf("--net-currency: %w", err))
		}
	}
	if c.QuoteLife <= 0 || c.QuoteLife > hub.MaxQuoteLife {
		errs = append(errs, fmt.Errorf("--quote-life must be within (0, %s]", hub.MaxQuoteLife))
	}
	for _, t := range []struct {
		flag string
		d    time.Duration
	}{{"--resolve-every", c.ResolveEvery}, {"--cycle-every", c.CycleEvery}} {
		if t.d != 0 && (t.d < minTimer || t.d > maxTimer) {
			errs = append(errs, fmt.Errorf("%s must be 0 (off) or within [%s, %s]", t.flag, minTimer, maxTimer))
		}
	}
	return errs
}

// netCurrencies are the validated --net-currency values.
func (c Config) netCurrencies() []corridor.Currency {
	out := make([]corridor.Currency, len(c.NetCurrencies))
	for i, s := range c.NetCurrencies {
		out[i] = corridor.Currency(s)
	}
	return out
}

// Paths inside the data directory.
func caDir(data string) string    { return filepath.Join(data, "ca") }
func dbPath(data string) string   { return filepath.Join(data, "corridor.db") }
func addrFile(data string) string { return filepath.Join(data, "hub.addr") }
func banksDir(data string) string { return filepath.Join(data, "banks") }
