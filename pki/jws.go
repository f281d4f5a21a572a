package pki

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"path/filepath"
	"strings"
	"unicode/utf8"
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

// LoadSigner reads a certificate and its ECDSA P-256 key from PEM files; the
// key file must be closed to group and others.
func LoadSigner(certFile, keyFile string) (*Signer, error) {
	pair, err := loadKeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load signer: %w", err)
	}
	return SignerFromTLS(pair)
}

// LoadHubSigner reads the hub's certificate and key from a CA directory.
func LoadHubSigner(dir string) (*Signer, error) {
	return LoadSigner(filepath.Join(dir, HubCertFile), filepath.Join(dir, HubKeyFile))
}

// LoadHubCertificate reads the hub's certificate from a CA directory: what
// checks the hub's signatures, for someone who need not hold its key.
func LoadHubCertificate(dir string) (*x509.Certificate, error) {
	cert, err := readCertFile(filepath.Join(dir, HubCertFile))
	if err != nil {
		return nil, fmt.Errorf("load hub certificate: %w", err)
	}
	return cert, nil
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
//
// The signature is deterministic (RFC 6979): the same key signs the same
// bytes the same way every time, so the hub gives one signature for each
// message it delivers, however often it is read, and can show again, from
// its journal, the signature it gave.
func (s *Signer) Sign(msg []byte) ([]byte, error) {
	digest := sha256.Sum256(msg)
	der, err := s.key.Sign(nil, digest[:], crypto.SHA256) // nil: RFC 6979 nonces.
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(der, &rs); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("sign: unexpected signature encoding: %v", err)
	}
	r, sv := rs.R, rs.S
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

// The protected header parameters the verifier knows (RFC 7515 §4.1). It
// refuses every other one: crit (§4.1.11) names extensions it does not
// implement, b64 (RFC 7797) would sign the payload unencoded, and any other
// name may carry a meaning the signer relied on and the verifier would miss.
const (
	hdrAlg = "alg"
	hdrKid = "kid"
	hdrX5t = "x5t#S256"
	hdrTyp = "typ"
)

// jwsHeader is the protected header of the detached JWS.
type jwsHeader struct {
	Alg string `json:"alg"`           // Always ES256.
	Kid string `json:"kid"`           // KeyID of the signing certificate.
	X5t string `json:"x5t#S256"`      // The same thumbprint, as RFC 7515 §4.1.8 names it; optional when verifying.
	Typ string `json:"typ,omitempty"` // Optional; JOSE when present (RFC 7515 §4.1.9).
}

// field returns where h holds the header parameter name, or nil when the
// verifier does not know the name.
func (h *jwsHeader) field(name string) *string {
	switch name {
	case hdrAlg:
		return &h.Alg
	case hdrKid:
		return &h.Kid
	case hdrX5t:
		return &h.X5t
	case hdrTyp:
		return &h.Typ
	}
	return nil
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
// It accepts only what SignDetached writes, less the optional parameters:
// canonical unpadded base64url, a protected header that is a JSON object
// of the parameters alg (ES256), kid (cert's KeyID), x5t#S256 and typ, each
// once, and an ES256 signature. Errors wrap ErrSignature and say what was
// wrong.
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
	raw, err := decodeSegment("header", protected)
	if err != nil {
		return err
	}
	h, err := parseHeader(raw)
	if err != nil {
		return err
	}
	if err := h.check(cert); err != nil {
		return err
	}
	rs, err := decodeSegment("signature", sig)
	if err != nil {
		return err
	}
	return Verify(cert, signingInput(protected, payload), rs)
}

func splitDetached(jws string) (protected, sig string, ok bool) {
	parts := strings.Split(jws, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] != "" || parts[2] == "" {
		return "", "", false
	}
	return parts[0], parts[2], true
}

// decodeSegment decodes one part of a compact JWS, which must be unpadded
// base64url (RFC 7515 §2) in its canonical form, so that the same bytes have
// one spelling only. Go's decoders would otherwise skip line breaks and ignore
// the unused bits of the last character. (ECDSA itself is malleable: (r, n-s)
// is a second valid signature of the same payload; ES256 verifiers accept
// both, so a JWS is never an identifier of what it signs.)
func decodeSegment(part, s string) ([]byte, error) {
	if strings.ContainsAny(s, " \t\r\n\f\v") {
		return nil, fmt.Errorf("%w: %s holds whitespace", ErrSignature, part)
	}
	if strings.Contains(s, "=") {
		return nil, fmt.Errorf("%w: %s is padded; base64url in a JWS has no padding", ErrSignature, part)
	}
	if i := strings.IndexFunc(s, notBase64URL); i >= 0 {
		return nil, fmt.Errorf("%w: %s is not base64url: byte %d is outside its alphabet", ErrSignature, part, i)
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not canonical base64url (a length or last character no encoder writes)", ErrSignature, part)
	}
	return b, nil
}

// notBase64URL reports whether r is outside the base64url alphabet.
func notBase64URL(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}

// parseHeader reads the protected header as a JSON object exactly: every
// parameter once, by its exact name (encoding/json would match names in any
// case), with a non-empty string value, and none the verifier does not know.
func parseHeader(raw []byte) (jwsHeader, error) {
	var h jwsHeader
	if !utf8.Valid(raw) {
		return h, fmt.Errorf("%w: header is not UTF-8", ErrSignature)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return h, fmt.Errorf("%w: header is not a JSON object", ErrSignature)
	}
	seen := make(map[string]bool, 4) // Bounded by MaxJWSBytes.
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return h, fmt.Errorf("%w: header is not JSON", ErrSignature)
		}
		name, _ := t.(string) // In an object, a token before a value is its name.
		if seen[name] {
			return h, fmt.Errorf("%w: header parameter %.20q appears twice", ErrSignature, name)
		}
		seen[name] = true
		if err := headerValue(dec, name, h.field(name)); err != nil {
			return h, err
		}
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return h, fmt.Errorf("%w: header is not JSON", ErrSignature)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return h, fmt.Errorf("%w: header has more after its JSON object", ErrSignature)
	}
	return h, nil
}

