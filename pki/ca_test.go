package pki_test

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor/pki"
)

// now is the fixed clock of every test.
var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// MustInitCA makes a CA directory in a temporary directory and returns it.
func MustInitCA(tb testing.TB, hubHosts ...string) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "ca")
	if err := pki.InitCA(dir, now, hubHosts); err != nil {
		tb.Fatalf("InitCA(%q) = %v", dir, err)
	}
	return dir
}

// MustReadCert reads a PEM certificate file.
func MustReadCert(tb testing.TB, path string) *x509.Certificate {
	tb.Helper()
	return MustParseCert(tb, MustReadFile(tb, path))
}

// MustParseCert parses one PEM certificate.
func MustParseCert(tb testing.TB, certPEM []byte) *x509.Certificate {
	tb.Helper()
	block, _ := pem.Decode(certPEM)
	if block == nil {
		tb.Fatal("no PEM block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		tb.Fatalf("parse certificate: %v", err)
	}
	return cert
}

func MustReadFile(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestInitCA(t *testing.T) {
	dir := MustInitCA(t)
	t.Run("Modes", func(t *testing.T) {
		want := map[string]fs.FileMode{
			".": 0o700, pki.CACertFile: 0o644, pki.CAKeyFile: 0o600, pki.HubCertFile: 0o644,
			pki.HubKeyFile: 0o600, pki.OperatorCertFile: 0o644, pki.OperatorKeyFile: 0o600,
		}
		for name, mode := range want {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != mode {
				t.Errorf("mode of %s = %v; want %v", name, got, mode)
			}
		}
		for _, name := range []string{pki.CAKeyFile, pki.HubKeyFile, pki.OperatorKeyFile} {
			if data := MustReadFile(t, filepath.Join(dir, name)); !strings.HasPrefix(string(data), "-----BEGIN PRIVATE KEY-----") {
				t.Errorf("%s is not a PKCS#8 PEM key", name) // Never print the key.
			}
		}
	})
	t.Run("LoadCA", func(t *testing.T) {
		ca, err := pki.LoadCA(dir)
		if err != nil {
			t.Fatalf("LoadCA = %v", err)
		}
		c := ca.Certificate()
		if !c.IsCA || c.KeyUsage&x509.KeyUsageCertSign == 0 {
			t.Errorf("CA certificate IsCA = %v, KeyUsage = %v; want a CA that signs certificates", c.IsCA, c.KeyUsage)
		}
		if want := now.Add(-time.Hour); !c.NotBefore.Equal(want) {
			t.Errorf("CA NotBefore = %v; want %v", c.NotBefore, want)
		}
		if want := now.AddDate(10, 0, 0); !c.NotAfter.Equal(want) {
			t.Errorf("CA NotAfter = %v; want %v", c.NotAfter, want)
		}
		if c.SignatureAlgorithm != x509.ECDSAWithSHA256 {
			t.Errorf("CA SignatureAlgorithm = %v; want ECDSA P-256 with SHA-256", c.SignatureAlgorithm)
		}
		if got, want := string(ca.CertificatePEM()), string(MustReadFile(t, filepath.Join(dir, pki.CACertFile))); got != want {
			t.Errorf("CertificatePEM() differs from %s", pki.CACertFile)
		}
	})
	t.Run("Operator", func(t *testing.T) {
		op := MustReadCert(t, filepath.Join(dir, pki.OperatorCertFile))
		mustVerify(t, dir, op, x509.ExtKeyUsageClientAuth)
		id, err := pki.IdentityOf(op)
		if err != nil || id.Role != "operator" || id.Name != "operator" {
			t.Errorf("IdentityOf(operator certificate) = %+v, %v; want role operator, name operator", id, err)
		}
	})
}

func TestInitCAHubCertificate(t *testing.T) {
	dir := MustInitCA(t, "hub.example", "10.0.0.7", "localhost")
	hub := MustReadCert(t, filepath.Join(dir, pki.HubCertFile))
	if want := []string{"localhost", "hub.example"}; !slices.Equal(hub.DNSNames, want) {
		t.Errorf("hub DNSNames = %q; want %q", hub.DNSNames, want)
	}
	var ips []string
	for _, ip := range hub.IPAddresses {
		ips = append(ips, ip.String())
	}
	if want := []string{"127.0.0.1", "::1", "10.0.0.7"}; !slices.Equal(ips, want) {
		t.Errorf("hub IPAddresses = %q; want %q", ips, want)
	}
	if want := now.AddDate(1, 0, 0); !hub.NotAfter.Equal(want) {
		t.Errorf("hub NotAfter = %v; want %v", hub.NotAfter, want)
	}
	mustVerify(t, dir, hub, x509.ExtKeyUsageServerAuth)
	if hub.SerialNumber.BitLen() < 64 {
		t.Errorf("hub serial %v is not a random 128-bit number", hub.SerialNumber)
	}
}

func TestInitCARefusesToOverwrite(t *testing.T) {
	for _, name := range []string{pki.CACertFile, pki.HubKeyFile, pki.OperatorKeyFile} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, name), []byte("keep"), 0o600); err != nil {
				t.Fatal(err)
			}
			err := pki.InitCA(dir, now, nil)
			if !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), name) {
				t.Errorf("InitCA over an existing %s = %v; want fs.ErrExist naming the file", name, err)
			}
			if got := string(MustReadFile(t, filepath.Join(dir, name))); got != "keep" {
				t.Errorf("%s was overwritten", name)
			}
		})
	}
	t.Run("Again", func(t *testing.T) {
		dir := MustInitCA(t)
		before := MustReadFile(t, filepath.Join(dir, pki.CACertFile))
		if err := pki.InitCA(dir, now, nil); !errors.Is(err, fs.ErrExist) {
			t.Errorf("second InitCA = %v; want fs.ErrExist", err)
		}
		if after := MustReadFile(t, filepath.Join(dir, pki.CACertFile)); string(after) != string(before) {
			t.Errorf("second InitCA changed %s", pki.CACertFile)
		}
	})
}

