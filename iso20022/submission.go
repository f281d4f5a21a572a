package iso20022

import (
	"fmt"

	"github.com/corridor-network/corridor"
)

// submitted names the messages a participant may submit to the hub.
const submitted = "pacs.008.001.08, pacs.004.001.09, pacs.009.001.08, camt.056.001.08 or camt.029.001.09"

// Submission is a message a participant submitted to the hub, read and
// checked once by DecodeSubmission. Exactly one of its messages is set, the
// one MsgDefID names.
type Submission struct {
	MsgDefID string       // The Document's message definition, e.g. "pacs.004.001.09".
	Sender   corridor.BIC // AppHdr/Fr, the BIC of the sender's certificate.

	Payment    *CustomerCreditTransfer // A pacs.008.
	Return     *ReturnInstruction      // A pacs.004.
	Cancel     *CancelInstruction      // A camt.056.
	Resolution *CaseResolution         // A camt.029.
	Defund     *DefundInstruction      // A pacs.009.
}

// DecodeSubmission reads data, a message the participant sender submitted
// to the hub whose BIC is hub (an envelope holding its AppHdr and its
// Document), once: it parses it, validates it against the schemas and the
// usage rules, checks that sender is the AppHdr's Fr and the instructing
// agent (or the assigner of a camt.056), and returns the message's domain
// values. A pacs.008 is checked as DecodeCustomerCreditTransfer does, the
// others as Validate does; a pacs.009 is taken only as a defunding, from
// the sender to hub.
//
// The errors are an *InvalidError (FF01 and the rest: the message breaks
// a rule; every problem is listed), a *corridor.RejectError (FF01 for a
// message of another definition or without an AppHdr, a transaction count
// other than one or a status it cannot carry; RC01 for an agent named
// without its BIC; AG01 for a pacs.009 to another bank; and the root
// parsers' reasons for a value the hub cannot use, such as AM03 for a
// currency), or one wrapping corridor.ErrUnauthorized when sender is not
// who the message says sent it.
func DecodeSubmission(data []byte, sender, hub corridor.BIC) (*Submission, error) {
	st := lendStore() // What it returns holds strings only.
	defer st.release()
	return decodeSubmission(data, sender, hub, st)
}

