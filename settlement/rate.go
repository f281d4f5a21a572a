package settlement

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
)

// Bounds of a rate.
const (
	MaxRateChars  = 40 // Text ParseRate reads.
	MaxRateDigits = 18 // Significant digits: the mantissa fits a uint64.
	MaxRateScale  = 12 // Decimals after trailing zeros are dropped.

	// RemainderScale is the number of decimals, below the target's minor unit,
	// in which a conversion's remainder is exact: the largest currency exponent
	// (3) plus MaxRateScale.
	RemainderScale = 15
)

// maxExponent is the largest ISO 4217 exponent the corridor's currencies have.
const maxExponent = 3

const _ uint = RemainderScale - MaxRateScale - maxExponent // RemainderScale holds every remainder.

// Rate is an exact, positive decimal exchange rate: how many major units of
// the target currency one major unit of the source currency buys. Its value is
// Mantissa × 10^-Scale, kept canonical (no trailing zero in a fraction), so
// that equal rates are equal values.
type Rate struct {
	mantissa uint64
	scale    uint8
}

// ParseRate reads a decimal such as "0.8734" digit by digit. Anything but
// digits and one point, a zero rate, more than MaxRateDigits significant
// digits or more than MaxRateScale decimals is an FF01 reject.
func ParseRate(s string) (Rate, error) {
	bad := func(why string) (Rate, error) {
		return Rate{}, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("rate %.20q %s", s, why))
	}
	if len(s) == 0 || len(s) > MaxRateChars {
		return bad("is not a decimal number")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if !digits(whole) || !digits(frac) || (whole == "" && frac == "") {
		return bad("is not a decimal number")
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > MaxRateScale {
		return bad(fmt.Sprintf("has more than %d decimals", MaxRateScale))
	}
	sig := strings.TrimLeft(whole+frac, "0")
	if sig == "" {
		return bad("is zero")
	}
	if len(sig) > MaxRateDigits {
		return bad(fmt.Sprintf("has more than %d significant digits", MaxRateDigits))
	}
	m, err := strconv.ParseUint(sig, 10, 64)
	assert.That(err == nil, "parse %q: %v", sig, err)
	return Rate{mantissa: m, scale: uint8(len(frac))}, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Mantissa is the rate's digits as an integer.
func (r Rate) Mantissa() uint64 { return r.mantissa }

// Scale is the number of decimals of the rate.
func (r Rate) Scale() int { return int(r.scale) }

// IsZero reports whether r is the zero Rate, which no parse returns.
func (r Rate) IsZero() bool { return r.mantissa == 0 }

// String writes r as a plain decimal: "0.8734".
func (r Rate) String() string {
	s := strconv.FormatUint(r.mantissa, 10)
	if r.scale == 0 {
		return s
	}
	n := int(r.scale)
	if len(s) <= n {
		s = strings.Repeat("0", n-len(s)+1) + s
	}
	return s[:len(s)-n] + "." + s[len(s)-n:]
}

// Remainder is what a conversion's rounding left: the exact converted value
// less the amount paid, in 10^-RemainderScale of a minor unit of Currency.
// Positive means the hub's FX position kept a fraction; negative, it gave one.
// Its magnitude is at most half a minor unit.
type Remainder struct {
	Currency corridor.Currency
	Units    int64
}

// String writes the remainder in minor units as an exact decimal, trailing
// zeros dropped: "0.5" is half a minor unit.
func (r Remainder) String() string {
	u := r.Units
	sign := ""
	if u < 0 {
		sign, u = "-", -u
	}
	s := fmt.Sprintf("%0*d", RemainderScale+1, u)
	whole, frac := s[:len(s)-RemainderScale], strings.TrimRight(s[len(s)-RemainderScale:], "0")
	if frac == "" {
		return sign + whole
	}
	return sign + whole + "." + frac
}

// Conversion is an amount converted at a rate, rounded once.
type Conversion struct {
	From      corridor.Money // What the instructing agent pays.
	To        corridor.Money // What the instructed agent receives.
	Rate      Rate
	Remainder Remainder // Exact value of From at Rate, less To.
}

// Convert converts amount of from into to at rate, rounding once, half-even,
// at to's minor unit: exact = amount × rate × 10^(exp(to) - exp(from)). It
// returns AM03 for an unknown currency or from == to, AM01 when the amount is
// not positive or converts to zero, and AM02 when the result passes MaxAmount.
func Convert(amount corridor.Amount, from, to corridor.Currency, rate Rate) (Conversion, error) {
	if err := checkConversion(amount, from, to, rate); err != nil {
		return Conversion{}, err
	}
	ef, et := from.Exponent(), to.Exponent()
	assert.That(ef <= maxExponent, "%s has exponent %d", from, ef)
	assert.That(et <= maxExponent, "%s has exponent %d", to, et)
	num := new(big.Int).SetInt64(int64(amount))
	num.Mul(num, new(big.Int).SetUint64(rate.mantissa))
	num.Mul(num, pow10(et))
	den := pow10(ef + rate.Scale())
	q, r := roundHalfEven(num, den)
	if q.Sign() == 0 {
		return Conversion{}, corridor.Reject(corridor.ReasonZeroAmount, fmt.Sprintf("%s converts to zero %s", amount.Format(from), to))
	}
	if !q.IsInt64() || q.Int64() > int64(corridor.MaxAmount) {
		return Conversion{}, corridor.Reject(corridor.ReasonAmountExceeded, fmt.Sprintf("%s converts to more than the maximum", amount.Format(from)))
	}
	r.Mul(r, pow10(RemainderScale-ef-rate.Scale())) // r/den minor units, in 10^-RemainderScale.
	assert.That(r.IsInt64(), "remainder %s overflows", r)
	return Conversion{From: corridor.Money{Amount: amount, Currency: from}, To: corridor.Money{Amount: corridor.Amount(q.Int64()), Currency: to},
		Rate: rate, Remainder: Remainder{Currency: to, Units: r.Int64()}}, nil
}

// checkConversion is Convert's and ConvertInverse's check of their input:
// AM03 for an unknown currency or from == to, AM01 for an amount that is not
// positive.
func checkConversion(amount corridor.Amount, from, to corridor.Currency, rate Rate) error {
	if !from.Valid() || !to.Valid() || from == to {
		return corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("cannot convert %.3s to %.3s", from, to))
	}
	assert.That(!rate.IsZero(), "converting at a zero rate")
	if amount <= 0 || amount > corridor.MaxAmount {
		return corridor.Reject(corridor.ReasonZeroAmount, "amount to convert is not positive")
	}
	return nil
}

// roundHalfEven returns q = num/den rounded half to even, and num - q×den.
// num and den are positive.
func roundHalfEven(num, den *big.Int) (q, r *big.Int) {
	q, r = new(big.Int).QuoRem(num, den, new(big.Int))
	twice := new(big.Int).Lsh(r, 1)
	if c := twice.Cmp(den); c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(q, big.NewInt(1))
		r.Sub(r, den)
	}
	return q, r
}

func pow10(n int) *big.Int {
	assert.That(n >= 0, "negative power of ten %d", n)
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}
