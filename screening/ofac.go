package screening

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ofacList is OFAC's sdn.xml (namespace http://tempuri.org/sdnList.xsd).
type ofacList struct {
	XMLName     xml.Name    `xml:"sdnList"`
	PublishDate string      `xml:"publshInformation>Publish_Date"`
	Entries     []ofacEntry `xml:"sdnEntry"`
}

type ofacEntry struct {
	UID           string         `xml:"uid"`
	FirstName     string         `xml:"firstName"`
	LastName      string         `xml:"lastName"`
	Type          string         `xml:"sdnType"`
	Remarks       string         `xml:"remarks"`
	Programs      []string       `xml:"programList>program"`
	IDs           []ofacID       `xml:"idList>id"`
	AKAs          []ofacAKA      `xml:"akaList>aka"`
	Addresses     []ofacAddress  `xml:"addressList>address"`
	Nationalities []ofacCountry  `xml:"nationalityList>nationality"`
	Citizenships  []ofacCountry  `xml:"citizenshipList>citizenship"`
	Births        []ofacBirth    `xml:"dateOfBirthList>dateOfBirthItem"`
	Vessel        *ofacVesselTag `xml:"vesselInfo"`
}

type ofacID struct {
	Type   string `xml:"idType"`
	Number string `xml:"idNumber"`
}

type ofacAKA struct {
	Category  string `xml:"category"`
	FirstName string `xml:"firstName"`
	LastName  string `xml:"lastName"`
}

type ofacAddress struct {
	Line1   string `xml:"address1"`
	Line2   string `xml:"address2"`
	Line3   string `xml:"address3"`
	City    string `xml:"city"`
	State   string `xml:"stateOrProvince"`
	Postal  string `xml:"postalCode"`
	Country string `xml:"country"`
}

type ofacCountry struct {
	Country string `xml:"country"`
}

type ofacBirth struct {
	Date string `xml:"dateOfBirth"`
}

type ofacVesselTag struct {
	Flag string `xml:"vesselFlag"`
}

// LoadOFACXML reads OFAC's SDN list in its XML form (sdn.xml). Version is the
// Publish_Date; entry IDs are the uids.
func LoadOFACXML(data []byte) (*List, error) {
	if err := checkSize("OFAC XML", data); err != nil {
		return nil, err
	}
	var doc ofacList
	if err := xml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("screening: OFAC XML list: %w", err)
	}
	b := newBuilder("OFAC XML", "ofac", data)
	if v := strings.TrimSpace(doc.PublishDate); v != "" {
		b.list.Version = v
	}
	for _, oe := range doc.Entries {
		if err := b.add(ofacXMLEntry(oe)); err != nil {
			return nil, err
		}
	}
	return b.done()
}

func ofacXMLEntry(oe ofacEntry) Entry {
	e := Entry{ID: strings.TrimSpace(oe.UID), Kind: ofacKind(oe.Type), Remarks: strings.TrimSpace(oe.Remarks)}
	e.Names = []Name{{Full: joinName(oe.FirstName, oe.LastName), Quality: QualityPrimary, Script: "Latin"}}
	for _, a := range oe.AKAs {
		q := QualityGood
		if strings.EqualFold(strings.TrimSpace(a.Category), "weak") {
			q = QualityLow
		}
		e.Names = append(e.Names, Name{Full: joinName(a.FirstName, a.LastName), Quality: q, Script: "Latin"})
	}
	for _, p := range oe.Programs {
		e.Programs = appendValue(e.Programs, p)
	}
	for _, id := range oe.IDs {
		if strings.EqualFold(strings.TrimSpace(id.Type), "SWIFT/BIC") {
			e.BICs = appendBIC(e.BICs, id.Number)
		}
	}
	for _, a := range oe.Addresses {
		line := strings.Join(nonEmpty(a.Line1, a.Line2, a.Line3, a.City, a.State, a.Postal, a.Country), ", ")
		e.Addresses = appendValue(e.Addresses, line)
		e.Countries = appendValue(e.Countries, a.Country)
	}
	for _, n := range oe.Nationalities {
		e.Nationalities = appendValue(e.Nationalities, n.Country)
	}
	for _, n := range oe.Citizenships {
		e.Nationalities = appendValue(e.Nationalities, n.Country)
	}
	for _, d := range oe.Births {
		e.DatesOfBirth = appendValue(e.DatesOfBirth, d.Date)
	}
	applyRemarks(&e)
	return e
}

func ofacKind(t string) Kind {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "individual":
		return KindIndividual
	case "vessel":
		return KindVessel
	case "aircraft":
		return KindAircraft
	}
	return KindEntity
}

