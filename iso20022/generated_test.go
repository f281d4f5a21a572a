package iso20022_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedUpToDate runs the generator into a temporary folder and
// compares its output with the committed files, so that the types and
// tables never drift from the XSDs or from the generator.
func TestGeneratedUpToDate(t *testing.T) {
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/xsdgen", "-out", out, "testdata/xsd")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xsdgen: %v\n%s", err, msg)
	}
	for _, name := range []string{"xsd_tables.go", "messages.go"} {
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what xsdgen writes now: run go generate ./iso20022 and commit", name)
		}
	}
}
