// Command unigen writes screening's Unicode tables, unicode_tables.go, from
// the Unicode data files in data/ (their origin and versions are in
// data/SOURCES.md). screening runs it with go generate:
//
//	go run ./internal/unigen -data internal/unigen/data -out unicode_tables.go
//
// It needs nothing but the standard library. The tables it writes:
//
//   - ignorableRanges: the Default_Ignorable_Code_Point ranges
//     (DerivedCoreProperties.txt), which a name loses before it is compared;
//   - latinLookalikes: every letter outside ASCII whose UTS #39 prototype
//     (confusables.txt) is made of ASCII letters, with those letters, and the
//     Latin small capitals (UnicodeData.txt names them) with their letter;
//   - cyrillicLookalikes: every Latin or Greek letter whose prototype is the
//     prototype of a Cyrillic letter, with that letter.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	data := flag.String("data", "data", "the folder of the Unicode data files")
	out := flag.String("out", "unicode_tables.go", "the Go file to write")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "unigen:", err)
		os.Exit(1)
	}
}

// The data files, in the data folder.
const (
	confusablesFile = "confusables.txt"
	ignorableFile   = "DerivedCoreProperties-ignorable.txt"
	smallCapsFile   = "UnicodeData-smallcaps.txt"
)

func run(dir, out string) error {
	var c confusables
	var names map[rune]string
	var version string
	var ignorable []rangeOf
	err := readFile(filepath.Join(dir, confusablesFile), func(f *os.File) (err error) {
		c, err = parseConfusables(f)
		return err
	})
	if err == nil {
		err = readFile(filepath.Join(dir, ignorableFile), func(f *os.File) (err error) {
			version, ignorable, err = parseProperty(f, "Default_Ignorable_Code_Point")
			return err
		})
	}
	if err == nil {
		err = readFile(filepath.Join(dir, smallCapsFile), func(f *os.File) (err error) {
			names, err = parseNames(f)
			return err
		})
	}
	if err != nil {
		return err
	}
	if version != c.version {
		return fmt.Errorf("%s is Unicode %s but %s is %s", confusablesFile, c.version, ignorableFile, version)
	}
	src, err := render(c.version, ignorable, latinTable(c, smallCapitals(names)), cyrillicTable(c))
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}

// readFile opens path and hands it to read.
func readFile(path string, read func(*os.File) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := read(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
