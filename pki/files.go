package pki

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/corridor-network/corridor"
)

// WriteParticipantFiles writes a participant's certificate (mode 0644), key
// (0600) and the CA certificate (0644) into dir, created with mode 0700, as
// <bic>.crt, <bic>.key and ca.crt, and returns their paths. It refuses to
// overwrite an existing key, wrapping fs.ErrExist; the certificate and ca.crt
// are replaced, as participants may share a directory. Each input must be one
// PEM block of the right type. A malformed BIC is an RC01 reject.
func WriteParticipantFiles(dir string, bic corridor.BIC, certPEM, keyPEM, caPEM []byte) (certFile, keyFile, caFile string, err error) {
	b, err := corridor.ParseBIC(string(bic)) // Also keeps the file names to [A-Z0-9].
	if err != nil {
		return "", "", "", err
	}
	if err := checkParticipantPEM(certPEM, keyPEM, caPEM); err != nil {
		return "", "", "", fmt.Errorf("write participant files %s: %w", b, err)
	}
	certFile = filepath.Join(dir, string(b)+".crt")
	keyFile = filepath.Join(dir, string(b)+".key")
	caFile = filepath.Join(dir, CACertFile)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", "", fmt.Errorf("write participant files %s: %w", b, err)
	}
	if err := writeFile(keyFile, keyPEM, 0o600, true); err != nil {
		if errors.Is(err, fs.ErrExist) {
			err = fmt.Errorf("refusing to overwrite %s: %w", keyFile, fs.ErrExist)
		}
		return "", "", "", fmt.Errorf("write participant files %s: %w", b, err)
	}
	if err := writeFile(certFile, certPEM, 0o644, false); err != nil {
		return "", "", "", fmt.Errorf("write participant files %s: %w", b, err)
	}
	if err := writeFile(caFile, caPEM, 0o644, false); err != nil {
		return "", "", "", fmt.Errorf("write participant files %s: %w", b, err)
	}
	return certFile, keyFile, caFile, nil
}

// checkParticipantPEM checks that each input is one PEM block of its type, so
// that arguments passed in the wrong order are caught before anything is
// written.
func checkParticipantPEM(certPEM, keyPEM, caPEM []byte) error {
	if _, err := parseCertPEM(certPEM); err != nil {
		return fmt.Errorf("certificate: %w", err)
	}
	if _, err := parseKeyPEM(keyPEM); err != nil {
		return fmt.Errorf("key: %w", err) // Never the key's bytes.
	}
	ca, err := parseCertPEM(caPEM)
	if err != nil {
		return fmt.Errorf("CA certificate: %w", err)
	}
	if !ca.IsCA {
		return errors.New("CA certificate is not a CA")
	}
	return nil
}
