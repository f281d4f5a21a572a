package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// MaxCSRBytes bounds the PEM certificate request IssueParticipant accepts.
const MaxCSRBytes = 16 << 10

// minRSABits is the smallest RSA key IssueParticipant signs.
const minRSABits = 2048

// IssueParticipant signs a client certificate for the participant bic from a
// PEM certificate request, whose signature must verify. Only the public key is
// taken from the request: the CA names the certificate itself, with the
// 11-character BIC as CommonName, name as Organization and "participant" as
// OrganizationalUnit. The certificate is for client authentication only and
// valid for a year from now (never past the CA). It returns the certificate
// as PEM. A malformed BIC is an RC01 reject and a bad name an FF01 reject; a
// bad request is an error.
func (ca *CA) IssueParticipant(csrPEM []byte, bic corridor.BIC, name string, now time.Time) ([]byte, error) {
	return ca.IssueParticipantFor(csrPEM, bic, name, now, DefaultValidity)
}

// Certificate validity: a year unless the operator says otherwise, and at
// most 825 days, the CA/Browser Forum's old ceiling for leaf certificates.
const (
	DefaultValidity = 365 * 24 * time.Hour
	MaxValidity     = 825 * 24 * time.Hour
	MinValidity     = time.Hour
)

// IssueParticipantFor is IssueParticipant with a validity of the operator's
// choosing, between MinValidity and MaxValidity (an FF01 reject otherwise).
func (ca *CA) IssueParticipantFor(csrPEM []byte, bic corridor.BIC, name string, now time.Time, validity time.Duration) ([]byte, error) {
	if validity < MinValidity || validity > MaxValidity {
		return nil, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("certificate validity %s is outside %s to %s", validity, MinValidity, MaxValidity))
	}
	subject, err := participantSubject(bic, name)
	if err != nil {
		return nil, err
	}
	pub, err := csrPublicKey(csrPEM)
	if err != nil {
		return nil, fmt.Errorf("issue participant %s: %w", subject.CommonName, err)
	}
	tmpl, err := leafTemplate(now, validity, ca.cert, subject, x509.ExtKeyUsageClientAuth)
	if err != nil {
		return nil, fmt.Errorf("issue participant %s: %w", subject.CommonName, err)
	}
	certPEM, err := ca.sign(tmpl, pub)
	if err != nil {
		return nil, fmt.Errorf("issue participant %s: %w", subject.CommonName, err)
	}
	return certPEM, nil
}

// NewParticipantKey makes an ECDSA P-256 key for the participant bic and a
// certificate request for it, so that the key never leaves the bank. It
// returns the key as PKCS#8 PEM and the request as PEM. A malformed BIC is an
// RC01 reject and a bad name an FF01 reject.
func NewParticipantKey(bic corridor.BIC, name string) (keyPEM, csrPEM []byte, err error) {
	subject, err := participantSubject(bic, name)
	if err != nil {
		return nil, nil, err
	}
	key, err := newKey()
	if err != nil {
		return nil, nil, fmt.Errorf("new participant key %s: %w", subject.CommonName, err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: subject}, key)
	if err != nil {
		return nil, nil, fmt.Errorf("new participant key %s: create request: %w", subject.CommonName, err)
	}
	keyPEM, err = encodeKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("new participant key %s: %w", subject.CommonName, err)
	}
	return keyPEM, pem.EncodeToMemory(&pem.Block{Type: pemCSR, Bytes: der}), nil
}

// participantSubject is the certificate subject of a participant, checked.
func participantSubject(bic corridor.BIC, name string) (pkix.Name, error) {
	b, err := corridor.ParseBIC(string(bic))
	if err != nil {
		return pkix.Name{}, err
	}
	n := utf8.RuneCountInString(name)
	if n == 0 || n > corridor.MaxParticipantNameChars || !utf8.ValidString(name) {
		return pkix.Name{}, corridor.Reject(corridor.ReasonInvalidFormat,
			fmt.Sprintf("participant name must be 1 to %d characters", corridor.MaxParticipantNameChars))
	}
	return pkix.Name{
		CommonName:         string(b),
		Organization:       []string{name},
		OrganizationalUnit: []string{ouParticipant},
	}, nil
}

// csrPublicKey returns the public key of a PEM certificate request after
// checking its signature and that the key is one TLS 1.3 accepts.
func csrPublicKey(csrPEM []byte) (crypto.PublicKey, error) {
	csr, err := parseRequest(csrPEM)
	if err != nil {
		return nil, err
	}
	return csr.PublicKey, nil
}

// RequestCommonName returns the subject CommonName of a PEM certificate
// request, checked as IssueParticipant checks it. The CA ignores the
// request's subject, so the operator compares this name with the BIC it
// registers the request for, to catch one bank's request filed as another's.
func RequestCommonName(csrPEM []byte) (string, error) {
	csr, err := parseRequest(csrPEM)
	if err != nil {
		return "", err
	}
	return csr.Subject.CommonName, nil
}

// parseRequest parses a PEM certificate request, bounded, and checks its
// signature and that its key is one TLS 1.3 accepts.
func parseRequest(csrPEM []byte) (*x509.CertificateRequest, error) {
	if len(csrPEM) > MaxCSRBytes {
		return nil, fmt.Errorf("certificate request is %d bytes, at most %d", len(csrPEM), MaxCSRBytes)
	}
	der, err := decodeOne(csrPEM, pemCSR)
	if err != nil {
		return nil, fmt.Errorf("certificate request: %w", err)
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, fmt.Errorf("certificate request: %w", err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("certificate request: %w", err)
	}
	if err := checkPublicKey(csr.PublicKey); err != nil {
		return nil, fmt.Errorf("certificate request: %w", err)
	}
	return csr, nil
}

// checkPublicKey accepts ECDSA P-256 and P-384, Ed25519 and RSA of at least
// minRSABits: keys that TLS 1.3 client authentication can use and that are strong enough.
func checkPublicKey(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
			return fmt.Errorf("ECDSA curve %s is not accepted", k.Curve.Params().Name)
		}
	case ed25519.PublicKey:
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return fmt.Errorf("RSA key of %d bits, at least %d", k.N.BitLen(), minRSABits)
		}
	default:
		return fmt.Errorf("public key of type %T is not accepted", pub)
	}
	return nil
}
