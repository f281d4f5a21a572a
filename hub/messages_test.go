package hub_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// TestMessagesISO (issue 10, item 5): on a new journal every message the hub
// writes names BizSvc in its AppHdr, every pacs.002 names the hub as its
// instructing agent and the recipient as its instructed agent, and each
// passes the official XSD. Before, the pacs.002 named the payment's agents
// and camt.029, camt.052, camt.053 and camt.054 had no BizSvc.
func TestMessagesISO(t *testing.T) {
	h, _, _ := mustHubWith(t, t.TempDir(), currentConfig)
	driveEveryCommand(t, h)
	kinds := map[string]int{}
	for _, bic := range []corridor.BIC{bankIN, bankRU, "DEMOAEADXXX"} {
		msgs, err := h.Inbox(context.Background(), bic, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			hdr, _, err := iso20022.SplitEnvelope(m.Body)
			hdr = bytes.Join(bytes.Fields(hdr), nil) // Without the indentation.
			if err != nil || !bytes.Contains(hdr, []byte("<BICFI>"+hubBIC+"</BICFI></FinInstnId></FIId></Fr>")) {
				continue // Forwarded as received, not written by the hub.
			}
			kinds[m.MsgDefID]++
			if !bytes.Contains(hdr, []byte("<BizSvc>"+iso20022.BizSvcCBPRPlus+"</BizSvc>")) {
				t.Errorf("%s #%d to %s has no BizSvc:\n%s", m.MsgDefID, m.Seq, bic, hdr)
			}
			if m.MsgDefID == iso20022.MsgDefStatusReport {
				sr, err := iso20022.DecodeStatusReport(m.Body)
				if err != nil || sr.InstructingAgent != hubBIC || sr.InstructedAgent != bic {
					t.Errorf("pacs.002 #%d to %s: InstgAgt %s, InstdAgt %s, %v; want %s and %s", m.Seq, bic, sr.InstructingAgent, sr.InstructedAgent, err, hubBIC, bic)
				}
			}
			if kinds[m.MsgDefID] == 1 {
				mustPassXMLLint(t, m.MsgDefID, m.Body)
			}
		}
	}
	for _, def := range []string{iso20022.MsgDefStatusReport, "camt.029.001.09"} {
		if kinds[def] == 0 {
			t.Errorf("the hub wrote no %s: %v", def, kinds)
		}
	}
	t.Logf("messages the hub wrote: %v", kinds)
}
