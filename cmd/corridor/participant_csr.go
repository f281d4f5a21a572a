package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

// runParticipantCSR is `corridor participant csr`, which a bank runs on its
// own side: it makes the bank's key (mode 0600), which never leaves the bank,
// and the certificate request the bank sends to the hub's operator for
// `corridor participant add --csr`.
func runParticipantCSR(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("participant csr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bicText := fs.String("bic", "", "the bank's BIC (8 or 11 characters)")
	name := fs.String("name", "", "the bank's name in the request (default: the BIC); the hub names the certificate from the registration")
	out := fs.String("out", "", "directory, kept by the bank, to write BIC.key (0600) and BIC.csr into")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *bicText == "" || *out == "" {
		return usageError{errors.New("participant csr: --bic and --out are required")}
	}
	bic, err := corridor.ParseBIC(*bicText)
	if err != nil {
		return fmt.Errorf("participant csr: %w", err)
	}
	keyFile, csrFile, err := newParticipantRequest(bic, *name, *out)
	if err != nil {
		return fmt.Errorf("participant csr: %w", err)
	}
	fmt.Fprintf(stdout, "key %s (mode 0600: it stays here) and certificate request %s; send the request to the hub's operator "+
		"for 'corridor participant add --csr FILE', and put the certificate it returns beside the key\n", keyFile, csrFile)
	return nil
}

// newParticipantRequest makes a key and a certificate request for bic and
// writes them into dir, as the bank does on its side. The name in the
// request defaults to the BIC: the CA names the certificate itself.
func newParticipantRequest(bic corridor.BIC, name, dir string) (keyFile, csrFile string, err error) {
	if name == "" {
		name = string(bic)
	}
	keyPEM, csrPEM, err := pki.NewParticipantKey(bic, name)
	if err != nil {
		return "", "", err
	}
	return pki.WriteParticipantRequest(dir, bic, keyPEM, csrPEM)
}
