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
// the input bounds (MaxMessageBytes, MaxDepth, MaxElements, MaxTextBytes,
// MaxAttributes, MaxAttrValueBytes) and the version check. LayerUsage adds
// the CBPR+ rules:
//   - UETR on pacs.008 and pacs.009, OrgnlUETR on pacs.004, pacs.002,
//     camt.056 (Undrlyg/TxInf) and camt.029 (CxlDtls/TxInfAndSts);
//   - one transaction per pacs.008, pacs.009 and pacs.004;
//   - with an AppHdr, its Fr and To equal to the instructing and the
//     instructed agent of a pacs.008, pacs.009 or pacs.004 transaction
//     (both required), and to the agents Assgnmt/Assgnr/Agt and
//     Assgnmt/Assgne/Agt of a camt.056 or camt.029 (an assigner or an
//     assignee that is a party is refused);
//   - MsgDefIdr equal to the Document's; a zone offset on CreDt; no copies
//     (CpyDplct COPY or CODU), while a duplicate (DUPL) or a possible
//     duplicate (PssblDplct) is accepted and reported;
//   - BizSvc, when present, swift.cbprplus.NN (two digits) on the CBPR+
//     messages, swift.cbprplus.cov.NN allowed on a pacs.009 too; admi.002
//     has no CBPR+ guideline and no rule;
//   - ChrgBr of a pacs.008 DEBT, CRED or SHAR when it has an AppHdr: CBPR+
//     removed SLEV (a bare Document, such as the Fedwire samples, may carry
//     it; the pacs.009.001.08 XSD has no ChrgBr);
//   - amounts within their currency's minor units (CH20).
//
// A message outside the set is refused with the version the hub supports
// named.
//
// Decode and Encode handle any message of the set in the generated types;
// Encode validates what it writes. The hub and the banks use typed paths
// that take and give domain values, so that no other package knows an
// element name:
//   - DecodeSubmission reads what a participant submits once (parse,
//     schemas, usage rules, on one tree), checks who sent it, and returns a
//     pacs.008 as a CustomerCreditTransfer, a pacs.004 as a
//     ReturnInstruction, a camt.056 as a CancelInstruction, a camt.029 as a
//     CaseResolution and a pacs.009 defunding as a DefundInstruction;
//   - EncodeCustomerCreditTransfer (pacs.008, with its priority, instructed
//     amount and FX quote), EncodeStatusReport (pacs.002), EncodeReturn
//     (pacs.004), EncodeCancelRequest (camt.056), EncodeResolution
//     (camt.029), EncodeDefund (pacs.009), EncodeStatement (camt.053),
//     EncodeIntradayReport (camt.052) and EncodeNotification (camt.054)
//     write an AppHdr and a Document in an envelope. They check the domain
//     values they are given against the rules of the elements they write,
//     and do not read back what they wrote: the tests run Validate and
//     xmllint on every one's golden files and on what they write from
//     generated input.
//
// SplitEnvelope cuts an envelope into an AppHdr and a Document that each
// stand alone, as xmllint wants them.
//
// Deliberate differences from xmllint (TestXSDAgreement finds none on the
// samples and their mutations): inputs past the bounds are refused (an
// admi.002 AddtlData of 20,000 characters passes the XSD but not
// MaxTextBytes); DTDs are refused; inside an xs:any only a Document of the
// schema's own namespace is validated, as lax processing with the one
// schema loaded does; xsi:type and xsi:nil are refused as unknown
// attributes. Every rule of LayerUsage is stricter than the XSD, which
// makes UETR, the agents and BizSvc optional and allows ChrgBr SLEV and any
// Max35Text as BizSvc: xmllint accepts what those rules refuse.
//
// What the hub accepts is canonical: DecodeSubmission also refuses comments,
// processing instructions (other than the XML declaration) and CDATA
// sections anywhere in the envelope, with FF01 naming the construct and its
// byte offset and line. XML allows them, but readers differ on them (a DOM
// reader that takes an element's first text node reads
// <Amt>10<!--.00-->000.00</Amt> as 10), and the hub relays what it accepts
// byte for byte; so everything it delivers is read the same by every
// conforming reader. Validate and Decode, for files read offline, accept
// them as XML does.
//
// The XML is read by a scanner of our own (xmlscan.go), not encoding/xml.
// It reads XML 1.0 (fifth edition) with Namespaces in XML 1.0, in UTF-8,
// without a DTD, and differs from encoding/xml on purpose, each time to
// follow the recommendations where encoding/xml is lax:
//   - a character reference to a surrogate (&#xD800;) is refused, where
//     encoding/xml reads U+FFFD (XML 1.0, WFC Legal Character);
//   - invalid UTF-8 and characters XML forbids are refused in comments and
//     processing instructions too, which encoding/xml does not check
//     (productions 15 and 16);
//   - the XML declaration must come first (after a byte order mark, if any)
//     with version 1.0, and be well formed, declaring UTF-8 if it declares
//     an encoding (production 23); encoding/xml takes <?xml anywhere;
//   - a processing instruction's target has no colon and is followed by
//     white space (production 16, Namespaces section 7);
//   - attributes are separated by white space (production 40) and unique,
//     also once their prefixes are resolved (WFC Unique Att Spec,
//     Namespaces section 6.3);
//   - a name with a colon must be prefix:local, both non-empty: :a and a:
//     are refused (Namespaces production 7);
//   - an undeclared prefix is refused, where encoding/xml takes the prefix
//     as the namespace (NSC Prefix Declared);
//   - the xml and xmlns prefixes and namespaces cannot be misused (bound,
//     rebound, undeclared), and an element may not be named xmlns
//     (Namespaces section 3, the last beyond it);
//   - only white space may stand around the root element: not a Unicode
//     space, a character reference or a CDATA section (production 27);
//   - a byte order mark at the start is accepted;
//   - names follow the fifth edition's rules, which allow more characters
//     than encoding/xml's fourth-edition tables;
//   - tab, newline and carriage return in an attribute value become spaces
//     (attribute-value normalisation, section 3.3.3), as in a namespace
//     name.
//
// xmlscan_test.go checks the scanner against encoding/xml (scanStricter
// gives each of these differences its reason) over the samples, a list of
// inputs, and a fuzz target.
//
// The package uses only the standard library and the root package: no I/O,
// no clock, no logging.
package iso20022
