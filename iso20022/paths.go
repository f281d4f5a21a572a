package iso20022

// The element paths the hub names in the refusals it gives banks, so that a
// bank reads which element to fix. They live here with every other ISO 20022
// name; the hub writes them into its texts and nowhere else.
const (
	PathMsgID              = "MsgId"                   // GrpHdr/MsgId: the sender's message reference.
	PathAssignmentID       = "Assgnmt/Id"              // The identifier of a camt.056 or camt.029.
	PathSettlementDate     = "IntrBkSttlmDt"           // The interbank settlement date.
	PathSettlementAmount   = "IntrBkSttlmAmt"          // The interbank settlement amount.
	PathInstructedAmount   = "InstdAmt"                // The instructed amount.
	PathExchangeRate       = "XchgRate"                // The exchange rate of a converted payment.
	PathInstructionForNext = "InstrForNxtAgt/InstrInf" // Where a pacs.008 names its FX quote.
)
