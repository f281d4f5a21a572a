package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/corridor-network/corridor/iso20022"
)

// validateUsage is the synopsis of corridor validate.
const validateUsage = "usage: corridor validate [--json] FILE..."

// fileVerdict is what corridor validate says about one file; with --json it
// is printed as one element of an array.
type fileVerdict struct {
	File     string        `json:"file"`
	Valid    bool          `json:"valid"`
	Problems []fileProblem `json:"problems"`
}

// fileProblem is one problem of a file, as --json prints it.
type fileProblem struct {
	Path   string `json:"path"`
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
}

// runValidate checks each ISO 20022 file named in args (an envelope holding
// a business application header and a document, a bare document or a bare
// header) and prints
// "FILE: valid" or one line per problem. It returns an error saying how many
// files are invalid, so that the exit status is 0 only when all are valid.
func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, validateUsage)
		fmt.Fprintln(stderr, "  checks ISO 20022 messages against the schema and the CBPR+ usage rules; exit status 0 only if all are valid")
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "print a JSON array of {file, valid, problems: [{path, rule, reason}]}")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, validateUsage)
		return errors.New("validate: no file given")
	}
	verdicts := make([]fileVerdict, 0, fs.NArg())
	invalid := 0
	for _, name := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		v := validateFile(name)
		if !v.Valid {
			invalid++
		}
		verdicts = append(verdicts, v)
	}
	if err := printVerdicts(stdout, verdicts, *asJSON); err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	if invalid > 0 {
		return fmt.Errorf("validate: %d of %d files invalid", invalid, len(verdicts))
	}
	return nil
}

// validateFile reads and checks one file. A file that cannot be read, or is
// larger than any message the hub accepts, is invalid with one problem.
func validateFile(name string) fileVerdict {
	v := fileVerdict{File: name, Problems: []fileProblem{}}
	data, err := readBounded(name, iso20022.MaxMessageBytes)
	if err != nil {
		v.Problems = append(v.Problems, fileProblem{Rule: err.Error()})
		return v
	}
	for _, p := range iso20022.Validate(data) {
		v.Problems = append(v.Problems, fileProblem{Path: p.Path, Rule: p.Rule, Reason: string(p.Reason)})
	}
	v.Valid = len(v.Problems) == 0
	return v
}

// readBounded reads at most limit bytes of the file name; a larger file is
// an error, so that a huge file is never read whole.
func readBounded(name string, limit int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close() // Read-only: a close error loses nothing.
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("larger than %d bytes, the most a message may have", limit)
	}
	return data, nil
}

// printVerdicts writes the verdicts as lines or, with asJSON, as one JSON array.
func printVerdicts(w io.Writer, verdicts []fileVerdict, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(verdicts)
	}
	for _, v := range verdicts {
		if v.Valid {
			if _, err := fmt.Fprintf(w, "%s: valid\n", v.File); err != nil {
				return err
			}
			continue
		}
		for _, p := range v.Problems {
			if _, err := fmt.Fprintln(w, problemLine(v.File, p)); err != nil {
				return err
			}
		}
	}
	return nil
}

// problemLine is "FILE: PATH: RULE (REASON)", leaving out what is empty.
func problemLine(file string, p fileProblem) string {
	s := file + ": "
	if p.Path != "" {
		s += p.Path + ": "
	}
	s += p.Rule
	if p.Reason != "" {
		s += " (" + p.Reason + ")"
	}
	return s
}
