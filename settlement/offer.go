package settlement

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
)

// Bounds of the offer book and of the operator's reference band.
const (
	MaxOffers = 10_000 // Live offers; one per provider and pair.

	// BandBasisPoints is how far, in hundredths of a percent, a provider's
	// bid or ask may lie from the operator's reference rate of the pair.
	BandBasisPoints = 500
)

// OfferID identifies an FX provider's two-way quote; the hub uses the
// journal sequence number that published it.
type OfferID uint64

// Offer is an FX provider's two-way quote on a pair Base/Quote, in units of
// Pair.To per unit of Pair.From: the provider buys Pair.From at Bid and sells
// it at Ask, up to Remaining of Pair.From in all, before Expires.
type Offer struct {
	ID        OfferID
	Provider  corridor.BIC
	Pair      Pair
	Bid, Ask  Rate
	Remaining corridor.Amount // Of Pair.From, still available to quotes.
	Issued    time.Time
	Expires   time.Time
}

// RateFor is the rate of the side of o that converts p: Bid when the payer
// sells o's base (p == o.Pair), Ask when it buys it (p is o.Pair reversed).
func (o Offer) RateFor(p Pair) (Rate, bool) {
	switch p {
	case o.Pair:
		return o.Bid, true
	case Pair{From: o.Pair.To, To: o.Pair.From}:
		return o.Ask, true
	}
	return Rate{}, false
}

// ConvertAt converts amount along p at the side of o that p takes: times Bid
// for o's pair, divided by Ask for the reverse; rounded once, half-even, at
// p.To's minor unit. It returns Convert's rejects and AM03 for another pair.
func (o Offer) ConvertAt(amount corridor.Amount, p Pair) (Conversion, error) {
	r, ok := o.RateFor(p)
	if !ok {
		return Conversion{}, corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("offer %d is not for %s", o.ID, p))
	}
	if p == o.Pair {
		return Convert(amount, p.From, p.To, r)
	}
	return ConvertInverse(amount, p.From, p.To, r)
}

// baseAmount is how much of o's base currency a conversion along cv moves.
func (o Offer) baseAmount(cv Conversion) corridor.Amount {
	if cv.From.Currency == o.Pair.From {
		return cv.From.Amount
	}
	return cv.To.Amount
}

// ConvertInverse converts amount of from into to at 1/rate (rate is units of
// from per unit of to), rounding once, half-even, at to's minor unit. The
// remainder is in Convert's units. Rejects as Convert.
func ConvertInverse(amount corridor.Amount, from, to corridor.Currency, rate Rate) (Conversion, error) {
	if err := checkConversion(amount, from, to, rate); err != nil {
		return Conversion{}, err
	}
	ef, et := from.Exponent(), to.Exponent()
	// exact = amount × 10^-ef × 10^scale / mantissa, in units of 10^-et.
	num := new(big.Int).SetInt64(int64(amount))
	num.Mul(num, pow10(rate.Scale()+et))
	den := new(big.Int).Mul(new(big.Int).SetUint64(rate.mantissa), pow10(ef))
	q, r := roundHalfEven(num, den)
	if q.Sign() == 0 {
		return Conversion{}, corridor.Reject(corridor.ReasonZeroAmount, fmt.Sprintf("%s converts to zero %s", amount.Format(from), to))
	}
	if !q.IsInt64() || q.Int64() > int64(corridor.MaxAmount) {
		return Conversion{}, corridor.Reject(corridor.ReasonAmountExceeded, fmt.Sprintf("%s converts to more than the maximum", amount.Format(from)))
	}
	// r/den minor units, in 10^-RemainderScale: rounded toward zero, the
	// division by the mantissa is the one place the remainder is not exact.
	r.Mul(r, pow10(RemainderScale))
	r.Quo(r, den)
	assert.That(r.IsInt64(), "remainder %s overflows", r)
	return Conversion{From: corridor.Money{Amount: amount, Currency: from}, To: corridor.Money{Amount: corridor.Amount(q.Int64()), Currency: to},
		Rate: rate, Remainder: Remainder{Currency: to, Units: r.Int64()}}, nil
}

// rat is r as an exact fraction.
func (r Rate) rat() *big.Rat {
	return new(big.Rat).SetFrac(new(big.Int).SetUint64(r.mantissa), pow10(r.Scale()))
}

