package hub

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/settlement"
)

// Resolve runs gridlock resolution over the RTGS queue: the largest set of
// queued payments that settle together once offset settles atomically. The
// operator calls it on demand; cmd/corridor on a timer. It journals nothing
// when nothing settles.
func (h *Hub) Resolve(ctx context.Context) (SettlementReport, error) {
	res, err := h.do(ctx, request{cmd: resolveCmd{}})
	return res.report, err
}

// Cutoff ends the business day: a last release and gridlock resolution, then
// every payment still queued is rejected AM04 with a pacs.002 RJCT.
func (h *Hub) Cutoff(ctx context.Context) (SettlementReport, error) {
	res, err := h.do(ctx, request{cmd: cutoffCmd{}})
	return res.report, err
}

// CloseCycle closes the open net settlement cycle. With no open cycle it
// returns a zero report and journals nothing.
func (h *Hub) CloseCycle(ctx context.Context) (CycleReport, error) {
	res, err := h.do(ctx, request{cmd: closeCmd{}})
	return res.cycle, err
}

// Queue lists the RTGS queue in settlement order: all of it for the
// operator, a participant's own payments for a participant.
func (h *Hub) Queue(ctx context.Context, caller corridor.Identity) ([]QueuedPayment, error) {
	var out []QueuedPayment
	_, err := h.do(ctx, request{query: func(s *state) { out = s.queueView(caller) }})
	return out, err
}

// CancelPayment takes a queued payment out of the queue and rejects it DS02
// with a pacs.002 RJCT. A participant cancels only a payment it instructed
// (ErrNotFound for any other); the operator any. AG01 when it is not queued.
func (h *Hub) CancelPayment(ctx context.Context, caller corridor.Identity, uetr corridor.UETR) (PaymentResult, error) {
	c := cancelCmd{UETR: uetr}
	if caller.Role != corridor.RoleOperator {
		c.BIC = caller.BIC
	}
	res, err := h.do(ctx, request{cmd: c})
	return res.payment, err
}

// MoveQueued moves a queued payment to the front (or back) of its priority.
func (h *Hub) MoveQueued(ctx context.Context, uetr corridor.UETR, front bool) error {
	m := settlement.ToBack
	if front {
		m = settlement.ToFront
	}
	_, err := h.do(ctx, request{cmd: moveCmd{UETR: uetr, Move: m}})
	return err
}

// PrioritiseQueued puts a queued payment at the back of the urgent (or the
// normal) payments.
func (h *Hub) PrioritiseQueued(ctx context.Context, uetr corridor.UETR, urgent bool) error {
	p := settlement.Normal
	if urgent {
		p = settlement.Urgent
	}
	_, err := h.do(ctx, request{cmd: moveCmd{UETR: uetr, Priority: p}})
	return err
}

// Liquidity returns bic's liquidity per currency: balances, its queued
// payments out and in, and the open net cycle. ErrNotFound for an unknown BIC.
func (h *Hub) Liquidity(ctx context.Context, bic corridor.BIC) ([]Liquidity, error) {
	var out []Liquidity
	var err error
	_, qerr := h.do(ctx, request{query: func(s *state) { out, err = s.liquidity(bic) }})
	return out, firstErr(qerr, err)
}

// PublishRate sets the exchange rate of a currency pair: one unit of from
// buys rate (an exact decimal such as "1.0823") units of to. FF01 for a
// malformed rate, AM03 for an unknown currency or a pair of one currency.
func (h *Hub) PublishRate(ctx context.Context, r FXRate) error {
	if _, err := settlement.ParseRate(r.Rate); err != nil {
		return err
	}
	_, err := h.do(ctx, request{cmd: rateCmd{Pair: settlement.Pair{From: r.From, To: r.To}, Rate: r.Rate}})
	return err
}

// Rates lists the published exchange rates by pair.
func (h *Hub) Rates(ctx context.Context) ([]FXRate, error) {
	var out []FXRate
	_, err := h.do(ctx, request{query: func(s *state) { out = s.ratesView() }})
	return out, err
}

