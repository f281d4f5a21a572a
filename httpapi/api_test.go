package httpapi_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/pki"
)

// account is a settlement account with no credit limit, as the API shows it.
func account(currency, balance, debits, credits string) httpapi.BalanceBody {
	return httpapi.BalanceBody{Currency: currency, Balance: balance, Available: balance, Debits: debits, Credits: credits}
}

// The accounts of A and B as the fixture funds them.
var (
	fundedAccountsA = []httpapi.BalanceBody{account("INR", fundedA, "0.00", fundedA)}
	fundedAccountsB = []httpapi.BalanceBody{account("INR", fundedBINR, "0.00", fundedBINR), account("RUB", fundedBRUB, "0.00", fundedBRUB)}
)

// ignoreEventDetail leaves the tracker's wording out of comparisons.
var ignoreEventDetail = cmpopts.IgnoreFields(httpapi.EventBody{}, "Detail")

func TestSubmit(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		f := mustFixture(t)
		m := rupees(1, bankA, bankB, 250_00)
		body := mustEncode(t, m)

		resp := mustSubmit(t, f.a, body)
		if resp.Status != string(corridor.StatusSettled) || resp.Reason != "" || resp.Duplicate ||
			resp.UETR != string(m.pay.UETR) || resp.Reference == "" {
			t.Fatalf("Submit = %+v; want a new reference, UETR %s, status ACSC", resp, m.pay.UETR)
		}

		wantInboxB := []httpapi.InboxMessageBody{{Seq: 1, MsgDefID: iso20022.MsgDefCustomerCreditTransfer,
			UETR: string(m.pay.UETR), Reference: resp.Reference, Time: businessDay, Body: string(body)}}
		if diff := cmp.Diff(wantInboxB, mustInbox(t, f.b, 0), hubSigned); diff != "" {
			t.Errorf("B's inbox (-want +got):\n%s", diff)
		}

		inboxA := mustInbox(t, f.a, 0)
		if len(inboxA) != 1 || inboxA[0].Reference != resp.Reference || inboxA[0].UETR != resp.UETR {
			t.Fatalf("A's inbox = %+v; want one pacs.002 about %s", inboxA, resp.Reference)
		}
		wantReport := &iso20022.StatusReport{From: hubBIC, To: bankA, Created: businessDay, OriginalMsgID: m.pay.MsgID,
			OriginalMsgDefID: iso20022.MsgDefCustomerCreditTransfer, OriginalInstrID: m.instrID,
			OriginalEndToEndID: m.pay.EndToEndID, OriginalUETR: m.pay.UETR, Status: corridor.StatusSettled,
			InstructingAgent: hubBIC, InstructedAgent: bankA, SettlementDate: corridor.DateOf(businessDay)} // The hub instructs its report to A.
		if diff := cmp.Diff(wantReport, mustStatusReport(t, inboxA[0]), cmpopts.IgnoreFields(iso20022.StatusReport{}, "MsgID")); diff != "" {
			t.Errorf("A's pacs.002 (-want +got):\n%s", diff)
		}

		wantA := []httpapi.BalanceBody{account("INR", "999750.00", "250.00", fundedA)}
		if diff := cmp.Diff(wantA, mustAccounts(t, f.a)); diff != "" {
			t.Errorf("A's accounts after paying 250.00 INR (-want +got):\n%s", diff)
		}
		wantB := []httpapi.BalanceBody{account("INR", "750.00", "0.00", "750.00"), fundedAccountsB[1]}
		if diff := cmp.Diff(wantB, mustAccounts(t, f.b)); diff != "" {
			t.Errorf("B's accounts after receiving 250.00 INR (-want +got):\n%s", diff)
		}

		wantTrack := httpapi.TrackResponse{UETR: string(m.pay.UETR), Legs: []httpapi.LegBody{{
			Reference: resp.Reference, MsgID: m.pay.MsgID, EndToEndID: m.pay.EndToEndID,
			InstructingAgent: string(bankA), InstructedAgent: string(bankB), DebtorAgent: string(bankA), CreditorAgent: string(bankB),
			Amount: "250.00", Currency: "INR", SettlementDate: "2026-03-02", Status: string(corridor.StatusSettled),
			Events: []httpapi.EventBody{
				{Time: businessDay, Event: "accepted", Status: string(corridor.StatusAccepted)},
				{Time: businessDay, Event: "settled", Status: string(corridor.StatusSettled)},
				{Time: businessDay, Event: "delivered"}, // The pacs.008 to B.
				{Time: businessDay, Event: "delivered"}, // The pacs.002 to A.
			},
		}}}
		for _, who := range []struct {
			name   string
			client *httpapi.Client
		}{{"A", f.a}, {"B", f.b}, {"operator", f.op}} {
			if diff := cmp.Diff(wantTrack, mustTrack(t, who.client, m.pay.UETR), ignoreEventDetail); diff != "" {
				t.Errorf("%s tracks %s (-want +got):\n%s", who.name, m.pay.UETR, diff)
			}
		}
		_, err := f.c.Track(ctx, m.pay.UETR)
		mustAPIError(t, err, http.StatusNotFound, "")
		if !errors.Is(err, corridor.ErrNotFound) {
			t.Errorf("C tracks %s: %v; want ErrNotFound", m.pay.UETR, err)
		}
	})

	t.Run("OKLargestBody", func(t *testing.T) {
		f := mustFixture(t)
		m := rupees(1, bankA, bankB, 250_00)
		body := mustEncode(t, m)
		body = append(body, bytes.Repeat([]byte("\n"), httpapi.DefaultMaxBodyBytes-len(body))...)
		if resp := mustSubmit(t, f.a, body); resp.Status != string(corridor.StatusSettled) {
			t.Fatalf("Submit(%d bytes) = %+v; want ACSC", len(body), resp)
		}
		if got := mustInbox(t, f.b, 0); len(got) != 1 || got[0].Body != string(body) {
			t.Errorf("B's inbox has %d messages; want the pacs.008 of %d bytes as sent", len(got), len(body))
		}
	})

	t.Run("QueuedThenCancelled", func(t *testing.T) {
		f := mustFixture(t)
		m := rupees(1, bankA, bankB, 2_000_000_00) // Twice what A holds.
		resp := mustSubmit(t, f.a, mustEncode(t, m))
		if resp.Status != string(corridor.StatusPending) || resp.Reason != "" || resp.Duplicate || resp.Reference == "" {
			t.Fatalf("Submit = %+v; want status PDNG: queued for liquidity", resp)
		}
		if got := mustInbox(t, f.a, 0); len(got) != 0 {
			t.Errorf("A's inbox while queued = %+v; want no pacs.002 before the final outcome", got)
		}
		if got := mustInbox(t, f.b, 0); len(got) != 0 {
			t.Errorf("B's inbox = %+v; want it empty", got)
		}
		if diff := cmp.Diff(fundedAccountsA, mustAccounts(t, f.a)); diff != "" {
			t.Errorf("A's accounts (-want +got):\n%s", diff)
		}
		cancelled, err := f.a.Cancel(ctx, m.pay.UETR)
		if err != nil || cancelled.Status != string(corridor.StatusRejected) || cancelled.Reason != string(corridor.ReasonCancelled) {
			t.Fatalf("Cancel = %+v, %v; want RJCT DS02", cancelled, err)
		}
		inboxA := mustInbox(t, f.a, 0)
		if len(inboxA) != 1 {
			t.Fatalf("A's inbox = %+v; want one pacs.002", inboxA)
		}
		sr := mustStatusReport(t, inboxA[0])
		if sr.OriginalUETR != m.pay.UETR || sr.Status != corridor.StatusRejected || sr.Reason != corridor.ReasonCancelled ||
			sr.SettlementDate != (corridor.Date{}) {
			t.Errorf("A's pacs.002: UETR %s, status %s, reason %s, settled %v; want %s, RJCT, DS02, not settled",
				sr.OriginalUETR, sr.Status, sr.Reason, sr.SettlementDate, m.pay.UETR)
		}
		tr := mustTrack(t, f.a, m.pay.UETR)
		if len(tr.Legs) != 1 || tr.Legs[0].Status != string(corridor.StatusRejected) || tr.Legs[0].Reason != string(corridor.ReasonCancelled) {
			t.Errorf("tracker = %+v; want one leg, RJCT DS02", tr)
		}
	})

	t.Run("Duplicate", func(t *testing.T) {
		f := mustFixture(t)
		m := rupees(1, bankA, bankB, 250_00)
		body := mustEncode(t, m)
		first := mustSubmit(t, f.a, body)
		if first.Status != string(corridor.StatusSettled) || first.Duplicate {
			t.Fatalf("first Submit = %+v; want ACSC, not a duplicate", first)
		}
		settled := mustStateSum(t, f.hub)

		want := first
		want.Duplicate = true
		if diff := cmp.Diff(want, mustSubmit(t, f.a, body)); diff != "" {
			t.Errorf("the same bytes again (-want +got):\n%s", diff)
		}
		resend := m.withMsgID("MSG-0001-RESEND")
		resend.hdr.PossibleDuplicate = true
		if diff := cmp.Diff(want, mustSubmit(t, f.a, mustEncode(t, resend))); diff != "" {
			t.Errorf("the same payment under a new MsgId (-want +got):\n%s", diff)
		}
		other := m
		other.pay.Amount = 300_00
		_, err := f.a.Submit(ctx, mustEncode(t, other))
		apiErr := mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonDuplicate)
		if !strings.Contains(apiErr.Body.Error, first.Reference) {
			t.Errorf("AM05 answer %q does not name the first payment %s", apiErr.Body.Error, first.Reference)
		}

		mustUnchanged(t, f.hub, settled)
		wantA := []httpapi.BalanceBody{account("INR", "999750.00", "250.00", fundedA)}
		if diff := cmp.Diff(wantA, mustAccounts(t, f.a)); diff != "" {
			t.Errorf("A's accounts after one payment of 250.00 INR (-want +got):\n%s", diff)
		}
		if got := mustInbox(t, f.b, 0); len(got) != 1 || got[0].Body != string(body) {
			t.Errorf("B's inbox has %d messages; want the first pacs.008 only", len(got))
		}
		if got := mustInbox(t, f.a, 0); len(got) != 1 {
			t.Errorf("A's inbox has %d messages; want the one pacs.002", len(got))
		}
	})
}

