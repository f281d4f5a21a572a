package httpapi_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/pki"
)

// hostileRun is what a hostile case does against the fixture.
type hostileRun = func(t *testing.T, s *securityFixture) answer

// moreHostileCases are the second half of the security suite: the JWS
// verifier's refusals over HTTP, strict JSON on every JSON endpoint,
// canonical XML in every message type the hub takes, malformed paths and
// queries, and each role kept to its own endpoints.
func moreHostileCases() []hostileCase {
	return append(append(append(append(jwsCases(), jsonCases()...), canonicalCases()...), pathCases()...), roleCases()...)
}

// xSends has X send the message body(t) with the signature sig makes over
// it, and header's name/value pairs.
func xSends(body func(t *testing.T) []byte, sig func(t *testing.T, s *securityFixture, body []byte) string, header ...string) hostileRun {
	return func(t *testing.T, s *securityFixture) answer {
		b := body(t)
		return s.x.send(s.fixture, http.MethodPost, "/v1/messages", b, sig(t, s, b), header...)
	}
}

// forgedJWS is a detached JWS over body whose protected header is hdr
// (where %s is X's kid), signed correctly with X's key: only the header is
// wrong.
func forgedJWS(hdr string) func(t *testing.T, s *securityFixture, body []byte) string {
	return func(t *testing.T, s *securityFixture, body []byte) string {
		return signJWS(t, s.x.signer, fmt.Sprintf(hdr, pki.KeyID(s.x.signer.Certificate())), body)
	}
}

// signJWS signs the protected header hdr and body with signer's key, as
// RFC 7515 does: over BASE64URL(header) '.' BASE64URL(body).
func signJWS(tb testing.TB, signer *pki.Signer, hdr string, body []byte) string {
	tb.Helper()
	protected := b64(hdr)
	sig, err := signer.Sign([]byte(protected + "." + base64.RawURLEncoding.EncodeToString(body)))
	if err != nil {
		tb.Fatal(err)
	}
	return protected + ".." + base64.RawURLEncoding.EncodeToString(sig)
}

// editedJWS is X's own JWS over the body, then changed by edit.
func editedJWS(edit func(jws string) string) func(t *testing.T, s *securityFixture, body []byte) string {
	return func(t *testing.T, s *securityFixture, body []byte) string { return edit(s.x.sign(t, body)) }
}

// signedThenChanged is X's signature over the body, sent with change(body).
func signedThenChanged(n int, change func(t *testing.T, body []byte) []byte) hostileRun {
	return func(t *testing.T, s *securityFixture) answer {
		b := payment(t, n, bankX, bankA)
		return s.x.send(s.fixture, http.MethodPost, "/v1/messages", change(t, b), s.x.sign(t, b))
	}
}

