package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/hub"
)

// runScreeningLoad is `corridor screening load`: it swaps a sanctions list in
// a running hub, without a restart. The hub journals the list's files, name,
// version and hash; every payment accepted afterwards is screened against it.
func runScreeningLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, op := operatorFlagSet("screening load", stderr)
	name := fs.String("list", "", "the list's name at the hub, such as un or ofac")
	format := fs.String("format", "", "un, ofac-xml, ofac-csv (a directory with sdn.csv, add.csv, alt.csv) or csv")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *name == "" || *format == "" || fs.NArg() != 1 {
		return errors.New("screening load: --list NAME --format FORMAT FILE (or DIR for ofac-csv)")
	}
	files, err := listFiles(*format, fs.Arg(0))
	if err != nil {
		return fmt.Errorf("screening load: %w", err)
	}
	c, err := op.client()
	if err != nil {
		return fmt.Errorf("screening load: %w", err)
	}
	defer c.Close()
	info, err := c.LoadList(ctx, httpapi.ListRequest{Name: *name, Format: *format, Files: files})
	if err != nil {
		return fmt.Errorf("screening load: %w", err)
	}
	fmt.Fprintf(stdout, "list %s loaded: version %s, %d entries, sha256 %s\n", info.Name, info.Version, info.Entries, info.Hash)
	return nil
}

// listFiles reads a list's files: one file, or OFAC's CSV trio from a directory.
func listFiles(format, path string) ([][]byte, error) {
	if format != hub.ListFormatOFACCSV {
		data, err := readListFile(path)
		return [][]byte{data}, err
	}
	var files [][]byte
	for _, f := range []string{"sdn.csv", "add.csv", "alt.csv"} {
		data, err := readListFile(filepath.Join(path, f))
		if errors.Is(err, os.ErrNotExist) && f != "sdn.csv" {
			data, err = nil, nil // add.csv and alt.csv may be missing.
		}
		if err != nil {
			return nil, err
		}
		files = append(files, data)
	}
	return files, nil
}
