package iso20022

import (
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
)

// The answers a camt.029 gives to a cancellation request: Sts/Conf, with
// the TxCxlSts of the transaction each implies.
const (
	ResolutionCancelled = "CNCL" // Accepted (TxCxlSts ACCR): a return (pacs.004) follows, or the hub cancelled it.
	ResolutionRejected  = "RJCR" // Rejected (TxCxlSts RJCR), with a reason.
	ResolutionPending   = "PDCR" // Still being worked on (TxCxlSts PDCR).
)

// transactionStatus is the TxCxlSts of a transaction whose case has the
// Sts/Conf status.
var transactionStatus = map[string]string{ResolutionCancelled: "ACCR", ResolutionRejected: "RJCR", ResolutionPending: "PDCR"}

// Resolution is a camt.029.001.09 RsltnOfInvstgtn answering a cancellation
// request (camt.056) about one payment: the creditor agent's answer to a
// request the hub forwarded, or the hub's own confirmation that it
// cancelled a payment that had not settled.
type Resolution struct {
	From, To corridor.BIC        // AppHdr/Fr and Assgnmt/Assgnr/Agt, who answers; AppHdr/To, Assgnmt/Assgne/Agt and RslvdCase/Cretr/Agt, who asked.
	ID       string              // Assgnmt/Id and AppHdr/BizMsgIdr: unique per sender.
	CaseID   string              // RslvdCase/Id: the Case/Id of the camt.056.
	Created  time.Time           // Assgnmt/CreDtTm and AppHdr/CreDt.
	BizSvc   string              // AppHdr/BizSvc; omitted when "".
	Original OriginalTransaction // CxlDtls/TxInfAndSts: the payment the case is about.
	Status   string              // Sts/Conf: ResolutionCancelled, ResolutionRejected or ResolutionPending.
	Reason   string              // CxlStsRsnInf/Rsn/Cd, such as LEGL, CUST, NOAS or ARDT; omitted when "".
}

// OriginalTransaction names the payment a resolution is about, as its
// Orgnl elements do; the optional ones are omitted when zero.
type OriginalTransaction struct {
	MsgID          string         // OrgnlGrpInf/OrgnlMsgId.
	MsgDefID       string         // OrgnlGrpInf/OrgnlMsgNmId, e.g. "pacs.008.001.08".
	InstrID        string         // OrgnlInstrId; omitted when "".
	EndToEndID     string         // OrgnlEndToEndId; omitted when "".
	UETR           corridor.UETR  // OrgnlUETR.
	Amount         corridor.Money // OrgnlIntrBkSttlmAmt; omitted when its currency is "".
	SettlementDate corridor.Date  // OrgnlIntrBkSttlmDt; omitted when zero.
}

// EncodeResolution writes r as a camt.029.001.09 with its AppHdr in an
// envelope. It refuses, naming every field, input it cannot write as a
// valid message.
func EncodeResolution(r Resolution) ([]byte, error) {
	o := r.Original
	h := AppHdr{From: r.From, To: r.To, BizMsgID: r.ID, MsgDefID: MsgDefResolution, BizSvc: r.BizSvc, Created: r.Created}
	in := &input{msgDef: MsgDefResolution}
	checkAppHdr(in, h)
	in.text("RslvdCase/Id", r.CaseID, MaxIDChars)
	in.code("Sts/Conf", r.Status, ResolutionCancelled, ResolutionRejected, ResolutionPending)
	in.optionalText("CxlDtls/TxInfAndSts/CxlStsRsnInf/Rsn/Cd", r.Reason, maxCodeChars)
	o.check(in, "CxlDtls/TxInfAndSts/")
	if err := in.err(); err != nil {
		return nil, err
	}
	tx := PaymentTransaction102{
		OrgnlGrpInf:     &OriginalGroupInformation29{OrgnlMsgId: o.MsgID, OrgnlMsgNmId: o.MsgDefID},
		OrgnlInstrId:    optional(o.InstrID),
		OrgnlEndToEndId: optional(o.EndToEndID),
		OrgnlUETR:       optional(string(o.UETR)),
		TxCxlSts:        optional(transactionStatus[r.Status]),
	}
	if r.Reason != "" {
		tx.CxlStsRsnInf = []CancellationStatusReason4{{Rsn: &CancellationStatusReason3Choice{Cd: optional(r.Reason)}}}
	}
	if a := o.Amount; a.Currency != "" {
		tx.OrgnlIntrBkSttlmAmt = &ActiveOrHistoricCurrencyAndAmount{Value: a.Amount.Format(a.Currency), Ccy: string(a.Currency)}
	}
	if o.SettlementDate != (corridor.Date{}) {
		tx.OrgnlIntrBkSttlmDt = optional(o.SettlementDate.String())
	}
	doc := &Camt029Document{RsltnOfInvstgtn: ResolutionOfInvestigationV09{
		Assgnmt: CaseAssignment5{Id: r.ID, Assgnr: Party40Choice{Agt: agentOf(r.From)},
			Assgne: Party40Choice{Agt: agentOf(r.To)}, CreDtTm: formatMillis(r.Created)},
		RslvdCase: &Case5{Id: r.CaseID, Cretr: Party40Choice{Agt: agentOf(r.To)}},
		Sts:       InvestigationStatus5Choice{Conf: optional(r.Status)},
		CxlDtls:   []UnderlyingTransaction22{{TxInfAndSts: []PaymentTransaction102{tx}}},
	}}
	return encodeWith(h, doc)
}

