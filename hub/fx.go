package hub

import (
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

// Bounds of FX.
const (
	DefaultQuoteLife = 5 * time.Minute
	MaxQuoteLife     = settlement.MaxQuoteLife
)

// settleFX converts p's instructed amount (the instructed amount) into its
// settlement currency at the rate of the quote it names, or at the published
// rate when the hub allows that, and settles both legs through the FX
// position accounts, both or neither. The interbank settlement amount must be
// exactly the conversion (AM09 otherwise). A bad quote is a refusal that
// changes nothing; an instructing agent short of liquidity gets RJCT AM04 and
// keeps its quote. FX payments never queue.
func (s *state) settleFX(p *payment, now time.Time) error {
	pay := p.cmd.Payment
	pair := settlement.Pair{From: pay.Instructed.Currency, To: pay.Currency}
	rate, err := s.fxRate(pay, pair)
	if err != nil {
		return err
	}
	cv, err := settlement.Convert(pay.Instructed.Amount, pair.From, pair.To, rate)
	if err != nil {
		return err
	}
	if cv.To.Amount != pay.Amount {
		return corridor.Reject(corridor.ReasonWrongAmount, fmt.Sprintf("%s must be %s: %s %s at %s",
			iso20022.PathSettlementAmount, cv.To, iso20022.PathInstructedAmount, cv.From, rate))
	}
	a, _ := s.ledger.Account(ledger.Settlement(pay.InstructingAgent, pair.From))
	if a.Available() < int64(cv.From.Amount) {
		s.record(p, now)
		s.rejected(p, now, corridor.ReasonInsufficientFunds, fmt.Sprintf("%s has %s available to convert",
			pay.InstructingAgent, signedAmount(a.Available(), pair.From)))
		return nil
	}
	if pay.FXQuote != 0 {
		if cv, err = s.quotes.Consume(settlement.QuoteID(pay.FXQuote), p.cmd.Sender, cv.From.Amount, pair, now); err != nil {
			return err
		}
	}
	legs, err := settlement.SettleFX(s.ledger, pay.InstructingAgent, pay.InstructedAgent, cv, s.nextTransfer)
	assert.That(err == nil, "FX settlement of %s after its checks: %v", p.ref, err) // The quote is used: no way back.
	s.record(p, now)
	p.event(PaymentEvent{Time: now, Event: "converted", Detail: conversionDetail(cv, pay.FXQuote)})
	s.settled(p, now, "FX legs: "+transfersDetail(legs[:]), legs[:])
	s.release(now)
	return nil
}

// fxRate is the rate p converts at: its quote's, or the published one when
// the hub allows payments without a quote. It only looks the quote up;
// Consume checks it (NARR unknown, AG01 another's, AM05 used, TM01 expired,
// AM03 another pair, AM09 more than quoted) and uses it.
func (s *state) fxRate(pay corridor.Payment, pair settlement.Pair) (settlement.Rate, error) {
	if pay.FXQuote != 0 {
		q, ok := s.quotes.Lookup(settlement.QuoteID(pay.FXQuote))
		if !ok {
			return settlement.Rate{}, corridor.Reject(corridor.ReasonNotSpecified, fmt.Sprintf("FX quote %d is unknown", pay.FXQuote))
		}
		return q.Conversion.Rate, nil
	}
	r, ok := s.rates.Rate(pair)
	switch {
	case !s.config.PublishedRate:
		return settlement.Rate{}, corridor.Reject(corridor.ReasonNotSpecified,
			fmt.Sprintf("a payment converting %s must name a live FX quote as %s<id> in %s", pair, iso20022.FXQuotePrefix, iso20022.PathInstructionForNext))
	case !ok:
		return settlement.Rate{}, corridor.Reject(corridor.ReasonNotSpecified, fmt.Sprintf("no rate is published for %s", pair))
	}
	return r, nil
}

// conversionDetail is the tracker's account of a conversion.
func conversionDetail(cv settlement.Conversion, quote uint64) string {
	src := "the published rate"
	if quote != 0 {
		src = fmt.Sprintf("FX quote %d", quote)
	}
	return fmt.Sprintf("%s at %s (%s) = %s; rounding remainder %s minor units of %s kept by fx-position/%s",
		cv.From, cv.Rate, src, cv.To, cv.Remainder, cv.To.Currency, cv.To.Currency)
}

// publishRate sets the rate of a pair.
func (s *state) publishRate(c rateCmd) result {
	r, err := settlement.ParseRate(c.Rate)
	if err != nil {
		return refused(err)
	}
	if err := s.rates.Publish(c.Pair, r); err != nil {
		return refused(err)
	}
	return applied()
}

// issueQuote locks the published rate of c's pair for the requester.
func (s *state) issueQuote(c quoteCmd, seq uint64, now time.Time) result {
	if _, ok := s.participants[c.Requester]; !ok {
		return refused(fmt.Errorf("participant %s: %w", c.Requester, corridor.ErrNotFound))
	}
	r, ok := s.rates.Rate(c.Pair)
	if !ok {
		return refused(corridor.Reject(corridor.ReasonNotSpecified, fmt.Sprintf("no rate is published for %s", c.Pair)))
	}
	if s.quotes.Len() >= settlement.MaxQuotes {
		s.quotes.Prune(now) // A full book first drops every expired quote, however recent.
	}
	q, err := s.quotes.Issue(settlement.QuoteID(seq), c.Requester, c.Amount, c.Pair, r, now, now.Add(c.Life))
	if err != nil {
		return refused(err)
	}
	return result{quote: quoteView(q), changed: true}
}

func quoteView(q settlement.Quote) FXQuote {
	cv := q.Conversion
	return FXQuote{ID: uint64(q.ID), Requester: q.Requester, From: cv.From, To: cv.To, Rate: cv.Rate.String(),
		Remainder: cv.Remainder.String(), Issued: q.Issued, Expires: q.Expires, Used: q.Used}
}

// ratesView lists the published rates by pair.
func (s *state) ratesView() []FXRate {
	var out []FXRate
	for _, p := range s.rates.Pairs() {
		r, _ := s.rates.Rate(p)
		out = append(out, FXRate{From: p.From, To: p.To, Rate: r.String()})
	}
	return out
}
