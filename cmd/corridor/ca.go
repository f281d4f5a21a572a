package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/corridor-network/corridor/pki"
)

// hostList collects repeated --host flags.
type hostList []string

func (h *hostList) String() string     { return fmt.Sprint(*h) }
func (h *hostList) Set(s string) error { *h = append(*h, s); return nil }

func runCA(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "operator" {
		return runCAOperator(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "init" {
		fmt.Fprintln(stderr, "usage: corridor ca init --data DIR [--host NAME]...\n       corridor ca operator --data DIR --name NAME [--csr FILE] --out DIR")
		return errors.New("ca: init or operator?")
	}
	fs := flag.NewFlagSet("ca init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "data directory of the hub")
	var hosts hostList
	fs.Var(&hosts, "host", "extra DNS name or IP of the hub for its server certificate (repeatable)")
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return err
	}
	if *data == "" {
		return usageError{errors.New("ca init: --data is required")}
	}
	if err := pki.InitCA(caDir(*data), time.Now(), hosts); err != nil {
		return fmt.Errorf("ca init: %w", err)
	}
	fmt.Fprintf(stdout, "hub CA, server and operator certificates written to %s\n", caDir(*data))
	return nil
}

// runCAOperator is `corridor ca operator`: it signs an operator certificate
// for the key in --csr (the key never leaves its owner), or, without --csr,
// makes a key pair too (for demos and tests).
func runCAOperator(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ca operator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "data directory of the hub (holds the CA key)")
	name := fs.String("name", "", "the operator's name, the certificate's CommonName")
	csrFile := fs.String("csr", "", "PEM certificate request; without it a key pair is made")
	out := fs.String("out", "", "directory to write NAME.crt (and NAME.key) into")
	days := fs.Int("validity-days", 365, "days the certificate is valid")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *data == "" || *name == "" || *out == "" {
		return usageError{errors.New("ca operator: --data, --name and --out are required")}
	}
	ca, err := pki.LoadCA(caDir(*data))
	if err != nil {
		return fmt.Errorf("ca operator: %w", err)
	}
	keyPEM, csrPEM, err := operatorRequest(*name, *csrFile)
	if err != nil {
		return fmt.Errorf("ca operator: %w", err)
	}
	certPEM, err := ca.IssueOperator(csrPEM, *name, time.Now(), time.Duration(*days)*24*time.Hour)
	if err != nil {
		return fmt.Errorf("ca operator: %w", err)
	}
	files, err := writeOperatorFiles(*out, *name, certPEM, keyPEM)
	if err != nil {
		return fmt.Errorf("ca operator: %w", err)
	}
	fmt.Fprintf(stdout, "operator certificate for %q written: %s\n", *name, strings.Join(files, ", "))
	return nil
}

// operatorRequest reads the CSR in csrFile, or makes a key and a CSR.
func operatorRequest(name, csrFile string) (keyPEM, csrPEM []byte, err error) {
	if csrFile == "" {
		return pki.NewOperatorKey(name)
	}
	csrPEM, err = readCSRFile(csrFile)
	return nil, csrPEM, err
}

// readCSRFile reads a PEM certificate request of at most pki.MaxCSRBytes.
func readCSRFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read CSR: %w", err)
	}
	defer f.Close() // Read only: closing cannot lose data.
	csrPEM, err := io.ReadAll(io.LimitReader(f, pki.MaxCSRBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read CSR: %w", err)
	}
	if len(csrPEM) > pki.MaxCSRBytes {
		return nil, fmt.Errorf("CSR %s is over %d bytes", path, pki.MaxCSRBytes)
	}
	return csrPEM, nil
}

// writeOperatorFiles writes the certificate, and the key if there is one.
// It refuses to overwrite a key, and then writes nothing: a certificate
// beside a key it does not belong to would lock its owner out.
func writeOperatorFiles(dir, name string, certPEM, keyPEM []byte) ([]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	base := filepath.Join(dir, strings.Map(safeFileRune, name))
	var files []string
	if keyPEM != nil {
		if err := pki.WriteKey(base+".key", keyPEM); err != nil {
			return nil, err
		}
		files = append(files, base+".key")
	}
	if err := os.WriteFile(base+".crt", certPEM, 0o644); err != nil {
		return nil, err
	}
	return append(files, base+".crt"), nil
}

// safeFileRune keeps a name's letters and digits for a file name.
func safeFileRune(r rune) rune {
	if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' {
		return r
	}
	return '_'
}