// TestSubmitRefused sends messages the hub must refuse without changing
// anything; they share one hub, whose state each case checks is untouched.
func TestSubmitRefused(t *testing.T) {
	f := mustFixture(t)
	valid := mustEncode(t, rupees(1, bankA, bankB, 250_00))
	tomorrow, yesterday := rupees(2, bankA, bankB, 250_00), rupees(3, bankA, bankB, 250_00)
	tomorrow.pay.SettlementDate = corridor.DateOf(businessDay.AddDate(0, 0, 1))
	yesterday.pay.SettlementDate = corridor.DateOf(businessDay.AddDate(0, 0, -1))

	tests := []struct {
		name   string
		body   []byte
		status int
		reason corridor.ReasonCode
		check  func(t *testing.T, apiErr *httpapi.APIError)
	}{
		{
			// A's certificate, but the message says B sends it.
			name: "ErrImpersonation", body: mustEncode(t, rupees(4, bankB, bankA, 250_00)), status: http.StatusForbidden,
			check: func(t *testing.T, apiErr *httpapi.APIError) {
				if !errors.Is(apiErr, corridor.ErrUnauthorized) {
					t.Errorf("%v is not ErrUnauthorized", apiErr)
				}
			},
		},
		{
			name: "ErrMalformedXML", body: valid[:len(valid)/2], status: http.StatusBadRequest, reason: corridor.ReasonInvalidFormat,
			check: func(t *testing.T, apiErr *httpapi.APIError) {
				if len(apiErr.Body.Problems) == 0 {
					t.Errorf("answer %+v lists no problem", apiErr.Body)
				}
			},
		},
		{
			name:   "ErrInvalidFields",
			body:   mustReplace(t, mustReplace(t, valid, "<UETR>3f1c7a52", "<UETR>3F1C7A52"), "<EndToEndId>E2E-CARGO-0001</EndToEndId>", ""),
			status: http.StatusBadRequest, reason: corridor.ReasonInvalidFormat,
			check: func(t *testing.T, apiErr *httpapi.APIError) {
				want := []httpapi.ProblemBody{
					{Path: "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/EndToEndId", Reason: "FF01"},
					{Path: "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/UETR", Reason: "FF01"},
				}
				if diff := cmp.Diff(want, apiErr.Body.Problems, cmpopts.IgnoreFields(httpapi.ProblemBody{}, "Rule")); diff != "" {
					t.Errorf("problems (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "ErrTooLarge", body: append(bytes.Clone(valid), bytes.Repeat([]byte("\n"), httpapi.DefaultMaxBodyBytes+1-len(valid))...),
			status: http.StatusRequestEntityTooLarge, reason: corridor.ReasonInvalidFormat,
		},
		{
			name: "ErrUnknownCurrency", body: mustReplace(t, valid, `Ccy="INR"`, `Ccy="XXX"`),
			status: http.StatusBadRequest, reason: corridor.ReasonCurrency,
		},
		{
			// A bank on a newer version of pacs.008 names it in the AppHdr and the namespace.
			name: "ErrUnsupportedVersion", body: mustReplace(t, valid, "pacs.008.001.08", "pacs.008.001.12"),
			status: http.StatusBadRequest, reason: corridor.ReasonInvalidFormat,
			check: func(t *testing.T, apiErr *httpapi.APIError) {
				want := httpapi.ProblemBody{Path: "Document", Rule: "pacs.008.001.12 is not supported; this hub accepts pacs.008.001.08", Reason: "FF01"}
				if !strings.Contains(apiErr.Error(), want.Rule) || !containsProblem(apiErr.Body.Problems, want) {
					t.Errorf("answer %v does not have the problem %+v", apiErr, want)
				}
			},
		},
		{
			name: "ErrSettlementDateTomorrow", body: mustEncode(t, tomorrow),
			status: http.StatusUnprocessableEntity, reason: corridor.ReasonInvalidDate,
		},
		{
			name: "ErrSettlementDateYesterday", body: mustEncode(t, yesterday),
			status: http.StatusUnprocessableEntity, reason: corridor.ReasonInvalidDate,
		},
		{
			name: "ErrUnknownInstructedAgent", body: mustEncode(t, rupees(5, bankA, notABank, 250_00)),
			status: http.StatusUnprocessableEntity, reason: corridor.ReasonUnknownCreditorAgent,
		},
		{
			// C is a participant but holds no rupees.
			name: "ErrNoAccount", body: mustEncode(t, rupees(6, bankA, bankC, 250_00)),
			status: http.StatusUnprocessableEntity, reason: corridor.ReasonAccountInvalid,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := mustStateSum(t, f.hub)
			resp, err := f.a.Submit(context.Background(), tt.body)
			if err == nil {
				t.Fatalf("Submit = %+v; want %d %s", resp, tt.status, tt.reason)
			}
			apiErr := mustAPIError(t, err, tt.status, tt.reason)
			if tt.check != nil {
				tt.check(t, apiErr)
			}
			mustUnchanged(t, f.hub, before)
		})
	}
	if got := mustInbox(t, f.b, 0); len(got) != 0 {
		t.Errorf("B's inbox = %+v; want it empty", got)
	}
	if diff := cmp.Diff(fundedAccountsA, mustAccounts(t, f.a)); diff != "" {
		t.Errorf("A's accounts (-want +got):\n%s", diff)
	}
}

func containsProblem(ps []httpapi.ProblemBody, want httpapi.ProblemBody) bool {
	for _, p := range ps {
		if p == want {
			return true
		}
	}
	return false
}

// TestTLS checks that a caller without a certificate of the hub's CA does not
// get as far as an HTTP answer.
func TestTLS(t *testing.T) {
	f := mustFixture(t)
	caFile := filepath.Join(f.caDir, pki.CACertFile)

	t.Run("ErrNoClientCert", func(t *testing.T) {
		caPEM, err := os.ReadFile(caFile)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			t.Fatalf("no certificate in %s", caFile)
		}
		mustHandshakeFail(t, f, &tls.Config{MinVersion: tls.VersionTLS13, RootCAs: pool})
	})

	t.Run("ErrForeignCA", func(t *testing.T) {
		// An operator certificate, but of another hub's CA.
		other := mustCA(t)
		tlsConfig, err := pki.ClientTLSConfig(filepath.Join(other, pki.OperatorCertFile), filepath.Join(other, pki.OperatorKeyFile), caFile)
		if err != nil {
			t.Fatal(err)
		}
		mustHandshakeFail(t, f, tlsConfig)
	})
}

// mustHandshakeFail fails unless the hub refuses a TLS connection with
// tlsConfig, a client with it gets no HTTP answer, and the hub is unchanged.
func mustHandshakeFail(t *testing.T, f *fixture, tlsConfig *tls.Config) {
	t.Helper()
	before := mustStateSum(t, f.hub)

	// In TLS 1.3 the client finishes its side of the handshake first; the
	// server's alert arrives at the first read.
	conn, err := tls.Dial("tcp", strings.TrimPrefix(f.url, "https://"), tlsConfig.Clone())
	if err == nil {
		defer conn.Close()
		if err = conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
			t.Fatal(err)
		}
		_, err = conn.Read(make([]byte, 1))
	}
	if err == nil || !strings.Contains(err.Error(), "remote error: tls:") {
		t.Errorf("TLS connection: %v; want the hub's alert", err)
	}

	c := httpapi.NewClient(f.url, tlsConfig)
	defer c.Close()
	_, err = c.Fund(context.Background(), httpapi.FundRequest{BIC: string(bankA), Currency: "INR", Amount: "1.00"})
	var apiErr *httpapi.APIError
	switch {
	case err == nil:
		t.Error("Fund succeeded; want a failed TLS handshake")
	case errors.As(err, &apiErr):
		t.Errorf("the hub answered %d: %v; want a failed TLS handshake", apiErr.Status, err)
	}
	mustUnchanged(t, f.hub, before)
}

