package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor/pki"
)

// participantGuide is the guide whose curl walkthrough TestParticipantGuide runs.
var participantGuide = filepath.Join("..", "..", "docs", "participant-guide.md")

// Fences of the guide's shell blocks the test runs: those of the
// walkthrough, in order, and the openssl recipe for the signature.
const (
	walkthroughFence = "```sh walkthrough"
	opensslFence     = "```sh\nb64url()"
)

// TestParticipantGuide runs docs/participant-guide.md's walkthrough word for
// word with bash -e, in a temporary directory that holds the binary: a hub
// started by hand, two banks registered from their own CSRs, a payment sent
// with curl and signed by `corridor sign`, the inbox and the intraday
// statement read. It then runs the guide's openssl recipe on the payment the
// walkthrough signed and checks that the hub's verifier accepts its JWS.
func TestParticipantGuide(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the guide's walkthrough needs %s (.ci/run installs it): %v", tool, err)
		}
	}
	guide := mustReadGuide(t)
	dir := t.TempDir()
	if err := os.Link(mustBuild(t), filepath.Join(dir, "corridor")); err != nil {
		t.Fatal(err)
	}
	// The trap stops the hub when a command fails before the walkthrough's own kill.
	out := mustBash(t, dir, "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"+strings.Join(fencedBlocks(t, guide, walkthroughFence), ""))
	for _, want := range []string{`"status":"ACSC"`, `"duplicate":true`, "pacs.002.001.10", "camt.052.001.08", "pacs.008.001.08", `"balance":"99000.00"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the guide's walkthrough printed no %s:\n%s", want, out)
		}
	}
	recipe := fencedBlocks(t, guide, opensslFence)
	if len(recipe) != 1 {
		t.Fatalf("the guide has %d openssl signature recipes; want 1", len(recipe))
	}
	sig := strings.TrimSpace(mustBash(t, dir, "b64url()"+recipe[0]+`printf '%s' "$SIG"`))
	body, err := os.ReadFile(filepath.Join(dir, "payment.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := pki.VerifyDetached(sig, body, mustReadCert(t, filepath.Join(dir, "bank", "DEMOINBBXXX.crt"))); err != nil {
		t.Errorf("the guide's openssl signature %q: %v", sig, err)
	}
}

// mustBash runs script with bash -e in dir and returns what it printed.
func mustBash(tb testing.TB, dir, script string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", "-c", script)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "hub.log"))
		tb.Fatalf("bash: %v\n%s\nhub.log:\n%s", err, out.String(), log)
	}
	return out.String()
}

func mustReadGuide(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(participantGuide)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// fencedBlocks returns the body of every fenced block of doc that opens
// with fence, in order; the body starts after fence and ends before the
// closing ```.
func fencedBlocks(tb testing.TB, doc, fence string) []string {
	tb.Helper()
	var blocks []string
	for rest := doc; ; {
		_, after, ok := strings.Cut(rest, "\n"+fence)
		if !ok {
			break
		}
		body, tail, ok := strings.Cut(after, "\n```\n")
		if !ok {
			tb.Fatalf("a block opening %q does not end", fence)
		}
		blocks, rest = append(blocks, body+"\n"), "\n"+tail
	}
	if len(blocks) == 0 {
		tb.Fatalf("%s has no block opening %q", participantGuide, fence)
	}
	return blocks
}
