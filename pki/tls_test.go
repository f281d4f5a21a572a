package pki_test

import (
	"context"
	"crypto/tls"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

// handshakeTimeout bounds each handshake, so a broken test fails instead of hanging.
const handshakeTimeout = 10 * time.Second

// handshakeResult is what the server saw of one connection.
type handshakeResult struct {
	state tls.ConnectionState
	err   error
}

// handshake accepts one connection on ln with serverCfg while a client dials
// it with clientCfg, and returns what the server saw and the client's error.
// The server's goroutine has ended when it returns.
func handshake(t *testing.T, ln net.Listener, serverCfg, clientCfg *tls.Config) (server handshakeResult, clientErr error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), handshakeTimeout)
	defer cancel()
	done := make(chan handshakeResult, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			done <- handshakeResult{err: err}
			return
		}
		defer conn.Close()
		srv := tls.Server(conn, serverCfg)
		err = srv.HandshakeContext(ctx)
		done <- handshakeResult{state: srv.ConnectionState(), err: err}
	}()
	d := tls.Dialer{Config: clientCfg}
	conn, clientErr := d.DialContext(ctx, "tcp", ln.Addr().String())
	server = <-done // The server is done with the handshake before the client hangs up.
	t.Logf("handshake: server error %v; client error %v", server.err, clientErr)
	if conn != nil {
		conn.Close()
	}
	return server, clientErr
}

// fixedClock makes cfg verify certificates at the tests' fixed time.
func fixedClock(cfg *tls.Config) *tls.Config {
	cfg.Time = func() time.Time { return now }
	return cfg
}

// hub is a listening hub with one participant's files, for handshakes.
type hub struct {
	dir      string // The CA directory.
	ln       net.Listener
	server   *tls.Config
	client   *tls.Config // The participant DEMOINBBXXX.
	certFile string      // The participant's certificate.
	keyFile  string
	caFile   string
}

// MustHub makes a CA, a server configuration listening on 127.0.0.1 and a
// participant DEMOINBB.
func MustHub(tb testing.TB) hub {
	tb.Helper()
	h := hub{dir: MustInitCA(tb)}
	cfg, err := pki.ServerTLSConfig(h.dir)
	if err != nil {
		tb.Fatalf("ServerTLSConfig = %v", err)
	}
	h.server = fixedClock(cfg)
	h.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { h.ln.Close() })
	h.certFile, h.keyFile, h.caFile = MustWriteParticipant(tb, h.dir, "DEMOINBB")
	h.client = mustClientConfig(tb, h.certFile, h.keyFile, h.caFile)
	return h
}

func TestServerTLSConfig(t *testing.T) {
	cfg, err := pki.ServerTLSConfig(MustInitCA(t))
	if err != nil {
		t.Fatalf("ServerTLSConfig = %v", err)
	}
	if cfg.MinVersion != tls.VersionTLS13 || cfg.ClientAuth != tls.RequireAndVerifyClientCert || cfg.ClientCAs == nil {
		t.Errorf("server MinVersion = %x, ClientAuth = %v, ClientCAs %v; want TLS 1.3, RequireAndVerifyClientCert, the CA",
			cfg.MinVersion, cfg.ClientAuth, cfg.ClientCAs)
	}
	if _, err := pki.ServerTLSConfig(t.TempDir()); err == nil {
		t.Error("ServerTLSConfig(empty dir) = nil; want an error")
	}
}

func TestMutualTLS(t *testing.T) {
	h := MustHub(t)
	t.Run("Participant", func(t *testing.T) {
		got, clientErr := handshake(t, h.ln, h.server, h.client)
		if got.err != nil || clientErr != nil {
			t.Fatalf("handshake: server %v, client %v", got.err, clientErr)
		}
		if got.state.Version != tls.VersionTLS13 {
			t.Errorf("version = %x; want TLS 1.3", got.state.Version)
		}
		id, err := pki.IdentityOf(got.state.PeerCertificates[0])
		want := corridor.Identity{Role: corridor.RoleParticipant, BIC: "DEMOINBBXXX", Name: "Bank DEMOINBB"}
		if err != nil || id != want {
			t.Errorf("IdentityOf(peer) = %+v, %v; want %+v", id, err, want)
		}
	})
	t.Run("Operator", func(t *testing.T) {
		op := mustClientConfig(t, filepath.Join(h.dir, pki.OperatorCertFile), filepath.Join(h.dir, pki.OperatorKeyFile), h.caFile)
		got, clientErr := handshake(t, h.ln, h.server, op)
		if got.err != nil || clientErr != nil {
			t.Fatalf("handshake: server %v, client %v", got.err, clientErr)
		}
		id, err := pki.IdentityOf(got.state.PeerCertificates[0])
		if err != nil || id.Role != corridor.RoleOperator {
			t.Errorf("IdentityOf(peer) = %+v, %v; want the operator", id, err)
		}
	})
}

