package pki

import (
	"crypto/x509"
	"fmt"

	"github.com/corridor-network/corridor"
)

// IdentityOf returns who a verified client certificate belongs to, from its
// subject: OrganizationalUnit "operator" is the operator, named by its
// CommonName; OrganizationalUnit "participant" is the participant whose BIC is
// the CommonName, named by its Organization. Anything else wraps
// corridor.ErrUnauthorized. IdentityOf does not verify the certificate: the
// TLS handshake (ServerTLSConfig) has done that.
func IdentityOf(cert *x509.Certificate) (corridor.Identity, error) {
	if cert == nil {
		return corridor.Identity{}, fmt.Errorf("identify certificate: none: %w", corridor.ErrUnauthorized)
	}
	s := cert.Subject
	if len(s.OrganizationalUnit) != 1 {
		return corridor.Identity{}, fmt.Errorf("identify certificate %.64q: %d organizational units, want 1: %w",
			s.CommonName, len(s.OrganizationalUnit), corridor.ErrUnauthorized)
	}
	switch ou := s.OrganizationalUnit[0]; ou {
	case ouOperator:
		if s.CommonName == "" {
			return corridor.Identity{}, fmt.Errorf("identify operator certificate: no common name: %w", corridor.ErrUnauthorized)
		}
		return corridor.Identity{Role: corridor.RoleOperator, Name: s.CommonName}, nil
	case ouParticipant:
		bic, err := corridor.ParseBIC(s.CommonName)
		if err != nil {
			return corridor.Identity{}, fmt.Errorf("identify participant certificate %.64q: not a BIC: %w",
				s.CommonName, corridor.ErrUnauthorized)
		}
		if len(s.Organization) != 1 {
			return corridor.Identity{}, fmt.Errorf("identify participant certificate %s: %d organizations, want 1: %w",
				bic, len(s.Organization), corridor.ErrUnauthorized)
		}
		return corridor.Identity{Role: corridor.RoleParticipant, BIC: bic, Name: s.Organization[0]}, nil
	default:
		return corridor.Identity{}, fmt.Errorf("identify certificate %.64q: organizational unit %.64q: %w",
			s.CommonName, ou, corridor.ErrUnauthorized)
	}
}

// Serial is a certificate's serial number in lower-case hex: how the hub
// names a certificate it issued, revokes or accepts.
func Serial(cert *x509.Certificate) string { return cert.SerialNumber.Text(16) }

// CertificateOf reads what the hub keeps of a certificate it issued.
func CertificateOf(certPEM []byte) (corridor.Certificate, error) {
	cert, err := parseCertPEM(certPEM)
	if err != nil {
		return corridor.Certificate{}, fmt.Errorf("read certificate: %w", err)
	}
	return corridor.Certificate{Serial: Serial(cert), NotAfter: cert.NotAfter.UTC()}, nil
}
