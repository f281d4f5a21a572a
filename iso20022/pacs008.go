package iso20022

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/corridor-network/corridor"
)

// The codes a pacs.008 may carry in GrpHdr/SttlmInf/SttlmMtd and
// CdtTrfTxInf/ChrgBr: the XSD's, less SLEV, which CBPR+ removed (as
// Validate's usage layer does).
var (
	settlementMethods = []string{"INDA", "INGA", "COVE", "CLRG"}
	chargeBearers     = []string{"DEBT", "CRED", "SHAR"}
)

// What EncodeCustomerCreditTransfer writes for the fields corridor.Payment does
// not hold: the hub settles on its own books (CLRG), and charges are shared,
// the usual choice for a cross-border customer payment.
const (
	encodedSettlementMethod = "CLRG"
	encodedChargeBearer     = "SHAR"
)

// CustomerCreditTransfer is a decoded, validated pacs.008.001.08 with its AppHdr.
type CustomerCreditTransfer struct {
	Header  AppHdr
	Payment corridor.Payment
	InstrID string // CdtTrfTxInf/PmtId/InstrId; "" when absent.
}

// DecodeCustomerCreditTransfer parses data: an envelope element (any name,
// any namespace) holding a head.001.001.02 AppHdr and a pacs.008.001.08
// Document side by side, with or without namespace prefixes. It checks
// everything the hub relies on and returns every problem found as one
// *InvalidError. Beside the rules of the root parsers (RC01 for a BIC, FF01
// for a UETR, AM03 for a currency, CH20, AM01, AM02 or FF01 for an amount,
// DT01 for a date) it requires exactly one transaction, an AppHdr whose Fr
// and To are the transaction's InstgAgt and InstdAgt (FF01: the header and
// the body must name the same banks), a CBPR+ BizSvc if any and a ChrgBr
// other than SLEV (FF01), as Validate's usage layer does. Elements it does not use are allowed
// but must be in the Document's namespace; element order is not checked.
func DecodeCustomerCreditTransfer(data []byte) (*CustomerCreditTransfer, error) {
	st := lendStore() // What it returns holds strings only.
	defer st.release()
	return decodeCustomerCreditTransfer(openEnvelope(data, MsgDefCustomerCreditTransfer, st))
}

