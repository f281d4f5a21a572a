package pki_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/tls"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/corridor-network/corridor/pki"
)

// mustJOSESigner is a go-jose ES256 signer with the hub's key, naming the
// hub's certificate by its KeyID, with the protected header options opts.
func mustJOSESigner(tb testing.TB, dir string, opts *jose.SignerOptions) jose.Signer {
	tb.Helper()
	pair, err := tls.LoadX509KeyPair(filepath.Join(dir, pki.HubCertFile), filepath.Join(dir, pki.HubKeyFile))
	if err != nil {
		tb.Fatal(err)
	}
	key, ok := pair.PrivateKey.(*ecdsa.PrivateKey)
	if !ok {
		tb.Fatalf("hub key is %T", pair.PrivateKey)
	}
	s, err := pki.SignerFromTLS(pair)
	if err != nil {
		tb.Fatal(err)
	}
	jwk := jose.JSONWebKey{Key: key, KeyID: pki.KeyID(s.Certificate()), Algorithm: string(jose.ES256)}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jwk}, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return signer
}

// mustJOSEDetached signs payload with signer and returns the detached compact JWS.
func mustJOSEDetached(tb testing.TB, signer jose.Signer, payload []byte) string {
	tb.Helper()
	obj, err := signer.Sign(payload)
	if err != nil {
		tb.Fatal(err)
	}
	jws, err := obj.DetachedCompactSerialize()
	if err != nil {
		tb.Fatal(err)
	}
	return jws
}

// TestJWSInterop checks our detached JWS against an independent
// implementation, go-jose: each verifies what the other signs, and ours
// refuses go-jose's signatures whose headers ask for what it does not do.
func TestJWSInterop(t *testing.T) {
	s, dir := mustHubSigner(t)
	payload := []byte(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">Нефть</Document>`)
	other := append(bytes.Clone(payload[:len(payload)-1]), '!')
	pub := s.Certificate().PublicKey

	t.Run("OursVerifyWithGoJOSE", func(t *testing.T) {
		jws, err := s.SignDetached(payload)
		if err != nil {
			t.Fatal(err)
		}
		obj, err := jose.ParseDetached(jws, payload, []jose.SignatureAlgorithm{jose.ES256})
		if err != nil {
			t.Fatalf("go-jose ParseDetached(our JWS) = %v", err)
		}
		if _, err := obj.Verify(pub); err != nil {
			t.Errorf("go-jose Verify(our JWS) = %v", err)
		}
		if kid := obj.Signatures[0].Protected.KeyID; kid != pki.KeyID(s.Certificate()) {
			t.Errorf("go-jose reads kid %q; want %q", kid, pki.KeyID(s.Certificate()))
		}
		if err := obj.DetachedVerify(other, pub); err == nil {
			t.Error("go-jose DetachedVerify(our JWS, other payload) = nil; want an error")
		}
	})

	for _, tt := range []struct {
		name string
		opts *jose.SignerOptions
		want string // "" when ours must accept it.
	}{
		{"GoJOSEVerifyWithOurs", nil, ""},
		{"GoJOSETypJOSE", (&jose.SignerOptions{}).WithType("JOSE"), ""},
		{"GoJOSEX5t", (&jose.SignerOptions{}).WithHeader("x5t#S256", pki.KeyID(s.Certificate())), ""},
		{"ErrGoJOSECrit", (&jose.SignerOptions{}).WithCritical("exp").WithHeader("exp", 1767225600), "crit"},
		{"ErrGoJOSEUnencoded", (&jose.SignerOptions{}).WithBase64(false), "b64"},
		{"ErrGoJOSEContentType", (&jose.SignerOptions{}).WithContentType("application/xml"), `"cty" is not understood`},
		{"ErrGoJOSEEmbeddedJWK", &jose.SignerOptions{EmbedJWK: true}, `"jwk" is not understood`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			jws := mustJOSEDetached(t, mustJOSESigner(t, dir, tt.opts), payload)
			err := pki.VerifyDetached(jws, payload, s.Certificate())
			if tt.want == "" {
				if err != nil {
					t.Fatalf("VerifyDetached(go-jose's JWS %s) = %v", jws, err)
				}
				if err := pki.VerifyDetached(jws, other, s.Certificate()); !errors.Is(err, pki.ErrSignature) {
					t.Errorf("VerifyDetached(go-jose's JWS, other payload) = %v; want ErrSignature", err)
				}
				return
			}
			if !errors.Is(err, pki.ErrSignature) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("VerifyDetached(go-jose's JWS %s) = %v; want ErrSignature saying %q", jws, err, tt.want)
			}
		})
	}
}
