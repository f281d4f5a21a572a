// Package iso20022 turns the ISO 20022 messages the hub exchanges into root
// types and back: a pacs.008.001.08 customer credit transfer with its
// head.001.001.02 business application header in, a pacs.002.001.10 payment
// status report out.
//
// Decoding is the hub's boundary, so it is bounded and strict. Input is
// limited before any work (MaxMessageBytes, MaxDepth, MaxElements,
// MaxTextBytes), read token by token into a small tree, and then validated
// against the rules the hub relies on: the exact message versions, the
// elements the XSD and the CBPR+ usage guidelines make mandatory, the root
// package's parsers for BICs, UETRs, currencies, amounts and dates, and the
// usage rules that tie the header to the body. Every problem found is reported
// at once in an *InvalidError, each with the XML path, the rule broken and an
// ISO 20022 reason code; corridor.ReasonOf finds the first one's reason.
//
// Encoding writes deterministic bytes (same input, same output) in a
// <Envelope xmlns="urn:swift:xsd:envelope"> holding the AppHdr and the
// Document side by side, each with its own default namespace. Every encoder
// decodes what it wrote and refuses input that would not survive the trip
// unchanged, so the decoder is the one definition of a valid message and
// decode(encode(x)) == x holds for everything an encoder accepts.
//
// The package uses only encoding/xml and the root package: no I/O, no clock,
// no logging. The tests check every message it writes against the official
// XSDs with xmllint.
package iso20022
