package corridor

// BIC is an ISO 9362 business identifier code in its 11-character form: an
// 8-character BIC is stored with the branch code XXX, so that DEMOINBB and
// DEMOINBBXXX name the same participant.
type BIC string

// ParseBIC checks s against ISO 9362 (4 party-prefix, 2 country letters, 2
// location and an optional 3-character branch, all upper case) and returns its
// 11-character form. A malformed BIC is an RC01 reject.
func ParseBIC(s string) (BIC, error) {
	if !bicPattern(s) {
		return "", Reject(ReasonUnknownBIC, "BIC "+quoteInput(s)+" is not an ISO 9362 BIC")
	}
	if len(s) == 8 {
		s += "XXX"
	}
	return BIC(s), nil
}

// bicPattern is [A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?, the pattern
// the ISO 20022 schemas give a financial institution's BIC.
func bicPattern(s string) bool {
	if len(s) != 8 && len(s) != 11 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		upper := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if i == 4 || i == 5 {
			if !upper {
				return false
			}
		} else if !upper && !digit {
			return false
		}
	}
	return true
}

// Country is the ISO 3166 country code within the BIC.
func (b BIC) Country() string {
	if len(b) < 6 {
		return ""
	}
	return string(b[4:6])
}
