package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readmeWalkthrough is the first line of README.md's walkthrough of a hub
// run by hand; the walkthrough ends at the code block's end.
const readmeWalkthrough = "go build -o corridor ./cmd/corridor"

// TestREADMEWalkthrough runs README.md's walkthrough word for word with
// bash -e, in a temporary directory that holds the binary and the
// repository's test data it names, so that every command there works as
// pasted.
func TestREADMEWalkthrough(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash not found: README's walkthrough is a bash script")
	}
	script := mustWalkthrough(t)
	dir := t.TempDir()
	bin := mustBuild(t)
	if err := os.Link(bin, filepath.Join(dir, "corridor")); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"screening", "iso20022"} {
		abs, err := filepath.Abs(filepath.Join("..", "..", d))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(abs, filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
	}
	out := mustBash(t, dir, script)
	for _, want := range []string{"registered DEMOINBB", "published INR/RUB 1.0823", "intact:", "valid"} {
		if !strings.Contains(out, want) {
			t.Errorf("README walkthrough printed no %q:\n%s", want, out)
		}
	}
}

// mustWalkthrough is the walkthrough's commands from README.md, less the
// build, which the test has done.
func mustWalkthrough(tb testing.TB) string {
	tb.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		tb.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), readmeWalkthrough+"\n")
	if !ok {
		tb.Fatalf("README.md has no walkthrough starting %q", readmeWalkthrough)
	}
	block, _, ok := strings.Cut(rest, "```")
	if !ok {
		tb.Fatal("README.md's walkthrough does not end")
	}
	return block
}
