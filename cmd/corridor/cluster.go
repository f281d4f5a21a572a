package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/postgres"
)

// On PostgreSQL several hub nodes share one journal. The journal's lease
// elects the active node: it alone sequences and appends (the database
// refuses an append under a deposed lease), and serves the API. The others
// are warm standbys: they replay the journal as it grows, answer API
// requests 503 naming the active node, and try for the lease; when it
// lapses, one takes it, replays the rest and serves.

// DefaultLeaseTTL is how long the active node's lease lasts unless renewed.
// A standby takes over at most about this long after the active node stops
// renewing; the active node renews it every third of it.
const DefaultLeaseTTL = 3 * time.Second

// onPostgres reports whether the journal is on PostgreSQL rather than in
// the data directory's SQLite file.
func (c Config) onPostgres() bool {
	return strings.HasPrefix(c.Store, "postgres://") || strings.HasPrefix(c.Store, "postgresql://")
}

// storeName is the journal's store as the logs name it: never a password.
func (c Config) storeName() string {
	if !c.onPostgres() {
		return dbPath(c.DataDir)
	}
	i := strings.Index(c.Store, "@")
	if i < 0 {
		return c.Store
	}
	scheme, _, _ := strings.Cut(c.Store, "://")
	return scheme + "://…" + c.Store[i:]
}

// openCluster opens the PostgreSQL journal, replays it as a standby while
// another node is active, and returns once this node holds the lease and
// has taken over: the sequencer runs and the lease is renewed.
func (m *Main) openCluster(ctx context.Context, keys hubKeys) error {
	var err error
	if m.PG, err = postgres.Open(ctx, m.Config.Store); err != nil {
		return err
	}
	if m.Hub, err = hub.Open(ctx, m.hubConfig(m.PG.Journal(), true)); err != nil {
		return err
	}
	sb, err := openStandby(m.Config.Addr, keys.tls, m.Logger)
	if err != nil {
		return err
	}
	m.Config.Addr = sb.ln.Addr().String() // The API takes the same port once this node leads.
	if err := os.WriteFile(addrFile(m.Config.DataDir), []byte("https://"+m.Config.Addr+"\n"), 0o644); err != nil {
		return errors.Join(fmt.Errorf("write hub address: %w", err), sb.close())
	}
	node := postgres.Node{Name: m.nodeName(), Addr: m.advertise()}
	m.Ops.standby.Store(true)
	defer m.Ops.standby.Store(false)
	m.Logger.Info("standby: following the journal", "node", node.Name, "store", m.Config.storeName(), "api", "https://"+m.Config.Addr)
	err = m.awaitLease(ctx, node, sb)
	if err = errors.Join(err, sb.close()); err != nil {
		return err
	}
	seq, err := m.Hub.TakeOver(ctx)
	if err != nil {
		return err
	}
	m.Logger.Info("took over as the active hub", "node", node.Name, "seq", seq, "token", m.lease.Token)
	last, err := m.PG.Journal().LastCheckpoint(ctx)
	if err != nil {
		return err
	}
	m.checkpoints = &checkpointer{journal: m.PG.Journal(), signer: keys.signer, last: last}
	m.startSequencer()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.holdLease(m.runCtx)
	}()
	return nil
}

// awaitLease tries for the lease until this node holds it, keeping the
// standby's state current and its 503s naming the active node meanwhile.
func (m *Main) awaitLease(ctx context.Context, node postgres.Node, sb *standbyServer) error {
	j := m.PG.Journal()
	ttl := m.Config.LeaseTTL
	for {
		lease, err := j.Acquire(ctx, node, ttl)
		if err == nil {
			m.lease = lease
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !errors.Is(err, postgres.ErrLeaseHeld) {
			m.Logger.Warn("lease not taken", "error", err) // The database may be away; try again.
		}
		if l, held, err := j.Leader(ctx); err == nil && held && l.Node.Name != node.Name {
			sb.leader.Store(l.Node.Addr)
		} else {
			sb.leader.Store("")
		}
		seq, err := m.Hub.CatchUp(ctx)
		if err != nil {
			return err // A journal this node cannot follow: it must not take over either.
		}
		wait, cancel := context.WithTimeout(ctx, ttl/4)
		_, err = j.Wait(wait, seq) // Back when the journal grows, or at the timeout: either way, try again.
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			// The database did not answer: wait out the poll before trying
			// again, rather than spin and log at the speed of refusals.
			m.Logger.Warn("standby cannot follow the journal; trying again", "error", err)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(ttl / 4):
			}
		}
	}
}

