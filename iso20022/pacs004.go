package iso20022

import (
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
)

// maxCodeChars is the length of the external code sets a bank writes as a
// reason (ExternalReturnReason1Code, ExternalCancellationReason1Code, ...).
const maxCodeChars = 4

// Return is what a creditor agent says in a pacs.004.001.09 PmtRtr that
// returns (part of) a settled payment to its instructing agent.
type Return struct {
	MsgID    string           // GrpHdr/MsgId and AppHdr/BizMsgIdr: 1 to 35 characters.
	ReturnID string           // TxInf/RtrId; omitted when "".
	Created  time.Time        // GrpHdr/CreDtTm and AppHdr/CreDt; its UTC date is TxInf/IntrBkSttlmDt.
	Original corridor.Payment // The payment returned: its MsgId, EndToEndId, UETR, agents, amount and date.
	Amount   corridor.Amount  // TxInf/RtrdIntrBkSttlmAmt, in the original's currency.
	Reason   string           // TxInf/RtrRsnInf/Rsn/Cd: an ExternalReturnReason1Code such as AC04 or FOCR.
	Urgent   bool             // TxInf/SttlmPrty HIGH.

	// Converted is what settled when the return was converted back into
	// the original's instructed currency (by an FX provider): then it is
	// TxInf/RtrdIntrBkSttlmAmt, Amount is TxInf/RtrdInstdAmt and XchgRate
	// TxInf/XchgRate. The zero Money for a return that settled as it came.
	Converted corridor.Money
	XchgRate  string // TxInf/XchgRate, with Converted only.
}

// EncodeReturn writes r as a pacs.004.001.09 with its AppHdr (BizSvc
// swift.cbprplus.03), sent by the original's instructed agent to its
// instructing agent, side by side in <Envelope xmlns="urn:swift:xsd:envelope">.
// The settlement method is CLRG and the charges are shared (SHAR). It
// refuses, naming every field, input it cannot write as a valid message.
func EncodeReturn(r Return) ([]byte, error) {
	o := r.Original
	h := AppHdr{From: o.InstructedAgent, To: o.InstructingAgent, BizMsgID: r.MsgID, MsgDefID: MsgDefReturn, BizSvc: BizSvcCBPRPlus, Created: r.Created}
	in := &input{msgDef: MsgDefReturn}
	checkAppHdr(in, h)
	in.optionalText("TxInf/RtrId", r.ReturnID, MaxIDChars)
	checkOriginal(in, "TxInf/", o)
	in.amount("TxInf/RtrdIntrBkSttlmAmt", r.Amount, o.Currency)
	if r.Converted != (corridor.Money{}) {
		in.amount("TxInf/RtrdIntrBkSttlmAmt", r.Converted.Amount, r.Converted.Currency)
		in.text("TxInf/XchgRate", r.XchgRate, MaxXchgRateChars)
	}
	if r.Reason != "" || r.Converted == (corridor.Money{}) { // The hub's converted copy carries what the returner sent, maybe none.
		in.text("TxInf/RtrRsnInf/Rsn/Cd", r.Reason, maxCodeChars)
	}
	if r.Reason != "" && !ReturnReason(r.Reason) {
		in.add("TxInf/RtrRsnInf/Rsn/Cd", "%.20q is not an ISO 20022 ExternalReturnReason1Code", r.Reason)
	}
	if err := in.err(); err != nil {
		return nil, err
	}
	created := formatMillis(r.Created)
	tx := PaymentTransaction112{
		RtrId:               optional(r.ReturnID),
		OrgnlGrpInf:         &OriginalGroupInformation29{OrgnlMsgId: o.MsgID, OrgnlMsgNmId: MsgDefCustomerCreditTransfer},
		OrgnlEndToEndId:     optional(o.EndToEndID),
		OrgnlUETR:           optional(string(o.UETR)),
		OrgnlIntrBkSttlmAmt: &ActiveOrHistoricCurrencyAndAmount{Value: o.Amount.Format(o.Currency), Ccy: string(o.Currency)},
		OrgnlIntrBkSttlmDt:  optional(o.SettlementDate.String()),
		RtrdIntrBkSttlmAmt:  ActiveCurrencyAndAmount{Value: r.Amount.Format(o.Currency), Ccy: string(o.Currency)},
		IntrBkSttlmDt:       optional(corridor.DateOf(r.Created.UTC()).String()),
		ChrgBr:              optional(encodedChargeBearer),
		InstgAgt:            agentOf(o.InstructedAgent),
		InstdAgt:            agentOf(o.InstructingAgent),
		RtrRsnInf:           []PaymentReturnReason6{{Rsn: &ReturnReason5Choice{Cd: optional(r.Reason)}}},
	}
	if r.Urgent {
		tx.SttlmPrty = optional("HIGH")
	}
	if r.Reason == "" {
		tx.RtrRsnInf = nil
	}
	if r.Converted != (corridor.Money{}) {
		tx.RtrdIntrBkSttlmAmt = ActiveCurrencyAndAmount{Value: r.Converted.Amount.Format(r.Converted.Currency), Ccy: string(r.Converted.Currency)}
		tx.RtrdInstdAmt = &ActiveOrHistoricCurrencyAndAmount{Value: r.Amount.Format(o.Currency), Ccy: string(o.Currency)}
		tx.XchgRate = optional(r.XchgRate)
	}
	doc := &Pacs004Document{PmtRtr: PaymentReturnV09{
		GrpHdr: GroupHeader90{MsgId: r.MsgID, CreDtTm: created, NbOfTxs: "1", SttlmInf: SettlementInstruction7{SttlmMtd: encodedSettlementMethod}},
		TxInf:  []PaymentTransaction112{tx},
	}}
	return encodeWith(h, doc)
}

