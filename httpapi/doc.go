// Package httpapi is the hub's HTTPS API, mutual TLS 1.3 only, and the Go
// client that banks import to use it. The caller's identity is the verified
// client certificate: a participant acts only as the BIC it names, with a
// certificate the hub issued and has not revoked, while not suspended.
//
// # Limits, in one place
//
// Bodies: DefaultMaxBodyBytes (1 MiB) for a message, MaxJSONBodyBytes (64 KiB)
// for JSON, MaxBatchBodyBytes (8 MiB) for a batch of at most
// MaxBatchMessages (256) messages, each within the message's bound. Messages: iso20022.MaxMessageBytes, MaxDepth, MaxElements and
// MaxTextBytes. Headers: MaxHeaderBytes (16 KiB); a JWS at most
// pki.MaxJWSBytes. Time: ReadHeaderTimeout, ReadTimeout, WriteTimeout,
// IdleTimeout, and a long poll at most MaxInboxWait. Per participant:
// DefaultRatePerSecond with DefaultRateBurst, DefaultMaxInFlight
// concurrent requests and, among them, DefaultMaxInboxReads concurrent inbox
// reads, past which it gets 429 with Retry-After; a batch counts as its
// messages against the rate.
//
// # Batches
//
// POST /v1/messages/batch takes up to MaxBatchMessages messages under one
// detached JWS over corridor.BatchStatement: the count and the root of the
// messages' Merkle tree (corridor.MerkleTree). The hub verifies it once,
// before any message is parsed, then treats each message as POST
// /v1/messages would and answers each in order (BatchResult). Each journal
// entry keeps the batch JWS and the message's corridor.BatchProof, so that
// hub.VerifyEvidence checks one entry alone. The receipts of a batch are
// signed once, over corridor.BatchReceiptStatement; each carries its place
// among them (ReceiptBody.Batch) and verifies alone.
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
//	SignatureCrit                      a protected header with crit naming an extension: 403 "header has crit"
//	SignatureB64False                  a protected header with b64 false (RFC 7797, the payload signed unencoded): 403 "header has b64"
//	SignatureUnknownHeaderParameter    a header parameter the verifier does not know (jku, a key URL): 403 "is not understood"
//	SignatureHeaderParameterWrongCase  "KID" for kid, which encoding/json would match: 403 "is not understood"
//	SignatureDuplicateHeaderKey        alg given twice, ES256 then none: 403 "appears twice"
//	SignatureTypJWT                    typ JWT: 403 "only JOSE"
//	SignatureAlgES384                  alg ES384 with a valid ES256 signature: 403 "only ES256"
//	SignatureAlgRS256                  alg RS256 (algorithm confusion): 403 "only ES256"
//	SignatureAlgNoneSigned             alg none with X's kid and a signature: 403 "an unsecured JWS is never accepted"
//	SignatureAlgNotString              alg as the JSON number 256: 403 "alg is not a string"
//	SignatureX5tOfAnotherCertificate   X's kid and signature, with x5t#S256 naming A's certificate: 403 "x5t#S256 names another certificate"
//	SignatureKidOfAnotherBank          signed with X's key under A's kid: 403 "kid names another certificate"
//	SignatureByOwnRevokedKey           signed with X's own revoked certificate over X's valid connection: 403 "kid names another certificate"
//	SignaturePaddedHeader              a header segment with base64 padding: 403 "header is padded"
//	SignaturePaddedSignature           a signature segment with base64 padding: 403 "signature is padded"
//	SignatureSpaceInHeader             a space inside the header segment: 403 "header holds whitespace"
//	SignatureTabInSignature            a tab inside the signature segment: 403 "signature holds whitespace"
//	SignatureTruncated                 a signature of 61 bytes: 403 "ES256 signature of 61 bytes"
//	SignedThenNewlineAppended          a valid signature over the body, sent with a newline appended: 403 "does not verify"
//	SignedThenSpaceAdded               a valid signature over the body, sent with a space added in a tag: 403 "does not verify"
//	SignatureHeaderTwice               X's valid signature header, then a second one: 403 "signature header given 2 times"
//	SignatureHeaderEmpty               a signature header present but empty: 403 "no signature"
//	RegisterUnknownField               a registration with a "role" field: 400 "unknown field"
//	RegisterWrongCaseKey               a registration with "BIC": 400 "unknown field"
//	RegisterCurrenciesNotAList         currencies as a string: 400 naming RegisterRequest.currencies
//	RegisterValidityAsString           validityDays as a string: 400 naming RegisterRequest.validityDays
//	FundAmountAsNumber                 a funding amount as a JSON number: 400 naming FundRequest.amount
//	FundAmountTooManyDecimals          a funding of INR 10.001: 422 "CH20"
//	FundDuplicateAmount                a funding with amount given twice, 1.00 then 1000000.00: 400 "given twice"
//	FundNull                           a funding body of null: 400 "must be an object, not null"
//	FundTrailingData                   a funding with a stray ] after the object: 400 "data after the JSON value"
//	RelationshipsDuplicateMode         mode given twice, restricted then open: 400 "given twice"
//	RelationshipsMessagesNotAList      an allow entry's messages as a string: 400 naming messages
//	NotificationsBoolAsString          camt054 as the string "true": 400 naming NotificationsBody.camt054
//	NotificationsWrongCaseKey          "Camt054": 400 "unknown field"
//	NotificationsEmptyObject           {}: 400 "is required"
//	LimitsReserveAsNumber              a reserve as a JSON number: 400 naming LimitsBody.reserve
//	LimitsTooManyDecimals              a multilateral limit of INR 5.001: 422 "CH20"
//	LimitsBilateralAsNumber            a bilateral limit as a JSON number: 400 naming LimitsBody.bilateral
//	LimitsUnknownField                 an "overdraft" field: 400 "unknown field"
//	RateAsNumber                       the operator's FX rate as a JSON number (a float): 400 naming RateBody.rate
//	RateWrongCaseKey                   the operator's FX rate with "Rate": 400 "unknown field"
//	QuoteAmountAsNumber                a quote amount as a JSON number: 400 naming QuoteRequest.amount
//	QuoteTooManyDecimals               a quote of INR 1.001: 422 "CH20"
//	ReleaseWhitelistAsString           a hold release with whitelist "yes": 400 naming DecisionRequest.whitelist
//	RejectNullWhy                      a hold reject with why null: 400 "is required"
//	ReleaseNotHeld                     releasing a payment that is not held: 404 "not found"
//	MoveDuplicateKey                   a queue move with to given twice: 400 "given twice"
//	MoveUnknownPlace                   a queue move to "top": 422 "to must be"
//	MoveBothToAndPriority              a queue move with to and priority: 422 "give either to or priority"
//	OperatorRevokeSerialAsNumber       an operator revoke with the serial as a number: 400 naming RevokeRequest.serial
//	RevokeDuplicateSerial              a certificate revoke with serial given twice: 400 "given twice"
//	ListUploadWrongCaseKey             a sanctions list upload with "NAME", which the upload's lax decoding used to load: 400 "unknown field"
//	ReturnCommentInAmount              a comment in a pacs.004's returned amount: 400 "a comment at byte"
//	ReturnCDATAReason                  a CDATA section in a pacs.004's reason code: 400 "a CDATA section at byte"
//	CancelRequestProcessingInstruction a processing instruction in a camt.056: 400 "a processing instruction at byte"
//	CancelRequestCommentInUETR         an empty comment inside a camt.056's original UETR: 400 "a comment at byte"
//	ResolutionCDATAStatus              a CDATA section in a camt.029's status: 400 "a CDATA section at byte"
//	ResolutionProcessingInstruction    an xml-stylesheet processing instruction in a camt.029: 400 "a processing instruction at byte"
//	DefundCommentInAmount              a pacs.009 amount written 1<!---->000.00: 400 "a comment at byte"
//	DefundProcessingInstruction        a processing instruction after a pacs.009's envelope: 400 "a processing instruction at byte"
//	DeclarationLatin1                  a camt.056 declaring encoding ISO-8859-1: 400 "only UTF-8"
//	BOMAndDeclarationUTF16             a UTF-8 BOM, then a declaration of UTF-16, on a camt.029: 400 "only UTF-8"
//	DeclarationAfterSpace              a space before a pacs.009's XML declaration: 400 "XML declaration not at the start"
//	BOMAndDeclarationReadAsSent        A's payment again behind a UTF-8 BOM (allowed): read as the same payment: 202 "duplicate":true
//	TrackUppercaseUETR                 tracking A's UETR in upper case: 422 "is not a lower-case UUIDv4"
//	TrackUETRWithoutDashes             a UETR without its dashes: 422 "is not a lower-case UUIDv4"
//	TrackUUIDv1                        a version 1 UUID: 422 "is not a lower-case UUIDv4"
//	TrackUETR37Chars                   a UETR of 37 characters: 422 "is not a lower-case UUIDv4"
//	MoveMalformedUETR                  the operator moving an upper-case UETR: 422 "is not a lower-case UUIDv4"
//	CancelPathTraversal                ../ encoded in a cancellation's UETR: 422 "is not a lower-case UUIDv4"
//	InboxAfterOverflow                 after=2^64: 422 "after must be a message seq"
//	InboxWaitNegative                  wait=-1s: 422 "wait must be a duration"
//	InboxWaitNoUnit                    wait=30, no unit: 422 "wait must be a duration"
//	InboxRepeatedQuery                 wait=0s&wait=60s, which used to take the first: 422 "given twice"
//	StatementRepeatedBIC               a statement with bic=X&bic=A, of which the hub used the first and a proxy may check the last: 422 "given twice"
//	QueryNotParsing                    a query with a broken percent-encoding, which used to be dropped: 422 "the query does not parse"
//	WrongMethodOnAccounts              DELETE /v1/accounts: 405
//	WrongMethodOnMessages              GET /v1/messages: 405
//	WrongMethodOnPayment               PUT on a payment: 405
//	TrailingSlash                      /v1/accounts/: 404
//	UppercaseVersion                   /V1/accounts: 404
//	DayUnknownCurrency                 the operator opening the day of currency ZZZ: 422 "unknown currency"
//	DayUnknownPhase                    the operator running a day phase that does not exist: 404 "not found"
//	DayCutoffUnknownType               a cut-off of payment type "everything": 422 "FF01"
//	ParticipantSuspendsAnother         a participant suspending another: 403 "operator role"
//	ParticipantRevokesOperator         a participant revoking an operator certificate: 403 "operator role"
//	ParticipantLoadsList               a participant loading a sanctions list: 403 "operator role"
//	ParticipantReadsHolds              a participant reading the compliance holds: 403 "operator role"
//	ParticipantReleasesHold            a participant releasing a hold: 403 "operator role"
//	ParticipantMovesAnothersPayment    a participant moving A's payment in the queue: 403 "operator role"
//	ParticipantRunsCutoff              a participant running the settlement cut-off: 403 "operator role"
//	ParticipantClosesCycle             a participant closing the net cycle: 403 "operator role"
//	ParticipantClosesDay               a participant closing the INR business day: 403 "operator role"
//	ParticipantPublishesRate           a participant publishing an FX rate: 403 "operator role"
//	OperatorSubmitsMessage             the operator submitting A's signed payment: 403 "participant role"
//	OperatorReadsInbox                 the operator reading an inbox: 403 "participant role"
//	OperatorAcksInbox                  the operator acknowledging an inbox: 403 "participant role"
//	OperatorSetsRelationships          the operator setting relationships: 403 "participant role"
//	OperatorSetsLimits                 the operator setting limits: 403 "participant role"
//	CancelAnotherBanksPayment          X cancelling A's payment: 404 "not found"
//	CancelUnknownPaymentLooksTheSame   X cancelling an unknown UETR gets the same answer as for A's: 404 "not found"
//	StatementOfAnotherBank             X reading A's statement with bic=: 403 "asked for DEMOINBBXXX's account"
//	ReportOfAnotherBank                X reading A's intraday report with bic=: 403 "asked for DEMOINBBXXX's account"
//	OperatorStatementWithoutBIC        the operator asking for a statement without bic: 422 "names the account's owner with bic"
//	BatchMessageTampered               X's signed batch with one message's amount changed: 403 "does not verify", nothing of it taken
//	BatchWrongCount                    a batch of 3 whose signed statement says 4: 403 "does not verify"
//	BatchReordered                     X's signed batch with two messages swapped: 403 "does not verify"
//	BatchTruncated                     X's signed batch of 3 sent with 2: 403 "does not verify"
//	BatchMessageAdded                  X's signed batch of 3 sent with a fourth: 403 "does not verify"
//	BatchSignedByAnotherBank           a batch signed with A's key over X's connection: 403 "kid names another certificate"
//	BatchSignatureOfOneMessage         a batch of one under the signature of that message alone, which is not the batch's statement: 403 "does not verify"
//	BatchNoSignature                   a batch without the signature header: 403 "no signature"
//	BatchTooManyMessages               257 messages: 400 "holds 1 to 256"
//	BatchEmpty                         {"messages":[]}: 400 "a batch of 0 messages"
//	BatchBodyOverLimit                 a batch body of 8 MiB and more: 413 "over the limit of 8388608 bytes"
//	BatchMessageOverLimit              a message of 1 MiB + 1 byte in a batch: 413 "messages[0] of 1048577 bytes is over the limit"
//	BatchNotBase64                     a message in URL-safe base64: 400 "messages[0] is not padded base64"
//	BatchUnknownField                  a "signature" field beside messages: 400 "unknown field"
//	BatchMessagesNotAList              messages as a string: 400 naming messages
//	BatchDuplicateKey                  messages given twice: 400 "given twice"
//	BatchSignatureHeaderTwice          the batch's signature header given twice: 403 "signature header given 2 times"
//	OperatorSubmitsBatch               the operator sending a batch: 403 "participant role"
//	WrongMethodOnBatch                 GET /v1/messages/batch: 405
package httpapi
