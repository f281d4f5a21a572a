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

// Bounds of the quote book.
const (
	MaxQuotes    = 100_000        // Live quotes; Prune drops expired ones.
	MaxQuoteLife = 24 * time.Hour // From issue to expiry.
)

// Pair is a currency pair: From is sold, To bought.
type Pair struct {
	From, To corridor.Currency
}

func (p Pair) String() string { return string(p.From) + "/" + string(p.To) }

// Rates holds the rates the operator (or an FX provider) published, one per
// pair. Pairs are bounded by the currencies the hub knows.
type Rates struct {
	byPair map[Pair]Rate
}

// NewRates returns an empty rate table.
func NewRates() *Rates { return &Rates{byPair: make(map[Pair]Rate)} }

// Publish sets the rate of a pair, replacing any before. It returns AM03 for
// an unknown currency or a pair of one currency, and AG01 when the inverse
// pair's rate is published and the two allow a risk-free round trip (their
// product is above one).
func (rs *Rates) Publish(p Pair, r Rate) error {
	if !p.From.Valid() || !p.To.Valid() || p.From == p.To {
		return corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("pair %.7s is not processable", p))
	}
	if r.IsZero() {
		return corridor.Reject(corridor.ReasonInvalidFormat, "rate is zero")
	}
	rev := Pair{From: p.To, To: p.From}
	if inv, ok := rs.byPair[rev]; ok && new(big.Rat).Mul(r.rat(), inv.rat()).Cmp(big.NewRat(1, 1)) > 0 {
		return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("%s %s beside %s %s turns one unit into %s: a risk-free round trip",
			p, r, rev, inv, new(big.Rat).Mul(r.rat(), inv.rat()).FloatString(MaxRateScale)))
	}
	rs.byPair[p] = r
	return nil
}

// InBand checks a provider's bid and ask on p against the operator's
// reference rate, where one is published for p (or for its inverse): each
// must lie within BandBasisPoints of it, else AG01. Without a reference
// rate every quote is in band.
func (rs *Rates) InBand(p Pair, bid, ask Rate) error {
	ref, ok := rs.reference(p)
	if !ok {
		return nil
	}
	lo := new(big.Rat).Mul(ref, big.NewRat(10_000-BandBasisPoints, 10_000))
	hi := new(big.Rat).Mul(ref, big.NewRat(10_000+BandBasisPoints, 10_000))
	for _, r := range []Rate{bid, ask} {
		if x := r.rat(); x.Cmp(lo) < 0 || x.Cmp(hi) > 0 {
			return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("%s %s is outside the band %s to %s around the reference rate",
				p, r, lo.FloatString(MaxRateScale), hi.FloatString(MaxRateScale)))
		}
	}
	return nil
}

// reference is the operator's rate of p as an exact fraction: published
// for p, or the inverse of the rate published for p reversed.
func (rs *Rates) reference(p Pair) (*big.Rat, bool) {
	if r, ok := rs.byPair[p]; ok {
		return r.rat(), true
	}
	if r, ok := rs.byPair[Pair{From: p.To, To: p.From}]; ok {
		return new(big.Rat).Inv(r.rat()), true
	}
	return nil, false
}

// Rate returns the published rate of a pair.
func (rs *Rates) Rate(p Pair) (Rate, bool) {
	r, ok := rs.byPair[p]
	return r, ok
}

// Pairs returns the pairs with a published rate, sorted.
func (rs *Rates) Pairs() []Pair {
	ps := make([]Pair, 0, len(rs.byPair))
	for p := range rs.byPair {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b Pair) int {
		if a.From != b.From {
			return cmp.Compare(a.From, b.From)
		}
		return cmp.Compare(a.To, b.To)
	})
	return ps
}

// QuoteID identifies a quote; the hub uses the journal sequence number that
// issued it.
type QuoteID uint64

// Quote is a rate locked for one participant, one amount and a while.
type Quote struct {
	ID         QuoteID
	Requester  corridor.BIC
	Conversion Conversion // The quoted amount, converted at the locked rate.
	Issued     time.Time
	Expires    time.Time // The quote is live before Expires.
	Used       bool

	// Provider is the FX provider whose offer the quote locks, and who pays
	// the converted amount; empty for a quote of the published rate, which
	// only journals written before providers existed hold.
	Provider corridor.BIC
	Offer    OfferID
	Inverse  bool // The conversion divides by Rate (the offer's ask).
}

