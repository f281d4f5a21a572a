package corridor

// UETR is a unique end-to-end transaction reference: a version 4 UUID in lower
// case, as ISO 20022's UUIDv4Identifier pattern requires.
type UETR string

// ParseUETR checks s against
// [a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}.
// A malformed UETR is an FF01 reject.
func ParseUETR(s string) (UETR, error) {
	if !uuidV4Pattern(s) {
		return "", Reject(ReasonInvalidFormat, "UETR "+quoteInput(s)+" is not a lower-case UUIDv4")
	}
	return UETR(s), nil
}

func uuidV4Pattern(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		case 14:
			if c != '4' {
				return false
			}
		case 19:
			if c != '8' && c != '9' && c != 'a' && c != 'b' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}
