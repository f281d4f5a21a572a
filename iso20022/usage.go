package iso20022

import (
	"fmt"
	"slices"
	"strings"

	"github.com/corridor-network/corridor"
)

// usage applies the CBPR+ usage rules to the message r located, which the
// schemas found valid: on the tree the schema walk read, so that nothing
// parses the message again. The amounts were checked on the schema walk.
func (r *checked) usage() {
	r.ps.layer = LayerUsage
	defer func() { r.ps.layer = "" }()
	docID := ""
	if r.doc != nil {
		docID = r.docSchema.id
	}
	if r.hdr != nil {
		usageHeader(r.hdr, docID, r.ps)
	}
	h := r.hdr
	switch docID {
	case MsgDefCustomerCreditTransfer:
		usageCustomerCreditTransfer(h, r.doc.first("FIToFICstmrCdtTrf"), r.ps)
	case MsgDefInstitutionCreditTransfer:
		m := r.doc.first("FICdtTrf")
		oneTransaction("Document/FICdtTrf/GrpHdr/NbOfTxs", m.at("GrpHdr", "NbOfTxs"), r.ps)
		for tx := range m.all("CdtTrfTxInf") {
			uetrRequired("Document/FICdtTrf/CdtTrfTxInf/PmtId/UETR", tx.at("PmtId", "UETR"), r.ps)
			agents(h, "Document/FICdtTrf/CdtTrfTxInf", tx, r.ps)
		}
	case MsgDefReturn:
		m := r.doc.first("PmtRtr")
		oneTransaction("Document/PmtRtr/GrpHdr/NbOfTxs", m.at("GrpHdr", "NbOfTxs"), r.ps)
		for tx := range m.all("TxInf") {
			uetrRequired("Document/PmtRtr/TxInf/OrgnlUETR", tx.first("OrgnlUETR"), r.ps)
			agents(h, "Document/PmtRtr/TxInf", tx, r.ps)
		}
	case MsgDefStatusReport:
		for tx := range r.doc.first("FIToFIPmtStsRpt").all("TxInfAndSts") {
			uetrRequired("Document/FIToFIPmtStsRpt/TxInfAndSts/OrgnlUETR", tx.first("OrgnlUETR"), r.ps)
		}
	case MsgDefCancelRequest:
		usageCancellation(h, r.doc.first("FIToFIPmtCxlReq"), r.ps)
	case MsgDefResolution:
		usageResolution(h, r.doc.first("RsltnOfInvstgtn"), r.ps)
	}
}

// usageCustomerCreditTransfer applies the rules of a pacs.008
// FIToFICstmrCdtTrf: one transaction, with its UETR, its agents those of the
// AppHdr and, with an AppHdr, a CBPR+ charge bearer.
func usageCustomerCreditTransfer(h, m *node, ps *problems) {
	oneTransaction("Document/FIToFICstmrCdtTrf/GrpHdr/NbOfTxs", m.at("GrpHdr", "NbOfTxs"), ps)
	for tx := range m.all("CdtTrfTxInf") {
		uetrRequired("Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/UETR", tx.at("PmtId", "UETR"), ps)
		agents(h, "Document/FIToFICstmrCdtTrf/CdtTrfTxInf", tx, ps)
		if h != nil {
			chargeBearer("Document/FIToFICstmrCdtTrf/CdtTrfTxInf/ChrgBr", tx.first("ChrgBr"), ps)
		}
	}
}

// usageCancellation applies the rules of a camt.056 FIToFIPmtCxlReq: the
// AppHdr names the parties of the assignment, and each transaction its UETR.
func usageCancellation(h, req *node, ps *problems) {
	assignment(h, "Document/FIToFIPmtCxlReq/Assgnmt", req.first("Assgnmt"), ps)
	for u := range req.all("Undrlyg") {
		for tx := range u.all("TxInf") {
			uetrRequired("Document/FIToFIPmtCxlReq/Undrlyg/TxInf/OrgnlUETR", tx.first("OrgnlUETR"), ps)
		}
	}
}

// usageResolution applies the rules of a camt.029 RsltnOfInvstgtn: the
// AppHdr names the parties of the assignment, and each cancelled
// transaction its UETR.
func usageResolution(h, res *node, ps *problems) {
	assignment(h, "Document/RsltnOfInvstgtn/Assgnmt", res.first("Assgnmt"), ps)
	for c := range res.all("CxlDtls") {
		for tx := range c.all("TxInfAndSts") {
			uetrRequired("Document/RsltnOfInvstgtn/CxlDtls/TxInfAndSts/OrgnlUETR", tx.first("OrgnlUETR"), ps)
		}
	}
}