// TestRoles checks that the operator and the participants keep to their own endpoints.
func TestRoles(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	_, csr, err := pki.NewParticipantKey("DEMODEFFXXX", "Demo Bank Frankfurt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"ErrParticipantRegisters", func() error {
			_, err := f.a.RegisterParticipant(ctx, httpapi.RegisterRequest{BIC: "DEMODEFFXXX", Name: "Demo Bank Frankfurt",
				Currencies: []string{"EUR"}, CSR: string(csr)})
			return err
		}},
		{"ErrParticipantFunds", func() error {
			_, err := f.a.Fund(ctx, httpapi.FundRequest{BIC: string(bankA), Currency: "INR", Amount: "1000000.00"})
			return err
		}},
		{"ErrOperatorSubmits", func() error {
			_, err := f.op.Submit(ctx, mustEncode(t, rupees(1, bankA, bankB, 250_00)))
			return err
		}},
		{"ErrOperatorReadsInbox", func() error {
			_, err := f.op.Inbox(ctx, 0, 0)
			return err
		}},
		{"ErrOperatorAcks", func() error { return f.op.Ack(ctx, 1) }},
		{"ErrOperatorAccounts", func() error {
			_, err := f.op.Accounts(ctx)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := mustStateSum(t, f.hub)
			err := tt.call()
			mustAPIError(t, err, http.StatusForbidden, "")
			if !errors.Is(err, corridor.ErrUnauthorized) {
				t.Errorf("%v is not ErrUnauthorized", err)
			}
			mustUnchanged(t, f.hub, before)
		})
	}
}

