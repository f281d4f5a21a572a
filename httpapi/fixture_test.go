package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/pki"
	"github.com/corridor-network/corridor/sqlite"
)

// The hub and its participants. A holds rupees; B holds rupees and roubles,
// so A pays B in INR; C is a bystander with dirhams only; nobody is notBank.
const (
	hubBIC   corridor.BIC = "CRDRINBBXXX"
	bankA    corridor.BIC = "DEMOINBBXXX"
	bankB    corridor.BIC = "DEMORUMMXXX"
	bankC    corridor.BIC = "DEMOAEADXXX"
	notABank corridor.BIC = "DEMOFRPPXXX"
)

// businessDay is the hub's fixed clock, and today's date is the settlement
// date of every message that should settle.
var businessDay = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// The funding the fixture gives each participant.
const (
	fundedA    = "1000000.00" // INR
	fundedBINR = "500.00"
	fundedBRUB = "2000.00"
	fundedC    = "100.00" // AED
)

// fixture is a running hub on a real SQLite journal behind the real API
// server, with an operator client and a client for each of A, B and C.
type fixture struct {
	hub     *hub.Hub
	db      string // The SQLite journal's file.
	url     string
	caDir   string
	polls   <-chan struct{} // Receives when the API starts a long poll on the hub.
	op      *httpapi.Client
	a, b, c *httpapi.Client
}

// mustFixture starts a hub and its API, registers A, B and C through the
// operator exactly as "corridor participant add" does, and funds them.
// Everything stops when the test ends.
func mustFixture(tb testing.TB, opts ...func(*httpapi.Server)) *fixture {
	tb.Helper()
	caDir := mustCA(tb)
	polls := make(chan struct{}, 16)
	h, db := mustHub(tb, polls)
	srv := mustServer(tb, h, caDir, opts...)
	f := &fixture{hub: h, db: db, url: srv.URL(), caDir: caDir, polls: polls}
	f.op = mustClient(tb, f.url, filepath.Join(caDir, pki.OperatorCertFile), filepath.Join(caDir, pki.OperatorKeyFile),
		filepath.Join(caDir, pki.CACertFile))
	f.a = mustParticipant(tb, f.op, f.url, bankA, "Demo Bank of India", "INR")
	f.b = mustParticipant(tb, f.op, f.url, bankB, "Демо Банк Москва", "INR", "RUB")
	f.c = mustParticipant(tb, f.op, f.url, bankC, "Demo Bank of the Emirates", "AED")
	mustFund(tb, f.op, bankA, "INR", fundedA)
	mustFund(tb, f.op, bankB, "INR", fundedBINR)
	mustFund(tb, f.op, bankB, "RUB", fundedBRUB)
	mustFund(tb, f.op, bankC, "AED", fundedC)
	return f
}

// discard is the logger of the hub and the server: the tests check answers, not logs.
var discard = slog.New(slog.DiscardHandler)

// mustCA makes a hub CA, with its hub and operator certificates, in a new
// directory. It uses the real clock: TLS checks certificates against it.
func mustCA(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "ca")
	if err := pki.InitCA(dir, time.Now(), nil); err != nil {
		tb.Fatalf("InitCA: %v", err)
	}
	return dir
}

// mustHub opens a hub with the fixed clock on a new SQLite journal and runs
// its sequencer until the test ends. polls receives whenever an inbox read
// starts to wait, so that a test can send a payment while the poll waits.
// It returns the hub and its journal's file.
func mustHub(tb testing.TB, polls chan<- struct{}) (*hub.Hub, string) {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "corridor.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		tb.Fatalf("sqlite.Open(%q): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	h, err := hub.Open(ctx, hub.Config{BIC: hubBIC, Journal: db.Journal(), Now: func() time.Time { return businessDay },
		Logger: discard, OnWait: func(corridor.BIC) {
			select {
			case polls <- struct{}{}:
			default: // Nobody is counting polls.
			}
		}})
	if err != nil {
		tb.Fatalf("hub.Open: %v", err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- h.Run(runCtx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("hub.Run: %v", err)
		}
	})
	return h, path
}