// decodeSubmission is DecodeSubmission parsing into st, or into a tree of
// its own when st is nil.
func decodeSubmission(data []byte, sender, hub corridor.BIC, st *nodeStore) (*Submission, error) {
	root, p := parseWith(data, true, st)
	if p != nil {
		p.Layer = LayerSchema
		return nil, &InvalidError{Problems: []Problem{*p}}
	}
	id, err := documentDefinition(root)
	if err != nil {
		return nil, err
	}
	if id == MsgDefCustomerCreditTransfer {
		return decodePayment(root, sender)
	}
	r := checkTree(root)
	if err := r.ps.err(); err != nil {
		return nil, err
	}
	if err := r.sentBy(sender); err != nil {
		return nil, err
	}
	s := &Submission{MsgDefID: r.docSchema.id, Sender: sender}
	switch s.MsgDefID {
	case MsgDefReturn:
		s.Return, err = decodeReturn(r.doc.first("PmtRtr"), sender)
	case MsgDefCancelRequest:
		s.Cancel, err = decodeCancelRequest(r.doc.first("FIToFIPmtCxlReq"), sender)
	case MsgDefResolution:
		s.Resolution, err = decodeResolution(r.doc.first("RsltnOfInvstgtn"))
	case MsgDefInstitutionCreditTransfer:
		s.Defund, err = decodeDefund(r.doc.first("FICdtTrf"), sender, hub)
	default:
		err = Unsupported(s.MsgDefID, submitted)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// decodePayment reads the pacs.008 of the parsed message root, which
// sender must have sent: the AppHdr's Fr and the instructing agent.
func decodePayment(root *node, sender corridor.BIC) (*Submission, error) {
	c, err := decodeCustomerCreditTransfer(openTree(root, MsgDefCustomerCreditTransfer))
	if err != nil {
		return nil, err
	}
	if c.Header.From != sender {
		return nil, fmt.Errorf("AppHdr/Fr is %s but the client certificate is %s's: %w", c.Header.From, sender, corridor.ErrUnauthorized)
	}
	if c.Payment.InstructingAgent != sender {
		return nil, fmt.Errorf("InstgAgt is %s but the client certificate is %s's: %w", c.Payment.InstructingAgent, sender, corridor.ErrUnauthorized)
	}
	return &Submission{MsgDefID: MsgDefCustomerCreditTransfer, Sender: sender, Payment: c}, nil
}

// sentBy checks that the valid message r has an AppHdr whose Fr is sender.
func (r *checked) sentBy(sender corridor.BIC) error {
	if r.hdr == nil {
		return corridor.Reject(corridor.ReasonInvalidFormat, "a message needs its AppHdr and its Document, in an envelope")
	}
	from, err := agentBIC(r.hdr.at("Fr", "FIId"), "AppHdr/Fr")
	if err != nil {
		return err
	}
	if from != sender {
		return fmt.Errorf("AppHdr/Fr is %s but the client certificate is %s's: %w", from, sender, corridor.ErrUnauthorized)
	}
	return nil
}

// notSender is the error of a message whose party at path is not the
// sender's certificate's.
func notSender(path string, party, sender corridor.BIC) error {
	return fmt.Errorf("%s is %s but the client certificate is %s's: %w", path, party, sender, corridor.ErrUnauthorized)
}

// The readers below take a message the schemas and the usage rules found
// valid, and read what the hub needs; what they refuse is refused with the
// reason of the root parser, the path named.

// agentBIC reads fi, a BranchAndFinancialInstitutionIdentification6 at
// path, as the BIC of its FinInstnId/BICFI (RC01 when there is none).
func agentBIC(fi *node, path string) (corridor.BIC, error) {
	b := fi.at("FinInstnId", "BICFI")
	if b == nil {
		return "", corridor.Reject(corridor.ReasonUnknownBIC, path+"/FinInstnId/BICFI is required")
	}
	return corridor.ParseBIC(b.text)
}

// partyAgentBIC reads p, a Party40Choice at path, as the BIC of its Agt.
func partyAgentBIC(p *node, path string) (corridor.BIC, error) {
	agt := p.first("Agt")
	if agt == nil {
		return "", corridor.Reject(corridor.ReasonUnknownBIC, path+"/Agt is required")
	}
	return agentBIC(agt, path+"/Agt")
}

// uetrOf reads the UUIDv4Identifier u at path, which the hub requires.
func uetrOf(u *node, path string) (corridor.UETR, error) {
	if u == nil {
		return "", corridor.Reject(corridor.ReasonInvalidFormat, path+" is required")
	}
	return corridor.ParseUETR(u.text)
}

// moneyOf reads a, an amount element: its Ccy and its exact decimal value.
func moneyOf(a *node) (corridor.Money, error) {
	c, err := corridor.ParseCurrency(attrValue(a, "Ccy"))
	if err != nil {
		return corridor.Money{}, err
	}
	v, err := corridor.ParseAmount(a.content(), c)
	if err != nil {
		return corridor.Money{}, err
	}
	return corridor.Money{Amount: v, Currency: c}, nil
}

// dateOf reads the optional ISODate d; zero when absent.
func dateOf(d *node) (corridor.Date, error) {
	if d == nil {
		return corridor.Date{}, nil
	}
	return corridor.ParseDate(d.text)
}

// only returns the one child of n named local, or nil when n has none or
// more than one.
func only(n *node, local string) *node {
	var one *node
	for c := range n.all(local) {
		if one != nil {
			return nil
		}
		one = c
	}
	return one
}

// firstReason is the first Rsn/Cd or Rsn/Prtry of the reason elements
// named local under n (RtrRsnInf, CxlRsnInf, CxlStsRsnInf): "" for none.
func firstReason(n *node, local string) string {
	for ri := range n.all(local) {
		if rsn := ri.first("Rsn"); rsn != nil {
			return rsn.first("Cd").content() + rsn.first("Prtry").content()
		}
	}
	return ""
}
