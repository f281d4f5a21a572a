package corridor

// SignedMessage is an ISO 20022 message exactly as its sender sent it, with
// the sender's detached JWS, kept together as evidence. The JWS covers Body
// itself, or, for a message sent in a batch, the batch's statement, which
// Batch ties to Body (SignedBytes).
type SignedMessage struct {
	Body      []byte
	Signature string      // Compact JWS with detached content: header..signature.
	Batch     *BatchProof // Nil for a message sent alone.
}
