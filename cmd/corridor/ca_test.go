package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

// TestCAOperator issues a second operator certificate with `corridor ca
// operator` and uses it against a running hub.
func TestCAOperator(t *testing.T) {
	data := t.TempDir()
	if err := pki.InitCA(caDir(data), time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	dir := t.TempDir()
	if err := run(context.Background(), []string{"ca", "operator", "--data", data, "--name", "night-shift", "--out", dir}, &out, &out); err != nil {
		t.Fatalf("ca operator: %v\n%s", err, out.String())
	}
	m := NewMain()
	m.Config.DataDir, m.Config.Addr = data, "127.0.0.1:0"
	m.Logger = slog.New(slog.DiscardHandler)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() }) // The test's result is already decided.
	cfg, err := pki.ClientTLSConfig(filepath.Join(dir, "night-shift.crt"), filepath.Join(dir, "night-shift.key"), filepath.Join(caDir(data), pki.CACertFile))
	if err != nil {
		t.Fatal(err)
	}
	op := httpapi.NewClient(m.API.URL(), cfg)
	defer op.Close()
	keyPEM, csrPEM, err := pki.NewParticipantKey("DEMOINBB", "Demo Bank of India")
	if err != nil || keyPEM == nil {
		t.Fatal(err)
	}
	if _, err := op.RegisterParticipant(context.Background(), httpapi.RegisterRequest{BIC: "DEMOINBB", Name: "Demo Bank of India",
		Currencies: []string{"INR"}, CSR: string(csrPEM)}); err != nil {
		t.Fatalf("the new operator could not register a participant: %v", err)
	}
	if err := run(context.Background(), []string{"ca", "operator", "--data", data, "--name", "night-shift", "--out", dir}, &out, &out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second key over the first: %v; want a refusal", err)
	}
	certPEM, err := os.ReadFile(filepath.Join(dir, "night-shift.crt"))
	if err != nil {
		t.Fatal(err)
	}
	issued, err := pki.CertificateOf(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"operator", "revoke", "--data", data, "--serial", issued.Serial}, &out, &out); err != nil {
		t.Fatalf("operator revoke: %v\n%s", err, out.String())
	}
	if _, err := op.Fund(context.Background(), httpapi.FundRequest{BIC: "DEMOINBB", Currency: "INR", Amount: "1.00"}); !errors.Is(err, corridor.ErrUnauthorized) {
		t.Errorf("the revoked operator's next request: %v; want refused", err)
	}
}