// decodeCustomerCreditTransfer reads the pacs.008 of an envelope opened.
func decodeCustomerCreditTransfer(hdr, doc elem, ps *problems) (*CustomerCreditTransfer, error) {
	var c CustomerCreditTransfer
	c.Header = decodeAppHdr(hdr, MsgDefCustomerCreditTransfer)
	c.Payment, c.InstrID = decodePacs008(doc.req("FIToFICstmrCdtTrf"))
	checkAgents(c.Header, c.Payment, ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return &c, nil
}

func decodePacs008(m elem) (corridor.Payment, string) {
	var p corridor.Payment
	g := m.req("GrpHdr")
	p.MsgID = g.req("MsgId").text(MaxIDChars)
	g.req("CreDtTm").dateTime() // Validated; AppHdr/CreDt is the time the hub keeps.
	if n := g.req("NbOfTxs"); n.present() && n.n.text != "1" {
		g.ps.add(n.path(), fmt.Sprintf("is %.20q; the hub takes exactly 1 transaction per message", n.n.text), corridor.ReasonInvalidFormat)
	}
	g.req("SttlmInf").req("SttlmMtd").code(settlementMethods...)

	tx := m.req("CdtTrfTxInf")
	id := tx.req("PmtId")
	instrID := id.child("InstrId").text(MaxIDChars)
	p.EndToEndID = id.req("EndToEndId").text(MaxIDChars)
	p.UETR = id.req("UETR").uetr()
	p.Amount, p.Currency = tx.req("IntrBkSttlmAmt").amount()
	p.SettlementDate = tx.req("IntrBkSttlmDt").date()
	tx.req("ChrgBr").code(chargeBearers...)
	p.InstructingAgent = tx.req("InstgAgt").bic()
	p.InstructedAgent = tx.req("InstdAgt").bic()
	p.DebtorName = tx.req("Dbtr").child("Nm").text(MaxNameChars)
	p.DebtorAgent = tx.req("DbtrAgt").bic()
	p.CreditorAgent = tx.req("CdtrAgt").bic()
	p.CreditorName = tx.req("Cdtr").child("Nm").text(MaxNameChars)
	p.UltimateDebtor = tx.child("UltmtDbtr").child("Nm").text(MaxNameChars)
	p.UltimateCreditor = tx.child("UltmtCdtr").child("Nm").text(MaxNameChars)
	p.Urgent = tx.child("PmtTpInf").child("InstrPrty").token() == "HIGH"
	if ia := tx.child("InstdAmt"); ia.present() {
		p.Instructed.Amount, p.Instructed.Currency = ia.amount()
	}
	p.FXQuote = fxQuoteOf(tx)
	if xr := tx.child("XchgRate"); xr.present() {
		p.XchgRate = xr.token()
		if len(p.XchgRate) > MaxXchgRateChars {
			xr.ps.add(xr.path(), fmt.Sprintf("has more than %d characters", MaxXchgRateChars), corridor.ReasonInvalidFormat)
			p.XchgRate = ""
		}
	}
	return p, instrID
}

// MaxXchgRateChars bounds the text of a pacs.008's XchgRate.
const MaxXchgRateChars = 40

// WithoutFXQuote returns a copy of msg without the InstrForNxtAgt that names
// the hub's FX quote (FXQuotePrefix), for delivery to the creditor agent:
// the quote is an instruction to the hub, not to the next agent after it.
// Other instructions, and msg itself, are left as they are; a message
// without such an instruction comes back unchanged.
func WithoutFXQuote(msg []byte) []byte {
	at := bytes.Index(msg, []byte(FXQuotePrefix))
	if at < 0 {
		return msg
	}
	const name = "InstrForNxtAgt"
	open := bytes.LastIndex(msg[:at], []byte(name))
	if open < 0 {
		return msg
	}
	start := bytes.LastIndexByte(msg[:open], '<')
	rest := msg[at:]
	closeAt := bytes.Index(rest, []byte(name+">"))
	if start < 0 || closeAt < 0 || start+1 < len(msg) && msg[start+1] == '/' {
		return msg
	}
	end := at + closeAt + len(name) + 1
	start = trimIndent(msg, start)
	out := make([]byte, 0, len(msg)-(end-start))
	out = append(out, msg[:start]...)
	return append(out, msg[end:]...)
}

// trimIndent moves start back over the blanks that indent its line.
func trimIndent(msg []byte, start int) int {
	for start > 0 && (msg[start-1] == ' ' || msg[start-1] == '\t') {
		start--
	}
	if start > 0 && msg[start-1] == '\n' {
		start--
	}
	return start
}

// FXQuotePrefix starts the InstrForNxtAgt/InstrInf of a pacs.008 that names
// the hub's FX quote it converts at: "/FXQT/42" is quote 42.
const FXQuotePrefix = "/FXQT/"

// fxQuoteOf finds the FX quote a transaction names in one of its
// InstrForNxtAgt/InstrInf; 0 for none. A malformed reference is a problem.
func fxQuoteOf(tx elem) uint64 {
	if tx.n == nil {
		return 0
	}
	for _, n := range tx.n.children {
		if n.local != "InstrForNxtAgt" {
			continue
		}
		inf := elem{n: n, at: tx.at.child("InstrForNxtAgt"), ps: tx.ps}.child("InstrInf")
		ref, ok := strings.CutPrefix(inf.token(), FXQuotePrefix)
		if !ok {
			continue
		}
		id, err := strconv.ParseUint(ref, 10, 64)
		if err != nil || id == 0 {
			inf.ps.add(inf.path(), fmt.Sprintf("%.40q is not %s<quote id>", inf.token(), FXQuotePrefix), corridor.ReasonInvalidFormat)
			return 0
		}
		return id
	}
	return 0
}

// checkAgents applies the usage rule that the sender and the receiver in the
// AppHdr are the instructing and the instructed agent of the transaction.
func checkAgents(h AppHdr, p corridor.Payment, ps *problems) {
	if h.From != "" && p.InstructingAgent != "" && h.From != p.InstructingAgent {
		rule := fmt.Sprintf("sender %s is not the instructing agent %s (CdtTrfTxInf/InstgAgt)", h.From, p.InstructingAgent)
		ps.add("AppHdr/Fr/FIId/FinInstnId/BICFI", rule, corridor.ReasonInvalidFormat)
	}
	if h.To != "" && p.InstructedAgent != "" && h.To != p.InstructedAgent {
		rule := fmt.Sprintf("receiver %s is not the instructed agent %s (CdtTrfTxInf/InstdAgt)", h.To, p.InstructedAgent)
		ps.add("AppHdr/To/FIId/FinInstnId/BICFI", rule, corridor.ReasonInvalidFormat)
	}
}

// uetr reads e as a UUIDv4Identifier.
func (e elem) uetr() corridor.UETR {
	if e.n == nil {
		return ""
	}
	u, err := corridor.ParseUETR(e.n.text)
	if err != nil {
		e.ps.reject(e.path(), err)
	}
	return u
}

// amount reads e as an ActiveCurrencyAndAmount in minor units of its Ccy.
func (e elem) amount() (corridor.Amount, corridor.Currency) {
	if e.n == nil {
		return 0, ""
	}
	code, ok := e.attr("Ccy")
	if !ok {
		e.ps.add(e.path()+"/@Ccy", "required", corridor.ReasonInvalidFormat)
		return 0, ""
	}
	c, err := corridor.ParseCurrency(code)
	if err != nil {
		e.ps.reject(e.path()+"/@Ccy", err)
		return 0, ""
	}
	a, err := corridor.ParseAmount(e.token(), c)
	if err != nil {
		e.ps.reject(e.path(), err)
		return 0, c
	}
	return a, c
}

// EncodeCustomerCreditTransfer writes h and p as a pacs.008.001.08 with its
// AppHdr in the envelope DecodeCustomerCreditTransfer reads, with SttlmMtd
// CLRG and ChrgBr SHAR, which corridor.Payment does not hold; p's priority
// (PmtTpInf/InstrPrty HIGH), instructed amount (InstdAmt) and FX quote
// (InstrForNxtAgt/InstrInf) are written when set. The Document's
// GrpHdr/CreDtTm is h.Created. It refuses, naming every field, input that
// would not decode back to itself: h.MsgDefID must be "pacs.008.001.08",
// BICs in their 11-character form, h.From and h.To p's instructing and
// instructed agents, and so on. It checks its input, not what it wrote.
func EncodeCustomerCreditTransfer(h AppHdr, p corridor.Payment, instrID string) ([]byte, error) {
	if h.Created.IsZero() {
		return nil, fmt.Errorf("iso20022: encode %s: AppHdr.Created is zero", MsgDefCustomerCreditTransfer)
	}
	in := &input{msgDef: MsgDefCustomerCreditTransfer}
	checkAppHdr(in, h)
	checkPayment(in, p, instrID)
	var agents problems
	checkAgents(h, p, &agents)
	for _, pr := range agents.list {
		in.add(pr.Path, "%s", pr.Rule)
	}
	if err := in.err(); err != nil {
		return nil, err
	}
	w := newWriter()
	w.open("Envelope", EnvelopeNamespace)
	writeAppHdr(w, h)
	writePacs008(w, h, p, instrID)
	w.close("Envelope")
	data, err := w.bytes()
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", MsgDefCustomerCreditTransfer, err)
	}
	return data, nil
}