// convert converts amount at q's locked rate, in q's direction.
func (q *Quote) convert(amount corridor.Amount) (Conversion, error) {
	from, to := q.Conversion.From.Currency, q.Conversion.To.Currency
	if q.Inverse {
		return ConvertInverse(amount, from, to, q.Conversion.Rate)
	}
	return Convert(amount, from, to, q.Conversion.Rate)
}

// Quotes is the book of issued quotes. It is not safe for concurrent use.
type Quotes struct {
	byID map[QuoteID]*Quote
}

// NewQuotes returns an empty quote book.
func NewQuotes() *Quotes { return &Quotes{byID: make(map[QuoteID]*Quote)} }

// Len is the number of quotes held.
func (b *Quotes) Len() int { return len(b.byID) }

// Issue locks rate for requester to convert amount of pair.From until
// expires. It returns Convert's rejects, AM05 for a repeated ID, DT01 for an
// expiry not after now or more than MaxQuoteLife away, and ErrBusy when the
// book is full.
func (b *Quotes) Issue(id QuoteID, requester corridor.BIC, amount corridor.Amount, p Pair, rate Rate, now, expires time.Time) (Quote, error) {
	if _, dup := b.byID[id]; dup || id == 0 {
		return Quote{}, corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("quote %d exists", id))
	}
	if !expires.After(now) || expires.Sub(now) > MaxQuoteLife {
		return Quote{}, corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("quote expiry must be within %s", MaxQuoteLife))
	}
	cv, err := Convert(amount, p.From, p.To, rate)
	if err != nil {
		return Quote{}, err
	}
	if len(b.byID) >= MaxQuotes {
		return Quote{}, corridor.ErrBusy
	}
	q := &Quote{ID: id, Requester: requester, Conversion: cv, Issued: now, Expires: expires}
	b.byID[id] = q
	return *q, nil
}

// IssueFromOffer locks the side of offer o that converts amount along p, for
// requester, until the earlier of expires and the offer's expiry, and
// reserves the amount of the offer's size. Rejects as Issue, and AG01 when
// the requester is the offer's provider.
func (b *Quotes) IssueFromOffer(id QuoteID, requester corridor.BIC, o Offer, cv Conversion, now, expires time.Time) (Quote, error) {
	if _, dup := b.byID[id]; dup || id == 0 {
		return Quote{}, corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("quote %d exists", id))
	}
	if requester == o.Provider {
		return Quote{}, corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("%s cannot take its own offer", requester))
	}
	if !expires.After(now) || expires.Sub(now) > MaxQuoteLife {
		return Quote{}, corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("quote expiry must be within %s", MaxQuoteLife))
	}
	if len(b.byID) >= MaxQuotes {
		return Quote{}, corridor.ErrBusy
	}
	if o.Expires.Before(expires) {
		expires = o.Expires
	}
	q := &Quote{ID: id, Requester: requester, Conversion: cv, Issued: now, Expires: expires,
		Provider: o.Provider, Offer: o.ID, Inverse: cv.From.Currency != o.Pair.From}
	b.byID[id] = q
	return *q, nil
}

// Lookup returns the quote with the given ID.
func (b *Quotes) Lookup(id QuoteID) (Quote, bool) {
	q, ok := b.byID[id]
	if !ok {
		return Quote{}, false
	}
	return *q, true
}

