// Package scenario runs the data-driven test files of the hub and of
// settlement. A file is a list of blocks, each a command line, its input
// lines, "----" and the expected output, ended by a blank line; lines
// starting with # between blocks are comments. With update set, the file is
// rewritten with the output the test got, for review as a diff.
//
// It is for tests only: nothing else imports it.
package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Block is one command of a scenario, as the file has it.
type Block struct {
	Cmd   string   // The command line.
	Input []string // Lines between the command and "----".
	Want  []string // The expected output.
	Line  int      // The command's line number, from 1.

	comments []string // Comment and blank lines before the block, kept when rewriting.
}

// Parse reads the blocks of a scenario file.
func Parse(text string) ([]Block, error) {
	var out []Block
	var pre []string
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] == "" || strings.HasPrefix(lines[i], "#") {
			pre = append(pre, lines[i])
			continue
		}
		b := Block{Cmd: lines[i], Line: i + 1, comments: pre}
		pre = nil
		for i++; i < len(lines) && lines[i] != "----"; i++ {
			b.Input = append(b.Input, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("line %d: %q has no ----", b.Line, b.Cmd)
		}
		for i++; i < len(lines) && lines[i] != ""; i++ {
			b.Want = append(b.Want, lines[i])
		}
		i-- // The blank line, if any, goes to the next block's comments.
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, errors.New("no blocks")
	}
	return out, nil
}

// RunDir runs every file that glob matches as a subtest named for the file,
// each through the function newRun makes for it.
func RunDir(t *testing.T, glob string, update bool, newRun func(t *testing.T, file string) func(Block) []string) {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios match %s: %v", glob, err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		t.Run(name, func(t *testing.T) { RunFile(t, f, update, newRun(t, f)) })
	}
}

// RunFile runs every block of file through run, in order, and fails t where
// the output differs from the block's; with update it rewrites the file with
// the output instead.
func RunFile(t *testing.T, file string, update bool, run func(Block) []string) {
	t.Helper()
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := Parse(string(text))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var rewritten strings.Builder
	for _, b := range blocks {
		got := run(b)
		b.write(&rewritten, got)
		if !update && strings.Join(got, "\n") != strings.Join(b.Want, "\n") {
			t.Errorf("%s:%d: %s\ngot:\n%s\nwant:\n%s", file, b.Line, b.Cmd, strings.Join(got, "\n"), strings.Join(b.Want, "\n"))
		}
	}
	if update {
		if err := os.WriteFile(file, []byte(rewritten.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// write writes b back as the file had it, with got as its output.
func (b Block) write(w *strings.Builder, got []string) {
	for _, s := range b.comments {
		w.WriteString(s + "\n")
	}
	w.WriteString(b.Cmd + "\n")
	for _, s := range b.Input {
		w.WriteString(s + "\n")
	}
	w.WriteString("----\n")
	for _, s := range got {
		w.WriteString(s + "\n")
	}
}
