package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

// rawBank is a participant whose requests the test writes by hand: any body,
// any header, any signature.
type rawBank struct {
	bic    corridor.BIC
	tls    *tls.Config
	http   *http.Client
	client *httpapi.Client
	signer *pki.Signer
	serial string
}

// mustRawBank registers bic (or gives it one more certificate) through the
// operator and returns a raw and a regular client for it.
func mustRawBank(tb testing.TB, f *fixture, bic corridor.BIC, name string, currencies ...string) *rawBank {
	tb.Helper()
	keyPEM, csrPEM, err := pki.NewParticipantKey(bic, name)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := f.op.RegisterParticipant(context.Background(), httpapi.RegisterRequest{BIC: string(bic), Name: name,
		Currencies: currencies, CSR: string(csrPEM)})
	if err != nil {
		tb.Fatalf("register %s: %v", bic, err)
	}
	certFile, keyFile, caFile, err := pki.WriteParticipantFiles(tb.TempDir(), bic, []byte(resp.Certificate), keyPEM, []byte(resp.CACertificate))
	if err != nil {
		tb.Fatal(err)
	}
	return mustRawClient(tb, f, bic, certFile, keyFile, caFile, resp.Serial)
}

func mustRawClient(tb testing.TB, f *fixture, bic corridor.BIC, certFile, keyFile, caFile, serial string) *rawBank {
	tb.Helper()
	cfg, err := pki.ClientTLSConfig(certFile, keyFile, caFile)
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := pki.SignerFromTLS(cfg.Certificates[0])
	if err != nil {
		tb.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 30 * time.Second}
	tb.Cleanup(hc.CloseIdleConnections)
	return &rawBank{bic: bic, tls: cfg, http: hc, client: mustClient(tb, f.url, certFile, keyFile, caFile), signer: signer, serial: serial}
}

// answer is what the hub said to a hostile request: a status and body, or
// the error that ended the exchange before any status (a refused handshake).
type answer struct {
	status int
	body   string
	header http.Header
	err    error
}

func (a answer) String() string {
	if a.err != nil {
		return "error: " + a.err.Error()
	}
	return fmt.Sprintf("%d %s", a.status, strings.TrimSpace(a.body))
}

