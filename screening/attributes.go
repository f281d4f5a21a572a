package screening

import (
	"strconv"
	"strings"
)

// Attribute adjustments, added to a name score after the names matched at
// all (documented in doc.go). Scores are not money, so float64 is fine.
const (
	CountryMatchBonus      = 0.03 // The party's country is one of the entry's countries or nationalities.
	CountryMismatchPenalty = 0.05 // The entry names countries and the party's is none of them.
	DOBExactBonus          = 0.05 // Same date of birth.
	DOBYearBonus           = 0.02 // Same year of birth, within one year (lists often say "circa").
	DOBMismatchPenalty     = 0.10 // The entry gives years of birth and the party's is more than a year off all of them.
	LowQualityPenalty      = 0.03 // The matched name is a low-quality (UN "Low", OFAC "weak") alias.
)

// countryCodes maps country names as the lists write them (folded) to ISO
// 3166 alpha-2 codes. Names not here are ignored in scoring.
var countryCodes = map[string]string{
	"russia": "RU", "russian federation": "RU", "india": "IN", "iran": "IR", "iran islamic republic of": "IR",
	"iraq": "IQ", "ukraine": "UA", "crimea": "UA", "belarus": "BY", "china": "CN", "hong kong": "HK",
	"cuba": "CU", "syria": "SY", "syrian arab republic": "SY", "north korea": "KP",
	"democratic people s republic of korea": "KP", "korea north": "KP", "afghanistan": "AF",
	"pakistan": "PK", "mexico": "MX", "colombia": "CO", "peru": "PE", "venezuela": "VE", "lebanon": "LB",
	"united arab emirates": "AE", "turkey": "TR", "turkiye": "TR", "cyprus": "CY", "switzerland": "CH",
	"united kingdom": "GB", "united states": "US", "germany": "DE", "finland": "FI", "latvia": "LV",
	"estonia": "EE", "lithuania": "LT", "kazakhstan": "KZ", "armenia": "AM", "georgia": "GE", "belize": "BZ",
	"panama": "PA", "virgin islands british": "VG", "british virgin islands": "VG", "rwanda": "RW",
	"democratic republic of the congo": "CD", "congo": "CG", "uganda": "UG", "libya": "LY", "sudan": "SD",
	"south sudan": "SS", "somalia": "SO", "yemen": "YE", "saudi arabia": "SA", "qatar": "QA", "kuwait": "KW",
	"jordan": "JO", "egypt": "EG", "nigeria": "NG", "united republic of tanzania": "TZ", "tanzania": "TZ",
	"kenya": "KE", "burundi": "BI", "central african republic": "CF", "mali": "ML", "niger": "NE",
	"chad": "TD", "eritrea": "ER", "myanmar": "MM", "burma": "MM", "nicaragua": "NI", "serbia": "RS",
	"moldova": "MD", "azerbaijan": "AZ", "uzbekistan": "UZ", "kyrgyzstan": "KG", "tajikistan": "TJ",
	"turkmenistan": "TM", "indonesia": "ID", "malaysia": "MY", "singapore": "SG", "philippines": "PH",
	"thailand": "TH", "sri lanka": "LK", "bangladesh": "BD", "nepal": "NP", "argentina": "AR",
	"brazil": "BR", "bolivia": "BO", "ecuador": "EC", "guatemala": "GT", "honduras": "HN", "canada": "CA",
	"france": "FR", "italy": "IT", "spain": "ES", "netherlands": "NL", "belgium": "BE", "austria": "AT",
	"sweden": "SE", "norway": "NO", "denmark": "DK", "poland": "PL", "czech republic": "CZ", "greece": "GR",
	"bulgaria": "BG", "romania": "RO", "hungary": "HU", "israel": "IL", "japan": "JP", "vietnam": "VN",
	"viet nam": "VN", "algeria": "DZ", "morocco": "MA", "tunisia": "TN", "ethiopia": "ET",
	"south africa": "ZA", "zimbabwe": "ZW", "bahrain": "BH", "oman": "OM", "malta": "MT", "luxembourg": "LU",
	"liechtenstein": "LI", "seychelles": "SC", "marshall islands": "MH", "liberia": "LR",
}

// countryCode returns the ISO alpha-2 code of s, a code or a country name.
func countryCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 2 && isASCIIUpperOrLower(s) {
		return strings.ToUpper(s)
	}
	return countryCodes[strings.Join(strings.Fields(fold(s)), " ")]
}

func isASCIIUpperOrLower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// birth is a (partial) date of birth: Month and Day are 0 when unknown.
type birth struct{ Year, Month, Day int }

var months = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
	"sep": 9, "oct": 10, "nov": 11, "dec": 12}

// parseBirths reads the dates in a list's DOB value: "1937-04-28",
// "28 Jul 1963", "1971", "circa 1960", "1960 to 1962" (both years).
func parseBirths(s string) []birth {
	var out []birth
	words := strings.Fields(strings.NewReplacer("-", " ", "/", " ", ",", " ").Replace(strings.ToLower(s)))
	for i, w := range words {
		y, err := strconv.Atoi(w)
		if err != nil || y < 1800 || y > 2200 {
			continue
		}
		b := birth{Year: y}
		if i+2 < len(words) && len(w) == 4 && i == 0 { // YYYY MM DD
			b.Month, _ = strconv.Atoi(words[i+1])
			b.Day, _ = strconv.Atoi(words[i+2])
		} else if i >= 2 { // DD Mon YYYY
			b.Month = months[prefix3(words[i-1])]
			b.Day, _ = strconv.Atoi(words[i-2])
		}
		if b.Month < 1 || b.Month > 12 || b.Day < 1 || b.Day > 31 {
			b.Month, b.Day = 0, 0
		}
		out = append(out, b)
	}
	return out
}

func prefix3(s string) string {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}
