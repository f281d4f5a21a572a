package httpapi

import (
	"github.com/corridor-network/corridor/hub"
)

// decodeInboxResponse decodes data, an answer of GET /v1/inbox, into out as
// json.Unmarshal(data, out) does, and refuses what it refuses, in one pass
// without reflection: json.Unmarshal checks all of data before it decodes
// any, and a bank's client reads a page of several hundred KiB of escaped
// XML at every poll.
//
// As json.Unmarshal does, it decodes into what out holds: a member leaves
// the fields it does not name as they are, a later member of the same name
// decodes over an earlier one, and a list decodes into the elements it
// already has. null sets the messages, a batch and a path to nil and leaves
// anything else as it is. A string costs one allocation, or none if it is a
// message type or signature read just before.
//
// On an error, out may hold part of data: json.Unmarshal leaves it so for
// a value of the wrong type, but untouched for a syntax error, which it
// finds before it decodes.
func decodeInboxResponse(data []byte, out *InboxResponse) error {
	d := jsonDecoder{data: data, what: "inbox page", noun: "page"}
	if err := d.page(out); err != nil {
		return err
	}
	return d.end()
}

// page reads the value of the whole page.
func (d *jsonDecoder) page(out *InboxResponse) error {
	d.space()
	return d.record(0, "the page", func(f jsonField) error {
		if f == fieldMessages {
			// The list grows at once to the count of the page the first
			// message's batch names: a page of 256 signed as one no longer
			// grows through nine arrays, twice its final size in all.
			return sizedList(d, &out.Messages, 1, "messages", pageCount, func(m *InboxMessageBody) error { return d.message(m, 2) })
		}
		return d.skip(1)
	})
}

// pageCount is the count of the page msgs begin, as the first message's
// batch names it, at most hub.MaxInboxRead; 0 if it names none.
func pageCount(msgs []InboxMessageBody) int {
	if len(msgs) == 0 || msgs[0].Batch == nil {
		return 0
	}
	return min(max(msgs[0].Batch.Count, 0), hub.MaxInboxRead)
}

// message reads one message into m.
func (d *jsonDecoder) message(m *InboxMessageBody, depth int) error {
	return d.record(depth, "a message", func(f jsonField) error { return d.messageField(m, f, depth+1) })
}

// messageField reads the value of member f of m; a member of another
// type's field is unknown to a message, and skipped.
func (d *jsonDecoder) messageField(m *InboxMessageBody, f jsonField, depth int) error {
	switch f {
	case fieldSeq:
		return d.uint64Value(&m.Seq, "seq")
	case fieldMsgDefID:
		return d.stringValue(&m.MsgDefID, &d.msgDefIDs, "msgDefId")
	case fieldUETR:
		return d.stringValue(&m.UETR, nil, "uetr")
	case fieldReference:
		return d.stringValue(&m.Reference, nil, "reference")
	case fieldTime:
		return d.timeValue(&m.Time, depth)
	case fieldPossibleDuplicate:
		return d.boolValue(&m.PossibleDuplicate, "possibleDuplicate")
	case fieldBody:
		return d.stringValue(&m.Body, nil, "body")
	case fieldSignature:
		return d.stringValue(&m.Signature, &d.signatures, "signature")
	case fieldBatch:
		return d.batch(&m.Batch, depth)
	}
	return d.skip(depth)
}
