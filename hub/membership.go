package hub

import (
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// MaxCertificates bounds a participant's valid certificates: the current one
// and a few more while it rotates.
const MaxCertificates = 8

// member is a registered participant and its standing.
type member struct {
	corridor.Participant
	Suspended    bool
	Certificates []corridor.Certificate // Valid ones, in the order issued.
	Policy       corridor.RelationshipPolicy
}

func (m *member) membership() corridor.Membership {
	p := m.Participant
	p.Currencies = slices.Clone(p.Currencies)
	return corridor.Membership{Participant: p, Suspended: m.Suspended, Certificates: slices.Clone(m.Certificates)}
}

// addCertificate records a newly issued certificate, dropping those expired
// by now; a participant holding MaxCertificates valid ones gets none more.
func (m *member) addCertificate(c corridor.Certificate, now time.Time) error {
	m.Certificates = slices.DeleteFunc(m.Certificates, func(old corridor.Certificate) bool { return !old.NotAfter.After(now) })
	if len(m.Certificates) >= MaxCertificates {
		return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("%s holds %d valid certificates; revoke one first", m.BIC, MaxCertificates))
	}
	m.Certificates = append(m.Certificates, c)
	return nil
}

func (s *state) register(c registerCmd, now time.Time) result {
	p := corridor.Participant{BIC: c.BIC, Name: c.Name, Currencies: c.Currencies}
	if err := p.Validate(); err != nil {
		return refused(err)
	}
	if c.Certificate.Serial == "" || !c.Certificate.NotAfter.After(now) {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, "a registration needs a valid certificate"))
	}
	if old, ok := s.participants[c.BIC]; ok {
		if old.Name != p.Name || !slices.Equal(old.Currencies, p.Currencies) {
			return refused(corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("participant %s is already registered with other details", c.BIC)))
		}
		if err := old.addCertificate(c.Certificate, now); err != nil {
			return refused(err)
		}
		s.changed(c.BIC)
		return applied()
	}
	if len(s.participants) >= MaxParticipants {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, "the hub has its maximum of participants"))
	}
	s.openAccounts(p)
	s.participants[p.BIC] = &member{Participant: p, Certificates: []corridor.Certificate{c.Certificate}}
	s.inboxes[p.BIC] = &inbox{}
	s.changed(p.BIC)
	return applied()
}

func (s *state) openAccounts(p corridor.Participant) {
	for _, cur := range p.Currencies {
		if _, ok := s.ledger.Account(ledger.Central(cur)); !ok {
			assert.That(s.ledger.Open(ledger.Central(cur), 0) == nil, "open central account %s", cur)
			err := settlement.OpenAccounts(s.ledger, cur)
			assert.That(err == nil, "open technical and FX position accounts %s: %v", cur, err)
			if s.config.Messages >= MessagesRoundingBooked {
				assert.That(s.ledger.Open(settlement.RoundingAccount(cur), 0) == nil, "open FX rounding account %s", cur)
			}
		}
		assert.That(s.ledger.Open(ledger.Settlement(p.BIC, cur), 0) == nil, "open settlement account %s/%s", p.BIC, cur)
	}
}

// changed marks bic's membership for publishing after the commit.
func (s *state) changed(bic corridor.BIC) {
	if !slices.Contains(s.republish, bic) {
		s.republish = append(s.republish, bic)
	}
}

func (s *state) revoke(c revokeCmd) result {
	m, ok := s.participants[c.BIC]
	if !ok {
		return refused(fmt.Errorf("participant %s: %w", c.BIC, corridor.ErrNotFound))
	}
	n := len(m.Certificates)
	m.Certificates = slices.DeleteFunc(m.Certificates, func(cert corridor.Certificate) bool {
		return c.Serial == "" || cert.Serial == c.Serial
	})
	if len(m.Certificates) == n {
		return refused(fmt.Errorf("certificate %q of %s: %w", c.Serial, c.BIC, corridor.ErrNotFound))
	}
	s.changed(c.BIC)
	return applied()
}

func (s *state) suspend(c suspendCmd) result {
	m, ok := s.participants[c.BIC]
	if !ok {
		return refused(fmt.Errorf("participant %s: %w", c.BIC, corridor.ErrNotFound))
	}
	if m.Suspended == c.Suspended {
		return result{}
	}
	m.Suspended = c.Suspended
	s.changed(c.BIC)
	return applied()
}

func (s *state) setPolicy(c policyCmd) result {
	m, ok := s.participants[c.BIC]
	if !ok {
		return refused(fmt.Errorf("participant %s: %w", c.BIC, corridor.ErrNotFound))
	}
	if err := validPolicy(c.Policy); err != nil {
		return refused(err)
	}
	m.Policy = c.Policy
	return applied()
}

func validPolicy(p corridor.RelationshipPolicy) error {
	if len(p.Allow) > corridor.MaxRelationships {
		return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("at most %d relationships", corridor.MaxRelationships))
	}
	for _, r := range p.Allow {
		if _, err := corridor.ParseBIC(string(r.Counterparty)); err != nil {
			return err
		}
		if len(r.Messages) == 0 || len(r.Messages) > corridor.MaxRelationshipMessages {
			return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("a relationship names 1 to %d message types", corridor.MaxRelationshipMessages))
		}
		for _, t := range r.Messages {
			if !knownMessageType(t) {
				return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("message type %.20q is not one the hub routes", t))
			}
		}
	}
	return nil
}

// knownMessageType reports whether t is a message type (without version)
// that the hub routes between participants.
func knownMessageType(t string) bool {
	switch t {
	case "pacs.008", "pacs.009", "pacs.004", "camt.056", "camt.029":
		return true
	}
	return false
}

// MaxRevokedOperators bounds the operator certificates the hub remembers as revoked.
const MaxRevokedOperators = 10_000

// operatorRevokeCmd revokes an operator certificate by its serial. The CA
// issues operator certificates offline, so the hub keeps the serials it must
// refuse; they are refused at their next request.
type operatorRevokeCmd struct {
	Serial string
	By     string // The operator who revoked it.
}

func (s *state) revokeOperator(c operatorRevokeCmd) result {
	if c.Serial == "" || len(c.Serial) > 64 {
		return refused(corridor.Reject(corridor.ReasonInvalidFormat, "a certificate serial is 1 to 64 hex digits"))
	}
	if s.revokedOperators[c.Serial] {
		return result{}
	}
	if len(s.revokedOperators) >= MaxRevokedOperators {
		return refused(corridor.Reject(corridor.ReasonNotAllowed, "the hub holds its maximum of revoked operator certificates"))
	}
	s.revokedOperators[c.Serial] = true
	s.operatorsChanged = true
	return applied()
}
