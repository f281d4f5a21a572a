package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/internal/crashpoint"
	"github.com/corridor-network/corridor/pki"
	"github.com/corridor-network/corridor/postgres"
	"github.com/corridor-network/corridor/sqlite"
)

// Main holds the configuration and the running parts of a hub, so that tests
// and the demo run the same hub as the command does.
type Main struct {
	Config Config
	Logger *slog.Logger

	DB  *sqlite.DB   // The journal in the data directory; nil on PostgreSQL.
	PG  *postgres.DB // The journal on PostgreSQL (Config.Store); nil on SQLite.
	Hub *hub.Hub
	API *httpapi.Server
	Ops *opsServer // The operations listener: metrics, health and readiness.

	lock        *dataLock // Held from before the store opens until Close.
	checkpoints *checkpointer
	stop        context.CancelFunc
	done        chan struct{} // Closed when the sequencer has stopped.
	wg          sync.WaitGroup
	runErr      error           // Set when the sequencer stops on an error; read after wg.Wait.
	runCtx      context.Context // The sequencer's and its timers' context.

	clusterState
}

// The hub recovers its SQLite journal after a failed append (a full disk, a
// read-only remount) instead of stopping: see hub.Recoverer.
var _ hub.Recoverer = (*sqlite.Journal)(nil)

// NewMain returns a Main with the default configuration.
func NewMain() *Main {
	return &Main{Config: DefaultConfig(), Logger: slog.Default(), clusterState: clusterState{lost: make(chan struct{})}}
}

// Run loads the hub's keys, checks that the store can be written, locks the
// data directory, opens the operations listener (not ready yet), opens the
// store, replays the journal, starts the sequencer and the API, and returns
// once they are up. A second hub on the same data directory, and a store on
// a read-only file system, are refused at once.
func (m *Main) Run(ctx context.Context) error {
	if err := m.Config.Validate(); err != nil {
		return err
	}
	keys, err := loadHubKeys(m.Config.DataDir)
	if err != nil {
		return err
	}
	// A store that cannot be written is refused before anything reads it:
	// the journal must be appendable, or the replay would be for nothing.
	if err := sqlite.CheckWritable(dbPath(m.Config.DataDir)); !m.Config.onPostgres() && err != nil {
		return err
	}
	if m.lock, err = lockDataDir(m.Config.DataDir); err != nil {
		return err
	}
	m.Ops = newOps()
	if m.Config.OpsAddr != "" {
		if err := m.Ops.open(m.Config.OpsAddr, m.Config.Pprof, m.Logger); err != nil {
			return err
		}
	}
	open := m.openHub
	if m.Config.onPostgres() {
		open = m.openCluster // Returns once this node is the active one.
	}
	if err := open(ctx, keys); err != nil {
		return err
	}
	m.API = &httpapi.Server{Hub: m.Hub, CA: keys.ca, Signer: keys.signer, TLS: keys.tls, Logger: m.Logger, MaxBodyBytes: m.Config.MaxBodyBytes,
		RateLimit: m.Config.RateLimit, RateBurst: m.Config.RateBurst}
	m.Ops.instrument(m.API)
	if err := m.API.Open(m.Config.Addr); err != nil {
		return err
	}
	if err := os.WriteFile(addrFile(m.Config.DataDir), []byte(m.API.URL()+"\n"), 0o644); err != nil {
		return fmt.Errorf("write hub address: %w", err)
	}
	m.Ops.hub.Store(m.Hub)
	m.Logger.Info("hub started", "version", buildVersion(), "data", m.Config.DataDir, "store", m.Config.storeName(),
		"api", m.API.URL(), "ops", m.OpsURL())
	return nil
}

// openHub opens the store, replays the journal and starts the sequencer.
func (m *Main) openHub(ctx context.Context, keys hubKeys) error {
	head, signed, err := readHead(m.Config.DataDir)
	if err != nil {
		return err
	}
	if signed {
		if err := checkStoreAgainstHead(m.Config.DataDir, head); err != nil {
			return err
		}
	}
	if m.DB, err = sqlite.Open(ctx, dbPath(m.Config.DataDir)); err != nil {
		return err
	}
	if signed {
		last, _ := m.DB.Journal().LastSeq()
		hashAt := func(seq uint64) ([32]byte, error) { return m.DB.Journal().EntryHash(ctx, seq) }
		if err := checkAgainstHead(head, last, hashAt, verifyWith(keys.signer.Certificate())); err != nil {
			return err
		}
	}
	m.DB.Timing = m.Ops.metrics.JournalTiming
	m.Hub, err = hub.Open(ctx, m.hubConfig(m.DB.Journal(), false))
	if err != nil {
		return err
	}
	last, err := m.DB.Journal().LastCheckpoint(ctx)
	if err != nil {
		return err
	}
	m.checkpoints = &checkpointer{journal: m.DB.Journal(), signer: keys.signer, last: last, data: m.Config.DataDir}
	m.startSequencer()
	return nil
}

