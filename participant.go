package corridor

import (
	"context"
	"fmt"
	"unicode/utf8"
)

// MaxParticipantNameChars bounds a participant's legal name (ISO 20022 Max140Text).
const MaxParticipantNameChars = 140

// MaxParticipantCurrencies bounds the settlement accounts one participant opens.
const MaxParticipantCurrencies = 16

// Participant is a bank connected to the hub, named by its BIC.
type Participant struct {
	BIC        BIC
	Name       string
	Currencies []Currency // One settlement account per currency, in this order.
}

// Validate reports the first problem with p as a reject.
func (p Participant) Validate() error {
	if _, err := ParseBIC(string(p.BIC)); err != nil {
		return err
	}
	n := utf8.RuneCountInString(p.Name)
	if n == 0 || n > MaxParticipantNameChars || !utf8.ValidString(p.Name) {
		return Reject(ReasonInvalidFormat, fmt.Sprintf("participant name must be 1 to %d characters", MaxParticipantNameChars))
	}
	if len(p.Currencies) == 0 || len(p.Currencies) > MaxParticipantCurrencies {
		return Reject(ReasonCurrency, fmt.Sprintf("a participant needs 1 to %d currencies", MaxParticipantCurrencies))
	}
	seen := make(map[Currency]bool, len(p.Currencies))
	for _, c := range p.Currencies {
		if !c.Valid() {
			return Reject(ReasonCurrency, fmt.Sprintf("currency %.3q is not processable", string(c)))
		}
		if seen[c] {
			return Reject(ReasonCurrency, fmt.Sprintf("currency %s is listed twice", c))
		}
		seen[c] = true
	}
	return nil
}

// Role is what a caller may do, taken from its client certificate.
type Role string

// The roles of callers.
const (
	RoleParticipant Role = "participant" // A bank: acts only as its own BIC.
	RoleOperator    Role = "operator"    // Whoever runs the hub: registers and funds participants.
)

// Identity is the authenticated caller of a request.
type Identity struct {
	Role Role
	BIC  BIC    // Set for RoleParticipant.
	Name string // The certificate's subject, for logs.
}

type identityKey struct{}

// NewContextWithIdentity returns a context carrying the caller authenticated
// by its client certificate.
func NewContextWithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFromContext returns the caller set by NewContextWithIdentity.
func IdentityFromContext(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}
