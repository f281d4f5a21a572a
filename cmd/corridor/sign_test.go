package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/pki"
)

// TestSign checks that `corridor sign` prints, on one line, a detached JWS
// over the file's exact bytes that the hub's verifier accepts for the
// bank's certificate, and nothing it would accept for other bytes.
func TestSign(t *testing.T) {
	data := mustCA(t)
	mustRunHub(t, data)
	bank := filepath.Join(t.TempDir(), "bank")
	mustRun(t, "participant", "csr", "--bic", "DEMOINBB", "--out", bank)
	mustRun(t, "participant", "add", "--data", data, "--csr", filepath.Join(bank, "DEMOINBBXXX.csr"), "--name", "Demo Bank of India", "--currency", "INR")
	key, certFile := filepath.Join(bank, "DEMOINBBXXX.key"), filepath.Join(bank, "DEMOINBBXXX.crt")
	body := []byte("<Envelope>exact bytes, with a trailing newline</Envelope>\n")
	file := filepath.Join(t.TempDir(), "payment.xml")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "sign", "--key", key, "--cert", certFile, file)
	jws, ok := strings.CutSuffix(out, "\n")
	if !ok || strings.Contains(jws, "\n") {
		t.Fatalf("corridor sign printed %q; want one line", out)
	}
	cert := mustReadCert(t, certFile)
	if err := pki.VerifyDetached(jws, body, cert); err != nil {
		t.Errorf("VerifyDetached(corridor sign's JWS) = %v; want nil", err)
	}
	if err := pki.VerifyDetached(jws, append(body, ' '), cert); err == nil {
		t.Error("corridor sign's JWS verifies over other bytes")
	}
	for _, args := range [][]string{{"sign", file}, {"sign", "--key", key, "--cert", certFile}, {"sign", "--key", key, "--cert", certFile, file + ".missing"}} {
		var errs bytes.Buffer
		if err := run(context.Background(), args, &errs, &errs); err == nil {
			t.Errorf("corridor %s = nil; want an error", strings.Join(args, " "))
		}
	}
}

func mustReadCert(tb testing.TB, file string) *x509.Certificate {
	tb.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		tb.Fatalf("%s holds no PEM", file)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	return cert
}
