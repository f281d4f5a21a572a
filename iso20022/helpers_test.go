package iso20022_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// fixedTime is the clock of every fixture: 10:30 in India.
var fixedTime = time.Date(2026, 3, 2, 10, 30, 0, 0, time.FixedZone("IST", 5*3600+1800))

// validHeader and validPayment make a rupee payment from an Indian bank to a
// Russian one that every rule accepts.
func validHeader() iso20022.AppHdr {
	return iso20022.AppHdr{
		From:     "DEMOINBBXXX",
		To:       "DEMORUMMXXX",
		BizMsgID: "MSG-0001",
		MsgDefID: iso20022.MsgDefCustomerCreditTransfer,
		BizSvc:   iso20022.BizSvcCBPRPlus,
		Created:  fixedTime,
	}
}

func validPayment() corridor.Payment {
	return corridor.Payment{
		MsgID:            "MSG-0001",
		UETR:             "3f1c7a52-9b4e-4c1d-8a2f-6d5e4b3c2a10",
		EndToEndID:       "E2E-OIL-CARGO-17",
		InstructingAgent: "DEMOINBBXXX",
		InstructedAgent:  "DEMORUMMXXX",
		DebtorAgent:      "DEMOINBBXXX",
		CreditorAgent:    "DEMORUMMXXX",
		Amount:           1_250_000_050,
		Currency:         "INR",
		SettlementDate:   corridor.Date{Year: 2026, Month: time.March, Day: 2},
		DebtorName:       "Bharat Petroleum Trading",
		CreditorName:     "ООО Нефтеэкспорт",
	}
}

// MustEncodeValid is the XML of the valid fixture.
func MustEncodeValid(tb testing.TB) string {
	tb.Helper()
	data, err := iso20022.EncodeCustomerCreditTransfer(validHeader(), validPayment(), "INSTR-1")
	if err != nil {
		tb.Fatalf("EncodeCustomerCreditTransfer(valid) = %v", err)
	}
	return string(data)
}

// MustReadFile returns the content of a file under testdata.
func MustReadFile(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// MustMatchGolden fails unless got is the golden file testdata/file,
// which -update rewrites with got first.
func MustMatchGolden(tb testing.TB, file string, got []byte) {
	tb.Helper()
	if *update {
		if err := os.WriteFile("testdata/"+file, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	if want := MustReadFile(tb, file); !bytes.Equal(got, want) {
		tb.Errorf("%s differs from what was written (run go test ./iso20022 -update and review the diff):\n%s", file, got)
	}
}

// MustReplace replaces old, which must be in s, with new once.
func MustReplace(tb testing.TB, s, old, new string) string {
	tb.Helper()
	if !strings.Contains(s, old) {
		tb.Fatalf("fixture does not contain %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

// problemsOf returns the problems of err, failing unless it is an *InvalidError.
func problemsOf(tb testing.TB, err error) []iso20022.Problem {
	tb.Helper()
	var ie *iso20022.InvalidError
	if !errors.As(err, &ie) {
		tb.Fatalf("error %v (%T) is not an *InvalidError", err, err)
	}
	if len(ie.Problems) == 0 {
		tb.Fatal("*InvalidError without problems")
	}
	return ie.Problems
}

// cctSamples and statusSamples are the real CBPR+ messages under testdata.
var (
	cctSamples = []string{
		"cbprplus-translation/mt103_pacs_008_C_D.xml",
		"cbprplus-translation/mt103_pacs_008_A_B.xml",
		"cbprplus-translation/mt103_pacs_008_A_D.xml",
	}
	statusSamples = []string{
		"cbprplus-translation/mt299_pacs_002_D_C.xml",
		"cbprplus-translation/mt299_pacs_002_B_E.xml",
	}
)