// Quote locks the published rate for bic to convert up to amount into to,
// for the hub's quote life. NARR when no rate is published for the pair.
func (h *Hub) Quote(ctx context.Context, bic corridor.BIC, amount corridor.Money, to corridor.Currency) (FXQuote, error) {
	if amount.Amount <= 0 || amount.Amount > corridor.MaxAmount {
		return FXQuote{}, corridor.Reject(corridor.ReasonAmountExceeded, "amount must be between one minor unit and the maximum")
	}
	c := quoteCmd{Requester: bic, Amount: amount.Amount, Pair: settlement.Pair{From: amount.Currency, To: to}, Life: h.cfg.QuoteLife}
	res, err := h.do(ctx, request{cmd: c})
	return res.quote, err
}

// Quotes lists bic's quotes, live or used, by ID.
func (h *Hub) Quotes(ctx context.Context, bic corridor.BIC) ([]FXQuote, error) {
	var out []FXQuote
	_, err := h.do(ctx, request{query: func(s *state) {
		for _, q := range s.quotes.All() {
			if q.Requester == bic {
				out = append(out, quoteView(q))
			}
		}
	}})
	return out, err
}

// NetCurrencies are the currencies the hub settles in deferred net cycles.
func (h *Hub) NetCurrencies() []corridor.Currency { return slices.Clone(h.cfg.NetCurrencies) }

// Offer bounds.
const (
	DefaultOfferLife = 15 * time.Minute
	MaxOfferLife     = settlement.MaxQuoteLife
)

// OfferRequest is an FX provider's two-way quote on From/To: it buys From
// at Bid and sells it at Ask (units of To per unit of From), up to Size of
// From in all, for Life.
type OfferRequest struct {
	From, To corridor.Currency
	Bid, Ask string
	Size     corridor.Amount
	Life     time.Duration // DefaultOfferLife if 0.
}

// PublishOffer puts provider's two-way quote in the book, replacing its
// earlier one on the pair. FF01 for a malformed or crossed rate, AC01 when
// the provider lacks an account in either currency, AG01 outside the
// reference band, DT01 for a life out of range.
func (h *Hub) PublishOffer(ctx context.Context, provider corridor.BIC, r OfferRequest) (FXOffer, error) {
	if r.Life == 0 {
		r.Life = DefaultOfferLife
	}
	if r.Life < 0 || r.Life > MaxOfferLife {
		return FXOffer{}, corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("offer life must be within (0, %s]", MaxOfferLife))
	}
	if r.Size <= 0 || r.Size > corridor.MaxAmount {
		return FXOffer{}, corridor.Reject(corridor.ReasonAmountExceeded, "offer size must be between one minor unit and the maximum")
	}
	for _, rate := range []string{r.Bid, r.Ask} {
		if _, err := settlement.ParseRate(rate); err != nil {
			return FXOffer{}, err
		}
	}
	c := offerCmd{Provider: provider, Pair: settlement.Pair{From: r.From, To: r.To}, Bid: r.Bid, Ask: r.Ask, Size: r.Size, Life: r.Life}
	res, err := h.do(ctx, request{cmd: c})
	return res.offer, err
}

// Offers lists the FX providers' offers, live or expired, by ID.
func (h *Hub) Offers(ctx context.Context) ([]FXOffer, error) {
	var out []FXOffer
	now := h.cfg.Now()
	_, err := h.do(ctx, request{query: func(s *state) {
		for _, o := range s.offers.All() {
			out = append(out, offerView(o, now))
		}
	}})
	return out, err
}

// HubAccounts lists every account the hub holds (central, technical, FX
// position and FX rounding, per currency) with its balance and floor: the
// operator's view.
func (h *Hub) HubAccounts(ctx context.Context) ([]HubAccount, error) {
	var out []HubAccount
	_, err := h.do(ctx, request{query: func(s *state) { out = s.hubAccounts() }})
	return out, err
}