// send makes one request as b; sig is put in the signature header unless empty.
func (b *rawBank) send(f *fixture, method, path string, body []byte, sig string, header ...string) answer {
	req, err := http.NewRequest(method, f.url+path, bytes.NewReader(body))
	if err != nil {
		return answer{err: err}
	}
	if sig != "" {
		req.Header.Set(httpapi.SignatureHeader, sig)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(b.http, req)
}

func do(hc *http.Client, req *http.Request) answer {
	resp, err := hc.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return answer{status: resp.StatusCode, body: string(data), header: resp.Header, err: err}
}

// submit sends body signed by b's own key.
func (b *rawBank) submit(tb testing.TB, f *fixture, body []byte) answer {
	tb.Helper()
	return b.send(f, http.MethodPost, "/v1/messages", body, b.sign(tb, body))
}

func (b *rawBank) sign(tb testing.TB, body []byte) string {
	tb.Helper()
	sig, err := b.signer.SignDetached(body)
	if err != nil {
		tb.Fatal(err)
	}
	return sig
}

// The participants of the security suite, beside the fixture's A, B and C.
const (
	bankX corridor.BIC = "DEMOGB2LXXX" // The attacker: a real participant with rupees.
	bankS corridor.BIC = "DEMOSGSGXXX" // Suspended.
)

// securityFixture is the fixture, plus the attacker X, a second certificate
// of A's, a revoked certificate of X's, a suspended bank, and B accepting
// pacs.008 from A only.
type securityFixture struct {
	*fixture
	x, a2, revoked, suspended *rawBank
	op                        *rawBank      // The operator, for raw operator requests.
	paid                      corridor.UETR // A payment from A to B that X must not see.
	paidBody                  []byte        // Its bytes, as A sent them.
	paidSig                   string
}

func mustSecurityFixture(tb testing.TB) *securityFixture {
	tb.Helper()
	f := mustFixture(tb, func(s *httpapi.Server) { s.ReadTimeout = 2 * time.Second })
	s := &securityFixture{fixture: f}
	s.x = mustRawBank(tb, f, bankX, "Demo Bank London", "INR")
	s.op = mustRawClient(tb, f, "", filepath.Join(f.caDir, pki.OperatorCertFile), filepath.Join(f.caDir, pki.OperatorKeyFile),
		filepath.Join(f.caDir, pki.CACertFile), "")
	mustFund(tb, f.op, bankX, "INR", "1000.00")
	s.a2 = mustRawBank(tb, f, bankA, "Demo Bank of India", "INR")
	s.revoked = mustRawBank(tb, f, bankX, "Demo Bank London", "INR")
	if err := f.op.Revoke(context.Background(), bankX, s.revoked.serial); err != nil {
		tb.Fatal(err)
	}
	s.suspended = mustRawBank(tb, f, bankS, "Demo Bank Singapore", "INR")
	if err := f.op.Suspend(context.Background(), bankS, true); err != nil {
		tb.Fatal(err)
	}
	_, err := f.b.SetRelationships(context.Background(), httpapi.RelationshipsBody{Mode: "restricted",
		Allow: []httpapi.RelationshipBody{{Counterparty: string(bankA), Messages: []string{"pacs.008"}}}})
	if err != nil {
		tb.Fatal(err)
	}
	m := rupees(900, bankA, bankB, 100_00)
	s.paid, s.paidBody = m.pay.UETR, mustEncode(tb, m)
	s.paidSig = s.a2.sign(tb, s.paidBody)
	if a := s.a2.send(f, http.MethodPost, "/v1/messages", s.paidBody, s.paidSig); a.status != http.StatusAccepted {
		tb.Fatalf("A's payment: %s", a)
	}
	return s
}

// hostileCase is one bad input or hostile request and the exact answer it gets.
type hostileCase struct {
	name   string
	run    func(t *testing.T, s *securityFixture) answer
	status int    // 0: refused before any HTTP status (at the TLS handshake).
	want   string // In the body (or the error) of the answer.
}

// TestSecurity runs the hostile requests of the package documentation, one
// by one, and checks after each that the hub's state did not change.
func TestSecurity(t *testing.T) {
	s := mustSecurityFixture(t)
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			before := mustStateSum(t, s.hub)
			got := tc.run(t, s)
			t.Logf("answer: %.200s", got)
			if tc.status == 0 && got.err == nil {
				t.Fatalf("answer %s; want the exchange refused before any status", got)
			}
			if tc.status != 0 && got.status != tc.status {
				t.Fatalf("answer %s; want status %d", got, tc.status)
			}
			if !strings.Contains(got.String(), tc.want) {
				t.Errorf("answer %s; want it to say %q", got, tc.want)
			}
			mustUnchanged(t, s.hub, before)
		})
	}
}

// payment is a fresh pacs.008 of n from one bank to another.
func payment(t *testing.T, n int, from, to corridor.BIC) []byte {
	return mustEncode(t, rupees(n, from, to, 1_00))
}

func hostileCases() []hostileCase {
	return append(append(append(append(append(signatureCases(), certificateCases()...), xmlCases()...), accessCases()...), moreHostileCases()...),
		batchCases()...)
}

