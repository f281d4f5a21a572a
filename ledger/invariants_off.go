//go:build !invariants

package ledger

// checkInvariants is empty without the invariants build tag: post already
// asserts what the transfer changed, and recomputing every balance per
// transfer is too slow for production.
func checkInvariants(*Ledger) {}
