package httpapi

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/pki"
)

// pageBIC is the participant whose inbox the tests of pages write.
const pageBIC corridor.BIC = "DEMOINDDXXX"

// pageMessages is n messages of an inbox as the hub delivers them, shaped
// as its pacs.008s and pacs.002s are: XML in an envelope, quoted attributes
// (escaped in JSON), some Cyrillic, about 4 KB and 1.5 KB.
func pageMessages(n int) []hub.InboxMessage {
	msgs := make([]hub.InboxMessage, n)
	for i := range msgs {
		def, doc := "pacs.008.001.08", strings.Repeat(`<CdtTrfTxInf><Amt Ccy="INR">1000.50</Amt><Nm>ООО Нефтеэкспорт</Nm></CdtTrfTxInf>`, 40)
		if i%2 == 1 {
			def, doc = "pacs.002.001.10", strings.Repeat(`<TxInfAndSts><TxSts>ACSC</TxSts></TxInfAndSts>`, 30)
		}
		body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Envelope><AppHdr><BizMsgIdr>M%d</BizMsgIdr></AppHdr>`+
			`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:%s">%s</Document></Envelope>`, i, def, doc)
		msgs[i] = hub.InboxMessage{Seq: uint64(1000 + i), MsgDefID: def, UETR: corridor.UETR(fmt.Sprintf("%08x-0000-4000-8000-000000000000", i)),
			Reference: fmt.Sprintf("CRDR%012d", i), Time: time.Date(2026, 3, 2, 9, 30, i, 1000*i, time.UTC), Body: []byte(body),
			PossibleDuplicate: i%5 == 0}
	}
	return msgs
}

// mustPageServer is a Server that can write inbox pages, signing with a new
// hub key, and the hub's certificate.
func mustPageServer(tb testing.TB) (*Server, *x509.Certificate) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "ca")
	if err := pki.InitCA(dir, time.Now(), nil); err != nil {
		tb.Fatalf("InitCA: %v", err)
	}
	signer, err := pki.LoadHubSigner(dir)
	if err != nil {
		tb.Fatalf("LoadHubSigner: %v", err)
	}
	cert, err := pki.LoadHubCertificate(dir)
	if err != nil {
		tb.Fatalf("LoadHubCertificate: %v", err)
	}
	s := &Server{Signer: signer}
	s.sigs = newSigCache(signer.SignDetached)
	return s, cert
}

