package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// The files of a CA directory, written by InitCA.
const (
	CACertFile       = "ca.crt"
	CAKeyFile        = "ca.key"
	HubCertFile      = "hub.crt"
	HubKeyFile       = "hub.key"
	OperatorCertFile = "operator.crt"
	OperatorKeyFile  = "operator.key"
)

// MaxHubHosts bounds the extra host names and addresses in the hub's certificate.
const MaxHubHosts = 32

// Validity periods. Certificates start an hour before the clock says, so that a
// peer whose clock lags a little still accepts them.
const (
	clockSkew    = time.Hour
	caValidYears = 10
)

// Subject values that IdentityOf reads back.
const (
	ouOperator    = "operator"
	ouParticipant = "participant"
	ouHub         = "hub"
	operatorCN    = "operator"
	hubCN         = "hub"
	caCN          = "Corridor Root CA"
	organization  = "Corridor"
)

// defaultHubHosts are always in the hub's certificate, so local clients can reach it.
var defaultHubHosts = []string{"localhost", "127.0.0.1", "::1"}

// CA is a loaded certificate authority that can issue participant certificates.
type CA struct {
	cert *x509.Certificate
	key  crypto.Signer
}

// InitCA creates dir (mode 0700) and writes a new ECDSA P-256 root CA, the hub's
// server certificate (for localhost, 127.0.0.1, ::1 and hubHosts) and the
// operator's client certificate. Keys are PKCS#8 PEM, mode 0600. It refuses to
// touch a directory that already holds any of the CA's files; the error names
// the file and wraps fs.ErrExist. Certificates are valid from now minus an
// hour, the CA for 10 years and the others for 1 year.
func InitCA(dir string, now time.Time, hubHosts []string) error {
	if len(hubHosts) > MaxHubHosts {
		return fmt.Errorf("init CA: %d hub hosts, at most %d", len(hubHosts), MaxHubHosts)
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("init CA: %w", err)
	}
	for _, name := range []string{CACertFile, CAKeyFile, HubCertFile, HubKeyFile, OperatorCertFile, OperatorKeyFile} {
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("init CA: refusing to overwrite %s: %w", path, fs.ErrExist)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("init CA: %w", err)
		}
	}
	files, err := newCAFiles(now, hubHosts)
	if err != nil {
		return fmt.Errorf("init CA: %w", err)
	}
	if err := writeNewFiles(dir, files); err != nil {
		return fmt.Errorf("init CA: %w", err)
	}
	return nil
}

// caFile is a file of a CA directory, ready to write.
type caFile struct {
	name string
	data []byte
	perm fs.FileMode
}

// newCAFiles makes the keys and certificates of a new CA directory.
func newCAFiles(now time.Time, hubHosts []string) ([]caFile, error) {
	ca, caKeyPEM, err := newRoot(now)
	if err != nil {
		return nil, err
	}
	hubTmpl, err := hubTemplate(now, ca.cert, hubHosts)
	if err != nil {
		return nil, err
	}
	hubCert, hubKey, err := ca.issueWithNewKey(hubTmpl)
	if err != nil {
		return nil, fmt.Errorf("issue hub certificate: %w", err)
	}
	opTmpl, err := leafTemplate(now, DefaultValidity, ca.cert, pkix.Name{
		CommonName:         operatorCN,
		Organization:       []string{organization},
		OrganizationalUnit: []string{ouOperator},
	}, x509.ExtKeyUsageClientAuth)
	if err != nil {
		return nil, err
	}
	opCert, opKey, err := ca.issueWithNewKey(opTmpl)
	if err != nil {
		return nil, fmt.Errorf("issue operator certificate: %w", err)
	}
	return []caFile{
		{CACertFile, ca.CertificatePEM(), certFileMode},
		{CAKeyFile, caKeyPEM, keyFileMode},
		{HubCertFile, hubCert, certFileMode},
		{HubKeyFile, hubKey, keyFileMode},
		{OperatorCertFile, opCert, certFileMode},
		{OperatorKeyFile, opKey, keyFileMode},
	}, nil
}

