package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

// runSign is `corridor sign --key K --cert C FILE`: it prints the
// X-Corridor-Signature value for FILE's exact bytes, the detached JWS
// (ES256, kid the certificate's SHA-256 thumbprint) that POST /v1/messages
// wants, so that a bank sending with curl needs nothing else. FILE "-" is
// the standard input. The key is read, never written or printed.
func runSign(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keyFile := fs.String("key", "", "the bank's ECDSA P-256 key (PEM, mode 0600), from 'participant csr'")
	certFile := fs.String("cert", "", "the certificate of that key (PEM), from 'participant add'")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *keyFile == "" || *certFile == "" || fs.NArg() != 1 {
		return usageError{errors.New("sign: usage: corridor sign --key KEY --cert CERT FILE")}
	}
	signer, err := pki.LoadSigner(*certFile, *keyFile)
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	body, err := readSigned(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	jws, err := signer.SignDetached(body)
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	fmt.Fprintln(stdout, jws)
	return nil
}

// readSigned reads the file to sign ("-" the standard input), at most the
// hub's limit of a message body: a larger one the hub would refuse anyway.
func readSigned(name string) ([]byte, error) {
	f := os.Stdin
	if name != "-" {
		var err error
		if f, err = os.Open(name); err != nil {
			return nil, err
		}
		defer f.Close()
	}
	body, err := io.ReadAll(io.LimitReader(f, httpapi.DefaultMaxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(body) > httpapi.DefaultMaxBodyBytes {
		return nil, fmt.Errorf("%s is over the hub's limit of %d bytes for a message", name, httpapi.DefaultMaxBodyBytes)
	}
	return body, nil
}
