package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"corridor/pki"
)

// hostList collects repeated --host flags.
type hostList []string

func (h *hostList) String() string     { return fmt.Sprint(*h) }
func (h *hostList) Set(s string) error { *h = append(*h, s); return nil }

func runCA(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "init" {
		fmt.Fprintln(stderr, "usage: corridor ca init --data DIR [--host NAME]...")
		return errors.New("ca: the only subcommand is init")
	}
	fs := flag.NewFlagSet("ca init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "data directory of the hub")
	var hosts hostList
	fs.Var(&hosts, "host", "extra DNS name or IP of the hub for its server certificate (repeatable)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("ca init: --data is required")
	}
	if err := pki.InitCA(caDir(*data), time.Now(), hosts); err != nil {
		return fmt.Errorf("ca init: %w", err)
	}
	fmt.Fprintf(stdout, "hub CA, server and operator certificates written to %s\n", caDir(*data))
	return nil
}
