package screening

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// unList is the UN Security Council consolidated list XML
// (https://scsanctions.un.org/resources/xml/en/consolidated.xml).
type unList struct {
	XMLName       xml.Name       `xml:"CONSOLIDATED_LIST"`
	DateGenerated string         `xml:"dateGenerated,attr"`
	Individuals   []unIndividual `xml:"INDIVIDUALS>INDIVIDUAL"`
	Entities      []unEntity     `xml:"ENTITIES>ENTITY"`
}

type unCommon struct {
	DataID          string    `xml:"DATAID"`
	FirstName       string    `xml:"FIRST_NAME"`
	SecondName      string    `xml:"SECOND_NAME"`
	ThirdName       string    `xml:"THIRD_NAME"`
	FourthName      string    `xml:"FOURTH_NAME"`
	ListType        string    `xml:"UN_LIST_TYPE"`
	Reference       string    `xml:"REFERENCE_NUMBER"`
	OriginalScript  string    `xml:"NAME_ORIGINAL_SCRIPT"`
	Comments        string    `xml:"COMMENTS1"`
	Nationalities   []string  `xml:"NATIONALITY>VALUE"`
	IndividualAlias []unAlias `xml:"INDIVIDUAL_ALIAS"`
	EntityAlias     []unAlias `xml:"ENTITY_ALIAS"`
}

type unIndividual struct {
	unCommon
	Addresses []unAddress `xml:"INDIVIDUAL_ADDRESS"`
	Births    []unDate    `xml:"INDIVIDUAL_DATE_OF_BIRTH"`
}

type unEntity struct {
	unCommon
	Addresses []unAddress `xml:"ENTITY_ADDRESS"`
}

type unAlias struct {
	Quality string `xml:"QUALITY"`
	Name    string `xml:"ALIAS_NAME"`
}

type unAddress struct {
	Street  string `xml:"STREET"`
	City    string `xml:"CITY"`
	State   string `xml:"STATE_PROVINCE"`
	Zip     string `xml:"ZIP_CODE"`
	Country string `xml:"COUNTRY"`
}

type unDate struct {
	Type     string `xml:"TYPE_OF_DATE"`
	Date     string `xml:"DATE"`
	Year     string `xml:"YEAR"`
	FromYear string `xml:"FROM_YEAR"`
	ToYear   string `xml:"TO_YEAR"`
}

// LoadUN reads the UN Security Council consolidated list XML. Version is the
// list's dateGenerated; entry IDs are REFERENCE_NUMBERs ("CDi.001").
func LoadUN(data []byte) (*List, error) {
	if err := checkSize("UN", data); err != nil {
		return nil, err
	}
	var doc unList
	d := xml.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("screening: UN list: %w", err)
	}
	b := newBuilder("UN", "un", data)
	if doc.DateGenerated != "" {
		b.list.Version = strings.TrimSpace(doc.DateGenerated)
	}
	for _, in := range doc.Individuals {
		if err := b.add(unIndividualEntry(in)); err != nil {
			return nil, err
		}
	}
	for _, en := range doc.Entities {
		if err := b.add(unEntityEntry(en)); err != nil {
			return nil, err
		}
	}
	return b.done()
}

func unIndividualEntry(in unIndividual) Entry {
	e := unBase(in.unCommon, KindIndividual)
	full := strings.Join([]string{in.FirstName, in.SecondName, in.ThirdName, in.FourthName}, " ")
	e.Names = append([]Name{{Full: full, Quality: QualityPrimary, Script: "Latin"}}, e.Names...)
	for _, a := range in.IndividualAlias {
		e.Names = append(e.Names, unAliasName(a))
	}
	for _, a := range in.Addresses {
		e.Addresses, e.Countries = unAddressValues(a, e.Addresses, e.Countries)
	}
	for _, dob := range in.Births {
		e.DatesOfBirth = appendValue(e.DatesOfBirth, unDateValue(dob))
	}
	return e
}

func unEntityEntry(en unEntity) Entry {
	e := unBase(en.unCommon, KindEntity)
	var names []Name
	for i, part := range strings.Split(en.FirstName, ";") {
		q := QualityGood
		if i == 0 {
			q = QualityPrimary
		}
		names = append(names, splitParenthesised(part, q)...)
	}
	e.Names = append(names, e.Names...)
	for _, a := range en.EntityAlias {
		e.Names = append(e.Names, splitParenthesised(a.Name, unQuality(a.Quality))...)
	}
	for _, a := range en.Addresses {
		e.Addresses, e.Countries = unAddressValues(a, e.Addresses, e.Countries)
	}
	return e
}

func unBase(c unCommon, kind Kind) Entry {
	e := Entry{ID: strings.TrimSpace(c.Reference), Kind: kind, Remarks: strings.TrimSpace(c.Comments)}
	if e.ID == "" {
		e.ID = strings.TrimSpace(c.DataID)
	}
	if s := strings.TrimSpace(c.OriginalScript); s != "" {
		e.Names = append(e.Names, Name{Full: s, Quality: QualityGood, Script: "original"})
	}
	for _, n := range c.Nationalities {
		e.Nationalities = appendValue(e.Nationalities, n)
	}
	e.Programs = appendValue(e.Programs, c.ListType)
	return e
}

func unAliasName(a unAlias) Name {
	return Name{Full: a.Name, Quality: unQuality(a.Quality), Script: "Latin"}
}

// unQuality maps UN alias qualities: "Good", "a.k.a." and "f.k.a." are good;
// "Low" is low.
func unQuality(q string) Quality {
	if strings.EqualFold(strings.TrimSpace(q), "low") {
		return QualityLow
	}
	return QualityGood
}

func unAddressValues(a unAddress, addrs, countries []string) ([]string, []string) {
	parts := []string{}
	for _, p := range []string{a.Street, a.City, a.State, a.Zip, a.Country} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return appendValue(addrs, strings.Join(parts, ", ")), appendValue(countries, a.Country)
}

func unDateValue(d unDate) string {
	switch {
	case strings.TrimSpace(d.Date) != "":
		return d.Date
	case strings.TrimSpace(d.Year) != "":
		return d.Year
	case strings.TrimSpace(d.FromYear) != "":
		return strings.TrimSpace(d.FromYear) + " to " + strings.TrimSpace(d.ToYear)
	}
	return ""
}

// splitParenthesised turns "GREAT LAKES BUSINESS COMPANY (GLBC)" into the
// name without the parenthesis and the parenthesised acronym as an alias.
func splitParenthesised(s string, q Quality) []Name {
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return []Name{{Full: s, Quality: q, Script: "Latin"}}
	}
	inner := s[open+1 : end]
	outer := s[:open] + " " + s[end+1:]
	return []Name{{Full: outer, Quality: q, Script: "Latin"}, {Full: inner, Quality: QualityGood, Script: "Latin"}}
}
