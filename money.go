package corridor

import (
	"fmt"
	"strconv"
	"strings"
)

// Amount counts minor units of a currency (paise, kopecks, cents). It is never
// negative: direction is a debit or a credit, not a sign.
type Amount int64

// MaxAmount is the largest amount the hub accepts: the 18 total digits that
// ISO 20022's ActiveCurrencyAndAmount allows. Two of them still add inside int64.
const MaxAmount Amount = 999_999_999_999_999_999

// Add returns a+b and whether the sum stayed within [0, MaxAmount].
func (a Amount) Add(b Amount) (Amount, bool) {
	if a < 0 || b < 0 || a > MaxAmount || b > MaxAmount {
		return 0, false
	}
	s := a + b
	return s, s <= MaxAmount
}

// Sub returns a-b and whether the difference is not negative.
func (a Amount) Sub(b Amount) (Amount, bool) {
	if b > a {
		return 0, false
	}
	return a - b, true
}

// Currency is an ISO 4217 alphabetic code that the hub knows, such as INR.
type Currency string

// currencyExponents is the ISO 4217 minor-unit table: the number of decimals
// an amount in the currency may carry.
var currencyExponents = map[Currency]int{
	"AED": 2, "BHD": 3, "CHF": 2, "CNY": 2, "EUR": 2, "GBP": 2, "INR": 2,
	"JPY": 0, "KWD": 3, "RUB": 2, "SGD": 2, "USD": 2,
}

// ParseCurrency returns the currency named by code, or an AM03 reject when the
// hub does not know it.
func ParseCurrency(code string) (Currency, error) {
	c := Currency(code)
	if _, ok := currencyExponents[c]; !ok {
		return "", Reject(ReasonCurrency, "currency "+quoteInput(code)+" is not processable")
	}
	return c, nil
}

// Exponent is the number of decimals of the currency's minor unit (2 for INR).
// It panics for a Currency that did not come from ParseCurrency.
func (c Currency) Exponent() int {
	e, ok := currencyExponents[c]
	if !ok {
		panic("corridor: unknown currency " + strconv.Quote(string(c)))
	}
	return e
}

// Valid reports whether the hub knows the currency.
func (c Currency) Valid() bool {
	_, ok := currencyExponents[c]
	return ok
}

// MaxAmountChars bounds the text ParseAmount reads: 18 digits, a point, slack.
const MaxAmountChars = 40

// ParseAmount reads a decimal such as "1000.50" digit by digit into minor units
// of c. More decimals than the currency has is a CH20 reject, never a rounding;
// zero is AM01, more than MaxAmount is AM02, anything else malformed is FF01.
func ParseAmount(s string, c Currency) (Amount, error) {
	if len(s) == 0 || len(s) > MaxAmountChars {
		return 0, Reject(ReasonInvalidFormat, "amount "+quoteInput(s)+" is not a decimal number")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if !allDigits(whole) || !allDigits(frac) || (whole == "" && frac == "") {
		return 0, Reject(ReasonInvalidFormat, "amount "+quoteInput(s)+" is not a decimal number")
	}
	exp := c.Exponent()
	if len(frac) > exp {
		return 0, Reject(ReasonDecimals, fmt.Sprintf("amount %s has %d decimals; %s allows %d", s, len(frac), c, exp))
	}
	digits := strings.TrimLeft(whole+frac+strings.Repeat("0", exp-len(frac)), "0")
	if len(digits) > 18 {
		return 0, Reject(ReasonAmountExceeded, fmt.Sprintf("amount %s exceeds the maximum of 18 digits", s))
	}
	var a Amount
	for i := 0; i < len(digits); i++ {
		a = a*10 + Amount(digits[i]-'0')
	}
	if a == 0 {
		return 0, Reject(ReasonZeroAmount, "amount is zero")
	}
	return a, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Format writes a in c's major units with exactly c's decimals: "1000.50".
func (a Amount) Format(c Currency) string {
	exp := c.Exponent()
	s := strconv.FormatInt(int64(a), 10)
	if exp == 0 {
		return s
	}
	if len(s) <= exp {
		s = strings.Repeat("0", exp-len(s)+1) + s
	}
	return s[:len(s)-exp] + "." + s[len(s)-exp:]
}

// Money is an amount with its currency, for messages and reports.
type Money struct {
	Amount   Amount
	Currency Currency
}

func (m Money) String() string { return m.Amount.Format(m.Currency) + " " + string(m.Currency) }
