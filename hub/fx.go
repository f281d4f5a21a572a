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

// settleFX converts p's instructed amount into its settlement currency at
// the rate of the quote it names and settles it. A provider's quote settles
// payment-versus-payment (settleWithProvider); a quote of the published
// rate, or the published rate itself, only in journals written before FX
// providers existed, through the hub's FX position accounts (settleLegacyFX).
// The quote's own checks come first (NARR, AG01, AM05, TM01, AM03, AM09 for
// more than quoted), then the settlement amount (AM09), then XchgRate, then
// liquidity: a refusal changes nothing; a payer short of liquidity gets RJCT
// AM04 and keeps its quote. FX payments never queue.
func (s *state) settleFX(p *payment, now time.Time) error {
	pay := p.cmd.Payment
	pair := settlement.Pair{From: pay.Instructed.Currency, To: pay.Currency}
	if pay.FXQuote == 0 {
		return s.settlePublishedRate(p, pair, now)
	}
	id := settlement.QuoteID(pay.FXQuote)
	q, cv, err := s.quotes.Check(id, p.cmd.Sender, pay.Instructed.Amount, pair, now)
	if err != nil {
		return err
	}
	if cv.To.Amount != pay.Amount {
		return corridor.Reject(corridor.ReasonWrongAmount, fmt.Sprintf("%s must be %s: %s %s at %s",
			iso20022.PathSettlementAmount, cv.To, iso20022.PathInstructedAmount, cv.From, cv.Rate))
	}
	if q.Provider == "" {
		if !p.cmd.legacyFX {
			return corridor.Reject(corridor.ReasonNotSpecified, fmt.Sprintf("FX quote %d is of the published rate, which funds no conversion: ask for a provider's quote", id))
		}
		return s.settleLegacyFX(p, cv, now)
	}
	if pay.XchgRate != cv.Rate.String() {
		return corridor.Reject(corridor.ReasonWrongAmount, fmt.Sprintf("%s must state the quote's rate %s", iso20022.PathExchangeRate, cv.Rate))
	}
	return s.settleWithProvider(p, q, cv, now)
}

// settleWithProvider settles p's conversion cv payment-versus-payment: the
// instructing agent pays q's provider, the provider pays the instructed
// agent, both or neither. When either is short, p is rejected AM04, naming
// who, and the quote stays unused.
func (s *state) settleWithProvider(p *payment, q settlement.Quote, cv settlement.Conversion, now time.Time) error {
	undo := func() {}
	if s.config.Messages >= MessagesFXGate {
		var held bool
		if undo, held = s.gatedLeg(p, q.Provider, cv, now); held {
			return nil
		}
	}
	legs, ok, err := s.pvp(p, q.Provider, cv, now)
	if !ok {
		if err != nil {
			undo() // Refused: not journaled, so nothing of it may stay.
		}
		return err
	}
	s.quotes.Use(q.ID)
	s.record(p, now)
	p.event(PaymentEvent{Time: now, Event: "converted", Detail: s.conversionDetail(cv, q)})
	s.settled(p, now, "PvP legs: "+transfersDetail(legs[:]), legs[:])
	s.bookRounding(p, q.Provider, cv.Remainder, now)
	s.release(now)
	return nil
}

// gatedLeg puts the instructing agent's leg of p's conversion cv, paying
// provider, through its reserve and sender limits in the currency it pays
// in, as any normal payment of its goes: when they hold the leg, p is
// rejected AM04 saying which (a quote's rate does not wait in a queue), and
// gatedLeg reports true; otherwise the leg counts as entered, and settles
// or leaves with p, or is taken back with undo when p is refused.
func (s *state) gatedLeg(p *payment, provider corridor.BIC, cv settlement.Conversion, now time.Time) (undo func(), held bool) {
	leg := toSettlement(p)
	leg.InstructedAgent, leg.Currency, leg.Amount = provider, cv.From.Currency, cv.From.Amount
	at := s.dayClock(leg.Currency, now) // Limits count per business day.
	if h, held := s.gate.Held(s.ledger, s.queue, leg, at); held {
		why := h.Detail
		if h.Behind != 0 {
			why = "payments of " + string(leg.InstructingAgent) + " to " + string(provider) + " wait on its limits, " + reference(uint64(h.Behind)) + " first"
		}
		s.record(p, now)
		s.rejected(p, now, corridor.ReasonInsufficientFunds, "its "+string(cv.From.Currency)+" leg: "+why)
		return func() {}, true
	}
	return s.gate.EnterUndo(leg, at), false // Settled with p (settled counts it out), or Left when p is rejected.
}

