package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/screening"
)

const screeningUsage = `usage: corridor screening check --list NAME=FILE... [--threshold X] [--json]
                                [--country CC] [--dob YYYY-MM-DD] [--bic BIC] PARTY...
       corridor screening load --data DIR [--hub URL] --list NAME --format un|ofac-xml|ofac-csv|csv FILE

Screens each PARTY name offline against the list files and prints its best
candidates (score, list, entry, matched name, why) and whether the threshold
would hold a payment to or from it. Flags may come before or after the party
names; after "--" everything is a party name.

The format of a list comes from NAME's prefix, else from the file:
  un=FILE          UN Security Council consolidated list XML
  ofac-xml=FILE    OFAC SDN XML (sdn.xml); also ofac=FILE.xml
  ofac-csv=DIR     OFAC legacy CSV: DIR holds sdn.csv, add.csv and alt.csv; also ofac=DIR
  csv=FILE         the operator's own CSV (header id,kind,name,aliases,country,
                   nationality,dob,bic,program,address,remarks); also any NAME=FILE.csv
An .xml file of another NAME is recognised by its root element.

Exit status of check: 0 every party passes, 3 at least one would be held,
1 failure (a list that does not load), 2 usage error.
`

// exitHeld is screening check's exit status when a party would be held, so
// that a script tells held from clear, and both from a failure.
const exitHeld = 3

func runScreening(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, screeningUsage)
		return usagef("screening: check or load?")
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, screeningUsage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "check":
		return runScreeningCheck(ctx, args[1:], stdout, stderr)
	case "load":
		return runScreeningLoad(ctx, args[1:], stdout, stderr)
	}
	return usagef("screening: unknown subcommand %q (see 'corridor screening --help')", args[0])
}

// listFlags collects repeated --list NAME=FILE flags.
type listFlags []string

func (l *listFlags) String() string { return strings.Join(*l, ",") }

func (l *listFlags) Set(v string) error {
	if name, file, ok := strings.Cut(v, "="); !ok || name == "" || file == "" {
		return fmt.Errorf("want NAME=FILE, got %q", v)
	}
	*l = append(*l, v)
	return nil
}

type screeningCheck struct {
	lists                listFlags
	threshold            float64
	json                 bool
	country, dob, bicArg string
}

func runScreeningCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c screeningCheck
	fs := flag.NewFlagSet("screening check", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), screeningUsage); fs.PrintDefaults() }
	fs.Var(&c.lists, "list", "a list as NAME=FILE (repeatable)")
	fs.Float64Var(&c.threshold, "threshold", screening.DefaultThreshold, "score at or above which a payment is held")
	fs.BoolVar(&c.json, "json", false, "print JSON")
	fs.StringVar(&c.country, "country", "", "the parties' country (ISO 3166 alpha-2)")
	fs.StringVar(&c.dob, "dob", "", "the parties' date of birth (YYYY-MM-DD or YYYY)")
	fs.StringVar(&c.bicArg, "bic", "", "the parties' BIC")
	names, err := parseInterleaved(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(c.lists) == 0 || len(names) == 0 {
		return usagef("screening check: give at least one --list and one PARTY (see 'corridor screening --help')")
	}
	parties, err := c.parties(names)
	if err != nil {
		return err
	}
	s, err := c.screener(ctx)
	if err != nil {
		return err
	}
	results := make([]screening.Result, len(parties))
	for i, p := range parties {
		results[i] = s.Screen(p)
	}
	if c.json {
		if err := writeScreeningJSON(stdout, s, results); err != nil {
			return err
		}
	} else {
		writeScreeningText(stdout, s, results)
	}
	for _, r := range results {
		if r.Hold {
			return exitError{status: exitHeld} // The output said which; the status tells a script.
		}
	}
	return nil
}

// parseInterleaved parses flags placed before, between or after the
// positional arguments, which it returns; after "--" all are positional.
func parseInterleaved(fs *flag.FlagSet, args []string, stdout io.Writer) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args, stdout); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (c *screeningCheck) parties(names []string) ([]screening.Party, error) {
	var bic corridor.BIC
	if c.bicArg != "" {
		var err error
		if bic, err = corridor.ParseBIC(c.bicArg); err != nil {
			return nil, fmt.Errorf("screening check: --bic: %w", err)
		}
	}
	out := make([]screening.Party, len(names))
	for i, n := range names {
		out[i] = screening.Party{Name: n, Country: c.country, DateOfBirth: c.dob, BIC: bic}
	}
	return out, nil
}

func (c *screeningCheck) screener(ctx context.Context) (*screening.Screener, error) {
	var lists []*screening.List
	for _, spec := range c.lists {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name, file, _ := strings.Cut(spec, "=")
		l, err := loadList(name, file)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", name, err)
		}
		lists = append(lists, l)
	}
	return screening.NewScreener(screening.Config{Threshold: c.threshold}, lists...)
}

