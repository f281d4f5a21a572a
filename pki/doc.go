// Package pki is the hub's certificate authority and the identities of its
// mutual TLS 1.3 connections.
//
// InitCA writes a CA directory once: a self-signed root, the hub's server
// certificate and the operator's client certificate, all ECDSA P-256, keys as
// PKCS#8 PEM readable only by their owner. A bank makes its own key and a CSR
// with NewParticipantKey, so the key never leaves the bank; the operator signs
// the CSR with CA.IssueParticipant, which takes only the public key from the
// CSR and names the certificate itself: the subject's CommonName is the
// participant's 11-character BIC, its Organization the participant's name and
// its OrganizationalUnit the role.
//
// On every connection the hub requires a client certificate signed by its CA
// (ServerTLSConfig), and IdentityOf turns the verified certificate into a
// corridor.Identity: who is calling and what it may do.
package pki