// Offers is the book of FX providers' two-way quotes. It is not safe for
// concurrent use.
type Offers struct {
	byID map[OfferID]*Offer
}

// NewOffers returns an empty offer book.
func NewOffers() *Offers { return &Offers{byID: make(map[OfferID]*Offer)} }

// Publish puts o in the book, replacing the provider's earlier offer on the
// same pair (either direction). It returns AM05 for a repeated or zero ID,
// DT01 for an expiry not after now or more than MaxQuoteLife away, AM01 for
// a size that is not positive, FF01 for a crossed quote (bid above ask),
// AG01 outside the reference band and ErrBusy when the book is full.
func (b *Offers) Publish(o Offer, rates *Rates, now time.Time) error {
	if _, dup := b.byID[o.ID]; dup || o.ID == 0 {
		return corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("offer %d exists", o.ID))
	}
	if err := checkOffer(o, now); err != nil {
		return err
	}
	if err := rates.InBand(o.Pair, o.Bid, o.Ask); err != nil {
		return err
	}
	old, found := b.ofProvider(o.Provider, o.Pair)
	if !found && len(b.byID) >= MaxOffers {
		return corridor.ErrBusy
	}
	if found {
		delete(b.byID, old)
	}
	o.Issued = now
	b.byID[o.ID] = &o
	return nil
}

// checkOffer checks an offer's own fields.
func checkOffer(o Offer, now time.Time) error {
	switch {
	case !o.Pair.From.Valid() || !o.Pair.To.Valid() || o.Pair.From == o.Pair.To:
		return corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("pair %.7s is not processable", o.Pair))
	case o.Bid.IsZero() || o.Ask.IsZero():
		return corridor.Reject(corridor.ReasonInvalidFormat, "an offer needs a bid and an ask")
	case o.Bid.rat().Cmp(o.Ask.rat()) > 0:
		return corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("bid %s is above ask %s: a crossed quote", o.Bid, o.Ask))
	case o.Remaining <= 0 || o.Remaining > corridor.MaxAmount:
		return corridor.Reject(corridor.ReasonZeroAmount, "offer size must be between one minor unit and the maximum")
	case !o.Expires.After(now) || o.Expires.Sub(now) > MaxQuoteLife:
		return corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("offer expiry must be within %s", MaxQuoteLife))
	}
	return nil
}

// ofProvider finds provider's offer on p in either direction.
func (b *Offers) ofProvider(provider corridor.BIC, p Pair) (OfferID, bool) {
	rev := Pair{From: p.To, To: p.From}
	for id, o := range b.byID { // At most one matches: the result does not depend on map order.
		if o.Provider == provider && (o.Pair == p || o.Pair == rev) {
			return id, true
		}
	}
	return 0, false
}

