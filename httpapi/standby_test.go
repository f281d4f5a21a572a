package httpapi_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

// TestClientFollowsLeader checks the Go client against hub nodes that are
// not the active one: a standby naming the leader (followed at once), a
// standby while no node is active (tried again on the next node), and a
// node that is down (skipped). The payment is sent once, settled once.
func TestClientFollowsLeader(t *testing.T) {
	f := mustFixture(t)
	leader := mustStandbyNode(t, f.caDir, func() string { return f.url })
	electing := mustStandbyNode(t, f.caDir, func() string { return "" })
	down := mustDownNode(t)
	for i, nodes := range []string{leader, electing + "," + f.url, down + "," + f.url, down + "," + electing + "," + leader} {
		bic := corridor.BIC("DEMOIN" + string(rune('C'+i)) + "BXXX")
		c := mustParticipant(t, f.op, nodes, bic, "Demo Bank "+string(rune('C'+i)), "INR")
		c.FailoverWait = 10 * time.Second
		mustFund(t, f.op, bic, "INR", "100.00")
		resp := mustSubmit(t, c, mustEncode(t, rupees(100+i, bic, bankA, 1_00)))
		if resp.Status != "ACSC" || resp.Duplicate {
			t.Errorf("through %s: %+v; want settled once", nodes, resp)
		}
	}
}

// TestClientOneNodeUnchanged checks that a client of a single hub node
// is told of a 503 rather than waiting: it has nowhere else to go.
func TestClientOneNodeUnchanged(t *testing.T) {
	f := mustFixture(t)
	electing := mustStandbyNode(t, f.caDir, func() string { return "" })
	c := mustClient(t, electing, f.caDir+"/"+pki.OperatorCertFile, f.caDir+"/"+pki.OperatorKeyFile, f.caDir+"/"+pki.CACertFile)
	_, err := c.Queue(context.Background())
	var apiErr *httpapi.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusServiceUnavailable || apiErr.Body.Outcome != httpapi.OutcomeNotTaken ||
		!strings.Contains(apiErr.Body.Error, "election") {
		t.Fatalf("a standby without a leader answered %v; want 503 not-taken naming the election", err)
	}
}

// mustStandbyNode serves httpapi.Standby with the hub's certificate, as a
// standby node does, and returns its URL.
func mustStandbyNode(tb testing.TB, caDir string, leader func() string) string {
	tb.Helper()
	tlsConfig, err := pki.ServerTLSConfig(caDir)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", tlsConfig)
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: httpapi.Standby{Leader: leader}, ReadHeaderTimeout: time.Second}
	go func() { _ = srv.Serve(ln) }() // Returns when closed.
	tb.Cleanup(func() { _ = srv.Close() })
	return "https://" + ln.Addr().String()
}

// mustDownNode is the URL of a port nothing listens on.
func mustDownNode(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		tb.Fatal(err)
	}
	return "https://" + addr
}
