package iso20022

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
)

// TestElemPath checks the path an elem keeps in steps against the path as
// it was kept before, joined at each step, to depths past maxPathSteps.
func TestElemPath(t *testing.T) {
	for _, root := range []string{"AppHdr", "Document", "Document/FIToFICstmrCdtTrf", ""} {
		p, want := pathOf(root), root
		for depth := 1; depth <= 3*maxPathSteps; depth++ {
			local := strings.Repeat("E", depth%3) + "x"
			p, want = p.child(local), want+"/"+local
			if got := p.String(); got != want {
				t.Fatalf("path of %q after %d steps = %q; want %q", root, depth, got, want)
			}
		}
	}
}

// storeSeeds are messages of each kind the decoders that lend a nodeStore
// read, the fuzz seeds and what FuzzNodeStore overwrites a store with.
var storeSeeds = []string{
	"testdata/cbprplus-translation/mt103_pacs_008_C_D.xml",
	"testdata/cbprplus-translation/mt103_pacs_008_A_B.xml",
	"testdata/cbprplus-translation/mt299_pacs_002_B_E.xml",
	"testdata/pacs002_acsc.xml",
	"testdata/pacs002_rjct_am04.xml",
	"testdata/pacs004.xml",
	"testdata/camt056.xml",
	"testdata/camt029_rjcr.xml",
	"testdata/pacs009.xml",
}

// storeOutcome is what the decoders that lend a store return for one input.
type storeOutcome struct {
	Submission    *Submission
	SubmissionErr string // The error's type and text: errors differ in kind, not only in text.
	Transfer      *CustomerCreditTransfer
	TransferErr   string
	StatusReport  *StatusReport
	StatusErr     string
	Problems      []Problem
}

// decodeAll runs the decoders that lend a store on data, parsing into st
// and resetting it after each, as release does (nil: a tree of their own,
// as before stores).
func decodeAll(data []byte, sender corridor.BIC, st *nodeStore) storeOutcome {
	var o storeOutcome
	var err error
	o.Submission, err = decodeSubmission(data, sender, "CRDRINBBXXX", st)
	o.SubmissionErr = outcomeOf(err)
	resetStore(st)
	o.Transfer, err = decodeCustomerCreditTransfer(openEnvelope(data, MsgDefCustomerCreditTransfer, st))
	o.TransferErr = outcomeOf(err)
	resetStore(st)
	o.StatusReport, err = decodeStatusReport(data, st)
	o.StatusErr = outcomeOf(err)
	resetStore(st)
	o.Problems = check(data, st).ps.list
	resetStore(st)
	return o
}

// resetStore resets st unless it is nil.
func resetStore(st *nodeStore) {
	if st != nil {
		st.reset()
	}
}

// outcomeOf is err's type and text, "" for nil.
func outcomeOf(err error) string {
	if err == nil {
		return ""
	}
	return fmt.Sprintf("%T: %v", err, err)
}

// FuzzNodeStore checks that decoding into a lent store, one that held
// another message's tree before, gives what decoding into a tree of its own
// gives, and that nothing decoded points into the store: the store is
// overwritten by other messages before the outcomes are compared.
func FuzzNodeStore(f *testing.F) {
	var seeds [][]byte
	for _, name := range storeSeeds {
		data, err := os.ReadFile(filepath.FromSlash(name))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, data)
		f.Add(data)
	}
	st := new(nodeStore)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		sender := fuzzSender(data)
		want := decodeAll(data, sender, nil)
		got := decodeAll(data, sender, st)
		for _, s := range [][]byte{seeds[0], seeds[3]} { // Reuse st as the next decodes would: a large pacs.008, a pacs.002.
			decodeAll(s, fuzzSender(s), st)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("decoding into a lent store changed the outcome (-own tree +store):\n%s", diff)
		}
	})
}

var bicfi = regexp.MustCompile(`<(?:[A-Za-z0-9]+:)?BICFI>([A-Z0-9]{8,11})<`)

// fuzzSender is the first BICFI of data, the AppHdr's Fr in a message a bank
// writes.
func fuzzSender(data []byte) corridor.BIC {
	if m := bicfi.FindSubmatch(data); m != nil {
		if b, err := corridor.ParseBIC(string(m[1])); err == nil {
			return b
		}
	}
	return "DEMOINBBXXX"
}