// checkPayment records what of p and instrID a pacs.008 cannot carry so
// that it decodes back to them.
func checkPayment(in *input, p corridor.Payment, instrID string) {
	in.text("GrpHdr/MsgId", p.MsgID, MaxIDChars)
	in.optionalText("CdtTrfTxInf/PmtId/InstrId", instrID, MaxIDChars)
	in.text("CdtTrfTxInf/PmtId/EndToEndId", p.EndToEndID, MaxIDChars)
	in.uetr("CdtTrfTxInf/PmtId/UETR", p.UETR)
	in.amount("CdtTrfTxInf/IntrBkSttlmAmt", p.Amount, p.Currency)
	in.date("CdtTrfTxInf/IntrBkSttlmDt", p.SettlementDate)
	switch {
	case p.Instructed.Currency != "":
		in.amount("CdtTrfTxInf/InstdAmt", p.Instructed.Amount, p.Instructed.Currency)
	case p.Instructed.Amount != 0:
		in.add("CdtTrfTxInf/InstdAmt", "an amount of %d minor units needs its currency", p.Instructed.Amount)
	}
	in.bic("CdtTrfTxInf/InstgAgt", p.InstructingAgent)
	in.bic("CdtTrfTxInf/InstdAgt", p.InstructedAgent)
	in.bic("CdtTrfTxInf/DbtrAgt", p.DebtorAgent)
	in.bic("CdtTrfTxInf/CdtrAgt", p.CreditorAgent)
	in.optionalText("CdtTrfTxInf/Dbtr/Nm", p.DebtorName, MaxNameChars)
	in.optionalText("CdtTrfTxInf/Cdtr/Nm", p.CreditorName, MaxNameChars)
	in.optionalText("CdtTrfTxInf/UltmtDbtr/Nm", p.UltimateDebtor, MaxNameChars)
	in.optionalText("CdtTrfTxInf/UltmtCdtr/Nm", p.UltimateCreditor, MaxNameChars)
}

