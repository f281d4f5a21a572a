package hub

// An entry kept in the store (corridor.BookEntry.Record) is written in a
// binary form of its own, not JSON: two entries are written for every
// payment, on the sequencer's goroutine, and the form is a few varints and
// strings that encode in a fraction of JSON's time and take half its bytes.
//
//	version        1 byte: entryRecordVersion
//	time           varint, UnixNano
//	transfer       uvarint
//	flags          1 byte: 1 debit, 2 a business day follows
//	amount         varint, minor units
//	balance        varint, minor units
//	day            (flag 2) uvarint year, 1 byte month, 1 byte day
//	ref, uetr, msgID, endToEndID, code, info
//	               each a uvarint length and its bytes
//
// A record is checked whole on decode: a short, long or out-of-range
// record is an error naming what is wrong, never a guessed entry.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
)

const entryRecordVersion = 1

const (
	entryDebit = 1 << iota
	entryHasDay
)

// maxEntryString bounds each string of a decoded record; the record as a
// whole is bounded by corridor.MaxBookRecord.
const maxEntryString = 512

var errEntryRecord = errors.New("book entry record")

// appendEntryRecord appends the record of e to buf.
func appendEntryRecord(buf []byte, e *entry) []byte {
	buf = append(buf, entryRecordVersion)
	buf = binary.AppendVarint(buf, e.Time.UnixNano())
	buf = binary.AppendUvarint(buf, uint64(e.Transfer))
	var flags byte
	if e.Debit {
		flags |= entryDebit
	}
	if e.Day != nil {
		flags |= entryHasDay
	}
	buf = append(buf, flags)
	buf = binary.AppendVarint(buf, int64(e.Amount))
	buf = binary.AppendVarint(buf, e.Balance)
	if e.Day != nil {
		buf = binary.AppendUvarint(buf, uint64(e.Day.Year))
		buf = append(buf, byte(e.Day.Month), byte(e.Day.Day))
	}
	for _, s := range [...]string{e.Ref, string(e.UETR), e.MsgID, e.EndToEndID, e.Code, e.Info} {
		// The hub's own references and a validated message's fields: a
		// string the record cannot read back is a bug, not an entry to lose.
		assert.That(len(s) <= maxEntryString, "book entry of transfer %d: a string of %d bytes", e.Transfer, len(s))
		buf = appendString(buf, s)
	}
	return buf
}

// decodeEntryRecord reads a record appendEntryRecord wrote.
func decodeEntryRecord(rec []byte) (entry, error) {
	d := recordReader{buf: rec, kind: errEntryRecord, maxString: maxEntryString}
	if v := d.oneByte(); v != entryRecordVersion && d.err == nil {
		return entry{}, fmt.Errorf("%w: version %d, not %d", errEntryRecord, v, entryRecordVersion)
	}
	var e entry
	e.Time = time.Unix(0, d.varint()).UTC()
	e.Transfer = ledger.TransferID(d.uvarint())
	flags := d.oneByte()
	e.Debit = flags&entryDebit != 0
	e.Amount = corridor.Amount(d.varint())
	e.Balance = d.varint()
	if flags&entryHasDay != 0 {
		y, m, day := d.uvarint(), d.oneByte(), d.oneByte()
		date := corridor.Date{Year: int(min(y, 9999)), Month: time.Month(m), Day: int(day)}
		if d.err == nil && (y < 1 || y > 9999 || corridor.DateOf(dateTime(date)) != date) {
			d.fail("business day %d-%d-%d is not a date", y, m, day)
		}
		e.Day = &date
	}
	e.Ref, e.UETR, e.MsgID = d.string(), corridor.UETR(d.string()), d.string()
	e.EndToEndID, e.Code, e.Info = d.string(), d.string(), d.string()
	switch {
	case d.err != nil:
		return entry{}, d.err
	case flags&^(entryDebit|entryHasDay) != 0:
		return entry{}, fmt.Errorf("%w: flags %#x", errEntryRecord, flags)
	case len(d.buf) > 0:
		return entry{}, fmt.Errorf("%w: %d bytes after the entry", errEntryRecord, len(d.buf))
	case e.Amount <= 0 || e.Amount > corridor.MaxAmount:
		return entry{}, fmt.Errorf("%w: amount %d is not 1 to the maximum", errEntryRecord, e.Amount)
	}
	return e, nil
}
