package iso20022

import (
	"errors"

	"corridor"
)

// Validate checks data, an ISO 20022 message as the hub reads it, and returns
// every problem found; none means the message is valid.
func Validate(data []byte) []Problem {
	def, err := MessageDefinition(data)
	if err == nil {
		switch def {
		case MsgDefCustomerCreditTransfer:
			_, err = DecodeCustomerCreditTransfer(data)
		case MsgDefStatusReport:
			_, err = DecodeStatusReport(data)
		default:
			err = Unsupported(def, MsgDefCustomerCreditTransfer)
		}
	}
	if err == nil {
		return nil
	}
	var ie *InvalidError
	if errors.As(err, &ie) {
		return ie.Problems
	}
	reason, _ := corridor.ReasonOf(err)
	return []Problem{{Rule: err.Error(), Reason: reason}}
}
