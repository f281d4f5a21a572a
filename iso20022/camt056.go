package iso20022

import (
	"time"

	"github.com/corridor-network/corridor"
)

// CancelRequest is what an instructing agent says in a camt.056.001.08
// FIToFIPmtCxlReq that asks to cancel one of its payments.
type CancelRequest struct {
	ID       string           // Assgnmt/Id, Case/Id and AppHdr/BizMsgIdr: unique per sender.
	Created  time.Time        // Assgnmt/CreDtTm and AppHdr/CreDt.
	Original corridor.Payment // The payment to cancel: its MsgId, EndToEndId, UETR, agents, amount and date.
	Reason   string           // CxlRsnInf/Rsn/Cd: an ExternalCancellationReason1Code such as DUPL, CUST or FRAD.
}

// EncodeCancelRequest writes r as a camt.056.001.08 with its AppHdr (BizSvc
// swift.cbprplus.03) in an envelope: a case the original's instructing agent
// opens and assigns to its instructed agent. It refuses, naming every field,
// input it cannot write as a valid message.
func EncodeCancelRequest(r CancelRequest) ([]byte, error) {
	o := r.Original
	h := AppHdr{From: o.InstructingAgent, To: o.InstructedAgent, BizMsgID: r.ID, MsgDefID: MsgDefCancelRequest, BizSvc: BizSvcCBPRPlus, Created: r.Created}
	in := &input{msgDef: MsgDefCancelRequest}
	checkAppHdr(in, h)
	checkOriginal(in, "Undrlyg/TxInf/", o)
	in.text("Undrlyg/TxInf/CxlRsnInf/Rsn/Cd", r.Reason, maxCodeChars)
	if err := in.err(); err != nil {
		return nil, err
	}
	tx := PaymentTransaction106{
		OrgnlGrpInf:         &OriginalGroupInformation29{OrgnlMsgId: o.MsgID, OrgnlMsgNmId: MsgDefCustomerCreditTransfer},
		OrgnlEndToEndId:     optional(o.EndToEndID),
		OrgnlUETR:           optional(string(o.UETR)),
		OrgnlIntrBkSttlmAmt: &ActiveOrHistoricCurrencyAndAmount{Value: o.Amount.Format(o.Currency), Ccy: string(o.Currency)},
		OrgnlIntrBkSttlmDt:  optional(o.SettlementDate.String()),
		CxlRsnInf:           []PaymentCancellationReason5{{Rsn: &CancellationReason33Choice{Cd: optional(r.Reason)}}},
	}
	doc := &Camt056Document{FIToFIPmtCxlReq: FIToFIPaymentCancellationRequestV08{
		Assgnmt: CaseAssignment5{Id: r.ID, Assgnr: Party40Choice{Agt: agentOf(h.From)},
			Assgne: Party40Choice{Agt: agentOf(h.To)}, CreDtTm: formatMillis(r.Created)},
		Case:    &Case5{Id: r.ID, Cretr: Party40Choice{Agt: agentOf(h.From)}},
		Undrlyg: []UnderlyingTransaction23{{TxInf: []PaymentTransaction106{tx}}},
	}}
	return encodeWith(h, doc)
}

// CancelInstruction is a camt.056 FIToFIPmtCxlReq as the hub reads it: a
// request by the instructing agent to cancel one of its payments.
type CancelInstruction struct {
	ID     string        // Assgnmt/Id: unique per sender.
	CaseID string        // Case/Id, or Assgnmt/Id when there is no Case.
	UETR   corridor.UETR // Undrlyg/TxInf/OrgnlUETR: the payment to cancel.
	Reason string        // Undrlyg/TxInf/CxlRsnInf/Rsn/Cd or Prtry, such as DUPL, CUST, FRAD; "" for none.
}

// decodeCancelRequest reads m, the FIToFIPmtCxlReq of a valid camt.056 that
// sender sent: the assigner.
func decodeCancelRequest(m *node, sender corridor.BIC) (*CancelInstruction, error) {
	tx := only(only(m, "Undrlyg"), "TxInf")
	if tx == nil {
		return nil, corridor.Reject(corridor.ReasonInvalidFormat, "a camt.056 cancels exactly one transaction (Undrlyg/TxInf)")
	}
	a := m.first("Assgnmt")
	assigner, err := partyAgentBIC(a.first("Assgnr"), "Assgnmt/Assgnr")
	if err != nil {
		return nil, err
	}
	if assigner != sender {
		return nil, notSender("Assgnmt/Assgnr", assigner, sender)
	}
	c := CancelInstruction{ID: a.first("Id").content(), Reason: firstReason(tx, "CxlRsnInf")}
	if c.UETR, err = uetrOf(tx.first("OrgnlUETR"), "Undrlyg/TxInf/OrgnlUETR"); err != nil {
		return nil, err
	}
	c.CaseID = c.ID
	if cs := m.first("Case"); cs != nil {
		c.CaseID = cs.first("Id").content()
	}
	return &c, nil
}
