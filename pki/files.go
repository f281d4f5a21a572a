package pki

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/corridor-network/corridor"
)

// Modes of the files pki writes: a private key is its owner's alone.
const (
	keyFileMode  fs.FileMode = 0o600
	certFileMode fs.FileMode = 0o644
	dirMode      fs.FileMode = 0o700
)

// WriteKey writes a PKCS#8 PEM private key to path with mode 0600, whatever
// the umask. It refuses to overwrite any file, wrapping fs.ErrExist, because
// a certificate may already be bound to the key there.
func WriteKey(path string, keyPEM []byte) error {
	if _, err := parseKeyPEM(keyPEM); err != nil {
		return fmt.Errorf("write key %s: %w", path, err) // Never the key's bytes.
	}
	if err := writeFile(path, keyPEM, keyFileMode, true); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("refusing to overwrite %s: %w", path, fs.ErrExist)
		}
		return fmt.Errorf("write key %s: %w", path, err)
	}
	return nil
}

// WriteParticipantRequest writes what a bank makes on its side before it
// joins: its key (mode 0600), which never leaves it, and the certificate
// request it sends to the operator (0644), as <bic>.key and <bic>.csr in dir,
// created with mode 0700. It refuses to overwrite an existing key, wrapping
// fs.ErrExist. A malformed BIC is an RC01 reject.
func WriteParticipantRequest(dir string, bic corridor.BIC, keyPEM, csrPEM []byte) (keyFile, csrFile string, err error) {
	b, err := corridor.ParseBIC(string(bic)) // Also keeps the file names to [A-Z0-9].
	if err != nil {
		return "", "", err
	}
	if _, err := csrPublicKey(csrPEM); err != nil {
		return "", "", fmt.Errorf("write participant request %s: %w", b, err)
	}
	keyFile, csrFile = filepath.Join(dir, string(b)+".key"), filepath.Join(dir, string(b)+".csr")
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return "", "", fmt.Errorf("write participant request %s: %w", b, err)
	}
	if err := WriteKey(keyFile, keyPEM); err != nil {
		return "", "", fmt.Errorf("write participant request %s: %w", b, err)
	}
	if err := writeFile(csrFile, csrPEM, certFileMode, false); err != nil {
		return "", "", fmt.Errorf("write participant request %s: %w", b, err)
	}
	return keyFile, csrFile, nil
}

// WriteParticipantCertificate writes a participant's certificate and the CA
// certificate (both mode 0644) into dir, created with mode 0700, as
// <bic>.crt and ca.crt, and returns their paths; both are replaced if they
// exist, as participants may share a directory and renew. When dir holds
// the participant's key, the certificate must be for it: a certificate
// beside a key it does not belong to would lock the bank out. Each input
// must be one PEM block of the right type. A malformed BIC is an RC01 reject.
func WriteParticipantCertificate(dir string, bic corridor.BIC, certPEM, caPEM []byte) (certFile, caFile string, err error) {
	b, err := corridor.ParseBIC(string(bic))
	if err != nil {
		return "", "", err
	}
	if err := checkCertificateFor(filepath.Join(dir, string(b)+".key"), certPEM, caPEM); err != nil {
		return "", "", fmt.Errorf("write participant certificate %s: %w", b, err)
	}
	certFile, caFile = filepath.Join(dir, string(b)+".crt"), filepath.Join(dir, CACertFile)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return "", "", fmt.Errorf("write participant certificate %s: %w", b, err)
	}
	if err := writeFile(certFile, certPEM, certFileMode, false); err != nil {
		return "", "", fmt.Errorf("write participant certificate %s: %w", b, err)
	}
	if err := writeFile(caFile, caPEM, certFileMode, false); err != nil {
		return "", "", fmt.Errorf("write participant certificate %s: %w", b, err)
	}
	return certFile, caFile, nil
}

// WriteParticipantFiles writes a participant's key (mode 0600), certificate
// and the CA certificate (0644) into dir, created with mode 0700, as
// <bic>.key, <bic>.crt and ca.crt, and returns their paths: what a bank
// that made its key in memory keeps. It refuses to overwrite an existing
// key, wrapping fs.ErrExist, and then writes nothing; the certificate and
// ca.crt are replaced, as participants may share a directory. Each input
// must be one PEM block of the right type, and the certificate must be for
// the key. A malformed BIC is an RC01 reject.
func WriteParticipantFiles(dir string, bic corridor.BIC, certPEM, keyPEM, caPEM []byte) (certFile, keyFile, caFile string, err error) {
	b, err := corridor.ParseBIC(string(bic))
	if err != nil {
		return "", "", "", err
	}
	if err := checkPair(certPEM, keyPEM, caPEM); err != nil {
		return "", "", "", fmt.Errorf("write participant files %s: %w", b, err)
	}
	keyFile = filepath.Join(dir, string(b)+".key")
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return "", "", "", fmt.Errorf("write participant files %s: %w", b, err)
	}
	if err := WriteKey(keyFile, keyPEM); err != nil {
		return "", "", "", fmt.Errorf("write participant files %s: %w", b, err)
	}
	certFile, caFile, err = WriteParticipantCertificate(dir, b, certPEM, caPEM)
	return certFile, keyFile, caFile, err
}

// checkPair checks that each input is one PEM block of its type and that the
// certificate is for the key, so that arguments passed in the wrong order are
// caught before anything is written.
func checkPair(certPEM, keyPEM, caPEM []byte) error {
	key, err := parseKeyPEM(keyPEM)
	if err != nil {
		return fmt.Errorf("key: %w", err) // Never the key's bytes.
	}
	cert, err := checkCertificate(certPEM, caPEM)
	if err != nil {
		return err
	}
	if !publicKeysEqual(cert.PublicKey, key.Public()) {
		return errors.New("the certificate is not for the key")
	}
	return nil
}

// checkCertificateFor checks the certificate and the CA certificate and,
// when keyFile exists, that the certificate is for the key in it.
func checkCertificateFor(keyFile string, certPEM, caPEM []byte) error {
	cert, err := checkCertificate(certPEM, caPEM)
	if err != nil {
		return err
	}
	keyPEM, err := os.ReadFile(keyFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // The key is with the bank, elsewhere.
	}
	if err != nil {
		return err
	}
	key, err := parseKeyPEM(keyPEM)
	if err != nil {
		return fmt.Errorf("%s: %w", keyFile, err)
	}
	if !publicKeysEqual(cert.PublicKey, key.Public()) {
		return fmt.Errorf("the certificate is not for the key in %s", keyFile)
	}
	return nil
}

// checkCertificate parses a certificate and its CA's, each one PEM block.
func checkCertificate(certPEM, caPEM []byte) (*x509.Certificate, error) {
	cert, err := parseCertPEM(certPEM)
	if err != nil {
		return nil, fmt.Errorf("certificate: %w", err)
	}
	ca, err := parseCertPEM(caPEM)
	if err != nil {
		return nil, fmt.Errorf("CA certificate: %w", err)
	}
	if !ca.IsCA {
		return nil, errors.New("CA certificate is not a CA")
	}
	return cert, nil
}
