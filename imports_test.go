package corridor_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/corridor-network/corridor"

// TestImports keeps the domain pure: the root and the pure-domain packages may
// import only the standard library (minus I/O packages) and each other.
func TestImports(t *testing.T) {
	forbidden := map[string]bool{"os": true, "net": true, "net/http": true, "database/sql": true,
		"log": true, "log/slog": true, "crypto/tls": true, "os/exec": true}
	allowed := map[string][]string{
		"github.com/corridor-network/corridor":            {},
		"github.com/corridor-network/corridor/ledger":     {"github.com/corridor-network/corridor", "github.com/corridor-network/corridor/internal/assert"},
		"github.com/corridor-network/corridor/iso20022":   {"github.com/corridor-network/corridor", "github.com/corridor-network/corridor/internal/assert"},
		"github.com/corridor-network/corridor/settlement": {"github.com/corridor-network/corridor", "github.com/corridor-network/corridor/ledger", "github.com/corridor-network/corridor/internal/assert"},
		"github.com/corridor-network/corridor/screening":  {"github.com/corridor-network/corridor", "github.com/corridor-network/corridor/internal/assert"},
	}
	for pkg, own := range allowed {
		out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, imp := range strings.Fields(string(out)) {
			if forbidden[imp] {
				t.Errorf("%s imports %s: the domain does no I/O", pkg, imp)
			}
			if strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") && !strings.HasPrefix(imp, module) {
				t.Errorf("%s imports third-party %s", pkg, imp)
			}
			if strings.HasPrefix(imp, "github.com/corridor-network/corridor") && !contains(own, imp) {
				t.Errorf("%s imports %s; it may import only %v", pkg, imp, own)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
