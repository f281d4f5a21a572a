package settlement

import (
	"fmt"

	"github.com/corridor-network/corridor"
)

// MaxWarehouseDays is how far ahead of the open business day a payment may
// be dated: further is refused DT01, so that the warehouse stays bounded.
const MaxWarehouseDays = 31

// Phase is where a currency's business day stands. A day opens, passes its
// customer cut-off, then its interbank cut-off, and ends; ending it opens
// the next business day.
type Phase string

// The phases of a business day, in order.
const (
	PhaseOpen            Phase = "open"             // Every payment for the day is accepted.
	PhaseCustomerCutoff  Phase = "customer-cutoff"  // Customer payments (pacs.008) for the day are refused.
	PhaseInterbankCutoff Phase = "interbank-cutoff" // Every payment for the day is refused; the day waits for its end.
)

// PaymentType is what a cut-off applies to.
type PaymentType string

// The payment types a day has cut-offs for.
const (
	Customer  PaymentType = "customer"  // pacs.008 customer credit transfers.
	Interbank PaymentType = "interbank" // Interbank transfers and returns (pacs.009, pacs.004).
)

// Day is one currency's business day: its date and phase.
type Day struct {
	Currency corridor.Currency
	Date     corridor.Date
	Phase    Phase
}

// Admission is what a day does with a payment dated for some date.
type Admission int

// The admissions of a payment.
const (
	SettleToday Admission = iota + 1 // Dated for the open day, before its cut-off: it settles now.
	Warehouse                        // Dated for a later business day: it waits until that day opens.
)

// Admit says what d does with a payment of type t dated date: settle it
// today, warehouse it, or refuse it (DT01 for a closed day, a day that is
// not a business day or one too far ahead; TM01 after the day's cut-off for
// t).
func (d Day) Admit(cal Calendar, t PaymentType, date corridor.Date) (Admission, error) {
	ahead := DaysBetween(d.Date, date)
	switch {
	case ahead < 0:
		return 0, corridor.Reject(corridor.ReasonInvalidDate,
			fmt.Sprintf("settlement date %s is a closed business day; %s's business date is %s", date, d.Currency, d.Date))
	case ahead == 0 && !d.Accepts(t):
		return 0, corridor.Reject(corridor.ReasonQuoteExpired,
			fmt.Sprintf("after the %s cut-off of %s %s", t, d.Currency, d.Date))
	case ahead == 0:
		return SettleToday, nil
	case ahead > MaxWarehouseDays:
		return 0, corridor.Reject(corridor.ReasonInvalidDate,
			fmt.Sprintf("settlement date %s is more than %d days after the business date %s", date, MaxWarehouseDays, d.Date))
	case !cal.BusinessDay(date):
		return 0, corridor.Reject(corridor.ReasonInvalidDate,
			fmt.Sprintf("settlement date %s is not a %s business day", date, d.Currency))
	}
	return Warehouse, nil
}

// Accepts reports whether d still accepts payments of type t for its own date.
func (d Day) Accepts(t PaymentType) bool {
	switch d.Phase {
	case PhaseOpen:
		return true
	case PhaseCustomerCutoff:
		return t == Interbank
	}
	return false
}

// Cutoff is d after the cut-off for t: the customer cut-off only from an
// open day, the interbank cut-off from either (it includes the customer
// one). ok is false when d is already past it.
func (d Day) Cutoff(t PaymentType) (Day, bool) {
	switch {
	case t == Customer && d.Phase == PhaseOpen:
		d.Phase = PhaseCustomerCutoff
	case t == Interbank && d.Phase != PhaseInterbankCutoff:
		d.Phase = PhaseInterbankCutoff
	default:
		return d, false
	}
	return d, true
}

// End is the day that opens when d ends: the next business day of cal, open.
func (d Day) End(cal Calendar) Day {
	return Day{Currency: d.Currency, Date: cal.Next(d.Date), Phase: PhaseOpen}
}

// ParsePaymentType reads "customer" or "interbank".
func ParsePaymentType(s string) (PaymentType, error) {
	switch t := PaymentType(s); t {
	case Customer, Interbank:
		return t, nil
	}
	return "", corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("payment type %.20q is not customer or interbank", s))
}