// check records what of o cannot be written in the Orgnl elements under prefix.
func (o OriginalTransaction) check(in *input, prefix string) {
	in.text(prefix+"OrgnlGrpInf/OrgnlMsgId", o.MsgID, MaxIDChars)
	in.text(prefix+"OrgnlGrpInf/OrgnlMsgNmId", o.MsgDefID, MaxIDChars)
	in.optionalText(prefix+"OrgnlInstrId", o.InstrID, MaxIDChars)
	in.optionalText(prefix+"OrgnlEndToEndId", o.EndToEndID, MaxIDChars)
	in.uetr(prefix+"OrgnlUETR", o.UETR)
	if o.Amount.Currency != "" {
		in.amount(prefix+"OrgnlIntrBkSttlmAmt", o.Amount.Amount, o.Amount.Currency)
	}
	if o.SettlementDate != (corridor.Date{}) {
		in.date(prefix+"OrgnlIntrBkSttlmDt", o.SettlementDate)
	}
}

// CaseResolution is a camt.029 RsltnOfInvstgtn as the hub reads it: the
// creditor agent's answer to a cancellation request of one payment.
type CaseResolution struct {
	ID     string        // Assgnmt/Id: unique per sender.
	UETR   corridor.UETR // CxlDtls/TxInfAndSts/OrgnlUETR.
	Status string        // ResolutionCancelled, ResolutionRejected or ResolutionPending: Sts/Conf, TxCxlSts or both.
	Reason string        // CxlDtls/TxInfAndSts/CxlStsRsnInf/Rsn/Cd or Prtry of a rejection; "" for none.
}

// decodeResolution reads m, the RsltnOfInvstgtn of a valid camt.029.
func decodeResolution(m *node) (*CaseResolution, error) {
	tx := only(only(m, "CxlDtls"), "TxInfAndSts")
	if tx == nil {
		return nil, corridor.Reject(corridor.ReasonInvalidFormat, "a camt.029 answers exactly one cancelled transaction (CxlDtls/TxInfAndSts)")
	}
	uetr, err := uetrOf(tx.first("OrgnlUETR"), "CxlDtls/TxInfAndSts/OrgnlUETR")
	if err != nil {
		return nil, err
	}
	r := CaseResolution{ID: m.at("Assgnmt", "Id").content(), UETR: uetr, Reason: firstReason(tx, "CxlStsRsnInf")}
	// Sts/Conf and TxCxlSts: either, or both when they agree.
	switch st := m.at("Sts", "Conf").content() + "/" + tx.first("TxCxlSts").content(); st {
	case "CNCL/", "CNCL/ACCR", "/ACCR":
		r.Status = ResolutionCancelled
	case "RJCR/", "RJCR/RJCR", "/RJCR":
		r.Status = ResolutionRejected
	case "PDCR/", "PDCR/PDCR", "/PDCR":
		r.Status = ResolutionPending
	default:
		return nil, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("Sts/Conf and TxCxlSts %.30q: want CNCL (ACCR), RJCR or PDCR", st))
	}
	return &r, nil
}
