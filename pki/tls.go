package pki

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"path/filepath"
)

// ServerTLSConfig loads dir's CA and hub certificate and returns the hub's
// server configuration: TLS 1.3 only, and every client must present a
// certificate that the CA signed. It refuses a hub key file that group or
// others may read or write.
func ServerTLSConfig(dir string) (*tls.Config, error) {
	pool, err := loadPool(filepath.Join(dir, CACertFile))
	if err != nil {
		return nil, fmt.Errorf("server TLS config: %w", err)
	}
	hub, err := loadKeyPair(filepath.Join(dir, HubCertFile), filepath.Join(dir, HubKeyFile))
	if err != nil {
		return nil, fmt.Errorf("server TLS config: %w", err)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		MaxVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{hub},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pool,
	}, nil
}

// ClientTLSConfig loads a client certificate and key, and the CA certificate
// that signed the hub's, and returns a TLS 1.3 only client configuration. The
// server name is left to the dialer, which takes it from the address. Like
// every load of a private key, it refuses a key file open to group or others.
func ClientTLSConfig(certFile, keyFile, caFile string) (*tls.Config, error) {
	pool, err := loadPool(caFile)
	if err != nil {
		return nil, fmt.Errorf("client TLS config: %w", err)
	}
	cert, err := loadKeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("client TLS config: %w", err)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		MaxVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		RootCAs:      pool,
	}, nil
}

// loadPool returns a pool holding only the CA certificate in caFile.
func loadPool(caFile string) (*x509.CertPool, error) {
	cert, err := readCertFile(caFile)
	if err != nil {
		return nil, err
	}
	if !cert.IsCA {
		return nil, fmt.Errorf("%s is not a CA certificate", caFile)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool, nil
}