func TestInitCAHubHosts(t *testing.T) {
	tests := []struct {
		name  string
		hosts []string
	}{
		{"ErrEmptyHost", []string{""}},
		{"ErrTooMany", slices.Repeat([]string{"h.example"}, pki.MaxHubHosts+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := pki.InitCA(dir, now, tt.hosts); err == nil {
				t.Errorf("InitCA(hosts %q) = nil; want an error", tt.hosts)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("InitCA(hosts %q) left %d files behind", tt.hosts, len(entries))
			}
		})
	}
}

func TestLoadCA(t *testing.T) {
	t.Run("ErrMissing", func(t *testing.T) {
		if _, err := pki.LoadCA(t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("LoadCA(empty dir) = %v; want fs.ErrNotExist", err)
		}
	})
	t.Run("ErrKeyMismatch", func(t *testing.T) {
		dir := MustInitCA(t)
		other := MustInitCA(t)
		key := MustReadFile(t, filepath.Join(other, pki.CAKeyFile))
		if err := os.WriteFile(filepath.Join(dir, pki.CAKeyFile), key, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := pki.LoadCA(dir); err == nil {
			t.Error("LoadCA with another CA's key = nil; want an error")
		}
	})
}

// mustVerify checks that cert chains to dir's CA for usage at the fixed clock.
func mustVerify(tb testing.TB, dir string, cert *x509.Certificate, usage x509.ExtKeyUsage) {
	tb.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(MustReadCert(tb, filepath.Join(dir, pki.CACertFile)))
	opts := x509.VerifyOptions{Roots: pool, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{usage}}
	if _, err := cert.Verify(opts); err != nil {
		tb.Errorf("verify %q for %v: %v", cert.Subject.CommonName, usage, err)
	}
}