// newRoot makes a self-signed root CA and returns it with its key as PEM.
func newRoot(now time.Time) (*CA, []byte, error) {
	key, err := newKey()
	if err != nil {
		return nil, nil, err
	}
	tmpl, err := caTemplate(now)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, fmt.Errorf("create CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("parse CA certificate: %w", err)
	}
	keyPEM, err := encodeKey(key)
	if err != nil {
		return nil, nil, err
	}
	return &CA{cert: cert, key: key}, keyPEM, nil
}

// writeNewFiles writes files into dir, none of which may exist. If one write
// fails, it removes those it wrote, so that InitCA can be run again.
func writeNewFiles(dir string, files []caFile) error {
	for i, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), f.data, f.perm, true); err != nil {
			for _, done := range files[:i] {
				_ = os.Remove(filepath.Join(dir, done.name)) // Best effort: the write error is the one to report.
			}
			return err
		}
	}
	return nil
}

// caTemplate is the root certificate: it signs leaf certificates only.
func caTemplate(now time.Time) (*x509.Certificate, error) {
	serial, err := newSerial()
	if err != nil {
		return nil, err
	}
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: caCN, Organization: []string{organization}},
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              now.AddDate(caValidYears, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}, nil
}

// hubTemplate is the hub's server certificate for the default hosts and extra.
func hubTemplate(now time.Time, ca *x509.Certificate, extra []string) (*x509.Certificate, error) {
	tmpl, err := leafTemplate(now, DefaultValidity, ca, pkix.Name{
		CommonName:         hubCN,
		Organization:       []string{organization},
		OrganizationalUnit: []string{ouHub},
	}, x509.ExtKeyUsageServerAuth)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(defaultHubHosts)+len(extra))
	for _, h := range append(append([]string(nil), defaultHubHosts...), extra...) {
		if h == "" {
			return nil, errors.New("empty hub host")
		}
		if seen[h] {
			continue
		}
		seen[h] = true
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	return tmpl, nil
}

// leafTemplate is an end-entity certificate for one use, valid from now for
// validity but never past the CA.
func leafTemplate(now time.Time, validity time.Duration, ca *x509.Certificate, subject pkix.Name, usage x509.ExtKeyUsage) (*x509.Certificate, error) {
	serial, err := newSerial()
	if err != nil {
		return nil, err
	}
	notAfter := now.Add(validity)
	if notAfter.After(ca.NotAfter) {
		notAfter = ca.NotAfter
	}
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{usage},
		BasicConstraintsValid: true,
		IsCA:                  false,
	}, nil
}

// issueWithNewKey makes a key for tmpl and signs it; both come back as PEM.
func (ca *CA) issueWithNewKey(tmpl *x509.Certificate) (certPEM, keyPEM []byte, err error) {
	key, err := newKey()
	if err != nil {
		return nil, nil, err
	}
	certPEM, err = ca.sign(tmpl, key.Public())
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err = encodeKey(key)
	if err != nil {
		return nil, nil, err
	}
	return certPEM, keyPEM, nil
}

// sign signs tmpl for pub with the CA's key and returns the certificate PEM.
func (ca *CA) sign(tmpl *x509.Certificate, pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
	if err != nil {
		return nil, fmt.Errorf("sign certificate: %w", err)
	}
	return encodeCert(der), nil
}

// newKey makes an ECDSA P-256 key, which every TLS 1.3 peer accepts.
func newKey() (*ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	return key, nil
}

// serialLimit is 2^128: serial numbers are random 128-bit integers.
var serialLimit = new(big.Int).Lsh(big.NewInt(1), 128)

func newSerial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, serialLimit)
	if err != nil {
		return nil, fmt.Errorf("generate serial number: %w", err)
	}
	if n.Sign() == 0 { // RFC 5280 requires a positive serial; 0 has odds 2^-128.
		n.SetInt64(1)
	}
	return n, nil
}
