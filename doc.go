// Package corridor is the domain of a cross-border interbank payment network:
// money in integer minor units, currencies with their ISO 4217 exponents, BICs,
// UETRs, participants, payments and the ISO 20022 reason codes that explain a
// refusal. It also declares the interfaces that adapters implement (Journal).
//
// The package is pure: it imports only the standard library, does no I/O and
// never reads a clock. Subpackages hold the ledger (ledger/), the sequencer
// (hub/), the message set (iso20022/) and the adapters (sqlite/, pki/, httpapi/);
// cmd/corridor wires them into one binary.
package corridor