// usageHeader applies the rules of the AppHdr h: MsgDefIdr names the
// Document beside it (docID, "" when there is none), BizSvc names a CBPR+
// service, CreDt carries a zone offset, and a copy is not sent for
// processing. A possible duplicate (PssblDplct) is accepted: the hub's
// replay of a UETR answers it.
func usageHeader(h *node, docID string, ps *problems) {
	msgDefIdr := h.first("MsgDefIdr").content()
	msgDef := msgDefIdr
	if docID != "" {
		msgDef = docID
		if msgDefIdr != msgDef {
			ps.add("AppHdr/MsgDefIdr", fmt.Sprintf("is %s; the Document is %s", quote(msgDefIdr), msgDef), corridor.ReasonInvalidFormat)
		}
	}
	if svc := h.first("BizSvc"); svc != nil {
		if rule := businessServiceRule(svc.text, msgDef); rule != "" {
			ps.add("AppHdr/BizSvc", rule, corridor.ReasonInvalidFormat)
		}
	}
	creDt := h.first("CreDt").content()
	if _, ok := parseDateTime(trimSpace(creDt)); !ok {
		ps.add("AppHdr/CreDt", fmt.Sprintf("%s has no zone offset; CBPR+ requires one", quote(creDt)), corridor.ReasonInvalidDate)
	}
	if c := h.first("CpyDplct"); c != nil && c.text != "DUPL" {
		ps.add("AppHdr/CpyDplct", fmt.Sprintf("is %s; the hub processes originals and duplicates (DUPL), not copies", c.text), corridor.ReasonInvalidFormat)
	}
}

// oneTransaction applies CBPR+'s one transaction per message to GrpHdr/NbOfTxs.
func oneTransaction(path string, nbOfTxs *node, ps *problems) {
	if n := nbOfTxs.content(); n != "1" {
		ps.add(path, fmt.Sprintf("is %s; CBPR+ allows exactly 1 transaction per message", quote(n)), corridor.ReasonInvalidFormat)
	}
}

// uetrRequired applies CBPR+'s mandatory UETR.
func uetrRequired(path string, uetr *node, ps *problems) {
	if uetr == nil {
		ps.add(path, "required by CBPR+", corridor.ReasonInvalidFormat)
	}
}

// agents applies the rule that the Fr and To of the AppHdr h are the
// instructing and the instructed agent of the transaction tx at path (CBPR+
// makes both mandatory in a transaction).
func agents(h *node, path string, tx *node, ps *problems) {
	if h == nil {
		return
	}
	sameBank(h.first("Fr"), "AppHdr/Fr", tx.first("InstgAgt"), path+"/InstgAgt", "sender", "instructing agent", ps)
	sameBank(h.first("To"), "AppHdr/To", tx.first("InstdAgt"), path+"/InstdAgt", "receiver", "instructed agent", ps)
}

// sameBank applies the rule that party, a Party44Choice of the AppHdr, and
// agent, a BranchAndFinancialInstitutionIdentification6, name the same bank
// when both name one by FinInstnId/BICFI.
func sameBank(party *node, partyPath string, agent *node, agentPath, who, role string, ps *problems) {
	if agent == nil {
		ps.add(agentPath, "required by CBPR+", corridor.ReasonInvalidFormat)
		return
	}
	pb, ab := party.at("FIId", "FinInstnId", "BICFI"), agent.at("FinInstnId", "BICFI")
	if pb == nil || ab == nil {
		return
	}
	a, errA := corridor.ParseBIC(pb.text)
	b, errB := corridor.ParseBIC(ab.text)
	if errA == nil && errB == nil && a != b {
		ps.add(partyPath+"/FIId/FinInstnId/BICFI", fmt.Sprintf("%s %s is not the %s %s (%s)", who, a, role, b, agentPath), corridor.ReasonInvalidFormat)
	}
}

// assignment applies the rule that the AppHdr's Fr and To are the assigner
// and the assignee of the Assgnmt a of a camt.056 or camt.029, which CBPR+
// restricts to agents (Assgnr/Agt and Assgne/Agt).
func assignment(h *node, path string, a *node, ps *problems) {
	if h == nil {
		return
	}
	sameBank(h.first("Fr"), "AppHdr/Fr", a.at("Assgnr", "Agt"), path+"/Assgnr/Agt", "sender", "assigner", ps)
	sameBank(h.first("To"), "AppHdr/To", a.at("Assgne", "Agt"), path+"/Assgne/Agt", "receiver", "assignee", ps)
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
func chargeBearer(path string, code *node, ps *problems) {
	if code.content() == "SLEV" {
		ps.add(path, "is SLEV; CBPR+ allows DEBT, CRED or SHAR", corridor.ReasonInvalidFormat)
	}
}