func signatureCases() []hostileCase {
	own := func(t *testing.T) []byte { return payment(t, 1, bankX, bankA) }
	return []hostileCase{
		{"NoSignature", xSends(own, func(*testing.T, *securityFixture, []byte) string { return "" }), 403, "no signature"},
		{"SignatureOverOtherBytes", xSends(own, func(t *testing.T, s *securityFixture, b []byte) string {
			return s.x.sign(t, append(bytes.Clone(b), ' '))
		}), 403, "does not verify"},
		{"SignatureOverOneByteChanged", xSends(own, func(t *testing.T, s *securityFixture, b []byte) string {
			c := bytes.Clone(b)
			c[len(c)-2] ^= 1
			return s.x.sign(t, c)
		}), 403, "does not verify"},
		{"SignatureByAnotherBanksKey", xSends(own, func(t *testing.T, s *securityFixture, b []byte) string { return s.a2.sign(t, b) }), 403, "kid names another certificate"},
		{"SignatureAlgNone", xSends(own, func(*testing.T, *securityFixture, []byte) string { return b64(`{"alg":"none"}`) + ".." }), 403, "not a detached"},
		{"SignatureAlgHS256", xSends(own, func(*testing.T, *securityFixture, []byte) string { return b64(`{"alg":"HS256"}`) + "..c2ln" }), 403, "only ES256"},
		{"SignatureNotDetached", xSends(own, func(t *testing.T, s *securityFixture, b []byte) string {
			sig := s.x.sign(t, b)
			return strings.Replace(sig, "..", "."+b64("payload")+".", 1)
		}), 403, "not a detached"},
		{"SignatureGarbage", xSends(own, func(*testing.T, *securityFixture, []byte) string { return "%%%..%%%" }), 403, "not base64url"},
		{"SignatureTooLong", xSends(own, func(*testing.T, *securityFixture, []byte) string { return "a.." + strings.Repeat("b", 2000) }), 403, "at most 1024"},
		{"ForgedSenderHeaderAndAgent", xSends(func(t *testing.T) []byte { return payment(t, 2, bankA, bankB) },
			func(t *testing.T, s *securityFixture, b []byte) string { return s.x.sign(t, b) }), 403, "client certificate is DEMOGB2LXXX's"},
		{"ForgedInstructingAgent", xSends(func(t *testing.T) []byte {
			return replaceNth(t, payment(t, 3, bankX, bankB), "<BICFI>DEMOGB2LXXX</BICFI>", "<BICFI>DEMOINBBXXX</BICFI>", 2)
		}, func(t *testing.T, s *securityFixture, b []byte) string { return s.x.sign(t, b) }), 400, "InstgAgt"},
		{"ReplayOfAnotherBanksSignedRequest", func(t *testing.T, s *securityFixture) answer {
			return s.x.send(s.fixture, http.MethodPost, "/v1/messages", s.paidBody, s.paidSig)
		}, 403, "kid names another certificate"},
		{"ReplayOfOwnSignedRequest", func(t *testing.T, s *securityFixture) answer {
			return s.a2.send(s.fixture, http.MethodPost, "/v1/messages", s.paidBody, s.paidSig)
		}, 202, `"duplicate":true`},
	}
}

// replaceNth replaces the nth (from 1) occurrence of old in data.
func replaceNth(tb testing.TB, data []byte, old, new string, nth int) []byte {
	tb.Helper()
	at := -1
	for i := 0; i < nth; i++ {
		j := bytes.Index(data[at+1:], []byte(old))
		if j < 0 {
			tb.Fatalf("%q occurs fewer than %d times", old, nth)
		}
		at += 1 + j
	}
	return append(append(bytes.Clone(data[:at]), new...), data[at+len(old):]...)
}

