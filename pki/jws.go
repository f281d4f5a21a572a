package pki

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
)

// Bounds of a detached JWS as it arrives in a header.
const (
	MaxJWSBytes       = 1024 // The compact serialisation, header..signature.
	es256SignatureLen = 64   // R and S, 32 bytes each, as RFC 7518 §3.4 writes them.
)

// ErrSignature reports a signature that is missing, malformed or wrong.
var ErrSignature = errors.New("pki: bad signature")

// Signer signs with the key of a certificate: a bank signs what it sends, the
// hub what it delivers and the head of its journal. Only ECDSA P-256 (ES256).
type Signer struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// LoadSigner reads a certificate and its ECDSA P-256 key from PEM files.
func LoadSigner(certFile, keyFile string) (*Signer, error) {
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load signer: %w", err)
	}
	return SignerFromTLS(pair)
}

// LoadHubSigner reads the hub's certificate and key from a CA directory.
func LoadHubSigner(dir string) (*Signer, error) {
	return LoadSigner(filepath.Join(dir, HubCertFile), filepath.Join(dir, HubKeyFile))
}

// SignerFromTLS signs with a TLS certificate's key, as the Go client does
// with the certificate it connects with.
func SignerFromTLS(pair tls.Certificate) (*Signer, error) {
	if len(pair.Certificate) == 0 {
		return nil, errors.New("signer: no certificate")
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("signer: %w", err)
	}
	key, ok := pair.PrivateKey.(*ecdsa.PrivateKey)
	if !ok || key.Curve.Params().BitSize != 256 {
		return nil, fmt.Errorf("signer: key is %T, want ECDSA P-256", pair.PrivateKey)
	}
	return &Signer{cert: cert, key: key}, nil
}

// Certificate is the certificate whose key signs.
func (s *Signer) Certificate() *x509.Certificate { return s.cert }

// Sign returns an ES256 signature (R||S) over SHA-256 of msg.
func (s *Signer) Sign(msg []byte) ([]byte, error) {
	digest := sha256.Sum256(msg)
	r, sv, err := ecdsa.Sign(rand.Reader, s.key, digest[:])
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	sig := make([]byte, es256SignatureLen)
	r.FillBytes(sig[:32])
	sv.FillBytes(sig[32:])
	return sig, nil
}

// Verify checks an ES256 signature (R||S) over msg by cert's key.
func Verify(cert *x509.Certificate, msg, sig []byte) error {
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return fmt.Errorf("%w: certificate key is %T, want ECDSA", ErrSignature, cert.PublicKey)
	}
	if len(sig) != es256SignatureLen {
		return fmt.Errorf("%w: ES256 signature of %d bytes", ErrSignature, len(sig))
	}
	digest := sha256.Sum256(msg)
	r, sv := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(pub, digest[:], r, sv) {
		return fmt.Errorf("%w: does not verify with %s's key", ErrSignature, cert.Subject.CommonName)
	}
	return nil
}

// jwsHeader is the protected header of the detached JWS.
type jwsHeader struct {
	Alg string `json:"alg"`           // Always ES256.
	Kid string `json:"kid"`           // KeyID of the signing certificate.
	X5t string `json:"x5t#S256"`      // The same thumbprint, as RFC 7515 §4.1.8 names it.
	Typ string `json:"typ,omitempty"` //
}

// KeyID is the base64url SHA-256 thumbprint of a certificate's DER bytes.
func KeyID(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// SignDetached returns a JWS with detached content (RFC 7515, Appendix F)
// over the exact bytes of payload: "header..signature".
func (s *Signer) SignDetached(payload []byte) (string, error) {
	hdr, err := json.Marshal(jwsHeader{Alg: "ES256", Kid: KeyID(s.cert), X5t: KeyID(s.cert)})
	if err != nil {
		return "", fmt.Errorf("encode JWS header: %w", err)
	}
	protected := base64.RawURLEncoding.EncodeToString(hdr)
	sig, err := s.Sign(signingInput(protected, payload))
	if err != nil {
		return "", err
	}
	return protected + ".." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// VerifyDetached checks a detached JWS over payload, made with cert's key.
// Errors wrap ErrSignature and say what was wrong.
func VerifyDetached(jws string, payload []byte, cert *x509.Certificate) error {
	if jws == "" {
		return fmt.Errorf("%w: no signature", ErrSignature)
	}
	if len(jws) > MaxJWSBytes {
		return fmt.Errorf("%w: JWS of %d bytes; at most %d", ErrSignature, len(jws), MaxJWSBytes)
	}
	protected, sig, ok := splitDetached(jws)
	if !ok {
		return fmt.Errorf("%w: not a detached compact JWS (header..signature)", ErrSignature)
	}
	if err := checkHeader(protected, cert); err != nil {
		return err
	}
	raw, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return fmt.Errorf("%w: signature is not base64url", ErrSignature)
	}
	return Verify(cert, signingInput(protected, payload), raw)
}

func splitDetached(jws string) (protected, sig string, ok bool) {
	parts := strings.Split(jws, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] != "" || parts[2] == "" {
		return "", "", false
	}
	return parts[0], parts[2], true
}

func checkHeader(protected string, cert *x509.Certificate) error {
	raw, err := base64.RawURLEncoding.DecodeString(protected)
	if err != nil {
		return fmt.Errorf("%w: header is not base64url", ErrSignature)
	}
	var h jwsHeader
	if err := json.Unmarshal(raw, &h); err != nil {
		return fmt.Errorf("%w: header is not JSON", ErrSignature)
	}
	if h.Alg != "ES256" {
		return fmt.Errorf("%w: alg %.10q; only ES256 is accepted", ErrSignature, h.Alg)
	}
	if h.Kid != KeyID(cert) {
		return fmt.Errorf("%w: kid names another certificate than the sender's", ErrSignature)
	}
	return nil
}

// signingInput is BASE64URL(header) || '.' || BASE64URL(payload).
func signingInput(protected string, payload []byte) []byte {
	n := base64.RawURLEncoding.EncodedLen(len(payload))
	b := make([]byte, len(protected)+1+n)
	copy(b, protected)
	b[len(protected)] = '.'
	base64.RawURLEncoding.Encode(b[len(protected)+1:], payload)
	return b
}
