package corridor

import "time"

// Payment is a customer credit transfer between two participants, as the hub
// understands a pacs.008: the fields it authenticates, settles and tracks on.
// Interbank settlement is between the instructing and the instructed agent; in
// a direct payment they are also the debtor and the creditor agent.
type Payment struct {
	MsgID            string // GrpHdr/MsgId: the sender's reference, unique per sender.
	UETR             UETR   // CdtTrfTxInf/PmtId/UETR: the tracker key.
	EndToEndID       string // CdtTrfTxInf/PmtId/EndToEndId.
	InstructingAgent BIC    // CdtTrfTxInf/InstgAgt: the sender, whose account is debited.
	InstructedAgent  BIC    // CdtTrfTxInf/InstdAgt: the receiver, whose account is credited.
	DebtorAgent      BIC    // CdtTrfTxInf/DbtrAgt.
	CreditorAgent    BIC    // CdtTrfTxInf/CdtrAgt.
	Amount           Amount // CdtTrfTxInf/IntrBkSttlmAmt, in minor units of Currency.
	Currency         Currency
	SettlementDate   Date   // CdtTrfTxInf/IntrBkSttlmDt.
	DebtorName       string // CdtTrfTxInf/Dbtr/Nm.
	CreditorName     string // CdtTrfTxInf/Cdtr/Nm.
	UltimateDebtor   string // CdtTrfTxInf/UltmtDbtr/Nm: on whose behalf the debtor pays; screened too.
	UltimateCreditor string // CdtTrfTxInf/UltmtCdtr/Nm: for whom the creditor receives; screened too.
	Urgent           bool   // CdtTrfTxInf/PmtTpInf/InstrPrty is HIGH: it settles before normal payments.
	Instructed       Money  // CdtTrfTxInf/InstdAmt; zero when absent. In another currency than Currency, the payment converts.
	FXQuote          uint64 // The FX quote named in CdtTrfTxInf/InstrForNxtAgt/InstrInf as "/FXQT/<id>"; 0 for none.
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
		return Date{}, Reject(ReasonInvalidDate, "date "+quoteShort(s)+" is not YYYY-MM-DD")
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

func quoteShort(s string) string {
	if len(s) > 20 {
		s = s[:20] + "..."
	}
	return "\"" + s + "\""
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
