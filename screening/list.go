package screening

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/corridor-network/corridor"
)

// Bounds on what a loader accepts. A file past a bound is refused with an
// error naming the bound; nothing is silently truncated.
const (
	MaxListBytes     = 128 << 20 // One list file; the full OFAC SDN XML is about 15 MiB.
	MaxEntries       = 100_000   // Entries per list; OFAC SDN has about 12,000, the UN list about 1,000.
	MaxNamesPerEntry = 256       // Primary name plus aliases plus original-script names.
	MaxNameRunes     = 512       // One name; longer names are refused.
	MaxFieldValues   = 64        // Countries, dates of birth, addresses, BICs or programs per entry.
)

// Kind is what a list entry designates.
type Kind string

// The kinds of entry the loaders produce.
const (
	KindIndividual Kind = "individual"
	KindEntity     Kind = "entity"
	KindVessel     Kind = "vessel"
	KindAircraft   Kind = "aircraft"
)

// Quality is how reliable a list says an alias is.
type Quality string

// Alias qualities. UN "Low" and OFAC "weak" aliases are QualityLow; they are
// screened, with LowQualityPenalty taken off their score.
const (
	QualityPrimary Quality = "primary"
	QualityGood    Quality = "good"
	QualityLow     Quality = "low"
)

// Name is one name of an entry as the list gives it.
type Name struct {
	Full    string  // As listed, e.g. "SHCHERBAKOV, Igor" or "ООО Ромашка".
	Quality Quality // QualityPrimary for the entry's main name.
	Script  string  // The script the name is written in: Latin, Cyrillic, Devanagari, Arabic or Other.
}

// Entry is one designated person, organisation, vessel or aircraft.
type Entry struct {
	ID            string // The list's own id: UN reference number ("QDi.001"), OFAC ent_num/uid.
	Kind          Kind
	Names         []Name // Names[0] is the primary name.
	Countries     []string
	Nationalities []string
	DatesOfBirth  []string // As listed: "1937-04-28", "1971", "28 Jul 1963", "circa 1960".
	Addresses     []string
	BICs          []corridor.BIC // SWIFT/BIC codes named by the list, in 11-character form.
	Programs      []string
	Remarks       string
}

// List is one loaded sanctions list.
type List struct {
	Name    string // Who publishes it, or the operator's name for it ("un", "ofac").
	Version string // The list's own version: UN dateGenerated, OFAC Publish_Date; else "sha256:" and the first 12 hex digits of Hash.
	Hash    string // Hex SHA-256 of the file bytes as loaded (see LoadOFACCSV for three files).
	Entries []Entry
}

// ListInfo identifies a list version: what the hub journals with every result.
type ListInfo struct {
	Name    string
	Version string
	Hash    string
	Entries int
}

// Info is l's identity and size.
func (l *List) Info() ListInfo {
	return ListInfo{Name: l.Name, Version: l.Version, Hash: l.Hash, Entries: len(l.Entries)}
}

func hashBytes(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func checkSize(format string, data []byte) error {
	if len(data) > MaxListBytes {
		return fmt.Errorf("screening: %s list is %d bytes, more than MaxListBytes (%d)", format, len(data), MaxListBytes)
	}
	if len(data) == 0 {
		return fmt.Errorf("screening: %s list is empty", format)
	}
	return nil
}

// builder collects entries within the bounds.
type builder struct {
	format string
	list   *List
	ids    map[string]bool
}

func newBuilder(format, name string, data []byte) *builder {
	h := hashBytes(data)
	return &builder{format: format, list: &List{Name: name, Hash: h, Version: "sha256:" + h[:12]}, ids: map[string]bool{}}
}

// add appends e after cleaning it, or reports the bound it breaks.
func (b *builder) add(e Entry) error {
	if len(b.list.Entries) >= MaxEntries {
		return fmt.Errorf("screening: %s list has more than MaxEntries (%d) entries", b.format, MaxEntries)
	}
	if b.ids[e.ID] {
		return fmt.Errorf("screening: %s list has two entries with id %q", b.format, e.ID)
	}
	b.ids[e.ID] = true
	e.Names = cleanNames(e.Names)
	if len(e.Names) == 0 {
		return fmt.Errorf("screening: %s entry %q has no name", b.format, e.ID)
	}
	if len(e.Names) > MaxNamesPerEntry {
		return fmt.Errorf("screening: %s entry %q has %d names, more than MaxNamesPerEntry (%d)", b.format, e.ID, len(e.Names), MaxNamesPerEntry)
	}
	for _, n := range e.Names {
		if len([]rune(n.Full)) > MaxNameRunes {
			return fmt.Errorf("screening: %s entry %q has a name longer than MaxNameRunes (%d)", b.format, e.ID, MaxNameRunes)
		}
	}
	for _, vs := range [][]string{e.Countries, e.Nationalities, e.DatesOfBirth, e.Addresses, e.Programs} {
		if len(vs) > MaxFieldValues {
			return fmt.Errorf("screening: %s entry %q has more than MaxFieldValues (%d) values in a field", b.format, e.ID, MaxFieldValues)
		}
	}
	if len(e.BICs) > MaxFieldValues {
		return fmt.Errorf("screening: %s entry %q has more than MaxFieldValues (%d) BICs", b.format, e.ID, MaxFieldValues)
	}
	b.list.Entries = append(b.list.Entries, e)
	return nil
}

func (b *builder) done() (*List, error) {
	if len(b.list.Entries) == 0 {
		return nil, fmt.Errorf("screening: %s list has no entries", b.format)
	}
	return b.list, nil
}

// cleanNames trims names, drops empty ones and exact duplicates, keeping order.
func cleanNames(names []Name) []Name {
	out := names[:0:0]
	seen := map[string]bool{}
	for _, n := range names {
		n.Full = strings.Join(strings.Fields(n.Full), " ")
		if n.Full == "" || seen[n.Full] {
			continue
		}
		seen[n.Full] = true
		n.Script = scriptOf(n.Full)
		out = append(out, n)
	}
	return out
}

// appendValue appends the trimmed v to vs unless it is empty or already there.
func appendValue(vs []string, v string) []string {
	v = strings.Join(strings.Fields(v), " ")
	if v == "" {
		return vs
	}
	for _, x := range vs {
		if x == v {
			return vs
		}
	}
	return append(vs, v)
}

// appendBIC appends s as a BIC when it is a well-formed one.
func appendBIC(bics []corridor.BIC, s string) []corridor.BIC {
	b, err := corridor.ParseBIC(strings.ToUpper(strings.TrimSpace(s)))
	if err != nil {
		return bics
	}
	for _, x := range bics {
		if x == b {
			return bics
		}
	}
	return append(bics, b)
}
