package pki_test

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/pki"
)

func mustHubSigner(tb testing.TB) (*pki.Signer, string) {
	tb.Helper()
	dir := MustInitCA(tb)
	s, err := pki.LoadHubSigner(dir)
	if err != nil {
		tb.Fatalf("LoadHubSigner: %v", err)
	}
	return s, dir
}

func TestDetachedJWS(t *testing.T) {
	s, dir := mustHubSigner(t)
	payload := bytes.Repeat([]byte("<Document>Нефть</Document>"), 100)
	jws, err := s.SignDetached(payload)
	if err != nil {
		t.Fatal(err)
	}
	if err := pki.VerifyDetached(jws, payload, s.Certificate()); err != nil {
		t.Fatalf("VerifyDetached(own signature) = %v", err)
	}
	operator := MustReadCert(t, filepath.Join(dir, pki.OperatorCertFile))
	hdr, _, _ := strings.Cut(jws, ".")
	sig := jws[strings.LastIndex(jws, ".")+1:]
	kid := pki.KeyID(s.Certificate())
	header := func(json string) string { return b64(strings.ReplaceAll(json, "KID", kid)) + ".." + sig }
	tests := []struct {
		name    string
		jws     string
		payload []byte
		want    string
	}{
		{"ErrOtherBytes", jws, append(append([]byte(nil), payload...), ' '), "does not verify"},
		{"ErrOneByte", jws, append([]byte("X"), payload[1:]...), "does not verify"},
		{"ErrEmpty", "", payload, "no signature"},
		{"ErrAttached", hdr + ".cGF5bG9hZA." + sig, payload, "not a detached"},
		{"ErrTwoParts", hdr + ".sig", payload, "not a detached"},
		{"ErrTooLong", hdr + ".." + strings.Repeat("A", pki.MaxJWSBytes), payload, "at most"},
		{"ErrHeaderNotBase64", "!!!.." + sig, payload, "header is not base64url"},
		{"ErrHeaderStdAlphabet", "+" + hdr[1:] + ".." + sig, payload, "header is not base64url"},
		{"ErrHeaderPadded", hdr + "==.." + sig, payload, "header is padded"},
		{"ErrHeaderNewline", hdr[:8] + "\n" + hdr[8:] + ".." + sig, payload, "header holds whitespace"},
		{"ErrHeaderSpace", " " + hdr + ".." + sig, payload, "header holds whitespace"},
		{"ErrSignatureNotBase64", hdr + "..!!!", payload, "signature is not base64url"},
		{"ErrSignaturePadded", hdr + ".." + sig + "==", payload, "signature is padded"},
		{"ErrSignatureCRLF", hdr + ".." + sig[:40] + "\r\n" + sig[40:], payload, "signature holds whitespace"},
		{"ErrSignatureTrailingBits", hdr + ".." + sig[:len(sig)-1] + flipLowBit(sig[len(sig)-1:]), payload, "not canonical"},
		{"ErrShortSignature", hdr + "..c2ln", payload, "ES256 signature of 3 bytes"},
		{"ErrHeaderNotJSON", header(`{alg`), payload, "not JSON"},
		{"ErrHeaderArray", header(`["ES256"]`), payload, "not a JSON object"},
		{"ErrHeaderTrailing", header(`{"alg":"ES256","kid":"KID"}{}`), payload, "more after"},
		{"ErrHeaderNotUTF8", header("{\"alg\":\"ES256\",\"kid\":\"KID\",\"typ\":\"\xff\"}"), payload, "not UTF-8"},
		{"ErrCrit", header(`{"alg":"ES256","kid":"KID","crit":["exp"],"exp":1}`), payload, "crit"},
		{"ErrCritEmpty", header(`{"alg":"ES256","kid":"KID","crit":[]}`), payload, "crit"},
		{"ErrB64False", header(`{"alg":"ES256","kid":"KID","b64":false,"crit":["b64"]}`), payload, "b64"},
		{"ErrB64True", header(`{"alg":"ES256","kid":"KID","b64":true}`), payload, "b64"},
		{"ErrUnknownParameter", header(`{"alg":"ES256","kid":"KID","cty":"xml"}`), payload, `"cty" is not understood`},
		{"ErrJWK", header(`{"alg":"ES256","kid":"KID","jwk":{"kty":"EC"}}`), payload, `"jwk" is not understood`},
		{"ErrNameCase", header(`{"ALG":"ES256","kid":"KID"}`), payload, `"ALG" is not understood`},
		{"ErrDuplicate", header(`{"alg":"ES256","kid":"KID","alg":"ES256"}`), payload, `"alg" appears twice`},
		{"ErrDuplicateEscaped", header(`{"alg":"ES256","kid":"KID","\u0061lg":"none"}`), payload, `"alg" appears twice`},
		{"ErrAlgNotString", header(`{"alg":256,"kid":"KID"}`), payload, "alg is not a string"},
		{"ErrAlgNull", header(`{"alg":null,"kid":"KID"}`), payload, "alg is not a string"},
		{"ErrNoAlg", header(`{"kid":"KID"}`), payload, "no alg"},
		{"ErrAlgNone", header(`{"alg":"none","kid":"KID"}`), payload, "alg none"},
		{"ErrAlgHS256", header(`{"alg":"HS256","kid":"KID"}`), payload, "only ES256"},
		{"ErrAlgCase", header(`{"alg":"es256","kid":"KID"}`), payload, "only ES256"},
		{"ErrNoKid", header(`{"alg":"ES256"}`), payload, "no kid"},
		{"ErrOtherKid", header(`{"alg":"ES256","kid":"x"}`), payload, "kid names another"},
		{"ErrOtherX5t", header(`{"alg":"ES256","kid":"KID","x5t#S256":"x"}`), payload, "x5t#S256 names another"},
		{"ErrTypEmpty", header(`{"alg":"ES256","kid":"KID","typ":""}`), payload, "typ is empty"},
		{"ErrTypJWT", header(`{"alg":"ES256","kid":"KID","typ":"JWT"}`), payload, "only JOSE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pki.VerifyDetached(tt.jws, tt.payload, s.Certificate())
			if !errors.Is(err, pki.ErrSignature) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("VerifyDetached = %v; want ErrSignature saying %q", err, tt.want)
			}
		})
	}
	t.Run("ErrOtherKey", func(t *testing.T) {
		if err := pki.VerifyDetached(jws, payload, operator); !errors.Is(err, pki.ErrSignature) {
			t.Errorf("VerifyDetached with the operator's certificate = %v; want ErrSignature", err)
		}
	})
}

