// Package pki is the hub's certificate authority and the identities of its
// mutual TLS 1.3 connections.
//
// InitCA writes a CA directory once: a self-signed root, the hub's server
// certificate and the operator's client certificate, all ECDSA P-256, keys as
// PKCS#8 PEM readable only by their owner. Every key pki writes is mode 0600
// and never overwritten (WriteKey), and every key it loads must be closed to
// group and others. A bank makes its own key and a CSR with NewParticipantKey
// and keeps the key (WriteParticipantRequest), so the key never leaves the
// bank; the operator signs the CSR with CA.IssueParticipant, which takes only
// the public key from the CSR and names the certificate itself: the subject's
// CommonName is the participant's 11-character BIC, its Organization the
// participant's name and its OrganizationalUnit the role. The bank writes the
// certificate beside its key (WriteParticipantCertificate).
//
// Messages are signed with detached JWS (RFC 7515 Appendix F, ES256, kid the
// certificate's SHA-256 thumbprint). VerifyDetached accepts only the header
// parameters it knows, each once, in canonical base64url: crit, b64 and any
// other parameter are refused, as RFC 7515 §4.1.11 requires of a verifier
// that implements no extension.
//
// Why ES256 and not Ed25519: measured side by side on a 3 KB payload
// (BenchmarkES256Sign/Verify and BenchmarkEd25519Sign/Verify, -cpu 1,
// 2026-12-01, load average 1.6), ES256 signs in 22.7 µs and verifies in 59 µs,
// Ed25519 signs in 22.8 µs and verifies in 39 µs. Ed25519 would save about 20
// µs of the hub's work per message, a third of a verification; it is not yet
// in the certificate profiles banks' HSMs and CBPR+ PKIs issue, while P-256
// is everywhere. So the hub keeps ES256, signs deterministically (RFC 6979)
// and signs each delivered message once.
//
// What changes the cost more is one signature over a batch of messages (POST
// /v1/messages/batch: the bank signs the Merkle root of up to 256 messages,
// corridor.BatchStatement, and the hub signs the root of their receipts).
// BenchmarkSignaturesPerPayment measures a payment's whole signature work
// (the bank's JWS, the hub's verification and proofs, the receipt's
// signature) on 3 KB messages, -cpu 1, medians of 3, 2026-12-01 at load
// average 4.1 to 4.4: 200 µs alone, 18.2 µs in batches of 16, 8.6 µs in
// batches of 64, 6.2 µs in batches of 256, where the SHA-256 of the
// messages into the tree, on the bank's side and the hub's, is most of what
// is left. Beside that, Ed25519's 20 µs is not worth a second key type.
//
// On every connection the hub requires a client certificate signed by its CA
// (ServerTLSConfig), and IdentityOf turns the verified certificate into a
// corridor.Identity: who is calling and what it may do.
package pki