// mustServer serves h on 127.0.0.1 with the TLS configuration and CA in caDir.
// The server issues certificates with the real clock, as TLS needs.
func mustServer(tb testing.TB, h *hub.Hub, caDir string, opts ...func(*httpapi.Server)) *httpapi.Server {
	tb.Helper()
	tlsConfig, err := pki.ServerTLSConfig(caDir)
	if err != nil {
		tb.Fatalf("ServerTLSConfig: %v", err)
	}
	ca, err := pki.LoadCA(caDir)
	if err != nil {
		tb.Fatalf("LoadCA: %v", err)
	}
	signer, err := pki.LoadHubSigner(caDir)
	if err != nil {
		tb.Fatalf("LoadHubSigner: %v", err)
	}
	srv := &httpapi.Server{Hub: h, CA: ca, Signer: signer, TLS: tlsConfig, Logger: discard}
	for _, opt := range opts {
		opt(srv)
	}
	if err := srv.Open("127.0.0.1:0"); err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Close(ctx); err != nil {
			tb.Errorf("close server: %v", err)
		}
	})
	return srv
}

// mustClient is a client of the hub at url with the certificate in certFile
// and keyFile, trusting the CA in caFile.
func mustClient(tb testing.TB, url, certFile, keyFile, caFile string) *httpapi.Client {
	tb.Helper()
	tlsConfig, err := pki.ClientTLSConfig(certFile, keyFile, caFile)
	if err != nil {
		tb.Fatalf("ClientTLSConfig: %v", err)
	}
	c := httpapi.NewClient(url, tlsConfig)
	tb.Cleanup(c.Close)
	return c
}

// mustParticipant registers a participant the way cmd/corridor's
// addParticipant does: a new key and CSR, the operator's registration, the
// files written, and returns a client with the participant's certificate.
func mustParticipant(tb testing.TB, op *httpapi.Client, url string, bic corridor.BIC, name string, currencies ...string) *httpapi.Client {
	tb.Helper()
	keyPEM, csrPEM, err := pki.NewParticipantKey(bic, name)
	if err != nil {
		tb.Fatalf("NewParticipantKey(%s): %v", bic, err)
	}
	resp, err := op.RegisterParticipant(context.Background(), httpapi.RegisterRequest{BIC: string(bic), Name: name,
		Currencies: currencies, CSR: string(csrPEM)})
	if err != nil {
		tb.Fatalf("RegisterParticipant(%s): %v", bic, err)
	}
	certFile, keyFile, caFile, err := pki.WriteParticipantFiles(tb.TempDir(), bic, []byte(resp.Certificate), keyPEM,
		[]byte(resp.CACertificate))
	if err != nil {
		tb.Fatalf("WriteParticipantFiles(%s): %v", bic, err)
	}
	return mustClient(tb, url, certFile, keyFile, caFile)
}

// mustFund has the operator fund bic's account in currency with amount.
func mustFund(tb testing.TB, op *httpapi.Client, bic corridor.BIC, currency, amount string) {
	tb.Helper()
	if _, err := op.Fund(context.Background(), httpapi.FundRequest{BIC: string(bic), Currency: currency, Amount: amount}); err != nil {
		tb.Fatalf("Fund(%s, %s %s): %v", bic, amount, currency, err)
	}
}

// message is a pacs.008 before encoding.
type message struct {
	hdr     iso20022.AppHdr
	pay     corridor.Payment
	instrID string
}

// rupees is payment n of amount paise from one bank to another, settling
// today, with references derived from n.
func rupees(n int, from, to corridor.BIC, amount corridor.Amount) message {
	id := fmt.Sprintf("MSG-%04d", n)
	return message{
		hdr: iso20022.AppHdr{From: from, To: to, BizMsgID: id, MsgDefID: iso20022.MsgDefCustomerCreditTransfer,
			BizSvc: iso20022.BizSvcCBPRPlus, Created: businessDay},
		pay: corridor.Payment{MsgID: id, UETR: corridor.UETR(fmt.Sprintf("3f1c7a52-9b4e-4c1d-8a2f-%012d", n)),
			EndToEndID: fmt.Sprintf("E2E-CARGO-%04d", n), InstructingAgent: from, InstructedAgent: to,
			DebtorAgent: from, CreditorAgent: to, Amount: amount, Currency: "INR",
			SettlementDate: corridor.DateOf(businessDay), DebtorName: "Bharat Refineries Ltd", CreditorName: "ООО Нефтеэкспорт"},
		instrID: fmt.Sprintf("INSTR-%04d", n),
	}
}

// withMsgID is m resent under a new MsgId.
func (m message) withMsgID(id string) message {
	m.hdr.BizMsgID, m.pay.MsgID = id, id
	return m
}

// mustEncode is the XML of m.
func mustEncode(tb testing.TB, m message) []byte {
	tb.Helper()
	data, err := iso20022.EncodeCustomerCreditTransfer(m.hdr, m.pay, m.instrID)
	if err != nil {
		tb.Fatalf("EncodeCustomerCreditTransfer(%s): %v", m.pay.MsgID, err)
	}
	return data
}