func TestSignerFromTLS(t *testing.T) {
	_, dir := mustHubSigner(t)
	pair, err := tls.LoadX509KeyPair(filepath.Join(dir, pki.OperatorCertFile), filepath.Join(dir, pki.OperatorKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	s, err := pki.SignerFromTLS(pair)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := s.Sign([]byte("checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	if err := pki.Verify(s.Certificate(), []byte("checkpoint"), sig); err != nil {
		t.Errorf("Verify = %v", err)
	}
	if err := pki.Verify(s.Certificate(), []byte("checkpoinT"), sig); !errors.Is(err, pki.ErrSignature) {
		t.Errorf("Verify of other bytes = %v; want ErrSignature", err)
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// flipLowBit returns the base64url character c with its lowest bit flipped:
// at the end of an ES256 signature that bit is unused, so a lenient decoder
// reads the same bytes.
func flipLowBit(c string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	return string(alphabet[strings.Index(alphabet, c)^1])
}

// A CBPR+ pacs.008 with its AppHdr is about 3 KB.
var message3KB = bytes.Repeat([]byte("0123456789abcdef"), 192)

func BenchmarkSignDetached(b *testing.B) {
	s, _ := mustHubSigner(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.SignDetached(message3KB); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDetached(b *testing.B) {
	s, _ := mustHubSigner(b)
	jws, err := s.SignDetached(message3KB)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := pki.VerifyDetached(jws, message3KB, s.Certificate()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLoadHubCertificate(t *testing.T) {
	s, dir := mustHubSigner(t)
	if err := os.Remove(filepath.Join(dir, pki.HubKeyFile)); err != nil {
		t.Fatal(err)
	}
	cert, err := pki.LoadHubCertificate(dir)
	if err != nil || !cert.Equal(s.Certificate()) {
		t.Errorf("LoadHubCertificate without the hub's key = %v, %v; want the hub's certificate", cert, err)
	}
}
