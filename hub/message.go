package hub

import (
	"context"
	"fmt"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// Message definitions the hub takes besides the pacs.008, and writes.
const (
	msgDefPacs004 = "pacs.004.001.09" // Payment return, from the creditor agent.
	msgDefPacs009 = "pacs.009.001.08" // Financial institution credit transfer: defunding to the hub.
	msgDefCamt056 = "camt.056.001.08" // Cancellation request, from the instructing agent.
	msgDefCamt029 = "camt.029.001.09" // Resolution of investigation: the answer to a camt.056.
	msgDefCamt052 = "camt.052.001.08" // Intraday account report.
	msgDefCamt053 = "camt.053.001.08" // End-of-day statement.
)

// SubmitMessage takes a message other than a pacs.008 from sender, whose
// detached signature the caller verified over msg.Body: a pacs.004 return, a
// camt.056 cancellation request, a camt.029 resolution or a pacs.009
// defunding. It decodes and checks the message here, on the caller's
// goroutine, then hands the command to the sequencer. The AppHdr's Fr must
// be sender (ErrUnauthorized otherwise); a message outside these is FF01.
func (h *Hub) SubmitMessage(ctx context.Context, sender corridor.BIC, msg corridor.SignedMessage) (PaymentResult, error) {
	m, err := iso20022.Decode(msg.Body)
	if err != nil {
		return PaymentResult{}, err
	}
	if err := sentBy(m, sender); err != nil {
		return PaymentResult{}, err
	}
	var c command
	switch d := m.Document.(type) {
	case *iso20022.Pacs004Document:
		c, err = h.returnOf(ctx, sender, d, msg)
	case *iso20022.Camt056Document:
		c, err = cancelRequestOf(sender, d, msg)
	case *iso20022.Camt029Document:
		c, err = resolutionOf(sender, d, msg)
	case *iso20022.Pacs009Document:
		c, err = h.defundOf(sender, d, msg)
	default:
		err = iso20022.Unsupported(m.Document.MessageDefinition(), "pacs.008.001.08, pacs.004.001.09, pacs.009.001.08, camt.056.001.08 or camt.029.001.09")
	}
	if err != nil {
		return PaymentResult{}, err
	}
	res, err := h.do(ctx, request{cmd: c})
	return res.payment, err
}

// sentBy checks that m has an AppHdr and a Document and that its Fr is sender.
func sentBy(m *iso20022.Message, sender corridor.BIC) error {
	if m.AppHdr == nil || m.Document == nil {
		return corridor.Reject(corridor.ReasonInvalidFormat, "a message needs its AppHdr and its Document, in an envelope")
	}
	from, err := fiBIC(m.AppHdr.Fr.FIId, "AppHdr/Fr")
	if err != nil {
		return err
	}
	if from != sender {
		return fmt.Errorf("AppHdr/Fr is %s but the client certificate is %s's: %w", from, sender, corridor.ErrUnauthorized)
	}
	return nil
}

// fiBIC is the BIC of a financial institution element at path.
func fiBIC(fi *iso20022.BranchAndFinancialInstitutionIdentification6, path string) (corridor.BIC, error) {
	if fi == nil || fi.FinInstnId.BICFI == nil {
		return "", corridor.Reject(corridor.ReasonUnknownBIC, path+"/FinInstnId/BICFI is required")
	}
	return corridor.ParseBIC(*fi.FinInstnId.BICFI)
}

// agentBIC is the BIC of a Party40Choice that names an agent.
func agentBIC(p *iso20022.Party40Choice, path string) (corridor.BIC, error) {
	if p == nil || p.Agt == nil {
		return "", corridor.Reject(corridor.ReasonUnknownBIC, path+"/Agt is required")
	}
	return fiBIC(p.Agt, path+"/Agt")
}

// moneyOf reads an amount element: its currency and exact decimal value.
func moneyOf(ccy, value string) (corridor.Money, error) {
	c, err := corridor.ParseCurrency(ccy)
	if err != nil {
		return corridor.Money{}, err
	}
	a, err := corridor.ParseAmount(value, c)
	if err != nil {
		return corridor.Money{}, err
	}
	return corridor.Money{Amount: a, Currency: c}, nil
}

// uetrOf reads a required UETR element at path.
func uetrOf(s *string, path string) (corridor.UETR, error) {
	if s == nil {
		return "", corridor.Reject(corridor.ReasonInvalidFormat, path+" is required")
	}
	return corridor.ParseUETR(*s)
}

// dateOf reads an optional ISODate; zero when absent.
func dateOf(s *string) (corridor.Date, error) {
	if s == nil {
		return corridor.Date{}, nil
	}
	return corridor.ParseDate(*s)
}

func text(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr[T any](v T) *T { return &v }
