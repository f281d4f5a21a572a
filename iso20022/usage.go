package iso20022

import (
	"fmt"
	"slices"
	"strings"

	"github.com/corridor-network/corridor"
)

// usage applies the CBPR+ usage rules to the schema-valid message data;
// the amounts were checked on the schema walk.
func (r *checked) usage(data []byte) {
	r.ps.layer = LayerUsage
	defer func() { r.ps.layer = "" }()
	m, err := r.decode(data)
	if err != nil {
		r.ps.add("", "cannot read the message: "+err.Error(), corridor.ReasonInvalidFormat)
		return
	}
	if m.AppHdr != nil {
		usageHeader(m, r.ps)
	}
	switch d := m.Document.(type) {
	case *Pacs008Document:
		g, txs := d.FIToFICstmrCdtTrf.GrpHdr, d.FIToFICstmrCdtTrf.CdtTrfTxInf
		oneTransaction("Document/FIToFICstmrCdtTrf/GrpHdr/NbOfTxs", g.NbOfTxs, r.ps)
		for _, tx := range txs {
			uetrRequired("Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/UETR", tx.PmtId.UETR, r.ps)
			agents(m.AppHdr, "Document/FIToFICstmrCdtTrf/CdtTrfTxInf", tx.InstgAgt, tx.InstdAgt, r.ps)
			if m.AppHdr != nil {
				chargeBearer("Document/FIToFICstmrCdtTrf/CdtTrfTxInf/ChrgBr", tx.ChrgBr, r.ps)
			}
		}
	case *Pacs009Document:
		g, txs := d.FICdtTrf.GrpHdr, d.FICdtTrf.CdtTrfTxInf
		oneTransaction("Document/FICdtTrf/GrpHdr/NbOfTxs", g.NbOfTxs, r.ps)
		for _, tx := range txs {
			uetrRequired("Document/FICdtTrf/CdtTrfTxInf/PmtId/UETR", tx.PmtId.UETR, r.ps)
			agents(m.AppHdr, "Document/FICdtTrf/CdtTrfTxInf", tx.InstgAgt, tx.InstdAgt, r.ps)
		}
	case *Pacs004Document:
		oneTransaction("Document/PmtRtr/GrpHdr/NbOfTxs", d.PmtRtr.GrpHdr.NbOfTxs, r.ps)
		for _, tx := range d.PmtRtr.TxInf {
			uetrRequired("Document/PmtRtr/TxInf/OrgnlUETR", tx.OrgnlUETR, r.ps)
			agents(m.AppHdr, "Document/PmtRtr/TxInf", tx.InstgAgt, tx.InstdAgt, r.ps)
		}
	case *Pacs002Document:
		for _, tx := range d.FIToFIPmtStsRpt.TxInfAndSts {
			uetrRequired("Document/FIToFIPmtStsRpt/TxInfAndSts/OrgnlUETR", tx.OrgnlUETR, r.ps)
		}
	case *Camt056Document:
		usageCancellation(m.AppHdr, d.FIToFIPmtCxlReq, r.ps)
	case *Camt029Document:
		usageResolution(m.AppHdr, d.RsltnOfInvstgtn, r.ps)
	}
}

// usageCancellation applies the rules of a camt.056: the AppHdr names the
// parties of the assignment, and each transaction its UETR.
func usageCancellation(h *BusinessApplicationHeaderV02, req FIToFIPaymentCancellationRequestV08, ps *problems) {
	assignment(h, "Document/FIToFIPmtCxlReq/Assgnmt", req.Assgnmt, ps)
	for _, u := range req.Undrlyg {
		for _, tx := range u.TxInf {
			uetrRequired("Document/FIToFIPmtCxlReq/Undrlyg/TxInf/OrgnlUETR", tx.OrgnlUETR, ps)
		}
	}
}

// usageResolution applies the rules of a camt.029: the AppHdr names the
// parties of the assignment, and each cancelled transaction its UETR.
func usageResolution(h *BusinessApplicationHeaderV02, res ResolutionOfInvestigationV09, ps *problems) {
	assignment(h, "Document/RsltnOfInvstgtn/Assgnmt", res.Assgnmt, ps)
	for _, c := range res.CxlDtls {
		for _, tx := range c.TxInfAndSts {
			uetrRequired("Document/RsltnOfInvstgtn/CxlDtls/TxInfAndSts/OrgnlUETR", tx.OrgnlUETR, ps)
		}
	}
}

// usageHeader applies the rules of the AppHdr: MsgDefIdr names the
// Document beside it, BizSvc names a CBPR+ service, CreDt carries a zone
// offset, and a copy is not sent for processing. A possible duplicate
// (PssblDplct) is accepted: the hub's replay of a UETR answers it.
func usageHeader(m *Message, ps *problems) {
	h := m.AppHdr
	msgDef := h.MsgDefIdr
	if m.Document != nil {
		msgDef = m.Document.MessageDefinition()
		if h.MsgDefIdr != msgDef {
			ps.add("AppHdr/MsgDefIdr", fmt.Sprintf("is %s; the Document is %s", quote(h.MsgDefIdr), msgDef), corridor.ReasonInvalidFormat)
		}
	}
	if h.BizSvc != nil {
		if rule := businessServiceRule(*h.BizSvc, msgDef); rule != "" {
			ps.add("AppHdr/BizSvc", rule, corridor.ReasonInvalidFormat)
		}
	}
	if _, ok := parseDateTime(strings.Trim(h.CreDt, xmlSpace)); !ok {
		ps.add("AppHdr/CreDt", fmt.Sprintf("%s has no zone offset; CBPR+ requires one", quote(h.CreDt)), corridor.ReasonInvalidDate)
	}
	if h.CpyDplct != nil && *h.CpyDplct != "DUPL" {
		ps.add("AppHdr/CpyDplct", fmt.Sprintf("is %s; the hub processes originals and duplicates (DUPL), not copies", *h.CpyDplct), corridor.ReasonInvalidFormat)
	}
}