// pvp posts p's conversion cv payment-versus-payment between p's agents
// and provider. It reports whether the legs settled; when a payer is short,
// p is rejected AM04 (ok false, err nil); any other error is a refusal.
func (s *state) pvp(p *payment, provider corridor.BIC, cv settlement.Conversion, now time.Time) ([2]ledger.Transfer, bool, error) {
	pay := p.cmd.Payment
	legs, err := settlement.SettlePvP(s.ledger, pay.InstructingAgent, provider, pay.InstructedAgent, cv, s.nextTransfer)
	if r, ok := corridor.ReasonOf(err); ok && r == corridor.ReasonInsufficientFunds {
		s.record(p, now)
		s.rejected(p, now, r, err.Error())
		return legs, false, nil
	}
	return legs, err == nil, err
}

// settleLegacyFX settles a conversion of a journal written before FX
// providers existed as it was then: through the hub's FX position accounts.
func (s *state) settleLegacyFX(p *payment, cv settlement.Conversion, now time.Time) error {
	pay := p.cmd.Payment
	a, _ := s.ledger.Account(ledger.Settlement(pay.InstructingAgent, cv.From.Currency))
	if a.Available() < int64(cv.From.Amount) {
		s.record(p, now)
		s.rejected(p, now, corridor.ReasonInsufficientFunds, fmt.Sprintf("%s has %s available to convert",
			pay.InstructingAgent, signedAmount(a.Available(), cv.From.Currency)))
		return nil
	}
	if pay.FXQuote != 0 {
		s.quotes.Use(settlement.QuoteID(pay.FXQuote))
	}
	legs, err := settlement.SettleFX(s.ledger, pay.InstructingAgent, pay.InstructedAgent, cv, s.nextTransfer)
	assert.That(err == nil, "FX settlement of %s after its checks: %v", p.ref, err) // The quote is used: no way back.
	s.record(p, now)
	q, _ := s.quotes.Lookup(settlement.QuoteID(pay.FXQuote))
	p.event(PaymentEvent{Time: now, Event: "converted", Detail: s.conversionDetail(cv, q)})
	s.settled(p, now, "FX legs: "+transfersDetail(legs[:]), legs[:])
	s.release(now)
	return nil
}

// settlePublishedRate converts p at the operator's published rate: only a
// journal written before FX providers existed, with the configuration that
// allowed it, does so; otherwise the payment must name a quote (NARR).
func (s *state) settlePublishedRate(p *payment, pair settlement.Pair, now time.Time) error {
	r, ok := s.rates.Rate(pair)
	switch {
	case !s.config.PublishedRate || !p.cmd.legacyFX:
		return corridor.Reject(corridor.ReasonNotSpecified,
			fmt.Sprintf("a payment converting %s must name a live FX quote as %s<id> in %s", pair, iso20022.FXQuotePrefix, iso20022.PathInstructionForNext))
	case !ok:
		return corridor.Reject(corridor.ReasonNotSpecified, fmt.Sprintf("no rate is published for %s", pair))
	}
	pay := p.cmd.Payment
	cv, err := settlement.Convert(pay.Instructed.Amount, pair.From, pair.To, r)
	if err != nil {
		return err
	}
	if cv.To.Amount != pay.Amount {
		return corridor.Reject(corridor.ReasonWrongAmount, fmt.Sprintf("%s must be %s: %s %s at %s",
			iso20022.PathSettlementAmount, cv.To, iso20022.PathInstructedAmount, cv.From, r))
	}
	return s.settleLegacyFX(p, cv, now)
}

