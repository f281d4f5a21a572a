package pki_test

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

func TestIssueOperator(t *testing.T) {
	dir := MustInitCA(t)
	ca, err := pki.LoadCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, csr, err := pki.NewOperatorKey("night-shift")
	if err != nil {
		t.Fatal(err)
	}
	certPEM, err := ca.IssueOperator(csr, "night-shift", now, 30*24*time.Hour)
	if err != nil {
		t.Fatalf("IssueOperator: %v", err)
	}
	cert := MustParseCert(t, certPEM)
	id, err := pki.IdentityOf(cert)
	if err != nil || id.Role != corridor.RoleOperator || id.Name != "night-shift" {
		t.Errorf("IdentityOf = %+v, %v; want the operator night-shift", id, err)
	}
	if got := cert.NotAfter.Sub(now); got < 30*24*time.Hour || got > 30*24*time.Hour+time.Hour {
		t.Errorf("validity %s; want 30 days", got)
	}
	mustVerify(t, dir, cert, x509.ExtKeyUsageClientAuth)
	for _, name := range []string{"", " padded", string(make([]byte, 65))} {
		if _, err := ca.IssueOperator(csr, name, now, time.Hour); err == nil {
			t.Errorf("IssueOperator(name %q) accepted", name)
		}
	}
	if _, err := ca.IssueOperator(csr, "ok", now, 0); err == nil {
		t.Error("IssueOperator with zero validity accepted")
	}
}
