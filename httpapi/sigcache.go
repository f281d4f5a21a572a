package httpapi

import (
	"hash/maphash"
	"sync"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// sigCacheSlots is how many signatures of one participant's inbox the API
// keeps: a few reads' worth, so that a reader that reads again (after a
// reconnect, or with several pollers) is served the signatures it was
// served before without the hub's key signing again.
const sigCacheSlots = 4 * hub.MaxInboxRead

// sigCache keeps the signature of each delivered inbox message, so that the
// hub's key signs a message once however often it is read. Each participant
// has a ring of sigCacheSlots slots indexed by inbox seq: consecutive seqs
// never share a slot, a seq far behind is overwritten, and memory is bounded
// by the participants the hub has. ES256 signatures here are deterministic
// (RFC 6979), so a miss signs again and gets the same bytes.
type sigCache struct {
	sign func(payload []byte) (string, error) // The hub's key.
	seed maphash.Seed

	mu    sync.Mutex // guards rings
	rings map[corridor.BIC]*[sigCacheSlots]sigSlot
}

type sigSlot struct {
	seq  uint64 // 0 for an empty slot: inbox seqs start at 1.
	body uint64 // maphash of the body signed, so that a slot never serves another body.
	sig  string
}

func newSigCache(sign func([]byte) (string, error)) *sigCache {
	return &sigCache{sign: sign, seed: maphash.MakeSeed(), rings: make(map[corridor.BIC]*[sigCacheSlots]sigSlot)}
}

// signature returns the detached JWS of m in bic's inbox, signing it only
// when it is not kept. The signing happens outside the lock.
func (c *sigCache) signature(bic corridor.BIC, m hub.InboxMessage) (string, error) {
	h := maphash.Bytes(c.seed, m.Body)
	if sig, ok := c.lookup(bic, m.Seq, h); ok {
		return sig, nil
	}
	sig, err := c.sign(m.Body)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	ring := c.rings[bic]
	if ring == nil {
		ring = new([sigCacheSlots]sigSlot)
		c.rings[bic] = ring
	}
	ring[m.Seq%sigCacheSlots] = sigSlot{seq: m.Seq, body: h, sig: sig}
	c.mu.Unlock()
	return sig, nil
}

func (c *sigCache) lookup(bic corridor.BIC, seq, body uint64) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ring := c.rings[bic]
	if ring == nil {
		return "", false
	}
	s := ring[seq%sigCacheSlots]
	if s.seq != seq || s.body != body {
		return "", false
	}
	return s.sig, true
}

// forget drops the signatures of bic's messages up to and including
// through: they were acknowledged and are not delivered again.
func (c *sigCache) forget(bic corridor.BIC, through uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ring := c.rings[bic]
	if ring == nil {
		return
	}
	for i := range ring {
		if ring[i].seq <= through {
			ring[i] = sigSlot{}
		}
	}
}
