// Package httpapi is the hub's HTTPS API, mutual TLS 1.3 only, and the Go
// client that banks import to use it. The caller's identity is the verified
// client certificate: a participant acts only as the BIC it names, with a
// certificate the hub issued and has not revoked, while not suspended.
//
// # Limits, in one place
//
// Bodies: DefaultMaxBodyBytes (1 MiB) for a message, MaxJSONBodyBytes (64 KiB)
// for JSON. Messages: iso20022.MaxMessageBytes, MaxDepth, MaxElements and
// MaxTextBytes. Headers: MaxHeaderBytes (16 KiB); a JWS at most
// pki.MaxJWSBytes. Time: ReadHeaderTimeout, ReadTimeout, WriteTimeout,
// IdleTimeout, and a long poll at most MaxInboxWait. Per participant:
// DefaultRatePerSecond with DefaultRateBurst, and DefaultMaxInFlight
// concurrent requests, past which it gets 429 with Retry-After.
//
// # Security suite
//
// TestSecurity sends each of these hostile requests (X is a participant, A
// and B others) and checks the exact answer (status, and words of the body)
// and that the hub's state did not change; TestRateLimit and
// TestRevokeWhileStreaming cover the rate limit and a revocation cutting off
// an open connection at its next request.
//
//	NoSignature                        a message without the X-Corridor-Signature header: 403 "no signature"
//	SignatureOverOtherBytes            a signature over the body plus one byte: 403 "does not verify"
//	SignatureOverOneByteChanged        a signature over the body with one bit changed: 403 "does not verify"
//	SignatureByAnotherBanksKey         a signature made with another participant's key: 403 "kid names another certificate"
//	SignatureAlgNone                   a JWS with alg "none" and no signature: 403 "not a detached"
//	SignatureAlgHS256                  a JWS claiming HS256: 403 "only ES256"
//	SignatureNotDetached               a JWS with an attached payload: 403 "not a detached"
//	SignatureGarbage                   a signature that is not base64url: 403 "not base64url"
//	SignatureTooLong                   a JWS over 1 KiB: 403 "at most 1024"
//	ForgedSenderHeaderAndAgent         X's certificate sending a message from A (the header's sender and the instructing agent say A): 403 "client certificate is DEMOGB2LXXX's"
//	ForgedInstructingAgent             the header's sender says X, the instructing agent A: 400 naming the instructing agent
//	ReplayOfAnotherBanksSignedRequest  A's signed request replayed over X's connection: 403 "kid names another certificate"
//	ReplayOfOwnSignedRequest           A's own signed request replayed: 202, the first answer again, "duplicate":true
//	NoClientCertificate                a connection without a client certificate: refused at the TLS handshake "certificate"
//	ForeignCACertificate               a client certificate from another CA: refused at the TLS handshake "certificate"
//	ExpiredCertificate                 an expired certificate signed by the hub's CA: refused at the TLS handshake "certificate"
//	HubServerCertificateAsClient       the hub's server certificate used as a client certificate: refused at the TLS handshake "certificate"
//	RevokedCertificate                 a revoked certificate reading accounts: 403 "revoked"
//	RevokedCertificateSubmits          a revoked certificate sending a payment: 403 "revoked"
//	SuspendedParticipant               a suspended participant reading its inbox: 403 "suspended"
//	PaymentToSuspendedParticipant      a payment to a suspended participant: 422 "AC06"
//	ParticipantRegistersParticipant    a participant calling the operator’s registration: 403 "operator role"
//	ParticipantFundsItself             a participant funding its own account: 403 "operator role"
//	ParticipantRevokesAnother          a participant revoking another's certificates: 403 "operator role"
//	ParticipantResumesSuspended        a participant resuming a suspended one: 403 "operator role"
//	UnauthorisedByRelationship         a payment to a bank that has not authorised the sender (RMA): 422 "has not authorised pacs.008 from DEMOGB2LXXX"
//	DoctypeWithEntities                a DOCTYPE with nested entities (billion laughs): 400 "DTDs"
//	ExternalEntity                     an external entity (XXE): 400 "DTDs"
//	CommentInsideAmount                an amount written 1<!--.00-->…, which a DOM reader taking the first text node reads differently: 400 "a comment at byte"
//	ProcessingInstruction              a processing instruction in the envelope: 400 "a processing instruction at byte"
//	CDATAName                          a CDATA section in a name: 400 "a CDATA section at byte"
//	HugeComment                        a 900 KB comment: 400 "the hub accepts no comments"
//	CommentAfterRoot                   a comment after the envelope: 400 "a comment at byte"
//	UndefinedEntity                    an undefined entity reference: 400 "FF01"
//	DeepNesting                        2,000 nested elements: 400 "nested deeper than 32"
//	HugeAttribute                      a 900 KB attribute: 400 "attribute value longer than 1024 bytes"
//	ManyElements                       10,000 elements: 400 "more than 5000 elements"
//	LongText                           a 20,000-character name: 400 "text longer than 10000 bytes"
//	BodyOverLimit                      a body of 1 MiB + 1 byte: 413 "over the limit"
//	EmptyBody                          an empty body: 400 "no root element"
//	NotXML                             a JSON body: 400 "outside the root element"
//	TruncatedXML                       a message cut in half: 400 "FF01"
//	TwoRootElements                    two messages in one body: 400 "FF01"
//	InvalidUTF8                        invalid UTF-8 in a name: 400 "FF01"
//	UnsupportedVersion                 pacs.008.001.12: 400 "pacs.008.001.08"
//	WrongMessageType                   a camt.053 sent as a payment: 400 "FF01"
//	AmountWithTooManyDecimals          INR 1.005: 400 "CH20"
//	UnknownCurrency                    currency XXX: 400 "AM03"
//	NegativeAmount                     amount -1.00: 400 "not a decimal number"
//	TrackAnotherBanksPayment           X tracking A's payment: 404 "not found"
//	TrackUnknownPaymentLooksTheSame    X tracking an unknown UETR gets the same answer as for A's: 404 "not found"
//	TrackMalformedUETR                 a UETR that is not a UUIDv4: 422 "FF01"
//	PathTraversalInUETR                ../ encoded in the UETR: 422 "FF01"
//	PathWithDotSegments                dot segments in the path: 405
//	UnknownEndpoint                    an endpoint that does not exist: 404
//	AckOthersInbox                     acknowledging up to 2^64-1: only the caller's own inbox: 204
//	InboxWaitTooLong                   a long poll of an hour: 422 "FF01"
//	InboxAfterNotANumber               after=-1: 422 "FF01"
//	LegOnAnotherChain                  X sends X→B with the UETR of A's payment to B, a chain X has no part in: 422 "AG01", B's tracker unchanged
//	RevokeFieldTypo                    the operator's revoke with {"serail": S}, which used to revoke every certificate: 400 "unknown field"
//	RevokeAllImplied                   the operator's revoke with {}: 400, all must be said with {"all": true}
//	RevokeSerialAndAll                 a revoke naming a serial and all: 400 "not both"
//	OperatorRevokeAll                  an operator certificate revoke with {"all": true}: 400 "by its serial alone"
//	AckNotJSON                         an acknowledgement that is not JSON: 400 "FF01"
//	AckDuplicateKey                    {"through":1,"through":99999}: 400 "given twice"
//	AckEmptyObject                     {}: 400 "is required"
//	AckNull                            null: 400 "must be an object, not null"
//	AckNullField                       {"through":null}: 400 "is required"
//	AckWrongCase                       {"Through":1}, which encoding/json would take: 400 "unknown field"
//	AckUnknownField                    an extra field: 400 "unknown field"
//	AckTrailingData                    a second JSON value after the first: 400 "data after the JSON value"
//	AckDeepJSON                        JSON nested 100 deep: 400 "nested deeper than 16"
//	RelationshipsUnknownNestedField    an unknown field inside an allow entry: 400 "unknown field"
//	JSONBodyOverLimit                  a JSON body over 64 KiB: 413 "over the limit"
//	TooManyRelationships               1,001 relationships: 422 "at most 1000"
//	RelationshipUnknownMode            a relationship mode that does not exist: 422 "mode must be"
//	RelationshipUnknownMessageType     a relationship for pacs.003: 422 "not one the hub routes"
//	OversizedHeader                    a 40 KiB header: 431
//	MalformedChunkedBody               a body whose chunked encoding is broken: 400 "malformed request body", not 408
//	SlowBody                           a body sent slower than the read timeout (slowloris): 408 "not read in time"
package httpapi
