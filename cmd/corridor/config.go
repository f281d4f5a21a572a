package main

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"

	"corridor"
	"corridor/httpapi"
)

// Config is how the hub runs.
type Config struct {
	DataDir      string // Holds ca/ (the hub's CA), corridor.db (the journal) and hub.addr.
	Addr         string // Where the API listens.
	BIC          string // The hub's own BIC, the sender of the messages it writes.
	MaxBodyBytes int64  // Largest message accepted.
}

// DefaultConfig is the configuration flags start from.
func DefaultConfig() Config {
	return Config{Addr: "127.0.0.1:8443", BIC: "CRDRINBBXXX", MaxBodyBytes: httpapi.DefaultMaxBodyBytes}
}

// Limits of the configuration.
const maxBodyBytesLimit = 16 << 20

// Validate reports every problem with c at once.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data is required"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: %w", c.Addr, err))
	}
	if _, err := corridor.ParseBIC(c.BIC); err != nil {
		errs = append(errs, fmt.Errorf("--bic: %w", err))
	}
	if c.MaxBodyBytes < 1024 || c.MaxBodyBytes > maxBodyBytesLimit {
		errs = append(errs, fmt.Errorf("--max-body-bytes must be between 1024 and %d", maxBodyBytesLimit))
	}
	return errors.Join(errs...)
}

// Paths inside the data directory.
func caDir(data string) string    { return filepath.Join(data, "ca") }
func dbPath(data string) string   { return filepath.Join(data, "corridor.db") }
func addrFile(data string) string { return filepath.Join(data, "hub.addr") }
func banksDir(data string) string { return filepath.Join(data, "banks") }
