// Package iso20022 reads, validates and writes the ISO 20022 message set
// Corridor speaks (CBPR+ versions): head.001.001.02, pacs.008.001.08,
// pacs.009.001.08 (and COV), pacs.002.001.10, pacs.004.001.09,
// camt.056.001.08, camt.029.001.09, camt.052/053/054.001.08 and
// admi.002.001.01.
//
// The schemas are compiled, not interpreted: internal/xsdgen reads the
// official XSDs under testdata/xsd and writes xsd_tables.go (every type's
// sequence or choice with occurrences, every simple type's facets, each
// pattern as a small Glushkov automaton) and messages.go (a Go struct per
// complex type, pointers and slices for optional and repeated elements, so
// that an absent element stays absent). go generate re-runs it.
//
// Validation has two layers, and reports every problem with its path, the
// rule and an ISO reason code (Problem, *InvalidError). LayerSchema is what
// xmllint checks against the XSD: element order, occurrences, choices,
// anchored patterns, lengths in characters, digits and enumerations, plus
// the input bounds (MaxMessageBytes, MaxDepth, MaxElements, MaxTextBytes)
// and the version check. LayerUsage adds the CBPR+ rules: UETR on pacs.008,
// pacs.009, pacs.004 and pacs.002, one transaction per message, AppHdr Fr
// and To equal to the instructing and instructed agents, MsgDefIdr equal
// to the Document's, zone offsets, no copies, and amounts within their
// currency's minor units (CH20). A message outside the set is refused with
// the version the hub supports named.
//
// Decode and Encode handle any message of the set; the hub's own paths
// (DecodeCustomerCreditTransfer, EncodeStatusReport, ...) map pacs.008 and
// pacs.002 straight to root types without the generated structs. Every
// encoder validates what it wrote, so nothing invalid leaves the package.
//
// Deliberate differences from xmllint (TestXSDAgreement finds none on the
// samples and their mutations): inputs past the bounds are refused (an
// admi.002 AddtlData of 20,000 characters passes the XSD but not
// MaxTextBytes); DTDs are refused; inside an xs:any only a Document of the
// schema's own namespace is validated, as lax processing with the one
// schema loaded does; xsi:type and xsi:nil are refused as unknown
// attributes.
//
// The package uses only the standard library and the root package: no I/O,
// no clock, no logging.
package iso20022
