package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

// addRequest is what `corridor participant add` registers.
type addRequest struct {
	bic, name    string
	currencies   currencyList
	csr          string // The bank's certificate request file; made here with generateKey.
	generateKey  bool   // Make the bank's key here, on the operator's side: only when asked.
	out          string // Where the certificate and ca.crt (and a key made here) are written.
	validityDays int
}

func runParticipantAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, op := operatorFlagSet("participant add", stderr)
	var a addRequest
	a.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := a.complete(); err != nil {
		return fmt.Errorf("participant add: %w", err)
	}
	c, err := op.client()
	if err != nil {
		return fmt.Errorf("participant add: %w", err)
	}
	defer c.Close()
	files, err := addParticipantFor(ctx, c, a)
	if err != nil {
		return fmt.Errorf("participant add: %w", err)
	}
	if a.generateKey {
		fmt.Fprintf(stdout, "registered %s; certificate %s, key %s (made here: hand it to the bank alone), hub CA %s\n",
			files.bic, files.cert, files.key, files.ca)
		return nil
	}
	fmt.Fprintf(stdout, "registered %s; certificate %s and hub CA %s, for the bank to keep beside its key\n", files.bic, files.cert, files.ca)
	return nil
}

func (a *addRequest) register(fs *flag.FlagSet) {
	fs.StringVar(&a.bic, "bic", "", "the participant's BIC (8 or 11 characters); default the CommonName of --csr")
	fs.StringVar(&a.name, "name", "", "the participant's legal name")
	fs.StringVar(&a.csr, "csr", "", "the bank's certificate request, made by 'corridor participant csr' on its side")
	fs.BoolVar(&a.generateKey, "generate-key", false, "make the bank's key here instead of taking its --csr (the operator then holds it)")
	fs.StringVar(&a.out, "out", "", "directory for the certificate and ca.crt (default: the directory of --csr); with --generate-key also the key")
	fs.IntVar(&a.validityDays, "validity-days", 365, "days the certificate is valid")
	fs.Var(&a.currencies, "currency", "currency of a settlement account to open (repeatable)")
}

// complete checks that the key is either the bank's (--csr) or, when the
// operator asks, made here into a directory the operator names, and fills in
// the default --out.
func (a *addRequest) complete() error {
	switch {
	case a.csr == "" && !a.generateKey:
		return errNoCSR(a.bic)
	case a.csr != "" && a.generateKey:
		return errors.New("--csr and --generate-key: the key is the bank's or made here, not both")
	case a.generateKey && a.out == "":
		return errors.New("--generate-key needs --out DIR, where the bank's key is written (mode 0600): " +
			"a directory to hand to the bank, outside any source tree")
	case a.out == "":
		a.out = filepath.Dir(a.csr)
	}
	return nil
}

// errNoCSR says how the bank makes the request participant add wants.
func errNoCSR(bicText string) error {
	file := "BIC"
	if bic, err := corridor.ParseBIC(bicText); err == nil {
		file = string(bic)
	}
	return fmt.Errorf("--csr FILE is required: the bank keeps its key, so it makes the key and a certificate request on its side "+
		"with 'corridor participant csr --bic %s --out DIR' and sends you DIR/%s.csr (only to make the key here, give --generate-key --out DIR)",
		cmp.Or(bicText, "BIC"), file)
}

// participantFiles are what participant add registered and wrote.
type participantFiles struct {
	bic           corridor.BIC
	cert, key, ca string // The key is empty when the bank made it.
}

// addParticipant registers a simulated bank of the demo and the tests: its
// key and request are made in dir, as the bank would on its side, and the
// hub signs its certificate for a year.
func addParticipant(ctx context.Context, c *httpapi.Client, bicText, name string, currencies []string, dir string) (participantFiles, error) {
	return addParticipantFor(ctx, c, addRequest{bic: bicText, name: name, currencies: currencies, generateKey: true, out: dir, validityDays: 365})
}

// addParticipantFor makes the bank's key and request first if a asks, has
// the hub register the request and sign its certificate, and writes the
// certificate and the hub CA into a.out.
func addParticipantFor(ctx context.Context, c *httpapi.Client, a addRequest) (participantFiles, error) {
	var files participantFiles
	if a.generateKey {
		bic, err := corridor.ParseBIC(a.bic)
		if err != nil {
			return files, err
		}
		if files.key, a.csr, err = newParticipantRequest(bic, a.name, a.out); err != nil {
			return files, err
		}
	}
	csrPEM, err := readCSRFile(a.csr)
	if err != nil {
		return files, err
	}
	if files.bic, err = requestBIC(csrPEM, a.bic); err != nil {
		return files, fmt.Errorf("%s: %w", a.csr, err)
	}
	resp, err := c.RegisterParticipant(ctx, httpapi.RegisterRequest{BIC: string(files.bic), Name: a.name, Currencies: a.currencies,
		CSR: string(csrPEM), ValidityDays: a.validityDays})
	if err != nil {
		return files, err
	}
	files.cert, files.ca, err = pki.WriteParticipantCertificate(a.out, files.bic, []byte(resp.Certificate), []byte(resp.CACertificate))
	return files, err
}

// requestBIC is the BIC a request is registered for: bicText, or else the
// request's CommonName. A request whose CommonName is another BIC is
// refused: it is another bank's, and its certificate would name this one.
func requestBIC(csrPEM []byte, bicText string) (corridor.BIC, error) {
	cn, err := pki.RequestCommonName(csrPEM)
	if err != nil {
		return "", err
	}
	named, nameErr := corridor.ParseBIC(cn)
	if bicText == "" {
		if nameErr != nil {
			return "", errors.New("--bic is required: the request's CommonName is not a BIC")
		}
		return named, nil
	}
	bic, err := corridor.ParseBIC(bicText)
	if err != nil {
		return "", err
	}
	if nameErr == nil && named != bic {
		return "", fmt.Errorf("the request is for %s, not %s: another bank's request?", named, bic)
	}
	return bic, nil
}