// discardWriter is a ResponseWriter that keeps the status and the length
// of what is written, and, if keep, the bytes.
type discardWriter struct {
	header http.Header
	status int
	n      int
	keep   bool
	body   []byte
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(status int) { w.status = status }

func (w *discardWriter) Write(b []byte) (int, error) {
	w.n += len(b)
	if w.keep {
		w.body = append(w.body, b...)
	}
	return len(b), nil
}

// mustWritePage is the answer writeInboxPage writes for msgs.
func mustWritePage(tb testing.TB, s *Server, msgs []hub.InboxMessage, batch bool) []byte {
	tb.Helper()
	w := &discardWriter{header: http.Header{}, keep: true}
	s.writeInboxPage(w, httptest.NewRequest(http.MethodGet, "/v1/inbox", nil), pageBIC, msgs, batch)
	if w.status != http.StatusOK {
		tb.Fatalf("writeInboxPage: status %d: %s", w.status, w.body)
	}
	return w.body
}

// referenceResponse is p as handleInbox answered before inboxPage: an
// InboxResponse of InboxMessageBody, each body copied into a string and
// each path from MerkleTree.Path, for writeJSON to write.
func referenceResponse(p *inboxPage) InboxResponse {
	resp := InboxResponse{Messages: make([]InboxMessageBody, 0, len(p.msgs))}
	for i, m := range p.msgs {
		out := InboxMessageBody{Seq: m.Seq, MsgDefID: m.MsgDefID, UETR: string(m.UETR), Reference: m.Reference, Time: m.Time,
			PossibleDuplicate: m.PossibleDuplicate, Body: string(m.Body)}
		if p.tree == nil {
			out.Signature = p.sigs[i]
		} else {
			out.Signature, out.Batch = p.sig, &BatchProofBody{Index: i, Count: len(p.msgs), Path: p.tree.Path(i)}
		}
		resp.Messages = append(resp.Messages, out)
	}
	return resp
}

// checkPage fails t unless p writes the answer writeJSON writes for its
// referenceResponse, status, headers and bytes, and appends what
// encoding/json encodes (SetEscapeHTML(false)) or refuses what it refuses.
func checkPage(t *testing.T, p *inboxPage) {
	t.Helper()
	resp := referenceResponse(p)
	got, want := &discardWriter{header: http.Header{}, keep: true}, &discardWriter{header: http.Header{}, keep: true}
	p.write(got)
	writeJSON(want, http.StatusOK, resp)
	if got.status != want.status || !reflect.DeepEqual(got.header, want.header) || !bytes.Equal(got.body, want.body) {
		t.Fatalf("inboxPage.write: %d %v\n%.3000q\nwriteJSON of the InboxResponse: %d %v\n%.3000q",
			got.status, got.header, got.body, want.status, want.header, want.body)
	}
	var enc bytes.Buffer
	e := json.NewEncoder(&enc)
	e.SetEscapeHTML(false)
	errWant := e.Encode(resp)
	appended, errGot := p.append([]byte("kept"))
	switch {
	case (errGot == nil) != (errWant == nil):
		t.Fatalf("inboxPage.append: %v; encoding/json: %v", errGot, errWant)
	case errGot == nil && !bytes.Equal(appended, append([]byte("kept"), enc.Bytes()...)):
		t.Fatalf("inboxPage.append:\n%.3000q\nencoding/json:\n%.3000q", appended, enc.Bytes())
	case errGot != nil && string(appended) != "kept":
		t.Fatalf("inboxPage.append refusing the page left %.200q; want what it was given", appended)
	}
}

// fuzzPage is a page of n messages made of the fuzzer's values: message i
// has the suffix of body from i, a time i nanoseconds after t, and is a
// possible duplicate if bit i%16 of flags is set; the page is signed as
// one if n is odd.
func fuzzPage(body []byte, def, ref, sig string, t time.Time, n int, flags uint16) *inboxPage {
	msgs := make([]hub.InboxMessage, n)
	sigs := make([]string, n)
	leaves := make([]corridor.MerkleHash, n)
	for i := range msgs {
		msgs[i] = hub.InboxMessage{Seq: uint64(i) * 0x9e3779b97f4a7c15, MsgDefID: def, UETR: corridor.UETR(ref + def),
			Reference: ref, Time: t.Add(time.Duration(i)), Body: body[min(i, len(body)):], PossibleDuplicate: flags&(1<<(i%16)) != 0}
		sigs[i] = sig + strconv.Itoa(i)
		leaves[i] = corridor.MerkleLeaf(msgs[i].Body)
	}
	if n%2 == 0 {
		return &inboxPage{msgs: msgs, sigs: sigs}
	}
	return &inboxPage{msgs: msgs, sig: sig, tree: corridor.NewMerkleTree(leaves)}
}

// pageStrings are strings encoding/json escapes or changes, among plain text.
var pageStrings = []string{"", `"`, `\`, "<>&", "\x7f", "\u2028", "\u2029", "é€😀", "\ufffd", "\xff", "\xc0\x80", "\xe2\x82",
	"\xed\xa0\x80", "\xf0\x9f\x98", "\x00\x01\x1f\b\f\n\r\t", "ООО Нефтеэкспорт <a b=\"c\"/>"}

// TestInboxPage checks pages of every size up to MaxInboxRead, signed both
// ways, and pages with the strings and times encoding/json writes in all
// its ways, and refuses.
func TestInboxPage(t *testing.T) {
	body := []byte(strings.Join(pageStrings, "<Document>plain xml</Document>"))
	day := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	for n := range hub.MaxInboxRead + 1 {
		checkPage(t, fuzzPage(body, "pacs.008.001.08", "CRDR1", "sig", day, n, uint16(n*2654435761)))
		checkPage(t, fuzzPage(body, "pacs.002.001.10", "CRDR2", "sig", day, n+1, uint16(n*40503)))
	}
	for i, s := range pageStrings {
		for _, tm := range []time.Time{{}, day.Add(123456789), day.In(time.FixedZone("", -59)),
			time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)} {
			checkPage(t, fuzzPage([]byte("a"+s+"b"+s), s, pageStrings[(i+3)%len(pageStrings)], s, tm, 1+i%4, uint16(i)))
		}
	}
}

// FuzzInboxPage checks that inboxPage writes what writeJSON writes for the
// InboxResponse handleInbox built before it, and what encoding/json
// encodes.
func FuzzInboxPage(f *testing.F) {
	day := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	for i, s := range pageStrings {
		f.Add([]byte("<a>"+s+"</a>"), s, pageStrings[(i+5)%len(pageStrings)], "sig", day.Unix(), int64(i*1000), int32(i*1800), uint8(i), uint16(i*7919))
	}
	f.Fuzz(func(t *testing.T, body []byte, def, ref, sig string, sec, nsec int64, offset int32, n uint8, flags uint16) {
		if len(body)+len(def)+len(ref)+len(sig) > 64<<10 {
			return
		}
		tm := time.Unix(sec, nsec).In(time.FixedZone("", int(offset)))
		checkPage(t, fuzzPage(body, def, ref, sig, tm, int(n)%40, flags))
	})
}

// BenchmarkInboxPageWrite writes a page of 256 messages as handleInbox does
// once it has read them, signed as one (Batch) and one by one, with the
// signatures kept from an earlier read (Message).
func BenchmarkInboxPageWrite(b *testing.B) {
	msgs := pageMessages(hub.MaxInboxRead)
	for _, mode := range []struct {
		name  string
		batch bool
	}{{"Batch", true}, {"Message", false}} {
		b.Run(mode.name, func(b *testing.B) {
			s, _ := mustPageServer(b)
			size := len(mustWritePage(b, s, msgs, mode.batch))
			r := httptest.NewRequest(http.MethodGet, "/v1/inbox", nil)
			w := &discardWriter{header: http.Header{}}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				s.writeInboxPage(w, r, pageBIC, msgs, mode.batch)
			}
		})
	}
}

// BenchmarkVerifyInbox verifies a page of 256 messages signed as one, as
// Client.Inbox does once it has decoded it.
func BenchmarkVerifyInbox(b *testing.B) {
	s, cert := mustPageServer(b)
	var resp InboxResponse
	if err := decodeInboxResponse(mustWritePage(b, s, pageMessages(hub.MaxInboxRead), true), &resp); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := verifyInbox(resp.Messages, cert); err != nil {
			b.Fatal(err)
		}
	}
}

// referenceVerifyInbox is verifyInbox before pageProofs: each body copied
// into a []byte for its leaf, each root found along its message's path.
func referenceVerifyInbox(msgs []InboxMessageBody, hubCert *x509.Certificate) error {
	roots := map[string]corridor.MerkleHash{}
	for _, m := range msgs {
		if m.Batch == nil {
			if err := pki.VerifyDetached(m.Signature, []byte(m.Body), hubCert); err != nil {
				return fmt.Errorf("inbox message %d: the hub's signature: %w", m.Seq, err)
			}
			continue
		}
		root, err := m.Batch.proof().Root([]byte(m.Body))
		if err != nil {
			return fmt.Errorf("inbox message %d: its place in the page: %w", m.Seq, err)
		}
		if signed, ok := roots[m.Signature]; ok {
			if signed != root {
				return fmt.Errorf("inbox message %d: not in the page the hub signed", m.Seq)
			}
			continue
		}
		if err := pki.VerifyDetached(m.Signature, corridor.InboxStatement(m.Batch.Count, root), hubCert); err != nil {
			return fmt.Errorf("inbox message %d: the hub's signature over its page: %w", m.Seq, err)
		}
		roots[m.Signature] = root
	}
	return nil
}

// editedPage is a copy of msgs with edits applied, three bytes each: what
// to change (an index, a count, a hash of a path, a path's length, a body,
// a signature, a proof dropped, a message repeated), in which message, and
// a value.
func editedPage(msgs []InboxMessageBody, edits []byte) []InboxMessageBody {
	page := make([]InboxMessageBody, len(msgs))
	for i, m := range msgs {
		if m.Batch != nil {
			b := *m.Batch
			b.Path = slices.Clone(b.Path)
			m.Batch = &b
		}
		page[i] = m
	}
	for ; len(edits) >= 3 && len(page) > 0; edits = edits[3:] {
		m, v := &page[int(edits[1])%len(page)], int(edits[2])
		switch op := edits[0] % 9; {
		case op == 0:
			page = append(page, *m)
		case op == 1:
			m.Body, page[v%len(page)].Body = page[v%len(page)].Body, m.Body
		case op == 2:
			m.Body += string(rune(v))
		case op == 3:
			m.Signature = page[v%len(page)].Signature + strings.Repeat("A", v%2)
		case m.Batch == nil:
		case op == 4:
			m.Batch.Index = v%(len(page)+2) - 1
		case op == 5:
			m.Batch.Count = v % (len(page) + 2)
		case op == 6 && len(m.Batch.Path) > 0:
			m.Batch.Path[v%len(m.Batch.Path)][v%32] ^= byte(1 + v/32)
		case op == 7:
			m.Batch.Path = m.Batch.Path[:len(m.Batch.Path)*v/256]
		case op == 8:
			m.Batch = nil
		}
	}
	return page
}

// signedPages are pages of n messages as the client decodes them, signed as
// one and one by one.
func signedPages(tb testing.TB, n int) (batch, each []InboxMessageBody, cert *x509.Certificate) {
	tb.Helper()
	s, cert := mustPageServer(tb)
	msgs := pageMessages(n)
	var b, e InboxResponse
	if err := decodeInboxResponse(mustWritePage(tb, s, msgs, true), &b); err != nil {
		tb.Fatal(err)
	}
	if err := decodeInboxResponse(mustWritePage(tb, s, msgs, false), &e); err != nil {
		tb.Fatal(err)
	}
	return b.Messages, e.Messages, cert
}

// TestVerifyInbox checks that the pages the hub writes verify, every size
// up to MaxInboxRead, and that verifyInbox agrees with
// referenceVerifyInbox on pages with each kind of edit.
func TestVerifyInbox(t *testing.T) {
	s, cert := mustPageServer(t)
	all := pageMessages(hub.MaxInboxRead)
	for n := 1; n <= hub.MaxInboxRead; n += 1 + n/8 {
		var resp InboxResponse
		if err := decodeInboxResponse(mustWritePage(t, s, all[:n], true), &resp); err != nil {
			t.Fatal(err)
		}
		if err := verifyInbox(resp.Messages, cert); err != nil {
			t.Fatalf("a page of %d: %v", n, err)
		}
	}
	batch, each, _ := signedPages(t, 7)
	for op := range byte(9) {
		for v := range byte(12) {
			for _, page := range [][]InboxMessageBody{batch, each} {
				msgs := editedPage(page, []byte{op, v, v * 23})
				got, want := verifyInbox(msgs, cert), referenceVerifyInbox(msgs, cert)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("edit %d %d: verifyInbox = %v; referenceVerifyInbox = %v", op, v, got, want)
				}
			}
		}
	}
}

// FuzzVerifyInbox checks that verifyInbox agrees with referenceVerifyInbox,
// the same error or none, on signed pages the fuzzer edits (editedPage).
func FuzzVerifyInbox(f *testing.F) {
	batch, each, cert := signedPages(f, 7)
	f.Add(false, []byte{})
	f.Add(true, []byte{4, 2, 3})
	f.Add(false, []byte{1, 2, 3, 6, 0, 200})
	f.Fuzz(func(t *testing.T, one bool, edits []byte) {
		if len(edits) > 300 {
			return
		}
		page := batch
		if one {
			page = each
		}
		msgs := editedPage(page, edits)
		if got, want := verifyInbox(msgs, cert), referenceVerifyInbox(msgs, cert); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("verifyInbox = %v; referenceVerifyInbox = %v", got, want)
		}
	})
}
