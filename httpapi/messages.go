package httpapi

import (
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// The messages a bank writes to the hub besides the pacs.008, built with the
// iso20022 package's generated types; Encode refuses anything the XSD or the
// CBPR+ usage rules would.

// Return is what a creditor agent says in a pacs.004.001.09 that returns
// (part of) a settled payment to its instructing agent.
type Return struct {
	MsgID    string           // GrpHdr/MsgId and AppHdr/BizMsgIdr.
	ReturnID string           // TxInf/RtrId.
	Created  time.Time        // GrpHdr/CreDtTm and AppHdr/CreDt.
	Original corridor.Payment // The payment returned: its MsgId, EndToEndId, UETR, agents and amount.
	Amount   corridor.Amount  // TxInf/RtrdIntrBkSttlmAmt, in the original's currency.
	Reason   string           // TxInf/RtrRsnInf/Rsn/Cd: an ExternalReturnReason1Code such as AC04 or FOCR.
	Urgent   bool             // TxInf/SttlmPrty HIGH.
}

// ReturnMessage is the pacs.004 of r, sent by the original's instructed
// agent to its instructing agent.
func ReturnMessage(r Return) ([]byte, error) {
	o := r.Original
	from, to := o.InstructedAgent, o.InstructingAgent
	created := isoTime(r.Created)
	date := corridor.DateOf(r.Created.UTC()).String()
	tx := iso20022.PaymentTransaction112{
		RtrId:               optional(r.ReturnID),
		OrgnlGrpInf:         &iso20022.OriginalGroupInformation29{OrgnlMsgId: o.MsgID, OrgnlMsgNmId: iso20022.MsgDefCustomerCreditTransfer},
		OrgnlEndToEndId:     optional(o.EndToEndID),
		OrgnlUETR:           optional(string(o.UETR)),
		OrgnlIntrBkSttlmAmt: &iso20022.ActiveOrHistoricCurrencyAndAmount{Value: o.Amount.Format(o.Currency), Ccy: string(o.Currency)},
		OrgnlIntrBkSttlmDt:  optional(o.SettlementDate.String()),
		RtrdIntrBkSttlmAmt:  iso20022.ActiveCurrencyAndAmount{Value: r.Amount.Format(o.Currency), Ccy: string(o.Currency)},
		IntrBkSttlmDt:       &date,
		ChrgBr:              optional("SHAR"),
		InstgAgt:            agent(from),
		InstdAgt:            agent(to),
		RtrRsnInf:           []iso20022.PaymentReturnReason6{{Rsn: &iso20022.ReturnReason5Choice{Cd: optional(r.Reason)}}},
	}
	if r.Urgent {
		tx.SttlmPrty = optional("HIGH")
	}
	doc := &iso20022.Pacs004Document{PmtRtr: iso20022.PaymentReturnV09{
		GrpHdr: iso20022.GroupHeader90{MsgId: r.MsgID, CreDtTm: created, NbOfTxs: "1", SttlmInf: iso20022.SettlementInstruction7{SttlmMtd: "CLRG"}},
		TxInf:  []iso20022.PaymentTransaction112{tx},
	}}
	return encode(from, to, r.MsgID, r.Created, doc)
}

// encode writes doc with its AppHdr in an envelope.
func encode(from, to corridor.BIC, id string, created time.Time, doc iso20022.Document) ([]byte, error) {
	b, err := iso20022.Encode(iso20022.Message{AppHdr: appHdr(from, to, id, doc.MessageDefinition(), created), Document: doc})
	if err != nil {
		return nil, fmt.Errorf("encode %s %s: %w", doc.MessageDefinition(), id, err)
	}
	return b, nil
}

func appHdr(from, to corridor.BIC, id, msgDef string, created time.Time) *iso20022.BusinessApplicationHeaderV02 {
	return &iso20022.BusinessApplicationHeaderV02{
		Fr: iso20022.Party44Choice{FIId: agent(from)}, To: iso20022.Party44Choice{FIId: agent(to)},
		BizMsgIdr: id, MsgDefIdr: msgDef, BizSvc: optional(iso20022.BizSvcCBPRPlus), CreDt: isoTime(created),
	}
}

func agent(bic corridor.BIC) *iso20022.BranchAndFinancialInstitutionIdentification6 {
	return &iso20022.BranchAndFinancialInstitutionIdentification6{FinInstnId: iso20022.FinancialInstitutionIdentification18{BICFI: optional(string(bic))}}
}

// isoTime is t as an ISODateTime with its zone offset, as CBPR+ wants.
func isoTime(t time.Time) string { return t.Format("2006-01-02T15:04:05.000-07:00") }

// optional is a pointer to s, or nil for "".
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// CancelRequest is what an instructing agent says in a camt.056.001.08 that
// asks to cancel one of its payments.
type CancelRequest struct {
	ID       string           // Assgnmt/Id, AppHdr/BizMsgIdr and Case/Id: unique per sender.
	Created  time.Time        // Assgnmt/CreDtTm and AppHdr/CreDt.
	Original corridor.Payment // The payment to cancel.
	Reason   string           // CxlRsnInf/Rsn/Cd: an ExternalCancellationReason1Code such as DUPL, CUST or FRAD.
}

// CancelRequestMessage is the camt.056 of r, from the original's instructing
// agent, assigned to its instructed agent.
func CancelRequestMessage(r CancelRequest) ([]byte, error) {
	o := r.Original
	from, to := o.InstructingAgent, o.InstructedAgent
	tx := iso20022.PaymentTransaction106{
		OrgnlGrpInf:         &iso20022.OriginalGroupInformation29{OrgnlMsgId: o.MsgID, OrgnlMsgNmId: iso20022.MsgDefCustomerCreditTransfer},
		OrgnlEndToEndId:     optional(o.EndToEndID),
		OrgnlUETR:           optional(string(o.UETR)),
		OrgnlIntrBkSttlmAmt: &iso20022.ActiveOrHistoricCurrencyAndAmount{Value: o.Amount.Format(o.Currency), Ccy: string(o.Currency)},
		OrgnlIntrBkSttlmDt:  optional(o.SettlementDate.String()),
		CxlRsnInf:           []iso20022.PaymentCancellationReason5{{Rsn: &iso20022.CancellationReason33Choice{Cd: optional(r.Reason)}}},
	}
	doc := &iso20022.Camt056Document{FIToFIPmtCxlReq: iso20022.FIToFIPaymentCancellationRequestV08{
		Assgnmt: iso20022.CaseAssignment5{Id: r.ID, Assgnr: iso20022.Party40Choice{Agt: agent(from)},
			Assgne: iso20022.Party40Choice{Agt: agent(to)}, CreDtTm: isoTime(r.Created)},
		Case:    &iso20022.Case5{Id: r.ID, Cretr: iso20022.Party40Choice{Agt: agent(from)}},
		Undrlyg: []iso20022.UnderlyingTransaction23{{TxInf: []iso20022.PaymentTransaction106{tx}}},
	}}
	return encode(from, to, r.ID, r.Created, doc)
}

// Resolution is what a creditor agent answers in a camt.029.001.09 to a
// cancellation request the hub forwarded to it.
type Resolution struct {
	ID       string           // Assgnmt/Id and AppHdr/BizMsgIdr: unique per sender.
	CaseID   string           // RslvdCase/Id: the Case/Id of the camt.056.
	Created  time.Time        // Assgnmt/CreDtTm and AppHdr/CreDt.
	Original corridor.Payment // The payment the request was about.
	Status   string           // Sts/Conf: CNCL (accepted: a pacs.004 follows), RJCR (rejected) or PDCR (pending).
	Reason   string           // CxlStsRsnInf/Rsn/Cd of a rejection, such as LEGL, CUST, NOAS or ARDT; "" for none.
}

// ResolutionMessage is the camt.029 of r, from the original's instructed
// agent to its instructing agent.
func ResolutionMessage(r Resolution) ([]byte, error) {
	o := r.Original
	from, to := o.InstructedAgent, o.InstructingAgent
	txSts := map[string]string{"CNCL": "ACCR", "RJCR": "RJCR", "PDCR": "PDCR"}[r.Status]
	tx := iso20022.PaymentTransaction102{
		OrgnlGrpInf:     &iso20022.OriginalGroupInformation29{OrgnlMsgId: o.MsgID, OrgnlMsgNmId: iso20022.MsgDefCustomerCreditTransfer},
		OrgnlEndToEndId: optional(o.EndToEndID),
		OrgnlUETR:       optional(string(o.UETR)),
		TxCxlSts:        optional(txSts),
	}
	if r.Reason != "" {
		tx.CxlStsRsnInf = []iso20022.CancellationStatusReason4{{Rsn: &iso20022.CancellationStatusReason3Choice{Cd: optional(r.Reason)}}}
	}
	doc := &iso20022.Camt029Document{RsltnOfInvstgtn: iso20022.ResolutionOfInvestigationV09{
		Assgnmt: iso20022.CaseAssignment5{Id: r.ID, Assgnr: iso20022.Party40Choice{Agt: agent(from)},
			Assgne: iso20022.Party40Choice{Agt: agent(to)}, CreDtTm: isoTime(r.Created)},
		RslvdCase: &iso20022.Case5{Id: r.CaseID, Cretr: iso20022.Party40Choice{Agt: agent(to)}},
		Sts:       iso20022.InvestigationStatus5Choice{Conf: optional(r.Status)},
		CxlDtls:   []iso20022.UnderlyingTransaction22{{TxInfAndSts: []iso20022.PaymentTransaction102{tx}}},
	}}
	return encode(from, to, r.ID, r.Created, doc)
}

// Defund is what a participant says in a pacs.009.001.08 to the hub's BIC:
// move this much from its settlement account back to the central account.
type Defund struct {
	MsgID   string // GrpHdr/MsgId, AppHdr/BizMsgIdr, InstrId and EndToEndId.
	UETR    corridor.UETR
	Created time.Time
	From    corridor.BIC // The participant.
	Hub     corridor.BIC // The hub's BIC.
	Amount  corridor.Money
}

// DefundMessage is the pacs.009 of d.
func DefundMessage(d Defund) ([]byte, error) {
	date := corridor.DateOf(d.Created.UTC()).String()
	tx := iso20022.CreditTransferTransaction36{
		PmtId:          iso20022.PaymentIdentification7{InstrId: optional(d.MsgID), EndToEndId: d.MsgID, UETR: optional(string(d.UETR))},
		IntrBkSttlmAmt: iso20022.ActiveCurrencyAndAmount{Value: d.Amount.Amount.Format(d.Amount.Currency), Ccy: string(d.Amount.Currency)},
		IntrBkSttlmDt:  &date,
		InstgAgt:       agent(d.From), InstdAgt: agent(d.Hub),
		Dbtr: *agent(d.From), Cdtr: *agent(d.Hub),
	}
	doc := &iso20022.Pacs009Document{FICdtTrf: iso20022.FinancialInstitutionCreditTransferV08{
		GrpHdr:      iso20022.GroupHeader93{MsgId: d.MsgID, CreDtTm: isoTime(d.Created), NbOfTxs: "1", SttlmInf: iso20022.SettlementInstruction7{SttlmMtd: "CLRG"}},
		CdtTrfTxInf: []iso20022.CreditTransferTransaction36{tx},
	}}
	return encode(d.From, d.Hub, d.MsgID, d.Created, doc)
}
