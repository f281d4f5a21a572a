package pki_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/pki"
)

// Placeholders in FuzzVerifyDetached's inputs: each process of a fuzz run
// makes its own key, so seeds name the valid parts instead of holding them.
const (
	validHeader    = "{hdr}" // In jws: the protected header SignDetached wrote.
	validSignature = "{sig}" // In jws: the signature SignDetached wrote.
	validKID       = "{kid}" // In header: the signing certificate's KeyID.
)

// maxFuzzPayloadBytes caps the payloads FuzzVerifyDetached signs.
const maxFuzzPayloadBytes = 4 << 10

// FuzzVerifyDetached feeds VerifyDetached arbitrary JWS strings, payloads and
// signed headers. It never panics and refuses with ErrSignature; a signature
// over payload never verifies over other bytes; the only spelling of a valid
// JWS it accepts is the one SignDetached wrote; and a header it accepts,
// signed by the right key, is one a plain JSON reading also finds valid.
func FuzzVerifyDetached(f *testing.F) {
	s, _ := mustHubSigner(f)
	for _, seed := range []struct {
		jws, header  string
		payload, oth string
	}{
		{"{hdr}..{sig}", `{"alg":"ES256","kid":"{kid}"}`, "<Document/>", "<Document/> "},
		{"{hdr}..{sig}=", `{"alg":"ES256","kid":"{kid}","x5t#S256":"{kid}"}`, "pacs.008", "pacs.009"},
		{"{hdr}.cGF5bG9hZA.{sig}", `{"alg":"ES256","kid":"{kid}","typ":"JOSE"}`, "payload", ""},
		{"{hdr}..{sig}\n", `{"alg":"ES256","kid":"{kid}","crit":["exp"],"exp":1}`, "", "x"},
		{" {hdr}..{sig}", `{"alg":"ES256","kid":"{kid}","b64":false,"crit":["b64"]}`, "a", "b"},
		{"{hdr}..{sig}{sig}", `{"alg":"ES256","kid":"{kid}","alg":"none"}`, "same", "same"},
		{"eyJhbGciOiJub25lIn0..", `{"alg":"none"}`, "", ""},
		{"{hdr}..", `{"ALG":"ES256","kid":"{kid}"}`, "\x00\xff", "\x00\xfe"},
		{"..{sig}", `{"alg":"ES256","kid":"{kid}","\u006bid":"{kid}"}`, "Нефть", "Нефтъ"},
		{"{hdr}..c2ln", `{"alg":"ES256","kid":"{kid}"} `, "1", "2"},
	} {
		f.Add(seed.jws, []byte(seed.header), []byte(seed.payload), []byte(seed.oth))
	}
	f.Fuzz(func(t *testing.T, jws string, header, payload, other []byte) {
		if len(jws) > 4*pki.MaxJWSBytes || len(header) > pki.MaxJWSBytes || len(payload) > maxFuzzPayloadBytes || len(other) > maxFuzzPayloadBytes {
			return
		}
		valid, err := s.SignDetached(payload)
		if err != nil {
			t.Fatal(err)
		}
		checkOnlyPayload(t, s, valid, payload, other)
		checkOneSpelling(t, s, valid, expand(jws, valid), payload)
		checkSignedHeader(t, s, header, payload)
	})
}

// expand replaces the placeholders in jws with the parts of valid.
func expand(jws, valid string) string {
	hdr, _, _ := strings.Cut(valid, ".")
	sig := valid[strings.LastIndex(valid, ".")+1:]
	return strings.NewReplacer(validHeader, hdr, validSignature, sig).Replace(jws)
}

// checkOnlyPayload checks that valid, a JWS over payload, verifies over
// payload and over no other bytes.
func checkOnlyPayload(t *testing.T, s *pki.Signer, valid string, payload, other []byte) {
	t.Helper()
	if err := pki.VerifyDetached(valid, payload, s.Certificate()); err != nil {
		t.Fatalf("VerifyDetached(SignDetached(%q)) = %v", payload, err)
	}
	err := pki.VerifyDetached(valid, other, s.Certificate())
	if bytes.Equal(other, payload) {
		if err != nil {
			t.Fatalf("VerifyDetached over the same bytes = %v", err)
		}
		return
	}
	if !errors.Is(err, pki.ErrSignature) {
		t.Fatalf("a signature over %q verifies over %q: %v", payload, other, err)
	}
}

// checkOneSpelling checks that jws, which the fuzzer made from valid,
// verifies over payload only if it is valid itself, and is otherwise
// refused with ErrSignature. (The other valid signature, (r, n-s), is out
// of reach of byte edits.)
func checkOneSpelling(t *testing.T, s *pki.Signer, valid, jws string, payload []byte) {
	t.Helper()
	err := pki.VerifyDetached(jws, payload, s.Certificate())
	switch {
	case err == nil && jws != valid:
		t.Fatalf("VerifyDetached accepts %q, another spelling of %q", jws, valid)
	case err != nil && !errors.Is(err, pki.ErrSignature):
		t.Fatalf("VerifyDetached(%q) = %v; want ErrSignature", jws, err)
	}
}

// checkSignedHeader signs header, with {kid} replaced, over payload with
// s's key, and checks that VerifyDetached accepts it only when it is a JSON
// object of the known parameters with the right values.
func checkSignedHeader(t *testing.T, s *pki.Signer, header, payload []byte) {
	t.Helper()
	kid := pki.KeyID(s.Certificate())
	protected := base64.RawURLEncoding.EncodeToString(bytes.ReplaceAll(header, []byte(validKID), []byte(kid)))
	sig, err := s.Sign([]byte(protected + "." + base64.RawURLEncoding.EncodeToString(payload)))
	if err != nil {
		t.Fatal(err)
	}
	jws := protected + ".." + base64.RawURLEncoding.EncodeToString(sig)
	err = pki.VerifyDetached(jws, payload, s.Certificate())
	if err != nil {
		if !errors.Is(err, pki.ErrSignature) {
			t.Fatalf("VerifyDetached(header %q) = %v; want ErrSignature", header, err)
		}
		return
	}
	var params map[string]any
	if err := json.Unmarshal(bytes.ReplaceAll(header, []byte(validKID), []byte(kid)), &params); err != nil {
		t.Fatalf("VerifyDetached accepts header %q, which is not JSON: %v", header, err)
	}
	want := map[string]any{"alg": "ES256", "kid": kid, "x5t#S256": kid, "typ": "JOSE"}
	for name, v := range params {
		if want[name] != v {
			t.Fatalf("VerifyDetached accepts header %q with %s = %v", header, name, v)
		}
	}
	if params["alg"] == nil || params["kid"] == nil {
		t.Fatalf("VerifyDetached accepts header %q without alg or kid", header)
	}
}
