package iso20022

import "slices"

// returnReasons is the ISO 20022 external code set ExternalReturnReason1Code:
// the only codes a pacs.004's TxInf/RtrRsnInf/Rsn/Cd may carry. Source: the
// ISO 20022 External Code Sets (ExternalCodeSets_2Q2024, code set
// ExternalReturnReason1Code, iso20022.org/catalogue-messages/additional-content-messages/external-code-sets).
// Sorted, for a binary search.
var returnReasons = []string{
	"AC01", "AC03", "AC04", "AC06", "AC13", "AC14", "AC15", "AC16", "AC17", "AG01", "AG02",
	"AM01", "AM02", "AM03", "AM04", "AM05", "AM06", "AM07", "AM09", "AM10", "ARDT",
	"BE01", "BE04", "BE05", "BE06", "BE07", "BE08", "CN01", "CNOR", "CNPC", "CURR", "CUST",
	"DNOR", "DS28", "DT01", "DT02", "ED01", "ED03", "ED05", "EMVL", "ERIN", "FF05", "FOCR", "FR01", "FRTR",
	"MD01", "MD02", "MD06", "MD07", "MS02", "MS03", "NARR", "NOAS", "NOCM", "NOOR", "PINL",
	"RC01", "RC07", "RF01", "RR01", "RR02", "RR03", "RR04", "RUTA",
	"SL01", "SL02", "SL11", "SL12", "SL13", "SL14", "SP01", "SP02", "SVNR", "TM01", "TRAC", "UPAY",
}

// ReturnReason reports whether code is in ExternalReturnReason1Code.
func ReturnReason(code string) bool {
	_, ok := slices.BinarySearch(returnReasons, code)
	return ok
}