// headerValue decodes the value of the header parameter name into field,
// which is nil when the verifier does not know name.
func headerValue(dec *json.Decoder, name string, field *string) error {
	switch {
	case name == "crit":
		return fmt.Errorf("%w: header has crit: this verifier implements no extension (RFC 7515 §4.1.11)", ErrSignature)
	case name == "b64":
		return fmt.Errorf("%w: header has b64: the payload is always signed base64url-encoded (RFC 7797 is not accepted)", ErrSignature)
	case field == nil:
		return fmt.Errorf("%w: header parameter %.20q is not understood", ErrSignature, name)
	}
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("%w: header is not JSON", ErrSignature)
	}
	if len(v) == 0 || v[0] != '"' || json.Unmarshal(v, field) != nil {
		return fmt.Errorf("%w: header parameter %s is not a string", ErrSignature, name)
	}
	if *field == "" {
		return fmt.Errorf("%w: header parameter %s is empty", ErrSignature, name)
	}
	return nil
}

// check checks the header's values against the certificate that must have
// signed.
func (h jwsHeader) check(cert *x509.Certificate) error {
	kid := KeyID(cert)
	switch {
	case h.Alg == "":
		return fmt.Errorf("%w: header has no alg", ErrSignature)
	case h.Alg == "none":
		return fmt.Errorf("%w: alg none: an unsecured JWS is never accepted", ErrSignature)
	case h.Alg != "ES256":
		return fmt.Errorf("%w: alg %.10q; only ES256 is accepted", ErrSignature, h.Alg)
	case h.Kid == "":
		return fmt.Errorf("%w: header has no kid", ErrSignature)
	case h.Kid != kid:
		return fmt.Errorf("%w: kid names another certificate than the sender's", ErrSignature)
	case h.X5t != "" && h.X5t != kid:
		return fmt.Errorf("%w: x5t#S256 names another certificate than the sender's", ErrSignature)
	case h.Typ != "" && h.Typ != "JOSE":
		return fmt.Errorf("%w: typ %.10q; only JOSE is accepted", ErrSignature, h.Typ)
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
