package hub

import (
	"encoding/json"
	"fmt"

	"corridor"
)

// The kinds of journaled command; each names its payload type below.
const (
	kindRegister = "participant.register"
	kindFund     = "account.fund"
	kindPayment  = "payment.submit"
	kindAck      = "inbox.ack"
	kindRevoke   = "certificate.revoke"
	kindSuspend  = "participant.suspend"
	kindPolicy   = "relationships.put"
)

// command is an input that may change state. The sequencer executes it and,
// when it did change state, journals it; replaying the journal executes the
// same commands in the same order to rebuild the same state.
type command interface {
	kind() string
}

// registerCmd registers a participant and opens its settlement accounts, or
// adds a certificate to one registered with the same details (rotation).
type registerCmd struct {
	BIC         corridor.BIC
	Name        string
	Currencies  []corridor.Currency
	Certificate corridor.Certificate // The certificate issued with this registration.
}

// revokeCmd revokes one of a participant's certificates, or all of them.
type revokeCmd struct {
	BIC    corridor.BIC
	Serial string // Empty: every certificate of BIC.
}

// suspendCmd suspends a participant or resumes it.
type suspendCmd struct {
	BIC       corridor.BIC
	Suspended bool
}

// policyCmd replaces whom a participant accepts messages from.
type policyCmd struct {
	BIC    corridor.BIC
	Policy corridor.RelationshipPolicy
}

// fundCmd moves liquidity from the central account into a settlement account.
type fundCmd struct {
	BIC      corridor.BIC
	Currency corridor.Currency
	Amount   corridor.Amount
}

// paymentCmd is a validated pacs.008 from Sender, with the bytes it arrived as.
type paymentCmd struct {
	Sender    corridor.BIC
	Payment   corridor.Payment
	InstrID   string
	Message   []byte // The message as received, delivered as it is to the instructed agent.
	Signature string // The sender's detached JWS over Message, kept as evidence.
}

// ackCmd acknowledges every message of BIC's inbox up to and including Through.
type ackCmd struct {
	BIC     corridor.BIC
	Through uint64
}

func (registerCmd) kind() string { return kindRegister }
func (fundCmd) kind() string     { return kindFund }
func (paymentCmd) kind() string  { return kindPayment }
func (ackCmd) kind() string      { return kindAck }
func (revokeCmd) kind() string   { return kindRevoke }
func (suspendCmd) kind() string  { return kindSuspend }
func (policyCmd) kind() string   { return kindPolicy }

// encodeCommand is the journal payload of c.
func encodeCommand(c command) ([]byte, error) {
	return json.Marshal(c)
}

// decodeCommand reads a journal payload of the given kind.
func decodeCommand(kind string, payload []byte) (command, error) {
	switch kind {
	case kindRegister:
		return decodeAs[registerCmd](payload)
	case kindFund:
		return decodeAs[fundCmd](payload)
	case kindPayment:
		return decodeAs[paymentCmd](payload)
	case kindAck:
		return decodeAs[ackCmd](payload)
	case kindRevoke:
		return decodeAs[revokeCmd](payload)
	case kindSuspend:
		return decodeAs[suspendCmd](payload)
	case kindPolicy:
		return decodeAs[policyCmd](payload)
	}
	return nil, fmt.Errorf("unknown journal entry kind %q", kind)
}

func decodeAs[C command](payload []byte) (command, error) {
	var c C
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, fmt.Errorf("decode %s: %w", c.kind(), err)
	}
	return c, nil
}
