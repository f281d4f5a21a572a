package iso20022

import (
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
)

// StatusReport is the content of a pacs.002.001.10 FIToFIPmtStsRpt that the
// hub writes to a debtor agent about one payment.
type StatusReport struct {
	From, To           corridor.BIC           // AppHdr Fr (the hub) and To (the original sender).
	MsgID              string                 // GrpHdr/MsgId and AppHdr/BizMsgIdr: 1 to 35 characters.
	Created            time.Time              // GrpHdr/CreDtTm and AppHdr/CreDt.
	OriginalMsgID      string                 // TxInfAndSts/OrgnlGrpInf/OrgnlMsgId.
	OriginalMsgDefID   string                 // TxInfAndSts/OrgnlGrpInf/OrgnlMsgNmId, e.g. "pacs.008.001.08".
	OriginalInstrID    string                 // TxInfAndSts/OrgnlInstrId; omitted when "".
	OriginalEndToEndID string                 // TxInfAndSts/OrgnlEndToEndId.
	OriginalUETR       corridor.UETR          // TxInfAndSts/OrgnlUETR.
	Status             corridor.PaymentStatus // TxInfAndSts/TxSts: StatusSettled (ACSC) or StatusRejected (RJCT).
	Reason             corridor.ReasonCode    // TxInfAndSts/StsRsnInf/Rsn/Cd: required with RJCT, "" otherwise.
	AdditionalInfo     string                 // TxInfAndSts/StsRsnInf/AddtlInf: at most 105 characters, only with RJCT.
	InstructingAgent   corridor.BIC           // TxInfAndSts/InstgAgt; omitted when "".
	InstructedAgent    corridor.BIC           // TxInfAndSts/InstdAgt; omitted when "".
	SettlementDate     corridor.Date          // TxInfAndSts/FctvIntrBkSttlmDt/Dt: the day the hub settled; only with ACSC, omitted when zero.
}

// DecodeStatusReport parses a pacs.002.001.10 with its head.001.001.02 AppHdr
// in an envelope, as EncodeStatusReport writes it, into a StatusReport. It
// accepts exactly what EncodeStatusReport can write: one TxInfAndSts whose
// original group is given in TxInfAndSts/OrgnlGrpInf, as CBPR+ does, or else
// in the group-level OrgnlGrpInfAndSts; status ACSC or RJCT; for RJCT exactly
// one StsRsnInf with a Rsn/Cd. MsgID and Created are read from the GrpHdr.
// The error is an *InvalidError listing every problem.
func DecodeStatusReport(data []byte) (*StatusReport, error) {
	st := lendStore() // What it returns holds strings only.
	defer st.release()
	return decodeStatusReport(data, st)
}

// decodeStatusReport is DecodeStatusReport parsing into st, or into a tree
// of its own when st is nil.
func decodeStatusReport(data []byte, st *nodeStore) (*StatusReport, error) {
	hdr, doc, ps := openEnvelope(data, MsgDefStatusReport, st)
	h := decodeAppHdr(hdr, MsgDefStatusReport)
	sr := decodePacs002(doc.req("FIToFIPmtStsRpt"))
	sr.From, sr.To = h.From, h.To
	if err := ps.err(); err != nil {
		return nil, err
	}
	return &sr, nil
}