// loadList reads a list file (or the OFAC CSV directory) in the format its
// name or contents name, and gives the list that name.
func loadList(name, file string) (*screening.List, error) {
	l, err := loadListFormat(name, file)
	if err != nil {
		return nil, err
	}
	l.Name = name
	return l, nil
}

func loadListFormat(name, file string) (*screening.List, error) {
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		return loadOFACCSVDir(file)
	}
	data, err := readListFile(file)
	if err != nil {
		return nil, err
	}
	prefix := strings.ToLower(name)
	switch {
	case strings.HasPrefix(prefix, "ofac-csv"):
		return nil, fmt.Errorf("%s is not a directory holding sdn.csv, add.csv and alt.csv", file)
	case strings.HasPrefix(prefix, "un"):
		return screening.LoadUN(data)
	case strings.HasPrefix(prefix, "ofac-xml"):
		return screening.LoadOFACXML(data)
	case strings.HasPrefix(prefix, "csv") || strings.EqualFold(filepath.Ext(file), ".csv"):
		return screening.LoadCSV(name, data)
	case bytes.Contains(data[:min(len(data), 4096)], []byte("<CONSOLIDATED_LIST")):
		return screening.LoadUN(data)
	case bytes.Contains(data[:min(len(data), 4096)], []byte("<sdnList")):
		return screening.LoadOFACXML(data)
	}
	return nil, fmt.Errorf("cannot tell the format of %s: name the list un=, ofac-xml=, ofac-csv= or csv=", file)
}

func loadOFACCSVDir(dir string) (*screening.List, error) {
	var files [3][]byte
	for i, f := range []string{"sdn.csv", "add.csv", "alt.csv"} {
		b, err := readListFile(filepath.Join(dir, f))
		if err != nil && !(i > 0 && errors.Is(err, os.ErrNotExist)) {
			return nil, err
		}
		files[i] = b
	}
	return screening.LoadOFACCSV(files[0], files[1], files[2])
}

// readListFile reads a file of at most screening.MaxListBytes.
func readListFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, screening.MaxListBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > screening.MaxListBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, screening.MaxListBytes)
	}
	return data, nil
}

func writeScreeningText(w io.Writer, s *screening.Screener, results []screening.Result) {
	cfg := s.Config()
	for _, l := range s.Lists() {
		fmt.Fprintf(w, "list %s version %s: %d entries, sha256 %s\n", l.Name, l.Version, l.Entries, l.Hash)
	}
	fmt.Fprintf(w, "threshold %.2f (candidates from %.2f)\n", cfg.Threshold, cfg.MinScore)
	for _, r := range results {
		verdict := "pass"
		if r.Hold {
			verdict = "HOLD"
		}
		fmt.Fprintf(w, "\n%q: %s\n", r.Party.Name, verdict)
		if len(r.Hits) == 0 {
			fmt.Fprintf(w, "  no candidate at or above %.2f\n", cfg.MinScore)
		}
		for _, h := range r.Hits {
			fmt.Fprintf(w, "  %.4f  %s %s  %s  %q\n          %s\n", h.Score, h.List, h.EntryID, h.Kind, h.MatchedName, h.Why)
		}
	}
}

type screeningJSON struct {
	Threshold float64               `json:"threshold"`
	Lists     []screeningListJSON   `json:"lists"`
	Results   []screeningResultJSON `json:"results"`
}

type screeningListJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Hash    string `json:"sha256"`
	Entries int    `json:"entries"`
}

type screeningResultJSON struct {
	Party string             `json:"party"`
	Hold  bool               `json:"hold"`
	Hits  []screeningHitJSON `json:"hits"`
}

type screeningHitJSON struct {
	Score       float64 `json:"score"`
	List        string  `json:"list"`
	ListVersion string  `json:"list_version"`
	EntryID     string  `json:"entry_id"`
	Kind        string  `json:"kind"`
	MatchedName string  `json:"matched_name"`
	Why         string  `json:"why"`
}

func writeScreeningJSON(w io.Writer, s *screening.Screener, results []screening.Result) error {
	out := screeningJSON{Threshold: s.Config().Threshold, Lists: []screeningListJSON{}, Results: []screeningResultJSON{}}
	for _, l := range s.Lists() {
		out.Lists = append(out.Lists, screeningListJSON{Name: l.Name, Version: l.Version, Hash: l.Hash, Entries: l.Entries})
	}
	for _, r := range results {
		rj := screeningResultJSON{Party: r.Party.Name, Hold: r.Hold, Hits: []screeningHitJSON{}}
		for _, h := range r.Hits {
			rj.Hits = append(rj.Hits, screeningHitJSON{Score: h.Score, List: h.List, ListVersion: h.ListVersion,
				EntryID: h.EntryID, Kind: string(h.Kind), MatchedName: h.MatchedName, Why: h.Why})
		}
		out.Results = append(out.Results, rj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
