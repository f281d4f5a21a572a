package screening

import (
	"slices"
	"strings"

	"github.com/corridor-network/corridor"
)

// Role is the part a party plays in a payment.
type Role string

// The roles screened in every payment, return and FI transfer.
const (
	RoleDebtor            Role = "debtor"
	RoleCreditor          Role = "creditor"
	RoleUltimateDebtor    Role = "ultimate debtor"
	RoleUltimateCreditor  Role = "ultimate creditor"
	RoleDebtorAgent       Role = "debtor agent"
	RoleCreditorAgent     Role = "creditor agent"
	RoleInstructingAgent  Role = "instructing agent"
	RoleInstructedAgent   Role = "instructed agent"
	RoleIntermediaryAgent Role = "intermediary agent"
)

// PaymentParties lists the parties of p to screen: the debtor, creditor and
// ultimate debtor and creditor by name, and every agent by BIC. Empty names and BICs are left out, and an
// agent that appears in several roles is screened once, in its first role.
func PaymentParties(p corridor.Payment) []Party {
	var out []Party
	if strings.TrimSpace(p.DebtorName) != "" {
		out = append(out, Party{Name: p.DebtorName, Role: RoleDebtor})
	}
	if strings.TrimSpace(p.CreditorName) != "" {
		out = append(out, Party{Name: p.CreditorName, Role: RoleCreditor})
	}
	if strings.TrimSpace(p.UltimateDebtor) != "" {
		out = append(out, Party{Name: p.UltimateDebtor, Role: RoleUltimateDebtor})
	}
	if strings.TrimSpace(p.UltimateCreditor) != "" {
		out = append(out, Party{Name: p.UltimateCreditor, Role: RoleUltimateCreditor})
	}
	agents := []struct {
		bic  corridor.BIC
		role Role
	}{
		{p.DebtorAgent, RoleDebtorAgent}, {p.CreditorAgent, RoleCreditorAgent},
		{p.InstructingAgent, RoleInstructingAgent}, {p.InstructedAgent, RoleInstructedAgent},
	}
	var seen []corridor.BIC
	for _, a := range agents {
		if a.bic == "" || slices.Contains(seen, a.bic) {
			continue
		}
		seen = append(seen, a.bic)
		out = append(out, Party{BIC: a.bic, Role: a.role})
	}
	return out
}

// PartyKey is a spelling-independent key of a party name: its words'
// phonetic keys in the first romanisation, sorted. "Shcherbakov Igor" and
// "Igor Sherbakov" have one key, so a whitelist of confirmed false positives
// kept by (PartyKey, list, entry ID) survives spelling and word order.
func PartyKey(name string) string {
	vs, _ := analyse(name)
	if len(vs) == 0 {
		return ""
	}
	keys := make([]string, len(vs[0]))
	for i, t := range vs[0] {
		keys[i] = t.key
	}
	slices.Sort(keys)
	return strings.Join(keys, " ")
}
