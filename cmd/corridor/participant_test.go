package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

// mustRun runs the corridor command args and returns what it printed.
func mustRun(tb testing.TB, args ...string) string {
	tb.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), args, &out, &out); err != nil {
		tb.Fatalf("corridor %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// mustFileMode fails unless path has the permission bits want.
func mustFileMode(tb testing.TB, path string, want fs.FileMode) {
	tb.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		tb.Errorf("mode of %s = %04o; want %04o", path, got, want)
	}
}

// TestParticipantFromCSR is the bank keeping its key: it runs `participant
// csr` on its side, the operator registers the request with `participant add
// --csr`, and the bank connects with its key and the certificate it got back.
func TestParticipantFromCSR(t *testing.T) {
	data := mustCA(t)
	m := mustRunHub(t, data)
	bank := filepath.Join(t.TempDir(), "bank")
	mustRun(t, "participant", "csr", "--bic", "DEMOINBB", "--out", bank)
	key, csr := filepath.Join(bank, "DEMOINBBXXX.key"), filepath.Join(bank, "DEMOINBBXXX.csr")
	mustFileMode(t, bank, 0o700)
	mustFileMode(t, key, 0o600)
	mustFileMode(t, csr, 0o644)
	out := mustRun(t, "participant", "add", "--data", data, "--csr", csr, "--name", "Demo Bank of India", "--currency", "INR")
	if !strings.Contains(out, "registered DEMOINBBXXX") {
		t.Errorf("participant add --csr printed %q; want it to name the BIC from the request", out)
	}
	cert := filepath.Join(bank, "DEMOINBBXXX.crt")
	mustFileMode(t, cert, 0o644)
	cfg, err := pki.ClientTLSConfig(cert, key, filepath.Join(bank, pki.CACertFile))
	if err != nil {
		t.Fatal(err)
	}
	c := httpapi.NewClient(m.API.URL(), cfg)
	defer c.Close()
	if accts, err := c.Accounts(context.Background()); err != nil || len(accts) != 1 {
		t.Errorf("the bank's Accounts with its own key = %v, %v; want its INR account", accts, err)
	}
	var errs bytes.Buffer
	err = run(context.Background(), []string{"participant", "csr", "--bic", "DEMOINBB", "--out", bank}, &errs, &errs)
	if err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("participant csr over the bank's key: %v; want a refusal", err)
	}
}

// TestParticipantAddRefusals checks that participant add makes no key
// unless asked, and refuses another bank's request.
func TestParticipantAddRefusals(t *testing.T) {
	data := mustCA(t)
	mustRunHub(t, data)
	other := t.TempDir()
	mustRun(t, "participant", "csr", "--bic", "DEMORUMM", "--out", other)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrNoCSR", nil, "corridor participant csr --bic DEMOINBB --out DIR"},
		{"ErrBoth", []string{"--csr", filepath.Join(other, "DEMORUMMXXX.csr"), "--generate-key", "--out", t.TempDir()}, "not both"},
		{"ErrGenerateWithoutOut", []string{"--generate-key"}, "--generate-key needs --out"},
		{"ErrOtherBanksRequest", []string{"--csr", filepath.Join(other, "DEMORUMMXXX.csr")}, "for DEMORUMMXXX, not DEMOINBBXXX"},
		{"ErrNoSuchCSR", []string{"--csr", filepath.Join(other, "none.csr")}, "read CSR"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"participant", "add", "--data", data, "--bic", "DEMOINBB", "--name", "Demo Bank of India",
				"--currency", "INR"}, tt.args...)
			var out bytes.Buffer
			err := run(context.Background(), args, &out, &out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("corridor %s: %v; want an error saying %q", strings.Join(args, " "), err, tt.want)
			}
		})
	}
	t.Run("GenerateKey", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "handover")
		out := mustRun(t, "participant", "add", "--data", data, "--bic", "DEMOINBB", "--name", "Demo Bank of India",
			"--currency", "INR", "--generate-key", "--out", dir)
		if !strings.Contains(out, "made here") {
			t.Errorf("participant add --generate-key printed %q; want it to say the key was made here", out)
		}
		mustFileMode(t, filepath.Join(dir, "DEMOINBBXXX.key"), 0o600)
		if _, err := pki.ClientTLSConfig(filepath.Join(dir, "DEMOINBBXXX.crt"), filepath.Join(dir, "DEMOINBBXXX.key"),
			filepath.Join(dir, pki.CACertFile)); err != nil {
			t.Errorf("the generated key and its certificate: %v", err)
		}
	})
}
