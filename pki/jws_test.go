package pki_test

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"errors"
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
	tests := []struct {
		name    string
		jws     string
		payload []byte
		want    string
	}{
		{"ErrOtherBytes", jws, append(append([]byte(nil), payload...), ' '), "does not verify"},
		{"ErrOneByte", jws, append([]byte("X"), payload[1:]...), "does not verify"},
		{"ErrEmpty", "", payload, "no signature"},
		{"ErrAttached", hdr + ".cGF5bG9hZA." + jws[strings.LastIndex(jws, ".")+1:], payload, "not a detached"},
		{"ErrTwoParts", hdr + ".sig", payload, "not a detached"},
		{"ErrAlgNone", b64(`{"alg":"none","kid":"x"}`) + "..c2ln", payload, "only ES256"},
		{"ErrAlgHS256", b64(`{"alg":"HS256","kid":"x"}`) + "..c2ln", payload, "only ES256"},
		{"ErrHeaderNotJSON", b64(`{alg`) + "..c2ln", payload, "not JSON"},
		{"ErrHeaderNotBase64", "!!!..c2ln", payload, "not base64url"},
		{"ErrSignatureNotBase64", hdr + "..!!!", payload, "not base64url"},
		{"ErrShortSignature", hdr + "..c2ln", payload, "ES256 signature of 3 bytes"},
		{"ErrTooLong", hdr + ".." + strings.Repeat("A", pki.MaxJWSBytes), payload, "at most"},
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
