package pki

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// MaxOperatorNameChars bounds an operator certificate's CommonName.
const MaxOperatorNameChars = 64

// operatorSubject is the subject of an operator's certificate, checked.
func operatorSubject(name string) (pkix.Name, error) {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > MaxOperatorNameChars || !utf8.ValidString(name) || strings.TrimSpace(name) != name {
		return pkix.Name{}, corridor.Reject(corridor.ReasonInvalidFormat,
			fmt.Sprintf("operator name must be 1 to %d characters without surrounding spaces", MaxOperatorNameChars))
	}
	return pkix.Name{CommonName: name, Organization: []string{organization}, OrganizationalUnit: []string{ouOperator}}, nil
}

// IssueOperator signs a client certificate with the operator role for the
// key in a PEM certificate request: a person or system that runs the hub,
// named name. Only the request's key is used; the CA sets the names.
func (ca *CA) IssueOperator(csrPEM []byte, name string, now time.Time, validity time.Duration) ([]byte, error) {
	if validity < MinValidity || validity > MaxValidity {
		return nil, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("certificate validity %s is outside %s to %s", validity, MinValidity, MaxValidity))
	}
	subject, err := operatorSubject(name)
	if err != nil {
		return nil, err
	}
	pub, err := csrPublicKey(csrPEM)
	if err != nil {
		return nil, fmt.Errorf("issue operator %s: %w", name, err)
	}
	tmpl, err := leafTemplate(now, validity, ca.cert, subject, x509.ExtKeyUsageClientAuth)
	if err != nil {
		return nil, fmt.Errorf("issue operator %s: %w", name, err)
	}
	return ca.sign(tmpl, pub)
}

// NewOperatorKey makes an ECDSA P-256 key for an operator and a certificate
// request for it; keyPEM is PKCS#8.
func NewOperatorKey(name string) (keyPEM, csrPEM []byte, err error) {
	subject, err := operatorSubject(name)
	if err != nil {
		return nil, nil, err
	}
	key, err := newKey()
	if err != nil {
		return nil, nil, fmt.Errorf("new operator key %s: %w", name, err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: subject}, key)
	if err != nil {
		return nil, nil, fmt.Errorf("new operator key %s: create request: %w", name, err)
	}
	keyPEM, err = encodeKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("new operator key %s: %w", name, err)
	}
	return keyPEM, pem.EncodeToMemory(&pem.Block{Type: pemCSR, Bytes: der}), nil
}