// holdLease renews the lease every third of its life until ctx ends. When
// the lease is lost (another node took it, or it could not be renewed
// before it expired) the node steps down: lost is closed, and 'corridor
// hub' stops, so that a supervisor restarts it as a standby.
func (m *Main) holdLease(ctx context.Context) {
	ttl := m.Config.LeaseTTL
	t := time.NewTicker(ttl / 3)
	defer t.Stop()
	renewed := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		lease, err := m.PG.Journal().Renew(ctx, ttl)
		switch {
		case err == nil:
			m.lease, renewed = lease, time.Now()
			continue
		case ctx.Err() != nil:
			return
		case errors.Is(err, postgres.ErrFenced) || time.Since(renewed) >= ttl:
			m.Logger.Error("lost the journal's lease; this node steps down", "error", err)
			m.stepDown()
			return
		}
		m.Logger.Warn("lease not renewed; trying again", "error", err)
	}
}

// stepDown tells 'corridor hub' that this node is no longer the active one.
func (m *Main) stepDown() { m.lostOnce.Do(func() { close(m.lost) }) }

// releaseLease gives the lease back at a clean stop, so that a standby
// takes over at once rather than after the lease's life.
func (m *Main) releaseLease() error {
	if m.PG == nil || m.lease.Token == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := m.PG.Journal().Release(ctx)
	if errors.Is(err, postgres.ErrFenced) {
		return nil // Another node holds it already.
	}
	return err
}

// nodeName is this node's name in the lease: --node, or the host name and
// the API's port.
func (m *Main) nodeName() string {
	if m.Config.Node != "" {
		return m.Config.Node
	}
	host, err := os.Hostname()
	if err != nil {
		host = "localhost"
	}
	_, port, _ := net.SplitHostPort(m.Config.Addr)
	return host + ":" + port
}

// advertise is the API URL standbys send clients to while this node
// leads: --advertise, or the address the API listens on.
func (m *Main) advertise() string {
	if m.Config.Advertise != "" {
		return m.Config.Advertise
	}
	return "https://" + m.Config.Addr
}

// clusterState is what Main keeps of its part in a cluster.
type clusterState struct {
	lease    postgres.Lease // Held while this node is the active one.
	lost     chan struct{}  // Closed when this node lost the lease.
	lostOnce sync.Once
}

// standbyServer answers on the API address, while this node is a standby,
// with httpapi.Standby: 503 naming the active node.
type standbyServer struct {
	ln     net.Listener
	srv    *http.Server
	leader atomic.Value // string: the active node's API URL, "" while none holds the lease.
	done   chan struct{}
}

// openStandby listens on addr with the API's TLS configuration.
func openStandby(addr string, tlsConfig *tls.Config, log *slog.Logger) (*standbyServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	s := &standbyServer{ln: ln, done: make(chan struct{})}
	s.leader.Store("")
	s.srv = &http.Server{Handler: httpapi.Standby{Leader: func() string { return s.leader.Load().(string) }},
		TLSConfig: tlsConfig, ReadHeaderTimeout: httpapi.ReadTimeout, ReadTimeout: httpapi.ReadTimeout, WriteTimeout: httpapi.WriteTimeout}
	go func() {
		defer close(s.done)
		if err := s.srv.ServeTLS(ln, "", ""); !errors.Is(err, http.ErrServerClosed) {
			log.Error("standby API stopped: clients cannot reach this node until it leads", "error", err)
		}
	}()
	return s, nil
}

// close stops the standby server and frees its address for the API.
func (s *standbyServer) close() error {
	err := s.srv.Close()
	<-s.done
	return err
}