func TestMutualTLSRefused(t *testing.T) {
	h := MustHub(t)
	t.Run("ErrNoClientCertificate", func(t *testing.T) {
		cfg := h.client.Clone()
		cfg.Certificates = nil
		if got, _ := handshake(t, h.ln, h.server, cfg); got.err == nil {
			t.Error("server accepted a client without a certificate")
		}
	})
	t.Run("ErrOtherCA", func(t *testing.T) {
		foreignCert, foreignKey, _ := MustWriteParticipant(t, MustInitCA(t), "DEMOINBB")
		cfg := mustClientConfig(t, foreignCert, foreignKey, h.caFile) // Trusts the hub, but its certificate is foreign.
		if got, _ := handshake(t, h.ln, h.server, cfg); got.err == nil {
			t.Error("server accepted a certificate from another CA")
		}
	})
	t.Run("ErrHubCertificateAsClient", func(t *testing.T) {
		cfg := mustClientConfig(t, filepath.Join(h.dir, pki.HubCertFile), filepath.Join(h.dir, pki.HubKeyFile), h.caFile)
		if got, _ := handshake(t, h.ln, h.server, cfg); got.err == nil {
			t.Error("server accepted the hub's server certificate as a client certificate")
		}
	})
	t.Run("ErrTLS12", func(t *testing.T) {
		cfg := h.client.Clone()
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
		got, clientErr := handshake(t, h.ln, h.server, cfg)
		if got.err == nil || clientErr == nil {
			t.Errorf("TLS 1.2 handshake: server %v, client %v; want both to fail", got.err, clientErr)
		}
	})
	t.Run("ErrClientDistrustsHub", func(t *testing.T) {
		cfg := mustClientConfig(t, h.certFile, h.keyFile, filepath.Join(MustInitCA(t), pki.CACertFile))
		if _, clientErr := handshake(t, h.ln, h.server, cfg); clientErr == nil {
			t.Error("client accepted a hub signed by a CA it does not trust")
		}
	})
}

func TestClientTLSConfig(t *testing.T) {
	dir := MustInitCA(t)
	certFile, keyFile, caFile := MustWriteParticipant(t, dir, "DEMOINBB")
	cfg := mustClientConfig(t, certFile, keyFile, caFile)
	if cfg.MinVersion != tls.VersionTLS13 || len(cfg.Certificates) != 1 || cfg.RootCAs == nil {
		t.Errorf("client config MinVersion = %x, %d certificates, RootCAs %v; want TLS 1.3, one certificate, the CA",
			cfg.MinVersion, len(cfg.Certificates), cfg.RootCAs)
	}
	t.Run("ErrCANotCA", func(t *testing.T) {
		if _, err := pki.ClientTLSConfig(certFile, keyFile, certFile); err == nil {
			t.Error("ClientTLSConfig with a leaf as CA = nil; want an error")
		}
	})
	t.Run("ErrKeyMismatch", func(t *testing.T) {
		if _, err := pki.ClientTLSConfig(certFile, filepath.Join(dir, pki.OperatorKeyFile), caFile); err == nil {
			t.Error("ClientTLSConfig with another key = nil; want an error")
		}
	})
}

// mustClientConfig is ClientTLSConfig on the fixed clock.
func mustClientConfig(tb testing.TB, certFile, keyFile, caFile string) *tls.Config {
	tb.Helper()
	cfg, err := pki.ClientTLSConfig(certFile, keyFile, caFile)
	if err != nil {
		tb.Fatalf("ClientTLSConfig(%q, %q, %q) = %v", certFile, keyFile, caFile, err)
	}
	return fixedClock(cfg)
}