func decodePacs002(m elem) StatusReport {
	var sr StatusReport
	g := m.req("GrpHdr")
	sr.MsgID = g.req("MsgId").text(MaxIDChars)
	sr.Created = g.req("CreDtTm").dateTime()
	tx := m.req("TxInfAndSts")
	orig := tx.child("OrgnlGrpInf")
	if tx.present() && !orig.present() {
		orig = m.child("OrgnlGrpInfAndSts")
		if !orig.present() {
			m.ps.add(tx.path()+"/OrgnlGrpInf", "required", corridor.ReasonInvalidFormat)
		}
	}
	sr.OriginalMsgID = orig.req("OrgnlMsgId").text(MaxIDChars)
	sr.OriginalMsgDefID = orig.req("OrgnlMsgNmId").text(MaxIDChars)
	sr.OriginalInstrID = tx.child("OrgnlInstrId").text(MaxIDChars)
	sr.OriginalEndToEndID = tx.req("OrgnlEndToEndId").text(MaxIDChars)
	sr.OriginalUETR = tx.req("OrgnlUETR").uetr()
	sr.Status = corridor.PaymentStatus(tx.req("TxSts").code(string(corridor.StatusSettled), string(corridor.StatusRejected)))
	decodeStatusReason(tx, &sr)
	decodeSettlementDate(tx, &sr)
	sr.InstructingAgent = tx.child("InstgAgt").bic()
	sr.InstructedAgent = tx.child("InstdAgt").bic()
	return sr
}

// decodeStatusReason reads StsRsnInf, which a rejection needs and a
// settlement must not have.
func decodeStatusReason(tx elem, sr *StatusReport) {
	rsn := tx.child("StsRsnInf")
	switch {
	case sr.Status == corridor.StatusRejected && !rsn.present():
		tx.ps.add(rsn.path(), "required with TxSts RJCT", corridor.ReasonInvalidFormat)
	case sr.Status == corridor.StatusSettled && rsn.present():
		tx.ps.add(rsn.path(), "only with TxSts RJCT", corridor.ReasonInvalidFormat)
	}
	cd := rsn.req("Rsn").req("Cd")
	if cd.present() {
		if !reasonPattern(cd.n.text) {
			tx.ps.add(cd.path(), fmt.Sprintf("%.20q is not an ISO 20022 external status reason code", cd.n.text), corridor.ReasonInvalidFormat)
		}
		sr.Reason = corridor.ReasonCode(cd.n.text)
	}
	sr.AdditionalInfo = rsn.child("AddtlInf").text(MaxAdditionalInfoChars)
}

// decodeSettlementDate reads FctvIntrBkSttlmDt/Dt, which only a settled
// payment has.
func decodeSettlementDate(tx elem, sr *StatusReport) {
	f := tx.child("FctvIntrBkSttlmDt")
	if f.present() && sr.Status == corridor.StatusRejected {
		tx.ps.add(f.path(), "only with TxSts ACSC", corridor.ReasonInvalidFormat)
	}
	sr.SettlementDate = f.req("Dt").date()
}

// reasonPattern reports whether s has the shape of an external status reason
// code: four upper-case letters or digits.
func reasonPattern(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// EncodeStatusReport writes sr as a pacs.002.001.10 with its head.001.001.02
// AppHdr (MsgDefIdr pacs.002.001.10, BizSvc swift.cbprplus.03) side by side in
// <Envelope xmlns="urn:swift:xsd:envelope">. The same sr always gives the same
// bytes. It refuses, naming every field, input that would make an invalid
// message or would not decode back to sr. It checks its input, not what it
// wrote.
func EncodeStatusReport(sr StatusReport) ([]byte, error) {
	if sr.Created.IsZero() {
		return nil, fmt.Errorf("iso20022: encode %s: Created is zero", MsgDefStatusReport)
	}
	h := AppHdr{From: sr.From, To: sr.To, BizMsgID: sr.MsgID, MsgDefID: MsgDefStatusReport, BizSvc: BizSvcCBPRPlus, Created: sr.Created}
	in := &input{msgDef: MsgDefStatusReport}
	checkAppHdr(in, h)
	sr.check(in)
	if err := in.err(); err != nil {
		return nil, err
	}
	w := newWriter()
	w.open("Envelope", EnvelopeNamespace)
	writeAppHdr(w, h)
	writePacs002(w, sr)
	w.close("Envelope")
	data, err := w.bytes()
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", MsgDefStatusReport, err)
	}
	return data, nil
}