func certificateCases() []hostileCase {
	raw := func(cfg func(t *testing.T, s *securityFixture) *tls.Config) func(*testing.T, *securityFixture) answer {
		return func(t *testing.T, s *securityFixture) answer {
			hc := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg(t, s)}, Timeout: 10 * time.Second}
			defer hc.CloseIdleConnections()
			req, err := http.NewRequest(http.MethodGet, s.url+"/v1/accounts", nil)
			if err != nil {
				t.Fatal(err)
			}
			return do(hc, req)
		}
	}
	get := func(b func(s *securityFixture) *rawBank, path string) func(*testing.T, *securityFixture) answer {
		return func(t *testing.T, s *securityFixture) answer {
			return b(s).send(s.fixture, http.MethodGet, path, nil, "")
		}
	}
	return []hostileCase{
		{"NoClientCertificate", raw(func(t *testing.T, s *securityFixture) *tls.Config {
			cfg := s.x.tls.Clone()
			cfg.Certificates = nil
			return cfg
		}), 0, "certificate"},
		{"ForeignCACertificate", raw(func(t *testing.T, s *securityFixture) *tls.Config {
			return foreignClient(t, s)
		}), 0, "certificate"},
		{"ExpiredCertificate", raw(func(t *testing.T, s *securityFixture) *tls.Config {
			return expiredClient(t, s)
		}), 0, "certificate"},
		{"HubServerCertificateAsClient", raw(func(t *testing.T, s *securityFixture) *tls.Config {
			cfg := s.x.tls.Clone()
			pair, err := tls.LoadX509KeyPair(filepath.Join(s.caDir, pki.HubCertFile), filepath.Join(s.caDir, pki.HubKeyFile))
			if err != nil {
				t.Fatal(err)
			}
			cfg.Certificates = []tls.Certificate{pair}
			return cfg
		}), 0, "certificate"},
		{"RevokedCertificate", get(func(s *securityFixture) *rawBank { return s.revoked }, "/v1/accounts"), 403, "revoked"},
		{"RevokedCertificateSubmits", func(t *testing.T, s *securityFixture) answer {
			return s.revoked.submit(t, s.fixture, payment(t, 4, bankX, bankA))
		}, 403, "revoked"},
		{"SuspendedParticipant", get(func(s *securityFixture) *rawBank { return s.suspended }, "/v1/inbox"), 403, "suspended"},
		{"PaymentToSuspendedParticipant", func(t *testing.T, s *securityFixture) answer {
			return s.x.submit(t, s.fixture, payment(t, 5, bankX, bankS))
		}, 422, "AC06"},
		{"ParticipantRegistersParticipant", func(t *testing.T, s *securityFixture) answer {
			return s.x.send(s.fixture, http.MethodPost, "/v1/participants", []byte(`{"bic":"DEMOGB2L","name":"x","currencies":["INR"]}`), "")
		}, 403, "operator role"},
		{"ParticipantFundsItself", func(t *testing.T, s *securityFixture) answer {
			return s.x.send(s.fixture, http.MethodPost, "/v1/accounts/fund", []byte(`{"bic":"DEMOGB2L","currency":"INR","amount":"1000000.00"}`), "")
		}, 403, "operator role"},
		{"ParticipantRevokesAnother", func(t *testing.T, s *securityFixture) answer {
			return s.x.send(s.fixture, http.MethodPost, "/v1/participants/DEMOINBB/revoke", []byte(`{}`), "")
		}, 403, "operator role"},
		{"ParticipantResumesSuspended", func(t *testing.T, s *securityFixture) answer {
			return s.x.send(s.fixture, http.MethodPost, "/v1/participants/DEMOSGSG/resume", nil, "")
		}, 403, "operator role"},
		{"UnauthorisedByRelationship", func(t *testing.T, s *securityFixture) answer {
			return s.x.submit(t, s.fixture, payment(t, 6, bankX, bankB))
		}, 422, "has not authorised pacs.008 from DEMOGB2LXXX"},
	}
}

