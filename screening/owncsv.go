package screening

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ownColumns maps the header names LoadCSV understands to the field they
// fill. The alternative spellings are those of the US Consolidated Screening
// List CSV, so that it loads as an operator's list too.
var ownColumns = map[string]string{
	"id": "id", "_id": "id", "entity_number": "id",
	"kind": "kind", "type": "kind",
	"name":    "name",
	"aliases": "aliases", "alt_names": "aliases",
	"country": "country", "countries": "country",
	"nationality": "nationality", "nationalities": "nationality", "citizenships": "nationality",
	"dob": "dob", "dates_of_birth": "dob",
	"bic":     "bic",
	"program": "program", "programs": "program",
	"address": "address", "addresses": "address",
	"remarks": "remarks",
}

// LoadCSV reads an operator's own list: a CSV file whose first row is a
// header naming its columns, in any order:
//
//	id,kind,name,aliases,country,nationality,dob,bic,program,address,remarks
//
// Only name is required; a missing id becomes the row number. kind is
// individual, entity, vessel or aircraft (default entity). Cells holding
// several values (aliases, countries, dates of birth, BICs, programs,
// addresses) separate them with ";". Unknown columns are ignored. The US
// Consolidated Screening List CSV loads as is (_id, type, alt_names,
// citizenships, dates_of_birth...). Version is derived from Hash.
func LoadCSV(name string, data []byte) (*List, error) {
	if err := checkSize("CSV", data); err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("screening: CSV list %s header: %w", name, err)
	}
	cols, err := ownHeader(header)
	if err != nil {
		return nil, fmt.Errorf("screening: CSV list %s: %w", name, err)
	}
	b := newBuilder("CSV", name, data)
	for row := 2; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return b.done()
		}
		if err != nil {
			return nil, fmt.Errorf("screening: CSV list %s: %w", name, err)
		}
		if err := b.add(ownEntry(cols, rec, row)); err != nil {
			return nil, fmt.Errorf("%w (row %d)", err, row)
		}
	}
}

func ownHeader(header []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if f, ok := ownColumns[h]; ok {
			if _, dup := cols[f]; !dup {
				cols[f] = i
			}
		}
	}
	if _, ok := cols["name"]; !ok {
		return nil, errors.New(`header has no "name" column (want id,kind,name,aliases,country,nationality,dob,bic,program,address,remarks)`)
	}
	return cols, nil
}

func ownEntry(cols map[string]int, rec []string, row int) Entry {
	get := func(f string) string {
		if i, ok := cols[f]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	many := func(f string) []string {
		var vs []string
		for _, v := range strings.Split(get(f), ";") {
			vs = appendValue(vs, v)
		}
		return vs
	}
	e := Entry{ID: get("id"), Kind: ownKind(get("kind")), Remarks: get("remarks")}
	if e.ID == "" {
		e.ID = fmt.Sprintf("row-%d", row)
	}
	e.Names = []Name{{Full: get("name"), Quality: QualityPrimary, Script: "Latin"}}
	for _, a := range many("aliases") {
		e.Names = append(e.Names, Name{Full: a, Quality: QualityGood, Script: "Latin"})
	}
	e.Countries, e.Nationalities, e.DatesOfBirth = many("country"), many("nationality"), many("dob")
	e.Programs, e.Addresses = many("program"), many("address")
	for _, s := range many("bic") {
		e.BICs = appendBIC(e.BICs, s)
	}
	return e
}

func ownKind(s string) Kind {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case KindIndividual, KindVessel, KindAircraft:
		return k
	}
	return KindEntity
}