func joinName(first, last string) string {
	return strings.Join(nonEmpty(first, last), " ")
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// LoadOFACCSV reads OFAC's legacy CSV trio: sdn.csv (ent_num, SDN_Name,
// SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag,
// Vess_owner, Remarks), add.csv (ent_num, add_num, address, city,
// country, remarks) and alt.csv (ent_num, alt_num, alt_type, alt_name,
// remarks). The files have no header row and write "-0-" for empty. add and
// alt may be nil. The files carry no publish date, so Version is derived from
// Hash, which is the SHA-256 of the three files' SHA-256 sums in that order.
func LoadOFACCSV(sdn, add, alt []byte) (*List, error) {
	if err := checkSize("OFAC CSV sdn", sdn); err != nil {
		return nil, err
	}
	for _, f := range [][]byte{add, alt} {
		if len(f) > MaxListBytes {
			return nil, fmt.Errorf("screening: OFAC CSV file is %d bytes, more than MaxListBytes (%d)", len(f), MaxListBytes)
		}
	}
	b := newBuilder("OFAC CSV", "ofac", nil)
	b.list.Hash = trioHash(sdn, add, alt)
	b.list.Version = "sha256:" + b.list.Hash[:12]
	index := map[string]int{}
	err := readCSV("sdn.csv", sdn, 2, func(rec []string) error {
		if _, dup := index[rec[0]]; dup {
			return fmt.Errorf("duplicate ent_num %q", rec[0])
		}
		index[rec[0]] = len(b.list.Entries)
		return b.add(ofacCSVEntry(rec))
	})
	if err != nil {
		return nil, err
	}
	if err := readCSV("add.csv", add, 3, func(rec []string) error { return ofacCSVAddress(b.list, index, rec) }); err != nil {
		return nil, err
	}
	if err := readCSV("alt.csv", alt, 4, func(rec []string) error { return ofacCSVAlias(b.list, index, rec) }); err != nil {
		return nil, err
	}
	return b.done()
}

func trioHash(files ...[]byte) string {
	h := sha256.New()
	for _, f := range files {
		sum := sha256.Sum256(f)
		h.Write(sum[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// readCSV calls fn for every record of data that has at least minFields
// fields, with "-0-" cells made empty. A short record is an error.
func readCSV(file string, data []byte, minFields int, fn func([]string) error) error {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	for n := 1; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("screening: OFAC CSV %s: %w", file, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" || len(rec) == 1 && rec[0] == "\x1a" {
			continue // Blank line or the DOS end-of-file mark OFAC files sometimes carry.
		}
		if len(rec) < minFields {
			return fmt.Errorf("screening: OFAC CSV %s record %d has %d fields, want at least %d", file, n, len(rec), minFields)
		}
		for i, f := range rec {
			if f = strings.TrimSpace(f); f == "-0-" {
				f = ""
			}
			rec[i] = f
		}
		if err := fn(rec); err != nil {
			return fmt.Errorf("screening: OFAC CSV %s record %d: %w", file, n, err)
		}
	}
}

func field(rec []string, i int) string {
	if i < len(rec) {
		return rec[i]
	}
	return ""
}

func ofacCSVEntry(rec []string) Entry {
	e := Entry{ID: rec[0], Kind: ofacKind(field(rec, 2)), Remarks: field(rec, 11)}
	e.Names = []Name{{Full: rec[1], Quality: QualityPrimary, Script: "Latin"}}
	for _, p := range strings.Split(field(rec, 3), "] [") {
		e.Programs = appendValue(e.Programs, strings.Trim(p, "[] "))
	}
	if e.Kind == KindEntity && field(rec, 5) != "" {
		e.Kind = KindVessel // Only vessels have a call sign.
	}
	applyRemarks(&e)
	return e
}

func ofacCSVAddress(l *List, index map[string]int, rec []string) error {
	i, ok := index[rec[0]]
	if !ok {
		return nil // An address of an entry outside this sdn.csv: a slice of the full files.
	}
	e := &l.Entries[i]
	e.Addresses = appendValue(e.Addresses, strings.Join(nonEmpty(field(rec, 2), field(rec, 3), field(rec, 4)), ", "))
	e.Countries = appendValue(e.Countries, field(rec, 4))
	if len(e.Addresses) > MaxFieldValues {
		return fmt.Errorf("entry %q has more than MaxFieldValues (%d) addresses", e.ID, MaxFieldValues)
	}
	return nil
}

func ofacCSVAlias(l *List, index map[string]int, rec []string) error {
	i, ok := index[rec[0]]
	if !ok {
		return nil
	}
	e := &l.Entries[i]
	q := QualityGood
	if strings.Contains(strings.ToLower(field(rec, 4)), "weak") {
		q = QualityLow
	}
	e.Names = cleanNames(append(e.Names, Name{Full: rec[3], Quality: q, Script: "Latin"}))
	if len(e.Names) > MaxNamesPerEntry {
		return fmt.Errorf("entry %q has more than MaxNamesPerEntry (%d) names", e.ID, MaxNamesPerEntry)
	}
	return nil
}

// applyRemarks takes what OFAC writes only in the remarks: "DOB 28 Jul
// 1963; nationality Russia; citizen Russia; SWIFT/BIC ROSYRU2P; a.k.a. 'X'".
func applyRemarks(e *Entry) {
	for _, part := range strings.Split(strings.TrimSuffix(e.Remarks, "."), ";") {
		part = strings.TrimSpace(part)
		part = strings.TrimPrefix(part, "alt. ")
		key, value, _ := strings.Cut(part, " ")
		switch {
		case key == "DOB":
			e.DatesOfBirth = appendValue(e.DatesOfBirth, value)
		case key == "nationality" || key == "citizen":
			e.Nationalities = appendValue(e.Nationalities, value)
		case strings.HasPrefix(part, "SWIFT/BIC "):
			e.BICs = appendBIC(e.BICs, strings.TrimPrefix(part, "SWIFT/BIC "))
		case strings.HasPrefix(part, "a.k.a. '") || strings.HasPrefix(part, "f.k.a. '"):
			e.Names = append(e.Names, Name{Full: strings.Trim(part[7:], "' "), Quality: QualityGood, Script: "Latin"})
		}
	}
	e.Names = cleanNames(e.Names) // b.add refuses more than MaxNamesPerEntry.
}