// checkOriginal records what of o, the payment a return or a cancellation
// request names, cannot be written in its Orgnl elements under prefix.
func checkOriginal(in *input, prefix string, o corridor.Payment) {
	in.text(prefix+"OrgnlGrpInf/OrgnlMsgId", o.MsgID, MaxIDChars)
	in.optionalText(prefix+"OrgnlEndToEndId", o.EndToEndID, MaxIDChars)
	in.uetr(prefix+"OrgnlUETR", o.UETR)
	in.amount(prefix+"OrgnlIntrBkSttlmAmt", o.Amount, o.Currency)
	in.date(prefix+"OrgnlIntrBkSttlmDt", o.SettlementDate)
}

// ReturnInstruction is a pacs.004 PmtRtr as the hub reads it: the return of
// one transaction, by its instructing agent, of a payment it was paid.
type ReturnInstruction struct {
	MsgID            string         // GrpHdr/MsgId.
	ReturnID         string         // TxInf/RtrId; "" when absent.
	UETR             corridor.UETR  // TxInf/OrgnlUETR: the returned payment's.
	EndToEndID       string         // TxInf/OrgnlEndToEndId; "" when absent.
	OriginalMsgID    string         // TxInf/OrgnlGrpInf/OrgnlMsgId: the returned payment's message reference; "" when absent.
	InstructingAgent corridor.BIC   // TxInf/InstgAgt: who returns, the sender.
	InstructedAgent  corridor.BIC   // TxInf/InstdAgt: who gets the money back.
	Amount           corridor.Money // TxInf/RtrdIntrBkSttlmAmt.
	SettlementDate   corridor.Date  // TxInf/IntrBkSttlmDt; zero when absent.
	Urgent           bool           // TxInf/SttlmPrty HIGH.
	Reason           string         // TxInf/RtrRsnInf/Rsn/Cd or Prtry: why it comes back; "" for none.
}

// decodeReturn reads m, the PmtRtr of a valid pacs.004 that sender sent.
func decodeReturn(m *node, sender corridor.BIC) (*ReturnInstruction, error) {
	tx := only(m, "TxInf")
	if tx == nil {
		return nil, corridor.Reject(corridor.ReasonInvalidFormat, "a pacs.004 returns exactly one transaction (TxInf)")
	}
	r := ReturnInstruction{MsgID: m.at("GrpHdr", "MsgId").content(), ReturnID: tx.first("RtrId").content(),
		EndToEndID: tx.first("OrgnlEndToEndId").content(), OriginalMsgID: tx.first("OrgnlGrpInf").first("OrgnlMsgId").content(), Urgent: tx.first("SttlmPrty").content() == "HIGH",
		Reason: firstReason(tx, "RtrRsnInf")}
	var err error
	if r.UETR, err = uetrOf(tx.first("OrgnlUETR"), "TxInf/OrgnlUETR"); err != nil {
		return nil, err
	}
	if r.InstructingAgent, err = agentBIC(tx.first("InstgAgt"), "TxInf/InstgAgt"); err != nil {
		return nil, err
	}
	if r.InstructedAgent, err = agentBIC(tx.first("InstdAgt"), "TxInf/InstdAgt"); err != nil {
		return nil, err
	}
	if r.Amount, err = moneyOf(tx.first("RtrdIntrBkSttlmAmt")); err != nil {
		return nil, err
	}
	if r.SettlementDate, err = dateOf(tx.first("IntrBkSttlmDt")); err != nil {
		return nil, err
	}
	if r.InstructingAgent != sender {
		return nil, notSender("TxInf/InstgAgt", r.InstructingAgent, sender)
	}
	if r.Reason != "" && !ReturnReason(r.Reason) {
		return nil, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf(
			"TxInf/RtrRsnInf/Rsn %.20q is not an ISO 20022 ExternalReturnReason1Code", r.Reason))
	}
	return &r, nil
}
