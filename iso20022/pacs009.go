package iso20022

import (
	"time"

	"github.com/corridor-network/corridor"
)

// Defund is what a participant says in a pacs.009.001.08 FICdtTrf to the
// hub's BIC: move this much from its settlement account back to the
// central account.
type Defund struct {
	MsgID   string         // GrpHdr/MsgId, AppHdr/BizMsgIdr, PmtId/InstrId and PmtId/EndToEndId.
	UETR    corridor.UETR  // PmtId/UETR.
	Created time.Time      // GrpHdr/CreDtTm and AppHdr/CreDt; its UTC date is IntrBkSttlmDt.
	From    corridor.BIC   // The participant: InstgAgt and Dbtr.
	Hub     corridor.BIC   // The hub's BIC: InstdAgt and Cdtr.
	Amount  corridor.Money // IntrBkSttlmAmt.
}

// EncodeDefund writes d as a pacs.009.001.08 with its AppHdr (BizSvc
// swift.cbprplus.03) in an envelope, settled CLRG. It refuses, naming every
// field, input it cannot write as a valid message.
func EncodeDefund(d Defund) ([]byte, error) {
	rt := route{from: d.From, to: d.Hub, id: d.MsgID, bizSvc: BizSvcCBPRPlus, created: d.Created}
	in := &input{msgDef: MsgDefInstitutionCreditTransfer}
	rt.check(in)
	in.uetr("CdtTrfTxInf/PmtId/UETR", d.UETR)
	in.amount("CdtTrfTxInf/IntrBkSttlmAmt", d.Amount.Amount, d.Amount.Currency)
	if err := in.err(); err != nil {
		return nil, err
	}
	tx := CreditTransferTransaction36{
		PmtId:          PaymentIdentification7{InstrId: optional(d.MsgID), EndToEndId: d.MsgID, UETR: optional(string(d.UETR))},
		IntrBkSttlmAmt: ActiveCurrencyAndAmount{Value: d.Amount.Amount.Format(d.Amount.Currency), Ccy: string(d.Amount.Currency)},
		IntrBkSttlmDt:  optional(corridor.DateOf(d.Created.UTC()).String()),
		InstgAgt:       agentOf(d.From), InstdAgt: agentOf(d.Hub),
		Dbtr: *agentOf(d.From), Cdtr: *agentOf(d.Hub),
	}
	doc := &Pacs009Document{FICdtTrf: FinancialInstitutionCreditTransferV08{
		GrpHdr: GroupHeader93{MsgId: d.MsgID, CreDtTm: formatMillis(d.Created), NbOfTxs: "1",
			SttlmInf: SettlementInstruction7{SttlmMtd: encodedSettlementMethod}},
		CdtTrfTxInf: []CreditTransferTransaction36{tx},
	}}
	return rt.message(doc)
}
