package pki_test

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

// MustIssue makes a key and CSR for bic and has dir's CA sign it; it returns
// the certificate and key PEM.
func MustIssue(tb testing.TB, dir string, bic corridor.BIC, name string) (certPEM, keyPEM []byte) {
	tb.Helper()
	ca, err := pki.LoadCA(dir)
	if err != nil {
		tb.Fatalf("LoadCA = %v", err)
	}
	keyPEM, csrPEM, err := pki.NewParticipantKey(bic, name)
	if err != nil {
		tb.Fatalf("NewParticipantKey(%q, %q) = %v", bic, name, err)
	}
	certPEM, err = ca.IssueParticipant(csrPEM, bic, name, now)
	if err != nil {
		tb.Fatalf("IssueParticipant(%q, %q) = %v", bic, name, err)
	}
	return certPEM, keyPEM
}

func TestIssueParticipant(t *testing.T) {
	dir := MustInitCA(t)
	certPEM, keyPEM := MustIssue(t, dir, "DEMOINBB", "Demo Bank of India")
	if !strings.HasPrefix(string(keyPEM), "-----BEGIN PRIVATE KEY-----") {
		t.Error("NewParticipantKey key is not PKCS#8 PEM")
	}
	cert := MustParseCert(t, certPEM)

	t.Run("Subject", func(t *testing.T) {
		s := cert.Subject
		if s.CommonName != "DEMOINBBXXX" || len(s.Organization) != 1 || s.Organization[0] != "Demo Bank of India" ||
			len(s.OrganizationalUnit) != 1 || s.OrganizationalUnit[0] != "participant" {
			t.Errorf("subject = %+v; want CN DEMOINBBXXX, O Demo Bank of India, OU participant", s)
		}
	})
	t.Run("Usage", func(t *testing.T) {
		if cert.IsCA || !cert.BasicConstraintsValid {
			t.Errorf("IsCA = %v, BasicConstraintsValid = %v; want a leaf", cert.IsCA, cert.BasicConstraintsValid)
		}
		if cert.KeyUsage != x509.KeyUsageDigitalSignature {
			t.Errorf("KeyUsage = %v; want DigitalSignature only", cert.KeyUsage)
		}
		if len(cert.ExtKeyUsage) != 1 || cert.ExtKeyUsage[0] != x509.ExtKeyUsageClientAuth {
			t.Errorf("ExtKeyUsage = %v; want ClientAuth only", cert.ExtKeyUsage)
		}
		if want := now.AddDate(1, 0, 0); !cert.NotAfter.Equal(want) {
			t.Errorf("NotAfter = %v; want %v", cert.NotAfter, want)
		}
	})
	t.Run("Verify", func(t *testing.T) {
		mustVerify(t, dir, cert, x509.ExtKeyUsageClientAuth)
	})
	t.Run("Identity", func(t *testing.T) {
		id, err := pki.IdentityOf(cert)
		want := corridor.Identity{Role: corridor.RoleParticipant, BIC: "DEMOINBBXXX", Name: "Demo Bank of India"}
		if err != nil || id != want {
			t.Errorf("IdentityOf = %+v, %v; want %+v", id, err, want)
		}
	})
	t.Run("NotPastCA", func(t *testing.T) {
		ca, err := pki.LoadCA(dir)
		if err != nil {
			t.Fatal(err)
		}
		_, csrPEM, err := pki.NewParticipantKey("DEMOGB22", "Late Bank")
		if err != nil {
			t.Fatal(err)
		}
		late := now.AddDate(9, 6, 0)
		certPEM, err := ca.IssueParticipant(csrPEM, "DEMOGB22", "Late Bank", late)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := MustParseCert(t, certPEM).NotAfter, ca.Certificate().NotAfter; !got.Equal(want) {
			t.Errorf("NotAfter issued at %v = %v; want the CA's %v", late, got, want)
		}
	})
}