func TestInbox(t *testing.T) {
	t.Run("SignedOnce", func(t *testing.T) {
		f := mustFixture(t)
		mustSubmit(t, f.a, mustEncode(t, rupees(1, bankA, bankB, 250_00)))
		first, again := mustInbox(t, f.b, 0), mustInbox(t, f.b, 0)
		if len(first) != 1 || len(again) != 1 || first[0].Signature == "" || first[0].Signature != again[0].Signature {
			t.Errorf("Inbox read twice: %+v, then %+v; want one message with the same hub signature", first, again)
		}
	})
	t.Run("OK", func(t *testing.T) {
		f := mustFixture(t)
		ctx := context.Background()
		m := rupees(1, bankA, bankB, 250_00)
		body := mustEncode(t, m)

		// B waits for its next message; A pays B while B waits.
		type poll struct {
			msgs []httpapi.InboxMessageBody
			err  error
		}
		polled := make(chan poll, 1)
		go func() {
			msgs, err := f.b.Inbox(ctx, 0, 5*time.Second)
			polled <- poll{msgs, err}
		}()
		select {
		case <-f.polls:
		case p := <-polled:
			t.Fatalf("Inbox returned before any payment: %+v, %v", p.msgs, p.err)
		}
		resp := mustSubmit(t, f.a, body)
		p := <-polled
		if p.err != nil {
			t.Fatalf("Inbox(wait 5s): %v", p.err)
		}
		want := []httpapi.InboxMessageBody{{Seq: 1, MsgDefID: iso20022.MsgDefCustomerCreditTransfer,
			UETR: string(m.pay.UETR), Reference: resp.Reference, Time: businessDay, Body: string(body)}}
		if diff := cmp.Diff(want, p.msgs, hubSigned); diff != "" {
			t.Fatalf("Inbox(wait 5s) (-want +got):\n%s", diff)
		}

		// Not acknowledged: reading again may be a duplicate delivery.
		want[0].PossibleDuplicate = true
		if diff := cmp.Diff(want, mustInbox(t, f.b, 0), hubSigned); diff != "" {
			t.Errorf("Inbox read again (-want +got):\n%s", diff)
		}
		if got := mustInbox(t, f.b, 1); len(got) != 0 {
			t.Errorf("Inbox(after 1) = %+v; want nothing", got)
		}

		if err := f.b.Ack(ctx, 1); err != nil {
			t.Fatalf("Ack(1): %v", err)
		}
		if got := mustInbox(t, f.b, 0); len(got) != 0 {
			t.Errorf("Inbox after Ack(1) = %+v; want it empty", got)
		}
		if got := mustInbox(t, f.a, 0); len(got) != 1 || got[0].MsgDefID != iso20022.MsgDefStatusReport {
			t.Errorf("A's inbox = %+v; want its pacs.002, untouched by B's acknowledgement", got)
		}
		events := mustTrack(t, f.a, m.pay.UETR).Legs[0].Events
		if last := events[len(events)-1]; last.Event != "acknowledged" {
			t.Errorf("tracker's last event = %+v; want acknowledged", last)
		}
	})
}

