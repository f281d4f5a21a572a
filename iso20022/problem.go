package iso20022

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"corridor"
)

// MaxProblems bounds the problems one message reports; past it the rest are
// summarised in one last problem.
const MaxProblems = 50

// Problem is one rule a message breaks.
type Problem struct {
	Path   string              // Where, e.g. "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/UETR".
	Rule   string              // What is wrong, for a person: "required", "UETR ... is not a lower-case UUIDv4".
	Reason corridor.ReasonCode // The ISO 20022 reason a reject carries: FF01, CH20, AM03, RC01, DT01, ...
}

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
type problems struct {
	list []Problem
}

func (ps *problems) add(path, rule string, reason corridor.ReasonCode) {
	switch {
	case len(ps.list) < MaxProblems:
		ps.list = append(ps.list, Problem{Path: path, Rule: rule, Reason: reason})
	case len(ps.list) == MaxProblems:
		ps.list = append(ps.list, Problem{Rule: "more problems not listed", Reason: corridor.ReasonInvalidFormat})
	}
}

// reject records err, which a root parser returned, at path: its reason and
// detail become the problem's.
func (ps *problems) reject(path string, err error) {
	reason, ok := corridor.ReasonOf(err)
	if !ok {
		reason = corridor.ReasonInvalidFormat
	}
	rule := err.Error()
	var re *corridor.RejectError
	if errors.As(err, &re) {
		rule = re.Detail
	}
	ps.add(path, rule, reason)
}

// err returns the problems as an *InvalidError, or nil when there are none.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &InvalidError{Problems: ps.list}
}