func jwsCases() []hostileCase {
	own := func(t *testing.T) []byte { return payment(t, 20, bankX, bankA) }
	header := func(h string) hostileRun { return xSends(own, forgedJWS(h)) }
	return []hostileCase{
		{"SignatureCrit", header(`{"alg":"ES256","kid":"%s","crit":["exp"],"exp":1}`), 403, "header has crit"},
		{"SignatureB64False", header(`{"alg":"ES256","kid":"%s","b64":false}`), 403, "header has b64"},
		{"SignatureUnknownHeaderParameter", header(`{"alg":"ES256","kid":"%s","jku":"https://attacker.example/keys"}`), 403, `\"jku\" is not understood`},
		{"SignatureHeaderParameterWrongCase", header(`{"alg":"ES256","KID":"%s"}`), 403, `\"KID\" is not understood`},
		{"SignatureDuplicateHeaderKey", header(`{"alg":"ES256","kid":"%s","alg":"none"}`), 403, `\"alg\" appears twice`},
		{"SignatureTypJWT", header(`{"alg":"ES256","kid":"%s","typ":"JWT"}`), 403, "only JOSE"},
		{"SignatureAlgES384", header(`{"alg":"ES384","kid":"%s"}`), 403, `alg \"ES384\"; only ES256`},
		{"SignatureAlgRS256", header(`{"alg":"RS256","kid":"%s"}`), 403, `alg \"RS256\"; only ES256`},
		{"SignatureAlgNoneSigned", header(`{"alg":"none","kid":"%s"}`), 403, "an unsecured JWS is never accepted"},
		{"SignatureAlgNotString", header(`{"alg":256,"kid":"%s"}`), 403, "alg is not a string"},
		{"SignatureX5tOfAnotherCertificate", xSends(own, func(t *testing.T, s *securityFixture, b []byte) string {
			hdr := fmt.Sprintf(`{"alg":"ES256","kid":"%s","x5t#S256":"%s"}`, pki.KeyID(s.x.signer.Certificate()), pki.KeyID(s.a2.signer.Certificate()))
			return signJWS(t, s.x.signer, hdr, b)
		}), 403, "x5t#S256 names another certificate"},
		{"SignatureKidOfAnotherBank", xSends(own, func(t *testing.T, s *securityFixture, b []byte) string {
			return signJWS(t, s.x.signer, fmt.Sprintf(`{"alg":"ES256","kid":"%s"}`, pki.KeyID(s.a2.signer.Certificate())), b)
		}), 403, "kid names another certificate"},
		{"SignatureByOwnRevokedKey", xSends(own, func(t *testing.T, s *securityFixture, b []byte) string { return s.revoked.sign(t, b) }),
			403, "kid names another certificate"},
		{"SignaturePaddedHeader", xSends(own, editedJWS(func(jws string) string { return strings.Replace(jws, "..", "==..", 1) })), 403, "header is padded"},
		{"SignaturePaddedSignature", xSends(own, editedJWS(func(jws string) string { return jws + "==" })), 403, "signature is padded"},
		{"SignatureSpaceInHeader", xSends(own, editedJWS(func(jws string) string { return jws[:10] + " " + jws[10:] })), 403, "header holds whitespace"},
		{"SignatureTabInSignature", xSends(own, editedJWS(func(jws string) string { return jws[:len(jws)-10] + "\t" + jws[len(jws)-10:] })), 403, "signature holds whitespace"},
		{"SignatureTruncated", xSends(own, editedJWS(func(jws string) string {
			protected, sig, _ := strings.Cut(jws, "..")
			rs, _ := base64.RawURLEncoding.DecodeString(sig) // The signer's own: canonical.
			return protected + ".." + base64.RawURLEncoding.EncodeToString(rs[:61])
		})), 403, "ES256 signature of 61 bytes"},
		{"SignedThenNewlineAppended", signedThenChanged(21, func(_ *testing.T, b []byte) []byte { return append(b, '\n') }), 403, "does not verify"},
		{"SignedThenSpaceAdded", signedThenChanged(22, func(t *testing.T, b []byte) []byte { return mustReplace(t, b, "<Document ", "<Document  ") }), 403, "does not verify"},
		{"SignatureHeaderTwice", func(t *testing.T, s *securityFixture) answer {
			b := own(t)
			req, err := http.NewRequest(http.MethodPost, s.url+"/v1/messages", strings.NewReader(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Add(httpapi.SignatureHeader, s.x.sign(t, b)) // Good, and read first.
			req.Header.Add(httpapi.SignatureHeader, b64(`{"alg":"none"}`)+"..")
			return do(s.x.http, req)
		}, 403, "signature header given 2 times"},
		{"SignatureHeaderEmpty", xSends(own, func(*testing.T, *securityFixture, []byte) string { return "" }, httpapi.SignatureHeader, ""), 403, "no signature"},
	}
}

// call is a request with a JSON (or no) body by one of the fixture's raw clients.
func call(who func(s *securityFixture) *rawBank, method, path, body string) hostileRun {
	return func(t *testing.T, s *securityFixture) answer {
		return who(s).send(s.fixture, method, path, []byte(body), "")
	}
}

func byOp(s *securityFixture) *rawBank { return s.op }
func byX(s *securityFixture) *rawBank  { return s.x }

// onPaid is a request about A's payment to B: path has %s for its UETR.
func onPaid(who func(s *securityFixture) *rawBank, method, path, body string) hostileRun {
	return func(t *testing.T, s *securityFixture) answer {
		return who(s).send(s.fixture, method, fmt.Sprintf(path, s.paid), []byte(body), "")
	}
}

// looksUnknown has X ask about A's payment at path (%s for the UETR), then
// about an unknown UETR, and fails unless the two answers are the same but
// for the UETR: the difference would tell X that A's payment exists.
func looksUnknown(method, path string) hostileRun {
	const unknown = "00000000-0000-4000-8000-000000000000"
	return func(t *testing.T, s *securityFixture) answer {
		theirs := s.x.send(s.fixture, method, fmt.Sprintf(path, s.paid), nil, "")
		other := s.x.send(s.fixture, method, fmt.Sprintf(path, unknown), nil, "")
		if strings.ReplaceAll(theirs.body, string(s.paid), "U") != strings.ReplaceAll(other.body, unknown, "U") {
			t.Errorf("A's UETR answers %s, an unknown one %s: the difference tells", theirs, other)
		}
		return other
	}
}

func jsonCases() []hostileCase {
	const register = "/v1/participants"
	const fund = "/v1/accounts/fund"
	op := func(method, path, body string) hostileRun { return call(byOp, method, path, body) }
	x := func(method, path, body string) hostileRun { return call(byX, method, path, body) }
	return []hostileCase{
		{"RegisterUnknownField", op(http.MethodPost, register, `{"bic":"DEMOFRPPXXX","name":"n","currencies":["EUR"],"csr":"x","role":"operator"}`), 400, `unknown field \"role\"`},
		{"RegisterWrongCaseKey", op(http.MethodPost, register, `{"BIC":"DEMOFRPPXXX","name":"n","currencies":["EUR"],"csr":"x"}`), 400, `unknown field \"BIC\"`},
		{"RegisterCurrenciesNotAList", op(http.MethodPost, register, `{"bic":"DEMOFRPPXXX","name":"n","currencies":"EUR","csr":"x"}`), 400, "RegisterRequest.currencies of type []string"},
		{"RegisterValidityAsString", op(http.MethodPost, register, `{"bic":"DEMOFRPPXXX","name":"n","currencies":["EUR"],"csr":"x","validityDays":"3650"}`), 400, "RegisterRequest.validityDays of type int"},
		{"FundAmountAsNumber", op(http.MethodPost, fund, `{"bic":"DEMOGB2LXXX","currency":"INR","amount":1000000}`), 400, "FundRequest.amount of type string"},
		{"FundAmountTooManyDecimals", op(http.MethodPost, fund, `{"bic":"DEMOGB2LXXX","currency":"INR","amount":"10.001"}`), 422, "CH20"},
		{"FundDuplicateAmount", op(http.MethodPost, fund, `{"bic":"DEMOGB2LXXX","currency":"INR","amount":"1.00","amount":"1000000.00"}`), 400, `field \"amount\" given twice`},
		{"FundNull", op(http.MethodPost, fund, `null`), 400, "the body must be an object, not null"},
		{"FundTrailingData", op(http.MethodPost, fund, `{"bic":"DEMOGB2LXXX","currency":"INR","amount":"1.00"}]`), 400, "data after the JSON value"},
		{"RelationshipsDuplicateMode", x(http.MethodPut, "/v1/relationships", `{"mode":"restricted","mode":"open"}`), 400, `field \"mode\" given twice`},
		{"RelationshipsMessagesNotAList", x(http.MethodPut, "/v1/relationships",
			`{"mode":"restricted","allow":[{"counterparty":"DEMOINBBXXX","messages":"pacs.008"}]}`), 400, "messages of type []string"},
		{"NotificationsBoolAsString", x(http.MethodPut, "/v1/notifications", `{"camt054":"true"}`), 400, "NotificationsBody.camt054 of type bool"},
		{"NotificationsWrongCaseKey", x(http.MethodPut, "/v1/notifications", `{"Camt054":true}`), 400, `unknown field \"Camt054\"`},
		{"NotificationsEmptyObject", x(http.MethodPut, "/v1/notifications", `{}`), 400, `field \"camt054\" is required`},
		{"LimitsReserveAsNumber", x(http.MethodPut, "/v1/limits", `{"currency":"INR","reserve":100}`), 400, "LimitsBody.reserve of type string"},
		{"LimitsTooManyDecimals", x(http.MethodPut, "/v1/limits", `{"currency":"INR","multilateral":"5.001"}`), 422, "CH20"},
		{"LimitsBilateralAsNumber", x(http.MethodPut, "/v1/limits", `{"currency":"INR","bilateral":{"DEMOINBBXXX":50}}`), 400, "LimitsBody.bilateral of type string"},
		{"LimitsUnknownField", x(http.MethodPut, "/v1/limits", `{"currency":"INR","overdraft":"1000000.00"}`), 400, `unknown field \"overdraft\"`},
		{"RateAsNumber", op(http.MethodPost, "/v1/fx/rates", `{"pair":"INR/RUB","rate":1.0823}`), 400, "RateBody.rate of type string"},
		{"RateWrongCaseKey", op(http.MethodPost, "/v1/fx/rates", `{"pair":"INR/RUB","Rate":"1.0823"}`), 400, `unknown field \"Rate\"`},
		{"QuoteAmountAsNumber", x(http.MethodPost, "/v1/fx/quotes", `{"amount":100,"from":"INR","to":"RUB"}`), 400, "QuoteRequest.amount of type string"},
		{"QuoteTooManyDecimals", x(http.MethodPost, "/v1/fx/quotes", `{"amount":"1.001","from":"INR","to":"RUB"}`), 422, "CH20"},
		{"ReleaseWhitelistAsString", onPaid(byOp, http.MethodPost, "/v1/compliance/holds/%s/release", `{"why":"ok","whitelist":"yes"}`), 400, "DecisionRequest.whitelist of type bool"},
		{"RejectNullWhy", onPaid(byOp, http.MethodPost, "/v1/compliance/holds/%s/reject", `{"why":null}`), 400, `field \"why\" is required`},
		{"ReleaseNotHeld", onPaid(byOp, http.MethodPost, "/v1/compliance/holds/%s/release", `{"why":"looks fine"}`), 404, "not found"},
		{"MoveDuplicateKey", onPaid(byOp, http.MethodPost, "/v1/queue/%s/move", `{"to":"front","to":"back"}`), 400, `field \"to\" given twice`},
		{"MoveUnknownPlace", onPaid(byOp, http.MethodPost, "/v1/queue/%s/move", `{"to":"top"}`), 422, `to must be \"front\" or \"back\"`},
		{"MoveBothToAndPriority", onPaid(byOp, http.MethodPost, "/v1/queue/%s/move", `{"to":"front","priority":"urgent"}`), 422, "give either to or priority"},
		{"OperatorRevokeSerialAsNumber", op(http.MethodPost, "/v1/operators/revoke", `{"serial":10}`), 400, "RevokeRequest.serial of type string"},
		{"RevokeDuplicateSerial", op(http.MethodPost, "/v1/participants/DEMOGB2LXXX/revoke", `{"serial":"0a","serial":"0b"}`), 400, `field \"serial\" given twice`},
		{"ListUploadWrongCaseKey", op(http.MethodPost, "/v1/screening/lists",
			`{"NAME":"own","format":"csv","files":["`+base64.StdEncoding.EncodeToString([]byte(ownList))+`"]}`), 400, `unknown field \"NAME\"`},
	}
}

// submission is an encoded message of one of the types the hub takes, sent by X.
type submission func(t *testing.T) []byte

func xReturn(t *testing.T) []byte {
	return mustReturnMessage(t, 30, rupees(30, bankA, bankX, 1_00), 1_00)
}

func xCancelRequest(t *testing.T) []byte {
	return mustMessage(t)(iso20022.EncodeCancelRequest(iso20022.CancelRequest{ID: "CXL-31", Created: businessDay,
		Original: rupees(31, bankX, bankA, 1_00).pay, Reason: "DUPL"}))
}

func xResolution(t *testing.T) []byte {
	p := rupees(32, bankA, bankX, 1_00).pay
	return mustMessage(t)(iso20022.EncodeResolution(iso20022.Resolution{From: bankX, To: bankA, ID: "ANS-32", CaseID: "CXL-32",
		Created: businessDay, BizSvc: iso20022.BizSvcCBPRPlus, Status: iso20022.ResolutionRejected, Reason: "CUST",
		Original: iso20022.OriginalTransaction{MsgID: p.MsgID, MsgDefID: iso20022.MsgDefCustomerCreditTransfer, EndToEndID: p.EndToEndID, UETR: p.UETR}}))
}

func xDefund(t *testing.T) []byte {
	return mustMessage(t)(iso20022.EncodeDefund(iso20022.Defund{MsgID: "DEFUND-33", UETR: "0a1b2c3d-0000-4000-8000-000000000033",
		Created: businessDay, From: bankX, Hub: hubBIC, Amount: corridor.Money{Amount: 1_00, Currency: "INR"}}))
}

// mustMessage fails tb on an encoder's error.
func mustMessage(tb testing.TB) func(data []byte, err error) []byte {
	return func(data []byte, err error) []byte {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return data
	}
}

// edited is X sending msg with old replaced by new, signed as sent.
func edited(msg submission, old, new string) hostileRun {
	return func(t *testing.T, s *securityFixture) answer {
		return s.x.submit(t, s.fixture, mustReplace(t, msg(t), old, new))
	}
}

func canonicalCases() []hostileCase {
	const decl = `<?xml version="1.0" encoding="UTF-8"?>`
	return []hostileCase{
		{"ReturnCommentInAmount", edited(xReturn, `<RtrdIntrBkSttlmAmt Ccy="INR">`, `<RtrdIntrBkSttlmAmt Ccy="INR"><!--1000-->`), 400, "a comment at byte"},
		{"ReturnCDATAReason", edited(xReturn, "<Cd>AC04</Cd>", "<Cd><![CDATA[AC04]]></Cd>"), 400, "a CDATA section at byte"},
		{"CancelRequestProcessingInstruction", edited(xCancelRequest, "<Undrlyg>", "<Undrlyg><?corridor cancel-all?>"), 400, "a processing instruction at byte"},
		{"CancelRequestCommentInUETR", edited(xCancelRequest, "<OrgnlUETR>", "<OrgnlUETR><!---->"), 400, "a comment at byte"},
		{"ResolutionCDATAStatus", edited(xResolution, "<Conf>RJCR</Conf>", "<Conf><![CDATA[CNCL]]></Conf>"), 400, "a CDATA section at byte"},
		{"ResolutionProcessingInstruction", edited(xResolution, "<Document", "<?xml-stylesheet href=\"x\"?><Document"), 400, "a processing instruction at byte"},
		{"DefundCommentInAmount", edited(xDefund, `Ccy="INR">1.00`, `Ccy="INR">1<!---->000.00`), 400, "a comment at byte"},
		{"DefundProcessingInstruction", edited(xDefund, "</Envelope>", "</Envelope><?trailer?>"), 400, "a processing instruction at byte"},
		{"DeclarationLatin1", edited(xCancelRequest, decl, `<?xml version="1.0" encoding="ISO-8859-1"?>`), 400, `encoding \"ISO-8859-1\" declared; only UTF-8`},
		{"BOMAndDeclarationUTF16", edited(xResolution, decl, "\xEF\xBB\xBF"+`<?xml version="1.0" encoding="UTF-16"?>`), 400, `encoding \"UTF-16\" declared; only UTF-8`},
		{"DeclarationAfterSpace", edited(xDefund, decl, " "+decl), 400, "XML declaration not at the start"},
		{"BOMAndDeclarationReadAsSent", func(t *testing.T, s *securityFixture) answer {
			body := append([]byte("\xEF\xBB\xBF"), s.paidBody...) // A's payment again, behind a UTF-8 BOM.
			return s.a2.submit(t, s.fixture, body)
		}, 202, `"duplicate":true`},
	}
}

func pathCases() []hostileCase {
	x := func(method, path string) hostileRun { return call(byX, method, path, "") }
	upper := func(path string) hostileRun {
		return func(t *testing.T, s *securityFixture) answer {
			return s.x.send(s.fixture, http.MethodGet, fmt.Sprintf(path, strings.ToUpper(string(s.paid))), nil, "")
		}
	}
	return []hostileCase{
		{"TrackUppercaseUETR", upper("/v1/payments/%s"), 422, "is not a lower-case UUIDv4"},
		{"TrackUETRWithoutDashes", x(http.MethodGet, "/v1/payments/3f1c7a529b4e4c1d8a2f000000000900"), 422, "is not a lower-case UUIDv4"},
		{"TrackUUIDv1", x(http.MethodGet, "/v1/payments/3f1c7a52-9b4e-11d1-8a2f-000000000900"), 422, "is not a lower-case UUIDv4"},
		{"TrackUETR37Chars", x(http.MethodGet, "/v1/payments/3f1c7a52-9b4e-4c1d-8a2f-0000000009000"), 422, "is not a lower-case UUIDv4"},
		{"MoveMalformedUETR", call(byOp, http.MethodPost, "/v1/queue/3F1C7A52-9B4E-4C1D-8A2F-000000000900/move", `{"to":"front"}`), 422, "is not a lower-case UUIDv4"},
		{"CancelPathTraversal", x(http.MethodPost, "/v1/payments/..%2F..%2Fv1%2Faccounts%2Ffund/cancel"), 422, "is not a lower-case UUIDv4"},
		{"InboxAfterOverflow", x(http.MethodGet, "/v1/inbox?after=18446744073709551616"), 422, "after must be a message seq"},
		{"InboxWaitNegative", x(http.MethodGet, "/v1/inbox?wait=-1s"), 422, "wait must be a duration"},
		{"InboxWaitNoUnit", x(http.MethodGet, "/v1/inbox?wait=30"), 422, "wait must be a duration"},
		{"InboxRepeatedQuery", x(http.MethodGet, "/v1/inbox?wait=0s&wait=60s"), 422, `query parameter \"wait\" given twice`},
		{"StatementRepeatedBIC", x(http.MethodGet, "/v1/statements?currency=INR&date=2026-03-02&bic=DEMOGB2LXXX&bic=DEMOINBBXXX"), 422, `query parameter \"bic\" given twice`},
		{"QueryNotParsing", x(http.MethodGet, "/v1/inbox?after=%zz"), 422, "the query does not parse"},
		{"WrongMethodOnAccounts", x(http.MethodDelete, "/v1/accounts"), 405, ""},
		{"WrongMethodOnMessages", x(http.MethodGet, "/v1/messages"), 405, ""},
		{"WrongMethodOnPayment", x(http.MethodPut, "/v1/payments/3f1c7a52-9b4e-4c1d-8a2f-000000000900"), 405, ""},
		{"TrailingSlash", x(http.MethodGet, "/v1/accounts/"), 404, ""},
		{"UppercaseVersion", x(http.MethodGet, "/V1/accounts"), 404, ""},
		{"DayUnknownCurrency", call(byOp, http.MethodPost, "/v1/days/ZZZ/open", ""), 422, "unknown currency"},
		{"DayUnknownPhase", call(byOp, http.MethodPost, "/v1/days/INR/reopen", ""), 404, "not found"},
		{"DayCutoffUnknownType", call(byOp, http.MethodPost, "/v1/days/INR/cutoff?type=everything", ""), 422, "FF01"},
	}
}

func roleCases() []hostileCase {
	x := func(method, path string) hostileRun { return call(byX, method, path, "") }
	op := func(method, path, body string) hostileRun { return call(byOp, method, path, body) }
	return []hostileCase{
		{"ParticipantSuspendsAnother", x(http.MethodPost, "/v1/participants/DEMOINBBXXX/suspend"), 403, "operator role"},
		{"ParticipantRevokesOperator", x(http.MethodPost, "/v1/operators/revoke"), 403, "operator role"},
		{"ParticipantLoadsList", x(http.MethodPost, "/v1/screening/lists"), 403, "operator role"},
		{"ParticipantReadsHolds", x(http.MethodGet, "/v1/compliance/holds"), 403, "operator role"},
		{"ParticipantReleasesHold", onPaid(byX, http.MethodPost, "/v1/compliance/holds/%s/release", `{"why":"mine"}`), 403, "operator role"},
		{"ParticipantMovesAnothersPayment", onPaid(byX, http.MethodPost, "/v1/queue/%s/move", `{"to":"back"}`), 403, "operator role"},
		{"ParticipantRunsCutoff", x(http.MethodPost, "/v1/settlement/cutoff"), 403, "operator role"},
		{"ParticipantClosesCycle", x(http.MethodPost, "/v1/settlement/cycles/close"), 403, "operator role"},
		{"ParticipantClosesDay", x(http.MethodPost, "/v1/days/INR/close"), 403, "operator role"},
		{"ParticipantPublishesRate", call(byX, http.MethodPost, "/v1/fx/rates", `{"pair":"INR/RUB","rate":"1000"}`), 403, "operator role"},
		{"OperatorSubmitsMessage", func(t *testing.T, s *securityFixture) answer {
			return s.op.send(s.fixture, http.MethodPost, "/v1/messages", s.paidBody, s.paidSig)
		}, 403, "participant role"},
		{"OperatorReadsInbox", op(http.MethodGet, "/v1/inbox", ""), 403, "participant role"},
		{"OperatorAcksInbox", op(http.MethodPost, "/v1/inbox/ack", `{"through":1}`), 403, "participant role"},
		{"OperatorSetsRelationships", op(http.MethodPut, "/v1/relationships", `{"mode":"open"}`), 403, "participant role"},
		{"OperatorSetsLimits", op(http.MethodPut, "/v1/limits", `{"currency":"INR"}`), 403, "participant role"},
		{"CancelAnotherBanksPayment", onPaid(byX, http.MethodPost, "/v1/payments/%s/cancel", ""), 404, "not found"},
		{"CancelUnknownPaymentLooksTheSame", looksUnknown(http.MethodPost, "/v1/payments/%s/cancel"), 404, "not found"},
		{"StatementOfAnotherBank", x(http.MethodGet, "/v1/statements?currency=INR&date=2026-03-02&bic=DEMOINBBXXX"), 403, "asked for DEMOINBBXXX's account"},
		{"ReportOfAnotherBank", x(http.MethodGet, "/v1/reports/intraday?currency=INR&bic=DEMOINBBXXX"), 403, "asked for DEMOINBBXXX's account"},
		{"OperatorStatementWithoutBIC", op(http.MethodGet, "/v1/statements?currency=INR&date=2026-03-02", ""), 422, "names the account's owner with bic"},
	}
}