// mustReplace replaces every old, which must be in data, with new.
func mustReplace(tb testing.TB, data []byte, old, new string) []byte {
	tb.Helper()
	if !bytes.Contains(data, []byte(old)) {
		tb.Fatalf("message does not contain %q", old)
	}
	return bytes.ReplaceAll(data, []byte(old), []byte(new))
}

// mustSubmit sends body and returns the hub's 202 answer.
func mustSubmit(tb testing.TB, c *httpapi.Client, body []byte) httpapi.SubmitResponse {
	tb.Helper()
	resp, err := c.Submit(context.Background(), body)
	if err != nil {
		tb.Fatalf("Submit: %v", err)
	}
	return resp
}

// mustAPIError returns err as the hub's error answer, failing unless it is
// one with the status and reason.
func mustAPIError(tb testing.TB, err error, status int, reason corridor.ReasonCode) *httpapi.APIError {
	tb.Helper()
	var apiErr *httpapi.APIError
	if !errors.As(err, &apiErr) {
		tb.Fatalf("error = %v; want the hub's %d %s answer", err, status, reason)
	}
	if apiErr.Status != status || apiErr.Body.Reason != string(reason) {
		tb.Fatalf("hub answered %d %q (%v); want %d %q", apiErr.Status, apiErr.Body.Reason, apiErr, status, reason)
	}
	if got, ok := corridor.ReasonOf(err); reason != "" && (!ok || got != reason) {
		tb.Errorf("corridor.ReasonOf(%v) = %q, %t; want %q", err, got, ok, reason)
	}
	return apiErr
}

// mustAccounts is what GET /v1/accounts answers c.
func mustAccounts(tb testing.TB, c *httpapi.Client) []httpapi.BalanceBody {
	tb.Helper()
	accounts, err := c.Accounts(context.Background())
	if err != nil {
		tb.Fatalf("Accounts: %v", err)
	}
	return accounts
}

// mustInbox reads c's inbox after seq after without waiting.
func mustInbox(tb testing.TB, c *httpapi.Client, after uint64) []httpapi.InboxMessageBody {
	tb.Helper()
	msgs, err := c.Inbox(context.Background(), after, 0)
	if err != nil {
		tb.Fatalf("Inbox(after %d): %v", after, err)
	}
	return msgs
}

// mustTrack is what GET /v1/payments/{uetr} answers c.
func mustTrack(tb testing.TB, c *httpapi.Client, uetr corridor.UETR) httpapi.TrackResponse {
	tb.Helper()
	tr, err := c.Track(context.Background(), uetr)
	if err != nil {
		tb.Fatalf("Track(%s): %v", uetr, err)
	}
	return tr
}

// stateSum is the hub's whole state, hashed, and its last journal seq.
type stateSum struct {
	Sum [32]byte
	Seq uint64
}

func mustStateSum(tb testing.TB, h *hub.Hub) stateSum {
	tb.Helper()
	sum, seq, err := h.StateSum(context.Background())
	if err != nil {
		tb.Fatalf("StateSum: %v", err)
	}
	return stateSum{sum, seq}
}

// mustUnchanged fails unless the hub's state is still before.
func mustUnchanged(tb testing.TB, h *hub.Hub, before stateSum) {
	tb.Helper()
	if after := mustStateSum(tb, h); after != before {
		tb.Errorf("hub state changed: seq %d, sum %x; want seq %d, sum %x", after.Seq, after.Sum, before.Seq, before.Sum)
	}
}

// mustStatusReport decodes the pacs.002 in m.
func mustStatusReport(tb testing.TB, m httpapi.InboxMessageBody) *iso20022.StatusReport {
	tb.Helper()
	if m.MsgDefID != iso20022.MsgDefStatusReport {
		tb.Fatalf("inbox message #%d is a %s; want a %s", m.Seq, m.MsgDefID, iso20022.MsgDefStatusReport)
	}
	sr, err := iso20022.DecodeStatusReport([]byte(m.Body))
	if err != nil {
		tb.Fatalf("DecodeStatusReport(#%d): %v", m.Seq, err)
	}
	return sr
}

// hubSigned compares inbox messages without their signatures, which the
// client has already verified and which differ at every reading (ES256 is
// randomised).
var hubSigned = cmpopts.IgnoreFields(httpapi.InboxMessageBody{}, "Signature", "Batch")