// All returns every offer, by ID: for views, snapshots and the state hash.
func (b *Offers) All() []Offer {
	out := make([]Offer, 0, len(b.byID))
	for _, o := range b.byID {
		out = append(out, *o)
	}
	slices.SortFunc(out, func(x, y Offer) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// Best finds the live offer that pays the most of p.To for amount of
// p.From and has the size for it; ties go to the earliest offer. It returns
// the offer and the conversion, or NARR when no offer can take it.
func (b *Offers) Best(amount corridor.Amount, p Pair, now time.Time) (Offer, Conversion, error) {
	o, cv, ok := b.best(amount, p, now, func(Offer, Conversion) bool { return true })
	if !ok {
		return Offer{}, Conversion{}, corridor.Reject(corridor.ReasonNotSpecified,
			fmt.Sprintf("no FX provider offers %s %s for %s", amount.Format(p.From), p.From, p.To))
	}
	return o, cv, nil
}

// BestCovering is Best among the offers whose provider is none of parties
// and holds, available in l, the p.To its side pays: the offer a conversion
// that names no quote takes (a converted payment's return, see SettlePvP).
// It returns NARR when no provider can cover the conversion.
func (b *Offers) BestCovering(l *ledger.Ledger, amount corridor.Amount, p Pair, now time.Time, parties ...corridor.BIC) (Offer, Conversion, error) {
	o, cv, ok := b.best(amount, p, now, func(o Offer, cv Conversion) bool {
		return !slices.Contains(parties, o.Provider) && available(l, o.Provider, p.To) >= int64(cv.To.Amount)
	})
	if !ok {
		return Offer{}, Conversion{}, corridor.Reject(corridor.ReasonNotSpecified,
			fmt.Sprintf("no FX provider can cover %s %s in %s: no live offer with the size and the %s to pay it", amount.Format(p.From), p.From, p.To, p.To))
	}
	return o, cv, nil
}

// best is the live offer with the size for amount that pays the most of
// p.To among those eligible accepts; ties go to the earliest offer.
func (b *Offers) best(amount corridor.Amount, p Pair, now time.Time, eligible func(Offer, Conversion) bool) (Offer, Conversion, bool) {
	var best Offer
	var bestCV Conversion
	for _, o := range b.All() {
		if !now.Before(o.Expires) {
			continue
		}
		cv, err := o.ConvertAt(amount, p)
		if err != nil || o.baseAmount(cv) > o.Remaining || !eligible(o, cv) {
			continue
		}
		if best.ID == 0 || cv.To.Amount > bestCV.To.Amount {
			best, bestCV = o, cv
		}
	}
	return best, bestCV, best.ID != 0
}

// Take reserves cv's base amount of offer id for a quote. The offer must be
// live and large enough: Best found it so.
func (b *Offers) Take(id OfferID, cv Conversion) {
	o, ok := b.byID[id]
	assert.That(ok, "offer %d taken but not in the book", id)
	n := o.baseAmount(cv)
	assert.That(n <= o.Remaining, "offer %d: %d taken of %d", id, n, o.Remaining)
	o.Remaining -= n
}

// Prune drops every offer that expired at or before now and returns how many.
func (b *Offers) Prune(now time.Time) int {
	n := 0
	for id, o := range b.byID { // Deleting in map order is deterministic: the result is a set.
		if !now.Before(o.Expires) {
			delete(b.byID, id)
			n++
		}
	}
	return n
}

// SettlePvP posts a converted payment payment-versus-payment as two linked
// transfers, both or neither: the instructing agent pays provider cv.From,
// and provider pays the instructed agent cv.To. It returns AC01 when an
// account is missing and AM04, naming who is short, when either payer's
// liquidity does not cover its leg; then nothing is posted. No hub account
// takes part.
func SettlePvP(l *ledger.Ledger, instructing, provider, instructed corridor.BIC, cv Conversion, nextID func() ledger.TransferID) ([2]ledger.Transfer, error) {
	from, to := cv.From.Currency, cv.To.Currency
	if provider == instructing || provider == instructed {
		return [2]ledger.Transfer{}, corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("%s cannot convert against its own quote", provider))
	}
	for _, id := range []ledger.AccountID{ledger.Settlement(instructing, from), ledger.Settlement(provider, from),
		ledger.Settlement(provider, to), ledger.Settlement(instructed, to)} {
		if _, ok := l.Account(id); !ok {
			return [2]ledger.Transfer{}, corridor.Reject(corridor.ReasonAccountInvalid, fmt.Sprintf("account %s does not exist", id))
		}
	}
	for _, leg := range []struct {
		who corridor.BIC
		m   corridor.Money
	}{{instructing, cv.From}, {provider, cv.To}} {
		if avail := available(l, leg.who, leg.m.Currency); avail < int64(leg.m.Amount) {
			return [2]ledger.Transfer{}, corridor.Reject(corridor.ReasonInsufficientFunds,
				fmt.Sprintf("%s has %s %s available for its leg of %s", leg.who, corridor.Amount(avail).Format(leg.m.Currency), leg.m.Currency, leg.m))
		}
	}
	legs := [2]ledger.Transfer{
		{ID: nextID(), Debit: ledger.Settlement(instructing, from), Credit: ledger.Settlement(provider, from), Amount: cv.From.Amount},
		{ID: nextID(), Debit: ledger.Settlement(provider, to), Credit: ledger.Settlement(instructed, to), Amount: cv.To.Amount},
	}
	err := l.ApplyLinked(legs[:]) // Checked above: a failure here is a bug.
	assert.That(err == nil, "PvP legs %d and %d: %v", legs[0].ID, legs[1].ID, err)
	return legs, nil
}
