package iso20022

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/corridor-network/corridor"
)

// MaxProblems bounds the problems one message reports; past it the rest are
// summarised in one last problem.
const MaxProblems = 50

// Problem is one rule a message breaks.
type Problem struct {
	Path   string              // Where, e.g. "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/UETR".
	Rule   string              // What is wrong, for a person: "required", "UETR ... is not a lower-case UUIDv4".
	Reason corridor.ReasonCode // The ISO 20022 reason a reject carries: FF01, CH20, AM03, RC01, DT01, ...
	Layer  Layer               // Which rules: the XML and the XSD, or the CBPR+ usage rules.
}

// Layer names the set of rules a problem breaks.
type Layer string

// The two layers of validation. A message valid in LayerSchema is what
// xmllint accepts against the official XSD; LayerUsage adds the rules of
// cross-border payments (CBPR+) and of the hub.
const (
	LayerSchema Layer = "schema" // Well-formedness, bounds, version and the XSD.
	LayerUsage  Layer = "usage"  // CBPR+ usage rules and what the hub needs.
)

// String is "REASON path: rule".
func (p Problem) String() string {
	if p.Path == "" {
		return string(p.Reason) + " " + p.Rule
	}
	return string(p.Reason) + " " + p.Path + ": " + p.Rule
}

// InvalidError reports every problem found in a message. It unwraps to a
// *corridor.RejectError carrying the first problem's reason, so that
// corridor.ReasonOf works on it.
type InvalidError struct {
	Problems []Problem // At least one, at most MaxProblems+1, in document order.
}

// Error lists every problem.
func (e *InvalidError) Error() string {
	var b strings.Builder
	if len(e.Problems) == 1 {
		b.WriteString("iso20022: invalid message (1 problem)")
	} else {
		fmt.Fprintf(&b, "iso20022: invalid message (%d problems)", len(e.Problems))
	}
	for _, p := range e.Problems {
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns a *corridor.RejectError with the first problem's reason and a
// detail naming its path, cut to the 105 characters AddtlInf allows.
func (e *InvalidError) Unwrap() error {
	if len(e.Problems) == 0 {
		return nil
	}
	p := e.Problems[0]
	detail := p.Rule
	if p.Path != "" {
		detail = p.Path + ": " + p.Rule
	}
	return corridor.Reject(p.Reason, truncate(detail, MaxAdditionalInfoChars))
}

// truncate cuts s to at most n characters, marking the cut with "...".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-3]) + "..."
}

// problems collects what a decoder finds, in order, up to MaxProblems.
// Problems of layer usage are the decoders' own checks, which overlap the
// schema's: one at a path where, or under where, a problem is already
// recorded says nothing new and is dropped.
type problems struct {
	list  []Problem
	layer Layer // Of the problems add records; LayerSchema when "".
}

// add records a problem of the current layer.
func (ps *problems) add(path, rule string, reason corridor.ReasonCode) {
	ps.addLayer(path, ps.layer, rule, reason)
}

func (ps *problems) addLayer(path string, layer Layer, rule string, reason corridor.ReasonCode) {
	if layer == "" {
		layer = LayerSchema
	}
	if layer == LayerUsage && ps.covered(path) {
		return
	}
	switch {
	case len(ps.list) < MaxProblems:
		ps.list = append(ps.list, Problem{Path: path, Rule: rule, Reason: reason, Layer: layer})
	case len(ps.list) == MaxProblems:
		ps.list = append(ps.list, Problem{Rule: "more problems not listed", Reason: corridor.ReasonInvalidFormat, Layer: layer})
	}
}

// covered reports whether a problem is recorded at path or above it.
func (ps *problems) covered(path string) bool {
	for _, p := range ps.list {
		if p.Path == path || (strings.HasPrefix(path, p.Path) && path[len(p.Path)] == '/') {
			return true
		}
	}
	return false
}

// reject records err, which a root parser returned, at path in the current
// layer: its reason and detail become the problem's.
func (ps *problems) reject(path string, err error) {
	ps.rejectLayer(path, ps.layer, err)
}

func (ps *problems) rejectLayer(path string, layer Layer, err error) {
	reason, ok := corridor.ReasonOf(err)
	if !ok {
		reason = corridor.ReasonInvalidFormat
	}
	rule := err.Error()
	var re *corridor.RejectError
	if errors.As(err, &re) {
		rule = re.Detail
	}
	ps.addLayer(path, layer, rule, reason)
}

// err returns the problems as an *InvalidError, or nil when there are none.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &InvalidError{Problems: ps.list}
}
