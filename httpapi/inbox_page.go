package httpapi

import (
	"net/http"
	"slices"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// inboxPage is an answer to GET /v1/inbox as the hub holds it: the
// messages read and their signatures. It is written (append) as the
// InboxResponse of InboxMessageBody of each message would be, from the
// messages' own fields: a page of 256 bodies is about a megabyte, and
// copying each into a string to build that InboxResponse, and each path
// into a slice, was 6% of all the end-to-end benchmark allocated.
type inboxPage struct {
	msgs []hub.InboxMessage
	sigs []string // Each message's own signature; nil for a page signed as one.

	// For a page signed as one: the signature, over corridor.InboxStatement
	// of tree's root, and the tree over the bodies, which gives each
	// message its path.
	sig  string
	tree *corridor.MerkleTree
}

// append appends p to b as appendAnswer appends its InboxResponse.
func (p *inboxPage) append(b []byte) ([]byte, error) {
	n := len(b)
	b = append(b, `{"messages":[`...)
	for i := range p.msgs {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = p.appendMessage(b, i); err != nil {
			return b[:n], err
		}
	}
	return append(b, "]}\n"...), nil
}

// appendMessage appends message i of p as appendInboxMessage appends its
// InboxMessageBody. That body, its batch proof and path live on the
// stack; the body is written from the message's bytes.
func (p *inboxPage) appendMessage(b []byte, i int) ([]byte, error) {
	m := &p.msgs[i]
	out := InboxMessageBody{Seq: m.Seq, MsgDefID: m.MsgDefID, UETR: string(m.UETR), Reference: m.Reference, Time: m.Time,
		PossibleDuplicate: m.PossibleDuplicate}
	var proof BatchProofBody
	var path [corridor.MaxBatchPath]corridor.MerkleHash
	if p.tree == nil {
		out.Signature = p.sigs[i]
	} else {
		proof = BatchProofBody{Index: i, Count: len(p.msgs), Path: p.tree.AppendPath(path[:0], i)} // Never nil, as Path.
		out.Signature, out.Batch = p.sig, &proof
	}
	return appendInboxMessageWith(b, &out, m.Body)
}

// inboxBuffers keeps the buffers inbox pages were written in, apart from
// answerBuffers: a page of MaxInboxRead messages of 4 KB is over a
// megabyte, beyond what answerBuffers keeps, and was written each time
// into a buffer grown anew by doubling (5 MB allocated for a page of 1 MB).
// It keeps a page of MaxInboxRead messages of 16 KB, escaped.
var inboxBuffers = answerPool{maxKept: 8 << 20}

// write writes p as the answer, as writeJSON writes its InboxResponse.
func (p *inboxPage) write(w http.ResponseWriter) {
	buf := inboxBuffers.get()
	defer inboxBuffers.put(buf)
	body, err := p.append(slices.Grow((*buf)[:0], p.sizeHint()))
	*buf = body // Kept as large as it grew.
	if err != nil {
		// A time beyond year 9999: a bug, answered as writeJSON answers
		// an answer that does not encode.
		writeJSON(w, http.StatusInternalServerError, ErrorBody{Error: "internal error: the answer could not be encoded"})
		return
	}
	writeAnswer(w, http.StatusOK, body)
}

// pageFieldBytes is about what a message of a page takes besides its body:
// its other fields (some 200 bytes), a signature (about 100) and a path of
// up to MaxBatchPath hashes (67 bytes each, written).
const pageFieldBytes = 200 + 100 + corridor.MaxBatchPath*67

// sizeHint is about the length of p written, a little more than most
// pages take: the bodies, an eighth more for their escapes, and
// pageFieldBytes a message. GC empties inboxBuffers often under load, and
// a page written into a new buffer grown by doubling allocated twice its
// length and more (29 MB of 1,442 MB end to end).
func (p *inboxPage) sizeHint() int {
	n := 0
	for i := range p.msgs {
		n += len(p.msgs[i].Body)
	}
	return n + n/8 + len(p.msgs)*pageFieldBytes
}
