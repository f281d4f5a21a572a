package iso20022

import (
	"fmt"
	"strings"

	"corridor"
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
		}
	case *Pacs002Document:
		for _, tx := range d.FIToFIPmtStsRpt.TxInfAndSts {
			uetrRequired("Document/FIToFIPmtStsRpt/TxInfAndSts/OrgnlUETR", tx.OrgnlUETR, r.ps)
		}
	}
}

// usageHeader applies the rules of the AppHdr: MsgDefIdr names the
// Document beside it, CreDt carries a zone offset, and a copy is not sent
// for processing.
func usageHeader(m *Message, ps *problems) {
	h := m.AppHdr
	if m.Document != nil && h.MsgDefIdr != m.Document.MessageDefinition() {
		ps.add("AppHdr/MsgDefIdr", fmt.Sprintf("is %s; the Document is %s", quote(h.MsgDefIdr), m.Document.MessageDefinition()), corridor.ReasonInvalidFormat)
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
