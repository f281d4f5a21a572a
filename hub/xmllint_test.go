package hub_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"corridor/iso20022"
)

// partPattern finds the AppHdr and the Document of an envelope the hub
// writes: each declares its own default namespace, so each stands alone.
var partPattern = regexp.MustCompile(`(?s)<(AppHdr|Document) xmlns="urn:iso:std:iso:20022:tech:xsd:([a-z0-9.]+)">.*?</(?:AppHdr|Document)>`)

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
	parts := partPattern.FindAllSubmatch(msg, -1)
	if len(parts) != 2 {
		tb.Fatalf("%s: found %d parts; want an AppHdr and a Document:\n%s", name, len(parts), msg)
	}
	dir := tb.TempDir()
	for i, p := range parts {
		f := filepath.Join(dir, fmt.Sprintf("%d-%s.xml", i, p[1]))
		if err := os.WriteFile(f, append([]byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"), p[0]...), 0o644); err != nil {
			tb.Fatal(err)
		}
		xsd := filepath.Join("..", "iso20022", "testdata", "xsd", string(p[2])+".xsd")
		out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", xsd, f).CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte(" validates")) {
			tb.Errorf("xmllint refuses the %s of %s (%s): %v\n%s\n%s", p[1], name, p[2], err, out, p[0])
		}
	}
}
