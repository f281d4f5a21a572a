package iso20022

import (
	"strings"
	"testing"
)

// TestElemPath checks the path an elem keeps in steps against the path as
// it was kept before, joined at each step, to depths past maxPathSteps.
func TestElemPath(t *testing.T) {
	for _, root := range []string{"AppHdr", "Document", "Document/FIToFICstmrCdtTrf", ""} {
		p, want := pathOf(root), root
		for depth := 1; depth <= 3*maxPathSteps; depth++ {
			local := strings.Repeat("E", depth%3) + "x"
			p, want = p.child(local), want+"/"+local
			if got := p.String(); got != want {
				t.Fatalf("path of %q after %d steps = %q; want %q", root, depth, got, want)
			}
		}
	}
}