// writePacs008 writes the Document in the order of pacs.008.001.08's schema.
func writePacs008(w *writer, h AppHdr, p corridor.Payment, instrID string) {
	w.open("Document", namespacePrefix+MsgDefCustomerCreditTransfer)
	w.open("FIToFICstmrCdtTrf", "")
	w.open("GrpHdr", "")
	w.text("MsgId", p.MsgID)
	w.dateTime("CreDtTm", h.Created)
	w.text("NbOfTxs", "1")
	w.open("SttlmInf", "")
	w.text("SttlmMtd", encodedSettlementMethod)
	w.close("SttlmInf")
	w.close("GrpHdr")
	w.open("CdtTrfTxInf", "")
	w.open("PmtId", "")
	if instrID != "" {
		w.text("InstrId", instrID)
	}
	w.text("EndToEndId", p.EndToEndID)
	w.text("UETR", string(p.UETR))
	w.close("PmtId")
	if p.Urgent {
		w.open("PmtTpInf", "")
		w.text("InstrPrty", "HIGH")
		w.close("PmtTpInf")
	}
	w.leaf("IntrBkSttlmAmt", p.Amount.Format(p.Currency), "Ccy", string(p.Currency))
	w.date("IntrBkSttlmDt", p.SettlementDate)
	if p.Instructed.Currency != "" {
		w.leaf("InstdAmt", p.Instructed.Amount.Format(p.Instructed.Currency), "Ccy", string(p.Instructed.Currency))
	}
	if p.XchgRate != "" {
		w.text("XchgRate", p.XchgRate)
	}
	w.text("ChrgBr", encodedChargeBearer)
	w.agent("InstgAgt", string(p.InstructingAgent))
	w.agent("InstdAgt", string(p.InstructedAgent))
	if p.UltimateDebtor != "" {
		writeParty(w, "UltmtDbtr", p.UltimateDebtor)
	}
	writeParty(w, "Dbtr", p.DebtorName)
	w.agent("DbtrAgt", string(p.DebtorAgent))
	w.agent("CdtrAgt", string(p.CreditorAgent))
	writeParty(w, "Cdtr", p.CreditorName)
	if p.UltimateCreditor != "" {
		writeParty(w, "UltmtCdtr", p.UltimateCreditor)
	}
	if p.FXQuote != 0 {
		w.open("InstrForNxtAgt", "")
		w.text("InstrInf", FXQuotePrefix+strconv.FormatUint(p.FXQuote, 10))
		w.close("InstrForNxtAgt")
	}
	w.close("CdtTrfTxInf")
	w.close("FIToFICstmrCdtTrf")
	w.close("Document")
}

// writeParty writes a PartyIdentification135 with its name, if any.
func writeParty(w *writer, name, nm string) {
	w.open(name, "")
	if nm != "" {
		w.text("Nm", nm)
	}
	w.close(name)
}
