package iso20022

import (
	"strconv"
	"time"

	"github.com/corridor-network/corridor"
)

// Lengths of the text types of the account messages.
const (
	maxAccountChars = 34  // Max34Text: Acct/Id/Othr/Id.
	maxInfoChars    = 500 // Max500Text: AddtlNtryInf and AddtlNtfctnInf.
	maxPage         = 99_999
)

// AccountReport is what the hub says of one settlement account over a
// period: a camt.053.001.08 statement (BkToCstmrStmt/Stmt) or a
// camt.052.001.08 intraday report (BkToCstmrAcctRpt/Rpt), one page of it.
type AccountReport struct {
	From, To   corridor.BIC      // AppHdr/Fr, the hub that services the account, and To, its owner.
	ID         string            // GrpHdr/MsgId, Stmt/Id (Rpt/Id) and AppHdr/BizMsgIdr.
	Created    time.Time         // GrpHdr/CreDtTm, Stmt/CreDtTm and AppHdr/CreDt, to the millisecond.
	Page       int               // StmtPgntn/PgNb (RptPgntn): 1 to 99999.
	LastPage   bool              // StmtPgntn/LastPgInd.
	Start, End time.Time         // FrToDt: FrDtTm is Start, ToDtTm the last millisecond before End.
	Account    string            // Acct/Id/Othr/Id, such as "DEMOINBBXXX/INR".
	Currency   corridor.Currency // Acct/Ccy, and that of every amount.
	Opening    int64             // Bal OPBD on Start's date, in minor units: negative is DBIT.
	Closing    int64             // Bal CLBD of a statement, ITBD of a report, on Start's date.
	Entries    []Entry           // Ntry, in the order booked.
	Date       *corridor.Date    // Bal/Dt/Dt of both balances: the business day; Start's date when nil.
	Sequence   uint64            // Stmt/ElctrncSeqNb and LglSeqNb of a statement, from 1; 0 writes neither.
	BizSvc     string            // AppHdr/BizSvc; omitted when "".
}

// Notification is a camt.054.001.08 BkToCstmrDbtCdtNtfctn of entries on
// one account (Ntfctn).
type Notification struct {
	From, To corridor.BIC      // AppHdr/Fr, the hub that services the account, and To, its owner.
	ID       string            // GrpHdr/MsgId, Ntfctn/Id and AppHdr/BizMsgIdr.
	Created  time.Time         // GrpHdr/CreDtTm, Ntfctn/CreDtTm and AppHdr/CreDt.
	Account  string            // Acct/Id/Othr/Id.
	Currency corridor.Currency // Acct/Ccy, and that of every amount.
	Entries  []Entry           // Ntry; none for a notification that only informs.
	BizSvc   string            // AppHdr/BizSvc; omitted when "".
	Info     string            // Ntfctn/AddtlNtfctnInf, at most 500 characters; omitted when "".
}

// MaxUnderlying bounds the transactions one entry names.
const MaxUnderlying = 1000

// Entry is one booked entry (Ntry, status BOOK) on an account.
type Entry struct {
	Ref         string            // NtryRef; omitted when "".
	Amount      corridor.Amount   // Amt, in the account's currency.
	Debit       bool              // CdtDbtInd DBIT; else CRDT.
	Booked      time.Time         // BookgDt/DtTm, to the millisecond; when zero, BookgDt/Dt is ValueDate.
	ValueDate   corridor.Date     // ValDt/Dt.
	ServicerRef string            // AcctSvcrRef; omitted when "".
	Code        string            // BkTxCd/Prtry/Cd: the account servicer's own transaction code.
	CodeIssuer  string            // BkTxCd/Prtry/Issr; omitted when "".
	Info        string            // AddtlNtryInf; omitted when "".
	Transaction *EntryTransaction // NtryDtls/TxDtls, with the entry's amount and direction; nil for none.
	// Underlying are the transactions a net entry covers, each with its own
	// amount and direction (NtryDtls/TxDtls, one each); used when
	// Transaction is nil.
	Underlying []Underlying
}

