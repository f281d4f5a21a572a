package iso20022

import (
	"fmt"
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
	h := AppHdr{From: d.From, To: d.Hub, BizMsgID: d.MsgID, MsgDefID: MsgDefInstitutionCreditTransfer, BizSvc: BizSvcCBPRPlus, Created: d.Created}
	in := &input{msgDef: MsgDefInstitutionCreditTransfer}
	checkAppHdr(in, h)
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
	return encodeWith(h, doc)
}

// DefundInstruction is a pacs.009 FICdtTrf as the hub reads it: one
// transfer from the sender, its instructing agent, to the hub, its
// instructed agent, of liquidity back to the central account.
type DefundInstruction struct {
	MsgID          string         // GrpHdr/MsgId.
	UETR           corridor.UETR  // CdtTrfTxInf/PmtId/UETR.
	Amount         corridor.Money // CdtTrfTxInf/IntrBkSttlmAmt.
	SettlementDate corridor.Date  // CdtTrfTxInf/IntrBkSttlmDt; zero when absent.
}

// decodeDefund reads m, the FICdtTrf of a valid pacs.009 that sender sent
// to hub: the hub takes a pacs.009 only as a defunding addressed to it.
func decodeDefund(m *node, sender, hub corridor.BIC) (*DefundInstruction, error) {
	tx := only(m, "CdtTrfTxInf")
	if tx == nil {
		return nil, corridor.Reject(corridor.ReasonInvalidFormat, "a pacs.009 moves exactly one transaction")
	}
	to, err := agentBIC(tx.first("InstdAgt"), "CdtTrfTxInf/InstdAgt")
	if err != nil {
		return nil, err
	}
	if to != hub {
		return nil, corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("a pacs.009 to the hub defunds; %s is not the hub %s (pay a bank with a pacs.008)", to, hub))
	}
	from, err := agentBIC(tx.first("InstgAgt"), "CdtTrfTxInf/InstgAgt")
	if err != nil {
		return nil, err
	}
	if from != sender {
		return nil, notSender("CdtTrfTxInf/InstgAgt", from, sender)
	}
	d := DefundInstruction{MsgID: m.at("GrpHdr", "MsgId").content()}
	if d.UETR, err = uetrOf(tx.at("PmtId", "UETR"), "CdtTrfTxInf/PmtId/UETR"); err != nil {
		return nil, err
	}
	if d.Amount, err = moneyOf(tx.first("IntrBkSttlmAmt")); err != nil {
		return nil, err
	}
	if d.SettlementDate, err = dateOf(tx.first("IntrBkSttlmDt")); err != nil {
		return nil, err
	}
	return &d, nil
}
