package pki_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"testing"
)

// The signature algorithms the hub could use for the JWS over every message,
// measured side by side on the same 3 KB payload: ES256 (what Corridor
// uses: P-256 keys in X.509 certificates that banks' HSMs and CBPR+ PKIs
// issue) against Ed25519 (faster, not yet in the CBPR+ certificate profiles
// banks are given). These are the raw primitives; BenchmarkSignDetached and
// BenchmarkVerifyDetached measure the whole JWS.

var algPayload = make([]byte, 3<<10)

func BenchmarkES256Sign(b *testing.B) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for b.Loop() {
		digest := sha256.Sum256(algPayload)
		if _, err := key.Sign(nil, digest[:], crypto.SHA256); err != nil { // RFC 6979, as the hub signs.
			b.Fatal(err)
		}
	}
}

func BenchmarkES256Verify(b *testing.B) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	digest := sha256.Sum256(algPayload)
	sig, _ := key.Sign(nil, digest[:], crypto.SHA256)
	for b.Loop() {
		d := sha256.Sum256(algPayload)
		if !ecdsa.VerifyASN1(&key.PublicKey, d[:], sig) {
			b.Fatal("does not verify")
		}
	}
}

func BenchmarkEd25519Sign(b *testing.B) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	for b.Loop() {
		ed25519.Sign(key, algPayload)
	}
}

func BenchmarkEd25519Verify(b *testing.B) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	sig := ed25519.Sign(key, algPayload)
	for b.Loop() {
		if !ed25519.Verify(pub, algPayload, sig) {
			b.Fatal("does not verify")
		}
	}
}