// Underlying is one transaction behind a net entry.
type Underlying struct {
	EntryTransaction
	Amount corridor.Amount // TxDtls/Amt.
	Debit  bool            // TxDtls/CdtDbtInd DBIT; else CRDT.
}

// EntryTransaction is the references of the one transaction behind an
// entry (NtryDtls/TxDtls/Refs); each is omitted when "".
type EntryTransaction struct {
	MsgID       string        // Refs/MsgId.
	ServicerRef string        // Refs/AcctSvcrRef.
	EndToEndID  string        // Refs/EndToEndId.
	UETR        corridor.UETR // Refs/UETR.
}

// EncodeStatement writes r as a camt.053.001.08 with its AppHdr in an
// envelope: opening (OPBD) and closing (CLBD) booked balances and the
// entries. It refuses, naming every field, input it cannot write as a valid
// message.
func EncodeStatement(r AccountReport) ([]byte, error) {
	var seq *string
	if r.Sequence > 0 {
		s := strconv.FormatUint(r.Sequence, 10)
		seq = &s
	}
	return r.encode(MsgDefStatement, "CLBD", func(p reportParts) Document {
		return &Camt053Document{BkToCstmrStmt: BankToCustomerStatementV08{
			GrpHdr: GroupHeader81{MsgId: r.ID, CreDtTm: p.created},
			Stmt: []AccountStatement9{{Id: r.ID, StmtPgntn: p.page, ElctrncSeqNb: seq, LglSeqNb: seq, CreDtTm: &p.created,
				FrToDt: p.period, Acct: p.account, Bal: p.balances, Ntry: p.entries}},
		}}
	})
}

// EncodeIntradayReport writes r as a camt.052.001.08 with its AppHdr in an
// envelope: the opening booked balance (OPBD), the interim booked balance
// (ITBD) and the entries so far. It refuses, naming every field, input it
// cannot write as a valid message.
func EncodeIntradayReport(r AccountReport) ([]byte, error) {
	return r.encode(MsgDefAccountReport, "ITBD", func(p reportParts) Document {
		return &Camt052Document{BkToCstmrAcctRpt: BankToCustomerAccountReportV08{
			GrpHdr: GroupHeader81{MsgId: r.ID, CreDtTm: p.created},
			Rpt: []AccountReport25{{Id: r.ID, RptPgntn: p.page, CreDtTm: &p.created, FrToDt: p.period, Acct: p.account,
				Bal: p.balances, Ntry: p.entries}},
		}}
	})
}

// reportParts are the elements a statement and a report share.
type reportParts struct {
	created  string
	page     *Pagination1
	period   *DateTimePeriod1
	account  CashAccount39
	balances []CashBalance8
	entries  []ReportEntry10
}

// encode checks r, then writes the msgDef Document that doc makes of its
// parts, closing being the type of its second balance.
func (r AccountReport) encode(msgDef, closing string, doc func(reportParts) Document) ([]byte, error) {
	in := &input{msgDef: msgDef}
	r.check(in)
	if err := in.err(); err != nil {
		return nil, err
	}
	date := corridor.DateOf(r.Start)
	if r.Date != nil {
		date = *r.Date
	}
	return encodeWith(r.header(msgDef), doc(reportParts{
		created:  formatMillis(r.Created),
		page:     &Pagination1{PgNb: strconv.Itoa(r.Page), LastPgInd: strconv.FormatBool(r.LastPage)},
		period:   &DateTimePeriod1{FrDtTm: formatMillis(r.Start), ToDtTm: formatMillis(r.End.Add(-time.Millisecond))},
		account:  cashAccount(r.Account, r.Currency),
		balances: []CashBalance8{balanceOf("OPBD", r.Opening, r.Currency, date), balanceOf(closing, r.Closing, r.Currency, date)},
		entries:  reportEntries(r.Currency, r.Entries),
	}))
}

// header is the AppHdr of r as a msgDef message.
func (r AccountReport) header(msgDef string) AppHdr {
	return AppHdr{From: r.From, To: r.To, BizMsgID: r.ID, MsgDefID: msgDef, BizSvc: r.BizSvc, Created: r.Created}
}

