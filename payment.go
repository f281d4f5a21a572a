package corridor

import (
	"strings"
	"time"
)

// Payment is a customer credit transfer between two participants, as the hub
// understands a pacs.008: the fields it authenticates, settles and tracks on.
// Interbank settlement is between the instructing and the instructed agent; in
// a direct payment they are also the debtor and the creditor agent.
type Payment struct {
	MsgID            string // The sender's message reference, unique per sender.
	UETR             UETR   // The unique end-to-end transaction reference: the tracker key.
	EndToEndID       string // The debtor's end-to-end reference, passed on unchanged.
	InstructingAgent BIC    // The sender of this leg, whose account is debited.
	InstructedAgent  BIC    // The receiver of this leg, whose account is credited.
	DebtorAgent      BIC    // The debtor's bank.
	CreditorAgent    BIC    // The creditor's bank.
	Amount           Amount // The interbank settlement amount, in minor units of Currency.
	Currency         Currency
	SettlementDate   Date   // The interbank settlement date the sender asked for.
	DebtorName       string // The debtor's name; screened.
	CreditorName     string // The creditor's name; screened.
	UltimateDebtor   string // On whose behalf the debtor pays; screened too.
	UltimateCreditor string // For whom the creditor receives; screened too.
	Urgent           bool   // The sender asked for high priority: it settles before normal payments.
	Instructed       Money  // The instructed amount; zero when absent. In another currency than Currency, the payment converts.
	FXQuote          uint64 // The FX quote the payment converts at; 0 for none. The iso20022 package says where a message names it.
	XchgRate         string `json:",omitempty"` // The exchange rate the sender states (CdtTrfTxInf/XchgRate), as written; empty when absent.
}

// Detached returns p with every string its own copy. A payment decoded from
// a message holds substrings of the whole message (iso20022 copies the
// document once and cuts its texts from that copy), so that any one of
// them kept keeps the whole message in memory: a payment the hub holds, or
// a statement entry that names its references, must not.
func (p Payment) Detached() Payment {
	for _, s := range []*string{&p.MsgID, &p.EndToEndID, &p.DebtorName, &p.CreditorName, &p.UltimateDebtor, &p.UltimateCreditor, &p.XchgRate} {
		*s = strings.Clone(*s)
	}
	p.UETR = UETR(strings.Clone(string(p.UETR)))
	for _, b := range []*BIC{&p.InstructingAgent, &p.InstructedAgent, &p.DebtorAgent, &p.CreditorAgent} {
		*b = BIC(strings.Clone(string(*b)))
	}
	p.Currency = Currency(strings.Clone(string(p.Currency)))
	p.Instructed.Currency = Currency(strings.Clone(string(p.Instructed.Currency)))
	return p
}

// Converts reports whether p's instructed amount is in another currency than
// its interbank settlement amount, so that settling it needs an FX conversion.
func (p Payment) Converts() bool {
	return p.Instructed.Currency != "" && p.Instructed.Currency != p.Currency
}

// Date is a calendar date without a zone, as ISO 20022's ISODate.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads YYYY-MM-DD; a malformed or impossible date is a DT01 reject.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return Date{}, Reject(ReasonInvalidDate, "date "+quoteInput(s)+" is not YYYY-MM-DD")
	}
	return DateOf(t), nil
}

// DateOf is t's date in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

func (d Date) String() string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// PaymentStatus is where a payment stands in its life at the hub.
type PaymentStatus string

// The statuses the tracker shows, named after ISO 20022 ExternalPaymentTransactionStatus1Code.
const (
	StatusAccepted PaymentStatus = "ACTC" // Accepted technical validation; journaled, the hub owns it.
	StatusSettled  PaymentStatus = "ACSC" // Accepted settlement completed.
	StatusRejected PaymentStatus = "RJCT" // Rejected, with a reason.
	StatusPending  PaymentStatus = "PDNG" // Waiting in the RTGS queue for liquidity.
	StatusInCycle  PaymentStatus = "ACCP" // Accepted into a deferred net settlement cycle; settles at its close.
)
