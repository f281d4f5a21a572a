package httpapi

import (
	"fmt"
	"time"

	"corridor"
	"corridor/iso20022"
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
