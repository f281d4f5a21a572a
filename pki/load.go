package pki

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"path/filepath"
)

// LoadCA reads the CA certificate and key from dir, as written by InitCA. The
// certificate must be a CA and the key must be its own, in a file that group
// and others can neither read nor write.
func LoadCA(dir string) (*CA, error) {
	cert, err := readCertFile(filepath.Join(dir, CACertFile))
	if err != nil {
		return nil, fmt.Errorf("load CA: %w", err)
	}
	if !cert.IsCA || cert.KeyUsage&x509.KeyUsageCertSign == 0 {
		return nil, fmt.Errorf("load CA: %s is not a CA certificate", filepath.Join(dir, CACertFile))
	}
	keyPath := filepath.Join(dir, CAKeyFile)
	data, err := readKeyFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("load CA: %w", err)
	}
	key, err := parseKeyPEM(data)
	if err != nil {
		return nil, fmt.Errorf("load CA: %s: %w", keyPath, err) // Names the file, never its contents.
	}
	if !publicKeysEqual(cert.PublicKey, key.Public()) {
		return nil, fmt.Errorf("load CA: %s does not match %s", keyPath, CACertFile)
	}
	return &CA{cert: cert, key: key}, nil
}

// Certificate returns the CA's certificate. The caller must not modify it.
func (ca *CA) Certificate() *x509.Certificate { return ca.cert }

// CertificatePEM returns the CA's certificate as PEM, the ca.crt that
// participants trust.
func (ca *CA) CertificatePEM() []byte { return encodeCert(ca.cert.Raw) }

// publicKeysEqual reports whether a and b are the same key; every key type the
// standard library parses has an Equal method.
func publicKeysEqual(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(x crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}