// oneTransaction applies CBPR+'s one transaction per message.
func oneTransaction(path, nbOfTxs string, ps *problems) {
	if nbOfTxs != "1" {
		ps.add(path, fmt.Sprintf("is %s; CBPR+ allows exactly 1 transaction per message", quote(nbOfTxs)), corridor.ReasonInvalidFormat)
	}
}

// uetrRequired applies CBPR+'s mandatory UETR.
func uetrRequired(path string, uetr *string, ps *problems) {
	if uetr == nil {
		ps.add(path, "required by CBPR+", corridor.ReasonInvalidFormat)
	}
}

// agents applies the rule that the AppHdr's Fr and To are the instructing
// and the instructed agent (CBPR+ makes both mandatory in a transaction).
func agents(h *BusinessApplicationHeaderV02, path string, instg, instd *BranchAndFinancialInstitutionIdentification6, ps *problems) {
	if h == nil {
		return
	}
	sameBank(h.Fr, "AppHdr/Fr", instg, path+"/InstgAgt", "sender", "instructing agent", ps)
	sameBank(h.To, "AppHdr/To", instd, path+"/InstdAgt", "receiver", "instructed agent", ps)
}

func sameBank(party Party44Choice, partyPath string, agent *BranchAndFinancialInstitutionIdentification6, agentPath, who, role string, ps *problems) {
	if agent == nil {
		ps.add(agentPath, "required by CBPR+", corridor.ReasonInvalidFormat)
		return
	}
	if party.FIId == nil || party.FIId.FinInstnId.BICFI == nil || agent.FinInstnId.BICFI == nil {
		return
	}
	a, errA := corridor.ParseBIC(*party.FIId.FinInstnId.BICFI)
	b, errB := corridor.ParseBIC(*agent.FinInstnId.BICFI)
	if errA == nil && errB == nil && a != b {
		ps.add(partyPath+"/FIId/FinInstnId/BICFI", fmt.Sprintf("%s %s is not the %s %s (%s)", who, a, role, b, agentPath), corridor.ReasonInvalidFormat)
	}
}

// assignment applies the rule that the AppHdr's Fr and To are the assigner
// and the assignee of a camt.056 or camt.029, which CBPR+ restricts to
// agents (Assgnr/Agt and Assgne/Agt).
func assignment(h *BusinessApplicationHeaderV02, path string, a CaseAssignment5, ps *problems) {
	if h == nil {
		return
	}
	sameBank(h.Fr, "AppHdr/Fr", a.Assgnr.Agt, path+"/Assgnr/Agt", "sender", "assigner", ps)
	sameBank(h.To, "AppHdr/To", a.Assgne.Agt, path+"/Assgne/Agt", "receiver", "assignee", ps)
}

// cbprPlusMessages are the messages of the set that CBPR+ has a usage
// guideline for (admi.002 is not one), by message type.
var cbprPlusMessages = []string{"pacs.008", "pacs.009", "pacs.002", "pacs.004", "camt.056", "camt.029", "camt.052", "camt.053", "camt.054"}

// businessServiceRule returns why svc cannot be the AppHdr/BizSvc of a
// msgDef message, or "" if it can. CBPR+ names its services
// swift.cbprplus.NN, NN being the two digits of the usage guidelines'
// release, and the pacs.009 COV's swift.cbprplus.cov.NN.
func businessServiceRule(svc, msgDef string) string {
	typ, _, _ := strings.Cut(msgDef, ".001.")
	if !slices.Contains(cbprPlusMessages, typ) {
		return ""
	}
	want := "swift.cbprplus.NN (two digits)"
	n, ok := strings.CutPrefix(svc, "swift.cbprplus.")
	if typ == "pacs.009" {
		want = "swift.cbprplus.NN or, for a COV, swift.cbprplus.cov.NN (two digits)"
		n = strings.TrimPrefix(n, "cov.")
	}
	if ok && len(n) == 2 && isDigit(n[0]) && isDigit(n[1]) {
		return ""
	}
	return fmt.Sprintf("is %s; a CBPR+ %s names the business service %s", quote(svc), typ, want)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// chargeBearer applies CBPR+'s charge bearers for a pacs.008: DEBT, CRED
// or SHAR. SLEV, which the XSD allows, CBPR+ removed.
func chargeBearer(path, code string, ps *problems) {
	if code == "SLEV" {
		ps.add(path, "is SLEV; CBPR+ allows DEBT, CRED or SHAR", corridor.ReasonInvalidFormat)
	}
}