func TestIssueParticipantErrors(t *testing.T) {
	dir := MustInitCA(t)
	ca, err := pki.LoadCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, csrPEM, err := pki.NewParticipantKey("DEMOINBB", "Demo Bank")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		csr    []byte
		bic    corridor.BIC
		bank   string
		reason corridor.ReasonCode // Empty: an error that is not a reject.
	}{
		{"ErrBadSignature", tamperSignature(t, csrPEM), "DEMOINBB", "Demo Bank", ""},
		{"ErrNotPEM", []byte("not a request"), "DEMOINBB", "Demo Bank", ""},
		{"ErrWrongPEMType", []byte(strings.Replace(string(csrPEM), "CERTIFICATE REQUEST", "CERTIFICATE", 2)), "DEMOINBB", "Demo Bank", ""},
		{"ErrTooLarge", append(csrPEM, make([]byte, pki.MaxCSRBytes)...), "DEMOINBB", "Demo Bank", ""},
		{"ErrBICLowerCase", csrPEM, "demoinbb", "Demo Bank", corridor.ReasonUnknownBIC},
		{"ErrBICLength", csrPEM, "DEMOINB", "Demo Bank", corridor.ReasonUnknownBIC},
		{"ErrBICEmpty", csrPEM, "", "Demo Bank", corridor.ReasonUnknownBIC},
		{"ErrNameEmpty", csrPEM, "DEMOINBB", "", corridor.ReasonInvalidFormat},
		{"ErrNameTooLong", csrPEM, "DEMOINBB", strings.Repeat("n", corridor.MaxParticipantNameChars+1), corridor.ReasonInvalidFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ca.IssueParticipant(tt.csr, tt.bic, tt.bank, now)
			reason, isReject := corridor.ReasonOf(err)
			switch {
			case err == nil:
				t.Errorf("IssueParticipant(%s, %q, %q) = %d bytes, nil; want an error", tt.name, tt.bic, tt.bank, len(got))
			case tt.reason == "" && isReject:
				t.Errorf("IssueParticipant(%s, %q, %q) = %v; want an error that is not a reject", tt.name, tt.bic, tt.bank, err)
			case tt.reason != "" && reason != tt.reason:
				t.Errorf("IssueParticipant(%s, %q, %q) = %v; want reason %s", tt.name, tt.bic, tt.bank, err, tt.reason)
			}
		})
	}
}

func TestNewParticipantKey(t *testing.T) {
	t.Run("CSR", func(t *testing.T) {
		_, csrPEM, err := pki.NewParticipantKey("DEMOUS33XXX", "Demo Bank US")
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(csrPEM)
		if block == nil || block.Type != "CERTIFICATE REQUEST" {
			t.Fatalf("NewParticipantKey CSR is not a PEM CERTIFICATE REQUEST")
		}
		csr, err := x509.ParseCertificateRequest(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if err := csr.CheckSignature(); err != nil {
			t.Errorf("CSR signature: %v", err)
		}
		if csr.Subject.CommonName != "DEMOUS33XXX" {
			t.Errorf("CSR CommonName = %q; want DEMOUS33XXX", csr.Subject.CommonName)
		}
	})
	t.Run("ErrBIC", func(t *testing.T) {
		_, _, err := pki.NewParticipantKey("DEMO-US", "Demo Bank US")
		if reason, _ := corridor.ReasonOf(err); reason != corridor.ReasonUnknownBIC {
			t.Errorf("NewParticipantKey(DEMO-US) = %v; want reason RC01", err)
		}
		var re *corridor.RejectError
		if !errors.As(err, &re) {
			t.Errorf("NewParticipantKey(DEMO-US) = %T; want *corridor.RejectError", err)
		}
	})
}

// tamperSignature flips a bit in the last byte of a PEM CSR: the end of the
// signature, so the request still parses but its signature fails.
func tamperSignature(tb testing.TB, csrPEM []byte) []byte {
	tb.Helper()
	block, _ := pem.Decode(csrPEM)
	der := append([]byte(nil), block.Bytes...)
	der[len(der)-1] ^= 0x01
	if _, err := x509.ParseCertificateRequest(der); err != nil {
		tb.Fatalf("tampered CSR no longer parses: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: der})
}

func TestRequestCommonName(t *testing.T) {
	_, csrPEM, err := pki.NewParticipantKey("DEMOINBB", "Demo Bank")
	if err != nil {
		t.Fatal(err)
	}
	if cn, err := pki.RequestCommonName(csrPEM); err != nil || cn != "DEMOINBBXXX" {
		t.Errorf("RequestCommonName = %q, %v; want DEMOINBBXXX", cn, err)
	}
	tampered := bytes.Clone(csrPEM)
	i := len(tampered) / 2 // Inside the base64 body, in the subject or the key.
	for tampered[i] == '\n' || tampered[i] == 'A' {
		i++
	}
	tampered[i] = 'A'
	if _, err := pki.RequestCommonName(tampered); err == nil {
		t.Error("RequestCommonName(a tampered request) = nil error")
	}
}
