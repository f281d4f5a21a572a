package corridor

// SignedMessage is an ISO 20022 message exactly as its sender sent it, with
// the sender's detached JWS over those bytes, kept together as evidence.
type SignedMessage struct {
	Body      []byte
	Signature string // Compact JWS with detached content: header..signature.
}