// All returns every quote held, by ID: for snapshots and the state hash.
func (b *Quotes) All() []Quote {
	out := make([]Quote, 0, len(b.byID))
	for _, q := range b.byID {
		out = append(out, *q)
	}
	slices.SortFunc(out, func(x, y Quote) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// Check finds quote id for by's payment of amount in pair p at now, and
// returns it with the payment's conversion at the locked rate, in this
// order: NARR for an unknown quote, AG01 for another participant's, AM05
// for a used one, TM01 for an expired one, AM03 for another pair (the other
// direction included) and AM09 for an amount above the quoted one. It
// changes nothing; Use marks the quote used.
func (b *Quotes) Check(id QuoteID, by corridor.BIC, amount corridor.Amount, p Pair, now time.Time) (Quote, Conversion, error) {
	q, ok := b.byID[id]
	switch {
	case !ok:
		return Quote{}, Conversion{}, corridor.Reject(corridor.ReasonNotSpecified, fmt.Sprintf("FX quote %d is unknown", id))
	case q.Requester != by:
		return Quote{}, Conversion{}, corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("FX quote %d was issued to another participant", id))
	case q.Used:
		return Quote{}, Conversion{}, corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("FX quote %d was used", id))
	case !now.Before(q.Expires):
		return Quote{}, Conversion{}, corridor.Reject(ReasonQuoteExpired, fmt.Sprintf("FX quote %d expired at %s", id, clock(q.Expires)))
	case p != (Pair{q.Conversion.From.Currency, q.Conversion.To.Currency}):
		return Quote{}, Conversion{}, corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("FX quote %d is for %s, not %s", id,
			Pair{q.Conversion.From.Currency, q.Conversion.To.Currency}, p))
	case amount > q.Conversion.From.Amount:
		return Quote{}, Conversion{}, corridor.Reject(ReasonWrongAmount, fmt.Sprintf("FX quote %d is for at most %s", id, q.Conversion.From))
	}
	cv, err := q.convert(amount)
	if err != nil {
		return Quote{}, Conversion{}, err
	}
	return *q, cv, nil
}

// Use marks quote id used; Check found it live.
func (b *Quotes) Use(id QuoteID) {
	q, ok := b.byID[id]
	assert.That(ok, "quote %d used but not in the book", id)
	assert.That(!q.Used, "quote %d used twice", id)
	q.Used = true
}

// Consume is Check and Use together: the quote is used only when Check
// accepts it.
func (b *Quotes) Consume(id QuoteID, by corridor.BIC, amount corridor.Amount, p Pair, now time.Time) (Conversion, error) {
	_, cv, err := b.Check(id, by, amount, p, now)
	if err != nil {
		return Conversion{}, err
	}
	b.Use(id)
	return cv, nil
}

// Prune drops every quote that expired at or before now, used or not, and
// returns how many. The hub calls it on a timer; afterwards a dropped quote's
// ID is unknown (NARR).
func (b *Quotes) Prune(now time.Time) int {
	n := 0
	for id, q := range b.byID { // Deleting in map order is deterministic: the result is a set.
		if !now.Before(q.Expires) {
			delete(b.byID, id)
			n++
		}
	}
	return n
}

// SettleFX posts a converted payment as two linked transfers, both or
// neither: the instructing agent's settlement account in cv.From's currency pays
// FXPosition of that currency, and FXPosition of cv.To's currency pays the
// instructed agent's settlement account. The FX position accounts (OpenAccounts) have
// no floor. It returns AC01 when an account is missing and AM04 when the
// instructing agent's liquidity does not cover cv.From; then nothing is posted.
func SettleFX(l *ledger.Ledger, instructing, instructed corridor.BIC, cv Conversion, nextID func() ledger.TransferID) ([2]ledger.Transfer, error) {
	from, to := cv.From.Currency, cv.To.Currency
	for _, id := range []ledger.AccountID{ledger.Settlement(instructing, from), FXPosition(from), FXPosition(to), ledger.Settlement(instructed, to)} {
		if _, ok := l.Account(id); !ok {
			return [2]ledger.Transfer{}, corridor.Reject(corridor.ReasonAccountInvalid, fmt.Sprintf("account %s/%s does not exist", id.Owner, id.Currency))
		}
	}
	if avail := available(l, instructing, from); avail < int64(cv.From.Amount) {
		return [2]ledger.Transfer{}, corridor.Reject(corridor.ReasonInsufficientFunds,
			fmt.Sprintf("%s has %s %s available", instructing, corridor.Amount(avail).Format(from), from))
	}
	legs := [2]ledger.Transfer{
		{ID: nextID(), Debit: ledger.Settlement(instructing, from), Credit: FXPosition(from), Amount: cv.From.Amount},
		{ID: nextID(), Debit: FXPosition(to), Credit: ledger.Settlement(instructed, to), Amount: cv.To.Amount},
	}
	for _, t := range legs {
		err := l.Apply(t) // Checked above: a failure here is a bug, and the pair must not stay half posted.
		assert.That(err == nil, "FX leg %d from %s to %s: %v", t.ID, t.Debit, t.Credit, err)
	}
	return legs, nil
}