// conversionDetail is the tracker's account of a conversion at quote q
// (the zero Quote for the published rate).
func (s *state) conversionDetail(cv settlement.Conversion, q settlement.Quote) string {
	switch {
	case q.Provider != "":
		return fmt.Sprintf("%s at %s (FX quote %d of %s) = %s, payment-versus-payment; %s",
			cv.From, cv.Rate, q.ID, q.Provider, cv.To, s.remainderDetail(cv.Remainder, q.Provider))
	case q.ID != 0:
		return fmt.Sprintf("%s at %s (FX quote %d) = %s; rounding remainder %s minor units of %s kept by fx-position/%s",
			cv.From, cv.Rate, q.ID, cv.To, cv.Remainder, cv.To.Currency, cv.To.Currency)
	}
	return fmt.Sprintf("%s at %s (the published rate) = %s; rounding remainder %s minor units of %s kept by fx-position/%s",
		cv.From, cv.Rate, cv.To, cv.Remainder, cv.To.Currency, cv.To.Currency)
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

// issueQuote answers c, a participant's quote request, from the best live
// provider offer for its pair, locking that side of the offer and reserving
// its size. A request of a journal written before FX providers existed
// locks the published rate instead, as it did then.
func (s *state) issueQuote(c quoteCmd, seq uint64, now time.Time) result {
	if _, ok := s.participants[c.Requester]; !ok {
		return refused(fmt.Errorf("participant %s: %w", c.Requester, corridor.ErrNotFound))
	}
	if s.quotes.Len() >= settlement.MaxQuotes {
		s.quotes.Prune(now) // A full book first drops every expired quote, however recent.
	}
	if c.legacy {
		return s.issueLegacyQuote(c, seq, now)
	}
	o, cv, err := s.offers.Best(c.Amount, c.Pair, now)
	if err != nil {
		return refused(err)
	}
	q, err := s.quotes.IssueFromOffer(settlement.QuoteID(seq), c.Requester, o, cv, now, now.Add(c.Life))
	if err != nil {
		return refused(err)
	}
	s.offers.Take(o.ID, cv)
	return result{quote: quoteView(q), changed: true}
}

// issueLegacyQuote locks the published rate of c's pair for the requester.
func (s *state) issueLegacyQuote(c quoteCmd, seq uint64, now time.Time) result {
	r, ok := s.rates.Rate(c.Pair)
	if !ok {
		return refused(corridor.Reject(corridor.ReasonNotSpecified, fmt.Sprintf("no rate is published for %s", c.Pair)))
	}
	q, err := s.quotes.Issue(settlement.QuoteID(seq), c.Requester, c.Amount, c.Pair, r, now, now.Add(c.Life))
	if err != nil {
		return refused(err)
	}
	return result{quote: quoteView(q), changed: true}
}

// publishOffer puts an FX provider's two-way quote in the book: the
// provider must be a participant with a settlement account in both
// currencies (AC01), and the quote within the reference band.
func (s *state) publishOffer(c offerCmd, seq uint64, now time.Time) result {
	if _, ok := s.participants[c.Provider]; !ok {
		return refused(fmt.Errorf("participant %s: %w", c.Provider, corridor.ErrNotFound))
	}
	for _, cur := range []corridor.Currency{c.Pair.From, c.Pair.To} {
		if _, ok := s.ledger.Account(ledger.Settlement(c.Provider, cur)); !ok {
			return refused(corridor.Reject(corridor.ReasonAccountInvalid, fmt.Sprintf("an FX provider needs a settlement account in %.3s", cur)))
		}
	}
	bid, err := settlement.ParseRate(c.Bid)
	if err != nil {
		return refused(err)
	}
	ask, err := settlement.ParseRate(c.Ask)
	if err != nil {
		return refused(err)
	}
	o := settlement.Offer{ID: settlement.OfferID(seq), Provider: c.Provider, Pair: c.Pair, Bid: bid, Ask: ask,
		Remaining: c.Size, Expires: now.Add(c.Life)}
	if err := s.offers.Publish(o, s.rates, now); err != nil {
		return refused(err)
	}
	return result{offer: offerView(o, now), changed: true}
}

// offerView is what the API shows of an offer.
func offerView(o settlement.Offer, now time.Time) FXOffer {
	return FXOffer{ID: uint64(o.ID), Provider: o.Provider, From: o.Pair.From, To: o.Pair.To, Bid: o.Bid.String(), Ask: o.Ask.String(),
		Remaining: corridor.Money{Amount: o.Remaining, Currency: o.Pair.From}, Issued: o.Issued, Expires: o.Expires, Live: now.Before(o.Expires)}
}

// remainderDetail is the tracker's account of a conversion's rounding
// remainder r, which provider kept (positive) or gave (negative).
func (s *state) remainderDetail(r settlement.Remainder, provider corridor.BIC) string {
	pool := settlement.RoundingAccount(r.Currency)
	if s.config.Messages < MessagesRoundingBooked {
		return fmt.Sprintf("rounding remainder %s minor units of %s booked to %s", r, r.Currency, pool)
	}
	return fmt.Sprintf("rounding remainder %s minor units of %s accrued with %s, booked to %s in whole units", r, r.Currency, provider, pool)
}

// bookRounding accrues the rounding remainder r of p's conversion through
// provider and books the whole minor units due between the provider and
// the rounding account (settlement.Rounding), as an entry on the
// provider's statements. Journals written before MessagesRoundingBooked
// only described remainders.
func (s *state) bookRounding(p *payment, provider corridor.BIC, r settlement.Remainder, now time.Time) {
	if s.config.Messages < MessagesRoundingBooked || r.Units == 0 {
		return
	}
	t, ok := s.rounding.Book(s.ledger, provider, r, s.nextTransfer)
	if !ok {
		return
	}
	src := paymentSource(p)
	src.code = codeRounding
	src.info = fmt.Sprintf("FX rounding of conversions by %s into %s, whole units booked with %s", provider, r.Currency, settlement.RoundingAccount(r.Currency))
	s.book(t, now, src)
	p.event(PaymentEvent{Time: now, Event: "rounding booked", Detail: fmt.Sprintf("%s %s from %s to %s (%s)",
		t.Amount.Format(r.Currency), r.Currency, t.Debit, t.Credit, src.info)})
}

func quoteView(q settlement.Quote) FXQuote {
	cv := q.Conversion
	return FXQuote{ID: uint64(q.ID), Requester: q.Requester, From: cv.From, To: cv.To, Rate: cv.Rate.String(),
		Remainder: cv.Remainder.String(), Issued: q.Issued, Expires: q.Expires, Used: q.Used, Provider: q.Provider, Offer: uint64(q.Offer)}
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

// hubAccounts is every account the hub holds, by currency: the ledger's
// accounts that no participant owns, the FX rounding account with what
// providers have accrued towards it.
func (s *state) hubAccounts() []HubAccount {
	var out []HubAccount
	for _, a := range s.ledger.Accounts() {
		if a.ID.Kind == ledger.KindSettlement {
			continue
		}
		v := HubAccount{Name: a.ID.String(), Kind: a.ID.Kind.String(), Currency: a.ID.Currency, Balance: a.Balance(),
			Floor: a.Floor(), Units: "minor", Debits: a.DebitsPosted, Credits: a.CreditsPosted, Breach: a.Balance() < a.Floor()}
		if a.ID.Kind == ledger.KindFXRounding {
			v.Accrued = s.accrued(a.ID.Currency)
		}
		out = append(out, v)
	}
	return out
}

// accrued lists the FX providers' rounding accruals in c not booked yet.
func (s *state) accrued(c corridor.Currency) []RoundingAccrual {
	var out []RoundingAccrual
	for _, k := range s.rounding.Keys() {
		if k.Currency == c {
			a := s.rounding.Accrued(k)
			out = append(out, RoundingAccrual{Provider: k.Provider, Due: a.Due, Fraction: settlement.Remainder{Currency: c, Units: a.Fraction}.String()})
		}
	}
	return out
}