func TestAccounts(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		f := mustFixture(t)
		for _, tt := range []struct {
			name   string
			client *httpapi.Client
			want   []httpapi.BalanceBody
		}{
			{"A", f.a, fundedAccountsA},
			{"B", f.b, fundedAccountsB},
			{"C", f.c, []httpapi.BalanceBody{account("AED", fundedC, "0.00", fundedC)}},
		} {
			if diff := cmp.Diff(tt.want, mustAccounts(t, tt.client)); diff != "" {
				t.Errorf("%s's accounts (-want +got):\n%s", tt.name, diff)
			}
		}
	})
}

func TestRegister(t *testing.T) {
	ctx := context.Background()
	const bic, name = "DEMODEFFXXX", "Demo Bank Frankfurt"

	t.Run("OK", func(t *testing.T) {
		f := mustFixture(t)
		d := mustParticipant(t, f.op, f.url, bic, name, "EUR")
		want := []httpapi.BalanceBody{account("EUR", "0.00", "0.00", "0.00")}
		if diff := cmp.Diff(want, mustAccounts(t, d)); diff != "" {
			t.Errorf("accounts of a new participant (-want +got):\n%s", diff)
		}
		// A bank rotating its key registers again with the same details: the
		// hub records the new certificate (one journal entry) and both work
		// until one is revoked or expires.
		registered := mustStateSum(t, f.hub)
		again := mustParticipant(t, f.op, f.url, bic, name, "EUR")
		for _, c := range []*httpapi.Client{again, d} {
			if diff := cmp.Diff(want, mustAccounts(t, c)); diff != "" {
				t.Errorf("accounts with the new and the old certificate (-want +got):\n%s", diff)
			}
		}
		if now := mustStateSum(t, f.hub); now.Seq != registered.Seq+1 {
			t.Errorf("rotation took journal entries %d to %d; want one", registered.Seq, now.Seq)
		}
	})

	t.Run("ErrOtherDetails", func(t *testing.T) {
		f := mustFixture(t)
		before := mustStateSum(t, f.hub)
		_, csr, err := pki.NewParticipantKey(bankA, "Another Bank of India")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.op.RegisterParticipant(ctx, httpapi.RegisterRequest{BIC: string(bankA), Name: "Another Bank of India",
			Currencies: []string{"INR"}, CSR: string(csr)})
		mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonNotAllowed)
		mustUnchanged(t, f.hub, before)
	})

	t.Run("ErrBadCSR", func(t *testing.T) {
		f := mustFixture(t)
		before := mustStateSum(t, f.hub)
		_, err := f.op.RegisterParticipant(ctx, httpapi.RegisterRequest{BIC: bic, Name: name, Currencies: []string{"EUR"},
			CSR: "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgcmVxdWVzdA==\n-----END CERTIFICATE REQUEST-----\n"})
		mustAPIError(t, err, http.StatusUnprocessableEntity, corridor.ReasonInvalidFormat)
		mustUnchanged(t, f.hub, before)
	})

	t.Run("ErrNotRegistered", func(t *testing.T) {
		// A certificate of the hub's CA for a bank the hub does not know.
		f := mustFixture(t)
		keyPEM, csr, err := pki.NewParticipantKey(bic, name)
		if err != nil {
			t.Fatal(err)
		}
		ca, err := pki.LoadCA(f.caDir)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := ca.IssueParticipant(csr, bic, name, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		certFile, keyFile, caFile, err := pki.WriteParticipantFiles(t.TempDir(), bic, cert, keyPEM, ca.CertificatePEM())
		if err != nil {
			t.Fatal(err)
		}
		_, err = mustClient(t, f.url, certFile, keyFile, caFile).Accounts(ctx)
		mustAPIError(t, err, http.StatusForbidden, "")
	})
}

