package hub_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/corridor-network/corridor/iso20022"
)

// mustPassXMLLint checks msg, a message the hub wrote, with iso20022.Validate
// and with xmllint against the official XSD of each of its parts.
func mustPassXMLLint(tb testing.TB, name string, msg []byte) {
	tb.Helper()
	if ps := iso20022.Validate(msg); len(ps) > 0 {
		tb.Fatalf("%s does not validate: %v\n%s", name, ps, msg)
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		tb.Fatal("xmllint not found; install it with apt-get install libxml2-utils: every message the hub writes must pass the official XSD")
	}
	hdr, doc, err := iso20022.SplitEnvelope(msg)
	if err != nil || hdr == nil || doc == nil {
		tb.Fatalf("%s: SplitEnvelope = %v; want an AppHdr and a Document:\n%s", name, err, msg)
	}
	def, err := iso20022.MessageDefinition(msg)
	if err != nil {
		tb.Fatalf("%s: MessageDefinition = %v", name, err)
	}
	dir := tb.TempDir()
	for i, p := range []struct {
		id   string
		data []byte
	}{{iso20022.MsgDefAppHdr, hdr}, {def, doc}} {
		f := filepath.Join(dir, fmt.Sprintf("%d-%s.xml", i, p.id))
		if err := os.WriteFile(f, p.data, 0o644); err != nil {
			tb.Fatal(err)
		}
		xsd := filepath.Join("..", "iso20022", "testdata", "xsd", p.id+".xsd")
		out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", xsd, f).CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte(" validates")) {
			tb.Errorf("xmllint refuses the %s part of %s: %v\n%s\n%s", p.id, name, err, out, p.data)
		}
	}
}