// check records what of sr a pacs.002 cannot carry so that it decodes back
// to sr: the rules DecodeStatusReport applies.
func (sr StatusReport) check(in *input) {
	const tx = "TxInfAndSts/"
	in.text(tx+"OrgnlGrpInf/OrgnlMsgId", sr.OriginalMsgID, MaxIDChars)
	in.text(tx+"OrgnlGrpInf/OrgnlMsgNmId", sr.OriginalMsgDefID, MaxIDChars)
	in.optionalText(tx+"OrgnlInstrId", sr.OriginalInstrID, MaxIDChars)
	in.text(tx+"OrgnlEndToEndId", sr.OriginalEndToEndID, MaxIDChars)
	in.uetr(tx+"OrgnlUETR", sr.OriginalUETR)
	in.code(tx+"TxSts", string(sr.Status), string(corridor.StatusSettled), string(corridor.StatusRejected))
	rejected, reason := sr.Status == corridor.StatusRejected, sr.Reason != "" || sr.AdditionalInfo != ""
	switch {
	case rejected && !reason:
		in.add(tx+"StsRsnInf", "required with TxSts RJCT")
	case rejected && !reasonPattern(string(sr.Reason)):
		in.add(tx+"StsRsnInf/Rsn/Cd", "%.20q is not an ISO 20022 external status reason code", sr.Reason)
	case !rejected && reason:
		in.add(tx+"StsRsnInf", "only with TxSts RJCT")
	}
	in.optionalText(tx+"StsRsnInf/AddtlInf", sr.AdditionalInfo, MaxAdditionalInfoChars)
	if sr.SettlementDate != (corridor.Date{}) {
		if rejected {
			in.add(tx+"FctvIntrBkSttlmDt", "only with TxSts ACSC")
		}
		in.date(tx+"FctvIntrBkSttlmDt/Dt", sr.SettlementDate)
	}
	in.optionalBIC(tx+"InstgAgt", sr.InstructingAgent)
	in.optionalBIC(tx+"InstdAgt", sr.InstructedAgent)
}

// writePacs002 writes the Document in the order of pacs.002.001.10's schema.
func writePacs002(w *writer, sr StatusReport) {
	w.open("Document", namespacePrefix+MsgDefStatusReport)
	w.open("FIToFIPmtStsRpt", "")
	w.open("GrpHdr", "")
	w.text("MsgId", sr.MsgID)
	w.dateTime("CreDtTm", sr.Created)
	w.close("GrpHdr")
	w.open("TxInfAndSts", "")
	w.open("OrgnlGrpInf", "")
	w.text("OrgnlMsgId", sr.OriginalMsgID)
	w.text("OrgnlMsgNmId", sr.OriginalMsgDefID)
	w.close("OrgnlGrpInf")
	if sr.OriginalInstrID != "" {
		w.text("OrgnlInstrId", sr.OriginalInstrID)
	}
	w.text("OrgnlEndToEndId", sr.OriginalEndToEndID)
	w.text("OrgnlUETR", string(sr.OriginalUETR))
	w.text("TxSts", string(sr.Status))
	writeStatusReason(w, sr)
	if sr.SettlementDate != (corridor.Date{}) {
		w.open("FctvIntrBkSttlmDt", "")
		w.date("Dt", sr.SettlementDate)
		w.close("FctvIntrBkSttlmDt")
	}
	if sr.InstructingAgent != "" {
		w.agent("InstgAgt", string(sr.InstructingAgent))
	}
	if sr.InstructedAgent != "" {
		w.agent("InstdAgt", string(sr.InstructedAgent))
	}
	w.close("TxInfAndSts")
	w.close("FIToFIPmtStsRpt")
	w.close("Document")
}

// writeStatusReason writes StsRsnInf when sr has a reason or information.
func writeStatusReason(w *writer, sr StatusReport) {
	if sr.Reason == "" && sr.AdditionalInfo == "" {
		return
	}
	w.open("StsRsnInf", "")
	w.open("Rsn", "")
	w.text("Cd", string(sr.Reason))
	w.close("Rsn")
	if sr.AdditionalInfo != "" {
		w.text("AddtlInf", sr.AdditionalInfo)
	}
	w.close("StsRsnInf")
}