// TestInboxFair holds as many long polls of B as B may have, and one more
// is refused; meanwhile A's payment to B is taken and A reads its pacs.002
// at once, and B's polls are each answered with the pacs.008.
func TestInboxFair(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	type poll struct {
		msgs []httpapi.InboxMessageBody
		err  error
	}
	polled := make(chan poll, httpapi.DefaultMaxInboxReads)
	for range httpapi.DefaultMaxInboxReads {
		go func() {
			msgs, err := f.b.Inbox(ctx, 0, httpapi.MaxInboxWait)
			polled <- poll{msgs, err}
		}()
	}
	for range httpapi.DefaultMaxInboxReads {
		select {
		case <-f.polls:
		case p := <-polled:
			t.Fatalf("Inbox returned before any payment: %+v, %v", p.msgs, p.err)
		}
	}
	_, err := f.b.Inbox(ctx, 0, 0)
	if apiErr := mustAPIError(t, err, http.StatusTooManyRequests, ""); apiErr.Body.Error == "" {
		t.Errorf("read past B's inbox reads: %v; want it to say why", apiErr)
	}

	m := rupees(1, bankA, bankB, 250_00)
	mustSubmit(t, f.a, mustEncode(t, m))
	if got := mustInbox(t, f.a, 0); len(got) != 1 || got[0].MsgDefID != iso20022.MsgDefStatusReport {
		t.Errorf("A's inbox while B holds %d polls = %+v; want the pacs.002", httpapi.DefaultMaxInboxReads, got)
	}
	for range httpapi.DefaultMaxInboxReads {
		p := <-polled
		if p.err != nil || len(p.msgs) != 1 || p.msgs[0].UETR != string(m.pay.UETR) {
			t.Errorf("B's long poll = %+v, %v; want the pacs.008", p.msgs, p.err)
		}
	}
	if got := mustInbox(t, f.b, 0); len(got) != 1 {
		t.Errorf("B's inbox once its polls ended = %+v; want the pacs.008, its read slots free again", got)
	}
}
