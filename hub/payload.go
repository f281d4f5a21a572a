package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// payloadVersion is the format of the journal payloads this hub writes:
//
//	v0: the command's JSON, bare; written before payloads carried a version
//	    (testdata/journal-v0.jsonl keeps such a journal).
//	v1: {"v":1,"cmd":<the command's JSON>}, the same fields as v0.
//	v2: as v1; the payment's XchgRate is new (absent before), and payments
//	    and quote requests convert through FX providers. A payment or quote
//	    request of v0 or v1 is marked legacy and converts as it did then,
//	    through the hub's FX position accounts, so old journals replay to
//	    the same state.
//
//	v3: a payment.submit is a binary record (payment_record.go), not
//	    JSON; every other kind is written as v2.
//
// A change to any journaled command's fields is a new version, with its
// migration in decodePayload; testdata/journal/* fails the tests when an
// encoding changes without one.
const payloadVersion = 2

// versionPrefix starts every versioned payload: encoding/json writes the
// fields of payloadEnvelope in order. No v0 payload starts so, for no command
// has a field named v.
const versionPrefix = `{"v":`

type payloadEnvelope struct {
	V   int             `json:"v"`
	Cmd json.RawMessage `json:"cmd"`
}

// encodeCommand is the journal payload of c, in the current version.
// It writes the envelope's bytes itself, as encoding/json writes
// payloadEnvelope: Marshal of a RawMessage scans it again whole, and a
// payment's is mostly the base64 of its message.
func encodeCommand(c command) ([]byte, error) {
	if pc, ok := c.(paymentCmd); ok { // Not a returnCmd, which holds one: only a payment.submit is a record.
		return pc.encodeRecord(), nil
	}
	body, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", c.kind(), err)
	}
	out := make([]byte, 0, len(envelopeHead)+len(body)+1)
	out = append(append(append(out, envelopeHead...), body...), '}')
	return out, nil
}

// envelopeHead is how encoding/json starts payloadEnvelope of the current
// version (TestEnvelopeBytes holds them to it).
var envelopeHead = versionPrefix + strconv.Itoa(payloadVersion) + `,"cmd":`

// decodeCommand reads a journal payload of the given kind, of any version
// this hub knows.
func decodeCommand(kind string, payload []byte) (command, error) {
	decode, ok := registry[kind]
	if !ok {
		return nil, fmt.Errorf("unknown journal entry kind %q", kind)
	}
	return decode(payload)
}

// decodePayload reads a payload of command type C. Every version so far
// has the same fields; the first version that changes them migrates here.
func decodePayload[C command](payload []byte) (command, error) {
	var c C
	if isRecord(payload) {
		if _, ok := any(c).(paymentCmd); !ok {
			return nil, fmt.Errorf("decode %s: a binary record, which only a %s is", c.kind(), kindPayment)
		}
		return decodePaymentRecord(payload)
	}
	body, version, err := unwrapPayload(payload)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", c.kind(), err)
	}
	switch version {
	case 0, 1:
		err = decodeStrict(body, &c)
		if m, ok := any(&c).(interface{ markLegacy() }); ok {
			m.markLegacy()
		}
	case 2:
		err = decodeStrict(body, &c)
	default:
		err = fmt.Errorf("payload version %d is newer than this hub's %d", version, payloadVersion)
	}
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", c.kind(), err)
	}
	return c, nil
}

// unwrapPayload returns the command's JSON and the payload's version.
func unwrapPayload(payload []byte) ([]byte, int, error) {
	if !bytes.HasPrefix(payload, []byte(versionPrefix)) {
		return payload, 0, nil
	}
	if body, ok := bytes.CutPrefix(payload, []byte(envelopeHead)); ok && len(body) > 1 && body[len(body)-1] == '}' {
		// The envelope as this hub writes it: the command is what is
		// between, which its own decoding checks whole, trailing data and all.
		return body[:len(body)-1], payloadVersion, nil
	}
	var env payloadEnvelope
	if err := decodeStrict(payload, &env); err != nil {
		return nil, 0, err
	}
	if env.V < 1 || len(env.Cmd) == 0 {
		return nil, 0, fmt.Errorf("payload version %s without a command", strconv.Itoa(env.V))
	}
	return env.Cmd, env.V, nil
}

// decodeStrict decodes one JSON value into v and refuses unknown fields
// and trailing data: a field this hub does not know is an encoding it must
// not replay silently.
func decodeStrict(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	// More misses a closing brace or bracket after the value: only
	// whitespace may follow it.
	if rest := bytes.TrimSpace(data[d.InputOffset():]); len(rest) > 0 {
		return fmt.Errorf("trailing data after the payload: %.20q", rest)
	}
	return nil
}
