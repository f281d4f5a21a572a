package iso20022

import (
	"github.com/corridor-network/corridor"
)

// amount applies the usage rules of an amount in a currency the root
// package knows (its ISO 4217 minor units), n being a schema-valid element
// of type t: a settlement amount (ActiveCurrencyAndAmount) has no more
// decimals than its currency (CH20), no sign, and is neither zero (AM01)
// nor too large (AM02); any other amount respects its currency's decimals
// (CH20). Amounts in other currencies are left to the XSD: whether the hub
// settles a currency is the hub's decision (AM03), not a message rule.
func (c *checker) amount(n *node, t *xsdType) {
	cur := corridor.Currency(attrValue(n, "Ccy"))
	if !cur.Valid() {
		return
	}
	_, err := corridor.ParseAmount(trimSpace(n.text), cur)
	if err == nil {
		return
	}
	reason, _ := corridor.ReasonOf(err)
	if t.name == "ActiveCurrencyAndAmount" || reason == corridor.ReasonDecimals {
		c.ps.rejectLayer(c.path(""), LayerUsage, err)
	}
}

// attrValue is the unqualified attribute local of n, or "".
func attrValue(n *node, local string) string {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
