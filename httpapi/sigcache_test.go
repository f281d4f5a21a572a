package httpapi

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/pki"
)

// countingSigner signs with a counter, so that a test sees each call.
type countingSigner struct{ calls int }

func (c *countingSigner) sign(body []byte) (string, error) {
	c.calls++
	return fmt.Sprintf("sig%d:%s", c.calls, body), nil
}

func TestSigCache(t *testing.T) {
	msg := func(seq uint64, body string) hub.InboxMessage { return hub.InboxMessage{Seq: seq, Body: []byte(body)} }
	t.Run("SignedOnce", func(t *testing.T) {
		var s countingSigner
		c := newSigCache(s.sign)
		first, _ := c.signature("BANKDEFFXXX", msg(1, "a"))
		second, _ := c.signature("BANKDEFFXXX", msg(1, "a"))
		if first != second || s.calls != 1 {
			t.Errorf("two reads: signatures %q, %q, %d signer calls; want the same signature, 1 call", first, second, s.calls)
		}
	})
	t.Run("PerParticipant", func(t *testing.T) {
		var s countingSigner
		c := newSigCache(s.sign)
		_, _ = c.signature("BANKDEFFXXX", msg(1, "a"))
		_, _ = c.signature("BANKGB2LXXX", msg(1, "b"))
		if s.calls != 2 {
			t.Errorf("seq 1 of two inboxes: %d signer calls; want 2", s.calls)
		}
	})
	t.Run("OtherBody", func(t *testing.T) {
		var s countingSigner
		c := newSigCache(s.sign)
		_, _ = c.signature("BANKDEFFXXX", msg(1, "a"))
		if sig, _ := c.signature("BANKDEFFXXX", msg(1, "b")); sig != "sig2:b" {
			t.Errorf("seq 1 with another body: signature %q; want it signed anew, sig2:b", sig)
		}
	})
	t.Run("Bounded", func(t *testing.T) {
		var s countingSigner
		c := newSigCache(s.sign)
		for seq := uint64(1); seq <= sigCacheSlots+1; seq++ {
			_, _ = c.signature("BANKDEFFXXX", msg(seq, "a"))
		}
		_, _ = c.signature("BANKDEFFXXX", msg(2, "a"))
		_, _ = c.signature("BANKDEFFXXX", msg(1, "a"))
		if want := sigCacheSlots + 2; s.calls != want {
			t.Errorf("%d seqs, then 2 and 1 again: %d signer calls; want %d (only seq 1 overwritten)", sigCacheSlots+1, s.calls, want)
		}
	})
	t.Run("ForgetOnAck", func(t *testing.T) {
		var s countingSigner
		c := newSigCache(s.sign)
		_, _ = c.signature("BANKDEFFXXX", msg(1, "a"))
		_, _ = c.signature("BANKDEFFXXX", msg(2, "b"))
		c.forget("BANKDEFFXXX", 1)
		_, _ = c.signature("BANKDEFFXXX", msg(2, "b"))
		if s.calls != 2 {
			t.Errorf("after ack through 1, seq 2 again: %d signer calls; want 2", s.calls)
		}
		ring := c.rings["BANKDEFFXXX"]
		if ring[1].seq != 0 {
			t.Errorf("after ack through 1, slot of seq 1 holds seq %d; want empty", ring[1].seq)
		}
	})
}

// BenchmarkInboxSignature is the cost of a delivered message's signature at
// a read: signed with the hub's key (First) and served again (Again).
func BenchmarkInboxSignature(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "ca")
	if err := pki.InitCA(dir, time.Now(), nil); err != nil {
		b.Fatalf("InitCA: %v", err)
	}
	signer, err := pki.LoadHubSigner(dir)
	if err != nil {
		b.Fatalf("LoadHubSigner: %v", err)
	}
	m := hub.InboxMessage{Seq: 1, Body: bytes.Repeat([]byte("<Document/>"), 400)} // About a pacs.008's 4 KB.
	b.Run("First", func(b *testing.B) {
		for b.Loop() {
			c := newSigCache(signer.SignDetached)
			_, _ = c.signature("BANKDEFFXXX", m)
		}
	})
	b.Run("Again", func(b *testing.B) {
		c := newSigCache(signer.SignDetached)
		_, _ = c.signature("BANKDEFFXXX", m)
		for b.Loop() {
			_, _ = c.signature("BANKDEFFXXX", m)
		}
	})
}