// foreignClient is X's configuration with a certificate from another CA.
func foreignClient(t *testing.T, s *securityFixture) *tls.Config {
	dir := filepath.Join(t.TempDir(), "ca")
	if err := pki.InitCA(dir, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	pair, err := tls.LoadX509KeyPair(filepath.Join(dir, pki.OperatorCertFile), filepath.Join(dir, pki.OperatorKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.x.tls.Clone()
	cfg.Certificates = []tls.Certificate{pair}
	return cfg
}

// expiredClient is X with a certificate the hub's CA signed, expired an hour ago.
func expiredClient(t *testing.T, s *securityFixture) *tls.Config {
	ca, err := pki.LoadCA(s.caDir)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, csrPEM, err := pki.NewParticipantKey(bankX, "Demo Bank London")
	if err != nil {
		t.Fatal(err)
	}
	certPEM, err := ca.IssueParticipantFor(csrPEM, bankX, "Demo Bank London", time.Now().Add(-3*time.Hour), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.x.tls.Clone()
	cfg.Certificates = []tls.Certificate{pair}
	return cfg
}

func xmlCases() []hostileCase {
	signed := func(body func(t *testing.T) []byte) func(*testing.T, *securityFixture) answer {
		return func(t *testing.T, s *securityFixture) answer { return s.x.submit(t, s.fixture, body(t)) }
	}
	doc := func(inner string) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return []byte(inner) }
	}
	own := func(t *testing.T) []byte { return payment(t, 7, bankX, bankA) }
	return []hostileCase{
		{"DoctypeWithEntities", signed(doc(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Envelope>&lol2;</Envelope>`)), 400, "DTDs"},
		{"ExternalEntity", signed(doc(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Envelope>&xxe;</Envelope>`)), 400, "DTDs"},
		{"CommentInsideAmount", signed(func(t *testing.T) []byte { return mustReplace(t, own(t), `Ccy="INR">`, `Ccy="INR">1<!--.00-->`) }), 400, "a comment at byte"},
		{"ProcessingInstruction", signed(func(t *testing.T) []byte {
			return mustReplace(t, own(t), "<Document", `<?corridor skip="amount"?><Document`)
		}), 400, "a processing instruction at byte"},
		{"CDATAName", signed(func(t *testing.T) []byte {
			return mustReplace(t, own(t), "Bharat Refineries Ltd", "<![CDATA[Bharat Refineries Ltd]]>")
		}), 400, "a CDATA section at byte"},
		{"HugeComment", signed(func(t *testing.T) []byte {
			return mustReplace(t, own(t), "<Document", "<!--"+strings.Repeat("x", 900_000)+"--><Document")
		}), 400, "the hub accepts no comments"},
		{"CommentAfterRoot", signed(func(t *testing.T) []byte { return append(own(t), "<!-- trailer -->"...) }), 400, "a comment at byte"},
		{"UndefinedEntity", signed(func(t *testing.T) []byte { return mustReplace(t, own(t), "Bharat Refineries Ltd", "Bharat &evil; Ltd") }), 400, "FF01"},
		{"DeepNesting", signed(doc(strings.Repeat("<a>", 2000) + strings.Repeat("</a>", 2000))), 400, "nested deeper than 32"},
		{"HugeAttribute", signed(doc(`<Envelope xmlns="urn:swift:xsd:envelope" junk="` + strings.Repeat("A", 900_000) + `"/>`)), 400, "attribute value longer than 1024 bytes"},
		{"ManyElements", signed(doc(`<Envelope xmlns="urn:swift:xsd:envelope">` + strings.Repeat("<x/>", 10_000) + `</Envelope>`)), 400, "more than 5000 elements"},
		{"LongText", signed(func(t *testing.T) []byte {
			return mustReplace(t, own(t), "Bharat Refineries Ltd", strings.Repeat("Б", 20_000))
		}), 400, "text longer than 10000 bytes"},
		{"BodyOverLimit", signed(doc(strings.Repeat(" ", httpapi.DefaultMaxBodyBytes+1))), 413, "over the limit"},
		{"EmptyBody", signed(doc("")), 400, "no root element"},
		{"NotXML", signed(doc(`{"amount": 1000000}`)), 400, "outside the root element"},
		{"TruncatedXML", signed(func(t *testing.T) []byte { b := own(t); return b[:len(b)/2] }), 400, "FF01"},
		{"TwoRootElements", signed(func(t *testing.T) []byte { b := own(t); return append(b, b...) }), 400, "FF01"},
		{"InvalidUTF8", signed(func(t *testing.T) []byte { return mustReplace(t, own(t), "Bharat", "Bh\xffrat") }), 400, "FF01"},
		{"UnsupportedVersion", signed(func(t *testing.T) []byte { return mustReplace(t, own(t), "pacs.008.001.08", "pacs.008.001.12") }), 400, "pacs.008.001.08"},
		{"WrongMessageType", signed(func(t *testing.T) []byte {
			return mustReplace(t, own(t), "xsd:pacs.008.001.08", "xsd:camt.053.001.08")
		}), 400, "FF01"},
		{"AmountWithTooManyDecimals", signed(func(t *testing.T) []byte { return mustReplace(t, own(t), ">1.00<", ">1.005<") }), 400, "CH20"},
		{"UnknownCurrency", signed(func(t *testing.T) []byte { return mustReplace(t, own(t), `Ccy="INR"`, `Ccy="XXX"`) }), 400, "AM03"},
		{"NegativeAmount", signed(func(t *testing.T) []byte { return mustReplace(t, own(t), ">1.00<", ">-1.00<") }), 400, "not a decimal number"},
	}
}

func accessCases() []hostileCase {
	asOperator := func(method, path, body string) hostileRun { return call(byOp, method, path, body) }
	asX := func(method, path, body string) hostileRun { return call(byX, method, path, body) }
	return []hostileCase{
		{"TrackAnotherBanksPayment", func(t *testing.T, s *securityFixture) answer {
			return s.x.send(s.fixture, http.MethodGet, "/v1/payments/"+string(s.paid), nil, "")
		}, 404, "not found"},
		{"TrackUnknownPaymentLooksTheSame", looksUnknown(http.MethodGet, "/v1/payments/%s"), 404, "not found"},
		{"TrackMalformedUETR", asX(http.MethodGet, "/v1/payments/not-a-uetr", ""), 422, "FF01"},
		{"PathTraversalInUETR", asX(http.MethodGet, "/v1/payments/..%2F..%2Fv1%2Faccounts", ""), 422, "FF01"},
		{"PathWithDotSegments", asX(http.MethodGet, "/v1/payments/../accounts/../../v1/participants", ""), 405, ""},
		{"UnknownEndpoint", asX(http.MethodGet, "/v1/admin", ""), 404, ""},
		{"AckOthersInbox", func(t *testing.T, s *securityFixture) answer {
			a := s.x.send(s.fixture, http.MethodPost, "/v1/inbox/ack", []byte(`{"through":18446744073709551615}`), "")
			if msgs := mustInbox(t, s.b, 0); len(msgs) == 0 {
				t.Errorf("X's acknowledgement emptied B's inbox")
			}
			return a
		}, 204, ""},
		{"InboxWaitTooLong", asX(http.MethodGet, "/v1/inbox?wait=1h", ""), 422, "FF01"},
		{"InboxAfterNotANumber", asX(http.MethodGet, "/v1/inbox?after=-1", ""), 422, "FF01"},
		{"LegOnAnotherChain", func(t *testing.T, s *securityFixture) answer {
			m := rupees(8, bankX, bankB, 1_00)
			m.pay.UETR = s.paid // A's payment to B, which X had no part in.
			return s.x.submit(t, s.fixture, mustEncode(t, m))
		}, 422, "only that agent may pass it on"},
		{"RevokeFieldTypo", asOperator(http.MethodPost, "/v1/participants/DEMOGB2LXXX/revoke", `{"serail":"0a"}`), 400, `unknown field \"serail\"`},
		{"RevokeAllImplied", asOperator(http.MethodPost, "/v1/participants/DEMOGB2LXXX/revoke", `{}`), 400, `{\"all\": true} for every one`},
		{"RevokeSerialAndAll", asOperator(http.MethodPost, "/v1/participants/DEMOGB2LXXX/revoke", `{"serial":"0a","all":true}`), 400, "not both"},
		{"OperatorRevokeAll", asOperator(http.MethodPost, "/v1/operators/revoke", `{"all":true}`), 400, "by its serial alone"},
		{"AckNotJSON", asX(http.MethodPost, "/v1/inbox/ack", "through=1"), 400, "FF01"},
		{"AckDuplicateKey", asX(http.MethodPost, "/v1/inbox/ack", `{"through":1,"through":99999}`), 400, `field \"through\" given twice`},
		{"AckEmptyObject", asX(http.MethodPost, "/v1/inbox/ack", `{}`), 400, `field \"through\" is required`},
		{"AckNull", asX(http.MethodPost, "/v1/inbox/ack", `null`), 400, "must be an object, not null"},
		{"AckNullField", asX(http.MethodPost, "/v1/inbox/ack", `{"through":null}`), 400, `field \"through\" is required`},
		{"AckWrongCase", asX(http.MethodPost, "/v1/inbox/ack", `{"Through":1}`), 400, `unknown field \"Through\"`},
		{"AckUnknownField", asX(http.MethodPost, "/v1/inbox/ack", `{"through":1,"thru":2}`), 400, `unknown field \"thru\"`},
		{"AckTrailingData", asX(http.MethodPost, "/v1/inbox/ack", `{"through":1} {"through":2}`), 400, "data after the JSON value"},
		{"AckDeepJSON", asX(http.MethodPost, "/v1/inbox/ack", strings.Repeat("[", 100)+strings.Repeat("]", 100)), 400, "nested deeper than 16"},
		{"RelationshipsUnknownNestedField", asX(http.MethodPut, "/v1/relationships",
			`{"mode":"restricted","allow":[{"counterparty":"DEMOINBB","messages":["pacs.008"],"expires":"never"}]}`), 400, `unknown field \"allow[0].expires\"`},
		{"JSONBodyOverLimit", asX(http.MethodPost, "/v1/inbox/ack", `{"through":1,"pad":"`+strings.Repeat("x", 70_000)+`"}`), 413, "over the limit"},
		{"TooManyRelationships", asX(http.MethodPut, "/v1/relationships", tooManyRelationships()), 422, "at most 1000"},
		{"RelationshipUnknownMode", asX(http.MethodPut, "/v1/relationships", `{"mode":"everyone"}`), 422, "mode must be"},
		{"RelationshipUnknownMessageType", asX(http.MethodPut, "/v1/relationships",
			`{"mode":"restricted","allow":[{"counterparty":"DEMOINBB","messages":["pacs.003"]}]}`), 422, "not one the hub routes"},
		{"OversizedHeader", func(t *testing.T, s *securityFixture) answer {
			return s.x.send(s.fixture, http.MethodGet, "/v1/accounts", nil, "", "X-Pad", strings.Repeat("p", 40<<10))
		}, 431, ""},
		{"SlowBody", slowBody, 408, "not read in time"},
		{"MalformedChunkedBody", malformedChunks, 400, "malformed request body"},
	}
}

func tooManyRelationships() string {
	var b strings.Builder
	b.WriteString(`{"mode":"restricted","allow":[`)
	for i := 0; i <= 1000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"counterparty":"DEMOINBB","messages":["pacs.008"]}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

// slowBody sends a signed message's headers and then its body a few bytes at
// a time, slower than the server's read timeout, as a slowloris would.
func slowBody(t *testing.T, s *securityFixture) answer {
	body := payment(t, 8, bankX, bankA)
	head := fmt.Sprintf("POST /v1/messages HTTP/1.1\r\nHost: hub\r\nContent-Length: %d\r\n%s: %s\r\n\r\n",
		len(body), httpapi.SignatureHeader, s.x.sign(t, body))
	return rawExchange(t, s, head+string(body[:10]))
}

// rawExchange writes request, as it is, on a new HTTP/1.1 connection of X's
// and reads the answer.
func rawExchange(t *testing.T, s *securityFixture, request string) answer {
	cfg := s.x.tls.Clone()
	cfg.NextProtos = []string{"http/1.1"}
	conn, err := tls.Dial("tcp", strings.TrimPrefix(s.url, "https://"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second)) // Bounds the test, not the server.
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body) // What the server says, if anything.
	return answer{status: resp.StatusCode, body: string(data)}
}

// malformedChunks sends an acknowledgement whose chunked encoding is broken:
// the client's fault, answered 400, not 408 (which says: try again).
func malformedChunks(t *testing.T, s *securityFixture) answer {
	return rawExchange(t, s, "POST /v1/inbox/ack HTTP/1.1\r\nHost: hub\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n")
}

// TestRateLimit checks that a participant over its rate gets 429 with
// Retry-After, and the operator and other participants are not held back.
func TestRateLimit(t *testing.T) {
	f := mustFixture(t, func(s *httpapi.Server) { s.RateLimit, s.RateBurst = 1, 3 })
	x := mustRawBank(t, f, bankX, "Demo Bank London", "INR")
	// A burst of 3 at 1 a second: of 10 quick requests at most 3 plus one a
	// second pass, however slow the machine, so one of them gets the 429.
	var last answer
	for i := 0; i < 10 && last.status != http.StatusTooManyRequests; i++ {
		last = x.send(f, http.MethodGet, "/v1/accounts", nil, "")
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
		t.Fatalf("10 requests in a burst of 3: last %s, Retry-After %q; want 429 with Retry-After", last, last.header.Get("Retry-After"))
	}
	if _, err := f.a.Accounts(context.Background()); err != nil {
		t.Errorf("another participant was held back: %v", err)
	}
}

// TestRevokeWhileStreaming revokes a participant's certificate while it
// reads its inbox in a loop of long polls on one connection: the next request
// after the revocation is refused.
func TestRevokeWhileStreaming(t *testing.T) {
	f := mustFixture(t)
	x := mustRawBank(t, f, bankX, "Demo Bank London", "INR")
	if a := x.send(f, http.MethodGet, "/v1/inbox?wait=0s", nil, ""); a.status != http.StatusOK {
		t.Fatalf("inbox before revocation: %s", a)
	}
	if err := f.op.Revoke(context.Background(), bankX, ""); err != nil {
		t.Fatal(err)
	}
	if a := x.send(f, http.MethodGet, "/v1/inbox?wait=0s", nil, ""); a.status != http.StatusForbidden || !strings.Contains(a.body, "revoked") {
		t.Fatalf("first request after revocation: %s; want 403 revoked", a)
	}
}

// TestStandingEndsWaitingPoll revokes, then suspends, a participant while
// its long poll waits: the poll ends at once with 403, not at the end of its
// wait, and nothing is delivered to it.
func TestStandingEndsWaitingPoll(t *testing.T) {
	for _, tc := range []struct {
		name   string
		decide func(*fixture) error
		want   string
	}{
		{"Revoke", func(f *fixture) error { return f.op.Revoke(context.Background(), bankX, "") }, "revoked"},
		{"Suspend", func(f *fixture) error { return f.op.Suspend(context.Background(), bankX, true) }, "suspended"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := mustFixture(t)
			x := mustRawBank(t, f, bankX, "Demo Bank London", "INR")
			polled := make(chan answer, 1)
			go func() { polled <- x.send(f, http.MethodGet, "/v1/inbox?wait=60s", nil, "") }()
			<-f.polls // X's poll waits in the hub.
			if err := tc.decide(f); err != nil {
				t.Fatal(err)
			}
			if a := <-polled; a.status != http.StatusForbidden || !strings.Contains(a.body, tc.want) {
				t.Fatalf("the waiting poll after the decision: %s; want 403 %s", a, tc.want)
			}
		})
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestSecurityDocumented keeps the package documentation's table of the
// security suite honest: one line per case, and no line for a case that is gone.
func TestSecurityDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		if f := strings.Fields(strings.TrimPrefix(line, "//")); strings.HasPrefix(line, "//\t") && len(f) > 0 {
			documented[f[0]] = true
		}
	}
	cases := hostileCases()
	if len(cases) < 120 {
		t.Errorf("the suite has %d cases; the issue asks for at least 120", len(cases))
	}
	for _, tc := range cases {
		if !documented[tc.name] {
			t.Errorf("case %s is not in the package documentation", tc.name)
		}
		delete(documented, tc.name)
	}
	for name := range documented {
		t.Errorf("the package documentation lists %s, which is not a case", name)
	}
}
