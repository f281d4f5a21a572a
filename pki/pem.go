package pki

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// PEM block types.
const (
	pemCertificate = "CERTIFICATE"
	pemPrivateKey  = "PRIVATE KEY"
	pemCSR         = "CERTIFICATE REQUEST"
)

func encodeCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: pemCertificate, Bytes: der})
}

// encodeKey encodes key as PKCS#8 PEM.
func encodeKey(key crypto.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), nil
}

// decodeOne returns the DER of data's first PEM block, which must be of type
// typ and must not be followed by another PEM block.
func decodeOne(data []byte, typ string) ([]byte, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("no PEM %s block", typ)
	}
	if block.Type != typ {
		return nil, fmt.Errorf("PEM block is %q, want %q", block.Type, typ)
	}
	if next, _ := pem.Decode(rest); next != nil {
		return nil, fmt.Errorf("more than one PEM block, want one %s", typ)
	}
	return block.Bytes, nil
}

func parseCertPEM(data []byte) (*x509.Certificate, error) {
	der, err := decodeOne(data, pemCertificate)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// parseKeyPEM parses a PKCS#8 PEM key that can sign.
func parseKeyPEM(data []byte) (crypto.Signer, error) {
	der, err := decodeOne(data, pemPrivateKey)
	if err != nil {
		return nil, err
	}
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("key of type %T cannot sign", key)
	}
	return signer, nil
}

// readCertFile reads a file holding one PEM certificate.
func readCertFile(path string) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cert, err := parseCertPEM(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cert, nil
}

// readKeyFile reads a private key file, which must be its owner's alone: it
// refuses one that group or others may read or write, naming the file and
// the fix, as OpenSSH does. It checks the mode of the file it reads, not of
// the path, so that the file cannot be swapped in between.
func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // Read only: closing cannot lose data.
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("private key %s is readable or writable by group or others (mode %04o); run: chmod 600 %s", path, perm, path)
	}
	if info.Size() > maxKeyFileBytes {
		return nil, fmt.Errorf("private key %s is %d bytes, at most %d", path, info.Size(), maxKeyFileBytes)
	}
	return io.ReadAll(io.LimitReader(f, maxKeyFileBytes))
}

// maxKeyFileBytes bounds a PEM private key file; an RSA key of 8192 bits
// is under 7 KiB.
const maxKeyFileBytes = 64 << 10

// loadKeyPair reads a PEM certificate and its private key, refusing a key
// file open to others (readKeyFile).
func loadKeyPair(certFile, keyFile string) (tls.Certificate, error) {
	keyPEM, err := readKeyFile(keyFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%s and %s: %w", certFile, keyFile, err)
	}
	return pair, nil
}

// writeFile writes data to path with mode perm. When exclusive, path must not
// exist yet; otherwise an existing file is replaced and given mode perm.
func writeFile(path string, data []byte, perm fs.FileMode, exclusive bool) error {
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if exclusive {
		flag |= os.O_EXCL
	}
	f, err := os.OpenFile(path, flag, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm) // The umask may have narrowed perm, or the file existed with another mode.
	}
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}