// check records what of r cannot be written.
func (r AccountReport) check(in *input) {
	checkAppHdr(in, r.header(in.msgDef))
	if r.Page < 1 || r.Page > maxPage {
		in.add("Pgntn/PgNb", "page %d is not 1 to %d", r.Page, maxPage)
	}
	in.dateTime("FrToDt/FrDtTm", r.Start)
	in.dateTime("FrToDt/ToDtTm", r.End.Add(-time.Millisecond))
	if !r.End.After(r.Start) {
		in.add("FrToDt", "ends at %s, not after it starts", r.End)
	}
	in.text("Acct/Id/Othr/Id", r.Account, maxAccountChars)
	if in.currency("Acct/Ccy", r.Currency) {
		in.balance("Bal/Amt", r.Opening)
		in.balance("Bal/Amt", r.Closing)
		checkEntries(in, r.Entries)
	}
}

// EncodeNotification writes n as a camt.054.001.08 with its AppHdr in an
// envelope. It refuses, naming every field, input it cannot write as a
// valid message.
func EncodeNotification(n Notification) ([]byte, error) {
	h := AppHdr{From: n.From, To: n.To, BizMsgID: n.ID, MsgDefID: MsgDefNotification, BizSvc: n.BizSvc, Created: n.Created}
	in := &input{msgDef: MsgDefNotification}
	checkAppHdr(in, h)
	in.text("Ntfctn/Acct/Id/Othr/Id", n.Account, maxAccountChars)
	if in.currency("Ntfctn/Acct/Ccy", n.Currency) {
		checkEntries(in, n.Entries)
	}
	in.optionalText("Ntfctn/AddtlNtfctnInf", n.Info, maxInfoChars)
	if err := in.err(); err != nil {
		return nil, err
	}
	created := formatMillis(n.Created)
	return encodeWith(h, &Camt054Document{BkToCstmrDbtCdtNtfctn: BankToCustomerDebitCreditNotificationV08{
		GrpHdr: GroupHeader81{MsgId: n.ID, CreDtTm: created},
		Ntfctn: []AccountNotification17{{Id: n.ID, CreDtTm: &created, Acct: cashAccount(n.Account, n.Currency),
			Ntry: reportEntries(n.Currency, n.Entries), AddtlNtfctnInf: optional(n.Info)}},
	}})
}

// cashAccount is the Acct of an account by its identification and currency.
func cashAccount(id string, cur corridor.Currency) CashAccount39 {
	return CashAccount39{Id: AccountIdentification4Choice{Othr: &GenericAccountIdentification1{Id: id}}, Ccy: optional(string(cur))}
}

// balanceOf is a Bal of a type (OPBD, CLBD, ITBD) for a signed balance.
func balanceOf(code string, v int64, cur corridor.Currency, date corridor.Date) CashBalance8 {
	ind, abs := "CRDT", v
	if v < 0 {
		ind, abs = "DBIT", -v
	}
	return CashBalance8{Tp: BalanceType13{CdOrPrtry: BalanceType10Choice{Cd: optional(code)}},
		Amt:       ActiveOrHistoricCurrencyAndAmount{Value: corridor.Amount(abs).Format(cur), Ccy: string(cur)},
		CdtDbtInd: ind, Dt: DateAndDateTime2Choice{Dt: optional(date.String())}}
}