// hubConfig is the hub's configuration on journal; a standby follows a
// journal another node writes.
func (m *Main) hubConfig(journal corridor.Journal, standby bool) hub.Config {
	bic, _ := corridor.ParseBIC(m.Config.BIC) // Validated in Run.
	return hub.Config{BIC: bic, Journal: journal, Logger: m.Logger,
		NetCurrencies: m.Config.netCurrencies(), PublishedRate: m.Config.PublishedRate, QuoteLife: m.Config.QuoteLife,
		ScreeningThreshold: m.Config.ScreeningThreshold, Calendars: m.Config.Calendars, FourEyes: m.Config.FourEyes, Retention: m.Config.Retention,
		Observer: m.Ops.metrics, Standby: standby}
}

// OpsURL is the operations listener's base URL, or "off".
func (m *Main) OpsURL() string {
	if m.Ops == nil || m.Ops.ln == nil {
		return "off"
	}
	return m.Ops.url()
}

// hubKeys are what the hub signs and authenticates with.
type hubKeys struct {
	ca     *pki.CA
	tls    *tls.Config
	signer *pki.Signer
}

// loadHubKeys reads the CA, the hub's server certificate and its signing
// key from data's CA directory. pki refuses a key file that group or others
// may read, naming the file and the chmod that fixes it.
func loadHubKeys(data string) (hubKeys, error) {
	var k hubKeys
	var err error
	if k.ca, err = pki.LoadCA(caDir(data)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return k, fmt.Errorf("%w (run 'corridor ca init --data %s' first)", err, data)
		}
		return k, err
	}
	if k.tls, err = pki.ServerTLSConfig(caDir(data)); err != nil {
		return k, err
	}
	if k.signer, err = pki.LoadHubSigner(caDir(data)); err != nil {
		return k, err
	}
	return k, nil
}

func (m *Main) startSequencer() {
	ctx, cancel := context.WithCancel(context.Background())
	m.stop, m.runCtx = cancel, ctx
	m.done = make(chan struct{})
	m.wg.Add(6)
	go func() {
		defer m.wg.Done()
		defer close(m.done)
		m.runErr = m.Hub.Run(ctx)
	}()
	go func() {
		defer m.wg.Done()
		m.every(ctx, CheckpointInterval, "journal checkpoint", m.checkpoints.write)
	}()
	go func() {
		defer m.wg.Done()
		m.every(ctx, m.Config.ResolveEvery, "gridlock resolution", func(ctx context.Context) error {
			_, err := m.Hub.Resolve(ctx)
			return err
		})
	}()
	go func() {
		defer m.wg.Done()
		m.runDays(ctx)
	}()
	go func() {
		defer m.wg.Done()
		m.runSnapshots(ctx) // snapshot.go
	}()
	go func() {
		defer m.wg.Done()
		m.every(ctx, m.Config.CycleEvery, "net cycle close", func(ctx context.Context) error {
			_, err := m.Hub.CloseCycle(ctx)
			return err
		})
	}()
}

// every runs a journaled settlement command every d until ctx is done; d 0
// is off. A failure is logged and the next tick tries again.
func (m *Main) every(ctx context.Context, d time.Duration, what string, run func(context.Context) error) {
	if d <= 0 {
		return
	}
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := run(ctx); err != nil && ctx.Err() == nil {
				m.Logger.Warn(what+" did not run", "error", err)
			}
		}
	}
}

// Close stops the API, then the sequencer, then the store, and releases the
// data directory last.
func (m *Main) Close() error {
	var errs []error
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if m.Ops != nil {
		errs = append(errs, m.Ops.close(ctx))
	}
	if m.API != nil {
		errs = append(errs, m.API.Close(ctx))
	}
	if m.stop != nil {
		m.stop()
		m.wg.Wait()
		errs = append(errs, m.runErr, m.checkpoints.write(context.Background()), m.releaseLease())
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
	}
	if m.PG != nil {
		errs = append(errs, m.PG.Close())
	}
	errs = append(errs, m.lock.release())
	return errors.Join(errs...)
}

// runHub runs 'corridor hub' until ctx is done, configured by its
// defaults, the --config file, the environment and the flags, in that order.
func runHub(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := crashpoint.Arm(os.Getenv(crashpoint.Env)); err != nil { // Tests only: see internal/crashpoint.
		return usageError{err}
	}
	m := NewMain()
	cfg, print, err := loadHubConfig(args, os.LookupEnv, stdout)
	if err != nil {
		return err
	}
	if print {
		return writeConfig(stdout, cfg)
	}
	m.Config = cfg
	if m.Logger, err = newLogger(cfg.LogFormat, stderr); err != nil {
		return usageError{err}
	}
	if err := m.Run(ctx); err != nil {
		if ctx.Err() != nil { // Stopped while a standby, waiting for the lease: a clean stop.
			m.Logger.Info("hub stopping", "why", "signal: interrupt or terminate")
			return m.Close()
		}
		return errors.Join(err, m.Close())
	}
	fmt.Fprintln(stdout, "corridor hub listening on", m.API.URL())
	select {
	case <-ctx.Done():
		m.Logger.Info("hub stopping", "why", "signal: interrupt or terminate")
	case <-m.done: // The sequencer stopped: Close returns why. A journal that cannot be written does not stop it.
	case <-m.lost:
		return errors.Join(errors.New("hub: another node holds the journal's lease; this one stepped down"), m.Close())
	}
	if err := m.Close(); err != nil {
		return err
	}
	m.Logger.Info("hub stopped")
	return nil
}

// newLogger is a slog logger writing format ("text" or "json") to w.
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}
