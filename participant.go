package corridor

import (
	"context"
	"fmt"
	"slices"
	"time"
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
		if _, err := ParseCurrency(string(c)); err != nil {
			return err
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

// Certificate is what the hub keeps of a client certificate it issued.
type Certificate struct {
	Serial   string    // Serial number, lower-case hex.
	NotAfter time.Time // When it expires.
}

// Membership is a participant's standing at the hub: whether it may act, and
// with which certificates.
type Membership struct {
	Participant  Participant
	Suspended    bool          // Its requests and payments to it are refused until resumed.
	Certificates []Certificate // Its valid (issued, not revoked) certificates.
}

// HasCertificate reports whether serial names one of m's valid certificates.
func (m Membership) HasCertificate(serial string) bool {
	for _, c := range m.Certificates {
		if c.Serial == serial {
			return true
		}
	}
	return false
}

// Relationship authorises a counterparty to send a participant messages of
// the given types, as SWIFT's RMA does.
type Relationship struct {
	Counterparty BIC
	Messages     []string // Message types without version, such as "pacs.008".
}

// RelationshipPolicy is whom a participant accepts messages from. An open
// policy (the default of a new participant) accepts every message type from
// every participant; a restricted one accepts only what Allow lists.
type RelationshipPolicy struct {
	Restricted bool
	Allow      []Relationship
}

// Limits of a relationship policy.
const (
	MaxRelationships        = 1000
	MaxRelationshipMessages = 16
)

// Allows reports whether the policy accepts a message of type msgType (such
// as "pacs.008") from sender.
func (p RelationshipPolicy) Allows(sender BIC, msgType string) bool {
	if !p.Restricted {
		return true
	}
	for _, r := range p.Allow {
		if r.Counterparty == sender && slices.Contains(r.Messages, msgType) {
			return true
		}
	}
	return false
}
