// Package assert checks invariants. A false condition is a bug, not bad input:
// continuing with a corrupt ledger is worse than stopping, so it panics.
package assert

import "fmt"

// That panics with "assertion failed: ..." when ok is false.
func That(ok bool, format string, args ...any) {
	if !ok {
		panic("assertion failed: " + fmt.Sprintf(format, args...))
	}
}
