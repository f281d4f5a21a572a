package iso20022_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor/iso20022"
)

// fuzzMessage seeds f with the samples of message definition id (and a
// pacs.008, to start from something else too) and checks that Decode never
// panics, refuses with an *InvalidError, and that decode, encode, decode
// gives back the same message.
func fuzzMessage(f *testing.F, id string) {
	seeded := 0
	for _, data := range append(mapValues(MustSamples(f)), []byte(admi002)) {
		if strings.Contains(string(data), "xsd:"+id) {
			f.Add(data)
			seeded++
		}
	}
	if seeded == 0 {
		f.Fatalf("no sample of %s", id)
	}
	f.Add(MustReadFile(f, filepath.Join("cbprplus-translation", "mt103_pacs_008_A_B.xml")))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzInputBytes {
			return
		}
		m, err := iso20022.Decode(data)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		out, err := iso20022.Encode(*m)
		if err != nil {
			t.Fatalf("Encode(Decode(input)) = %v", err)
		}
		again, err := iso20022.Decode(out)
		if err != nil {
			t.Fatalf("Decode(Encode(Decode(input))) = %v\n%s", err, out)
		}
		if diff := cmp.Diff(m, again); diff != "" {
			t.Fatalf("decode, encode, decode changed the message (-first +second):\n%s", diff)
		}
	})
}

func FuzzDecodeHead001(f *testing.F) { fuzzMessage(f, "head.001.001.02") }
func FuzzDecodePacs008(f *testing.F) { fuzzMessage(f, "pacs.008.001.08") }
func FuzzDecodePacs009(f *testing.F) { fuzzMessage(f, "pacs.009.001.08") }
func FuzzDecodePacs002(f *testing.F) { fuzzMessage(f, "pacs.002.001.10") }
func FuzzDecodePacs004(f *testing.F) { fuzzMessage(f, "pacs.004.001.09") }
func FuzzDecodeCamt056(f *testing.F) { fuzzMessage(f, "camt.056.001.08") }
func FuzzDecodeCamt029(f *testing.F) { fuzzMessage(f, "camt.029.001.09") }
func FuzzDecodeCamt052(f *testing.F) { fuzzMessage(f, "camt.052.001.08") }
func FuzzDecodeCamt053(f *testing.F) { fuzzMessage(f, "camt.053.001.08") }
func FuzzDecodeCamt054(f *testing.F) { fuzzMessage(f, "camt.054.001.08") }
func FuzzDecodeAdmi002(f *testing.F) { fuzzMessage(f, "admi.002.001.01") }

// admi002 is a message reject as the hub writes one, the seed of FuzzDecodeAdmi002.
const admi002 = `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="urn:swift:xsd:envelope"><AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><Fr><FIId><FinInstnId><BICFI>HUBXINBBXXX</BICFI></FinInstnId></FIId></Fr><To><FIId><FinInstnId><BICFI>DEMOINBBXXX</BICFI></FinInstnId></FIId></To><BizMsgIdr>REJ-1</BizMsgIdr><MsgDefIdr>admi.002.001.01</MsgDefIdr><BizSvc>swift.cbprplus.03</BizSvc><CreDt>2026-03-02T10:30:00+05:30</CreDt></AppHdr><Document xmlns="urn:iso:std:iso:20022:tech:xsd:admi.002.001.01"><admi.002.001.01><RltdRef><Ref>MSG-0001</Ref></RltdRef><Rsn><RjctgPtyRsn>FF01</RjctgPtyRsn><RjctnDtTm>2026-03-02T10:30:00+05:30</RjctnDtTm><ErrLctn>Document/FIToFICstmrCdtTrf/GrpHdr/MsgId</ErrLctn><RsnDesc>required</RsnDesc></Rsn></admi.002.001.01></Document></Envelope>
`

func mapValues(m map[string][]byte) [][]byte {
	var vs [][]byte
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}

// TestEncode_Admi002 checks the seed is valid, and that Decode and Encode
// keep it.
func TestEncode_Admi002(t *testing.T) {
	m, err := iso20022.Decode([]byte(admi002))
	if err != nil {
		t.Fatalf("Decode(admi002) = %v", err)
	}
	if _, err := iso20022.Encode(*m); err != nil {
		t.Fatalf("Encode(Decode(admi002)) = %v", err)
	}
}