// checkEntries records what of es, entries in a currency the hub knows,
// cannot be written.
func checkEntries(in *input, es []Entry) {
	for _, e := range es {
		in.optionalText("Ntry/NtryRef", e.Ref, MaxIDChars)
		in.positive("Ntry/Amt", e.Amount)
		if !e.Booked.IsZero() {
			in.dateTime("Ntry/BookgDt/DtTm", e.Booked)
		}
		in.date("Ntry/ValDt/Dt", e.ValueDate)
		in.optionalText("Ntry/AcctSvcrRef", e.ServicerRef, MaxIDChars)
		in.text("Ntry/BkTxCd/Prtry/Cd", e.Code, MaxIDChars)
		in.optionalText("Ntry/BkTxCd/Prtry/Issr", e.CodeIssuer, MaxIDChars)
		in.optionalText("Ntry/AddtlNtryInf", e.Info, maxInfoChars)
		if t := e.Transaction; t != nil {
			checkRefs(in, *t)
		}
		if len(e.Underlying) > MaxUnderlying {
			in.add("Ntry/NtryDtls/TxDtls", "at most %d transactions an entry", MaxUnderlying)
		}
		for _, u := range e.Underlying {
			checkRefs(in, u.EntryTransaction)
			in.positive("Ntry/NtryDtls/TxDtls/Amt", u.Amount)
		}
	}
}

// checkRefs records what of t's references cannot be written.
func checkRefs(in *input, t EntryTransaction) {
	in.optionalText("Ntry/NtryDtls/TxDtls/Refs/MsgId", t.MsgID, MaxIDChars)
	in.optionalText("Ntry/NtryDtls/TxDtls/Refs/AcctSvcrRef", t.ServicerRef, MaxIDChars)
	in.optionalText("Ntry/NtryDtls/TxDtls/Refs/EndToEndId", t.EndToEndID, MaxIDChars)
	if t.UETR != "" {
		in.uetr("Ntry/NtryDtls/TxDtls/Refs/UETR", t.UETR)
	}
}

func reportEntries(cur corridor.Currency, es []Entry) []ReportEntry10 {
	out := make([]ReportEntry10, len(es))
	for i, e := range es {
		out[i] = reportEntry(cur, e)
	}
	return out
}

// reportEntry is the Ntry of e, an entry in cur.
func reportEntry(cur corridor.Currency, e Entry) ReportEntry10 {
	ind := "CRDT"
	if e.Debit {
		ind = "DBIT"
	}
	amt := ActiveOrHistoricCurrencyAndAmount{Value: e.Amount.Format(cur), Ccy: string(cur)}
	booked := &DateAndDateTime2Choice{Dt: optional(e.ValueDate.String())}
	if !e.Booked.IsZero() {
		booked = &DateAndDateTime2Choice{DtTm: optional(formatMillis(e.Booked))}
	}
	n := ReportEntry10{
		NtryRef: optional(e.Ref), Amt: amt, CdtDbtInd: ind,
		Sts:          EntryStatus1Choice{Cd: optional("BOOK")},
		BookgDt:      booked,
		ValDt:        &DateAndDateTime2Choice{Dt: optional(e.ValueDate.String())},
		AcctSvcrRef:  optional(e.ServicerRef),
		BkTxCd:       BankTransactionCodeStructure4{Prtry: &ProprietaryBankTransactionCodeStructure1{Cd: e.Code, Issr: optional(e.CodeIssuer)}},
		AddtlNtryInf: optional(e.Info),
	}
	if t := e.Transaction; t != nil {
		n.NtryDtls = []EntryDetails9{{TxDtls: []EntryTransaction10{{Refs: refsOf(*t), Amt: &amt, CdtDbtInd: &ind}}}}
	} else if len(e.Underlying) > 0 {
		txs := make([]EntryTransaction10, len(e.Underlying))
		for i, u := range e.Underlying {
			uAmt, uInd := ActiveOrHistoricCurrencyAndAmount{Value: u.Amount.Format(cur), Ccy: string(cur)}, "CRDT"
			if u.Debit {
				uInd = "DBIT"
			}
			txs[i] = EntryTransaction10{Refs: refsOf(u.EntryTransaction), Amt: &uAmt, CdtDbtInd: &uInd}
		}
		n.NtryDtls = []EntryDetails9{{TxDtls: txs}}
	}
	return n
}

func refsOf(t EntryTransaction) *TransactionReferences6 {
	return &TransactionReferences6{MsgId: optional(t.MsgID), AcctSvcrRef: optional(t.ServicerRef),
		EndToEndId: optional(t.EndToEndID), UETR: optional(string(t.UETR))}
}
