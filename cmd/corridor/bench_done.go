package main

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
)

// A payment the bench has seen to its end (answered 202, and its final
// pacs.002, ACSC or RJCT, in the sender's inbox) moves from the tracker's
// map into a record that holds no pointer (benchDone). The collector never
// scans such records, so a soak of millions of payments costs the bench's
// collector no more at its end than at its start. With the map alone the
// bench's heap grew by about 700 bytes a payment (500 MB after ten minutes
// at 700/s), marking it took a core from the hub ever more often, and the
// last tenth's submit→202 p99 was three times the first's. A record goes
// back into the map if the inbox brings another pacs.002 of it; the checks
// read the records back a chunk at a time.

// benchDoneChunk is how many records a check brings back into payments at
// once.
const benchDoneChunk = 4096

// Sizes of a record's fields, in bytes. A payment whose key or effects do
// not fit stays in the map.
const (
	benchMaxBIC     = 11 // A BIC11.
	benchMaxMsgID   = 35 // ISO 20022's Max35Text.
	benchMaxCode    = 4  // A status or an ISO 20022 reason code.
	benchMaxWait    = 24 // What a pending payment waits for; a longer one is cut.
	benchMaxEffects = 2  // A payment moves money between two accounts.
	benchUETRLen    = 36 // A UETR: a UUID in its 36-character form.
)

type benchDoneKey struct {
	bic   [benchMaxBIC]byte
	msgID [benchMaxMsgID]byte
}

type benchDoneEffect struct {
	bic   [benchMaxBIC]byte
	ccy   [3]byte
	minor int64
}

// benchDone is what benchPayment holds of a finished payment, in arrays.
type benchDone struct {
	key      benchDoneKey
	gone     bool // Back in the map: the slot is empty.
	kind     benchKind
	from     uint8 // Its index in the tracker's banks.
	uetr     [benchUETRLen]byte
	start    int64 // Unix nanoseconds.
	answered [benchMaxCode]byte
	reported [benchMaxCode]byte
	reports  int32
	settled  int32
	effects  [benchMaxEffects]benchDoneEffect
	nEffects uint8

	// What the last check found.
	legs   int32
	status [benchMaxCode]byte
	wait   [benchMaxWait]byte
	reason [benchMaxCode]byte
}

// benchDoneList holds the records in blocks of benchDoneChunk, so that
// adding one never copies those before it: a slice that doubled copied
// 100 MB at a time under the tracker's lock, and every answer and pacs.002
// of that moment waited for it.
type benchDoneList struct {
	blocks [][]benchDone
	n      int
}

// add appends d and returns its index.
func (l *benchDoneList) add(d benchDone) int {
	if l.n%benchDoneChunk == 0 {
		l.blocks = append(l.blocks, make([]benchDone, 0, benchDoneChunk))
	}
	b := &l.blocks[len(l.blocks)-1]
	*b = append(*b, d)
	l.n++
	return l.n - 1
}

func (l *benchDoneList) at(i int) *benchDone { return &l.blocks[i/benchDoneChunk][i%benchDoneChunk] }
func (l *benchDoneList) len() int            { return l.n }

// putText copies s into dst and reports whether it fitted whole.
func putText(dst []byte, s string) bool {
	n := copy(dst, s)
	return n == len(s)
}

// text is what putText put into b.
func text(b []byte) string { return string(bytes.TrimRight(b, "\x00")) }

func doneKey(k msgKey) (benchDoneKey, bool) {
	var dk benchDoneKey
	ok := putText(dk.bic[:], string(k.bic))
	return dk, putText(dk.msgID[:], k.msgID) && ok
}

// finished reports whether p is done: acknowledged, with its final pacs.002.
func (p *benchPayment) finished() bool {
	return p.acked && p.reports > 0 && (p.reported == corridor.StatusSettled || p.reported == corridor.StatusRejected)
}

// retireIfDone moves p, the payment k, into a record once it is finished.
// The caller holds tr.mu.
func (tr *benchTracker) retireIfDone(k msgKey, p *benchPayment) {
	if !p.finished() {
		return
	}
	if d, ok := tr.record(k, p); ok {
		tr.doneAt[d.key] = tr.done.add(d)
		delete(tr.payments, k)
	}
}

// record is p as a record, unless something of it does not fit one.
func (tr *benchTracker) record(k msgKey, p *benchPayment) (benchDone, bool) {
	key, ok := doneKey(k)
	from := slices.Index(tr.banks, p.from)
	if !ok || from < 0 || len(p.effects) > benchMaxEffects {
		return benchDone{}, false
	}
	d := benchDone{key: key, kind: p.kind, from: uint8(from), start: p.start.UnixNano(), reports: int32(p.reports),
		settled: int32(p.settled), nEffects: uint8(len(p.effects))}
	ok = putText(d.uetr[:], string(p.uetr)) && len(p.uetr) == benchUETRLen
	ok = putText(d.answered[:], p.answered) && ok
	ok = putText(d.reported[:], string(p.reported)) && ok
	for i, ef := range p.effects {
		e := &d.effects[i]
		ok = putText(e.bic[:], string(ef.bic)) && putText(e.ccy[:], string(ef.ccy)) && ok
		e.minor = ef.minor
	}
	d.keepFindings(p)
	return d, ok
}

// keepFindings copies what a check found of p into d.
func (d *benchDone) keepFindings(p *benchPayment) {
	d.legs = int32(p.legs)
	d.status, d.wait, d.reason = [benchMaxCode]byte{}, [benchMaxWait]byte{}, [benchMaxCode]byte{}
	putText(d.status[:], p.status) // A status or a reason cut short is still a problem's name.
	putText(d.wait[:], p.wait)
	putText(d.reason[:], p.reason)
}

// payment is the record d as the payment it was.
func (tr *benchTracker) payment(d *benchDone) (msgKey, *benchPayment) {
	k := msgKey{corridor.BIC(text(d.key.bic[:])), text(d.key.msgID[:])}
	p := &benchPayment{kind: d.kind, uetr: corridor.UETR(text(d.uetr[:])), from: tr.banks[d.from], start: time.Unix(0, d.start),
		acked: true, answered: text(d.answered[:]), reports: int(d.reports), settled: int(d.settled),
		reported: corridor.PaymentStatus(text(d.reported[:])), legs: int(d.legs), status: text(d.status[:]),
		wait: text(d.wait[:]), reason: text(d.reason[:])}
	for _, e := range d.effects[:d.nEffects] {
		p.effects = append(p.effects, benchEffect{corridor.BIC(text(e.bic[:])), corridor.Currency(text(e.ccy[:])), e.minor})
	}
	return k, p
}

// retired returns the record of the payment k, if it has one. The caller
// holds tr.mu.
func (tr *benchTracker) retired(k msgKey) (*benchDone, bool) {
	dk, ok := doneKey(k)
	if !ok {
		return nil, false
	}
	i, ok := tr.doneAt[dk]
	if !ok {
		return nil, false
	}
	return tr.done.at(i), true
}

// bringBack puts the payment of record d back into the map. The caller
// holds tr.mu.
func (tr *benchTracker) bringBack(d *benchDone) *benchPayment {
	k, p := tr.payment(d)
	delete(tr.doneAt, d.key)
	*d = benchDone{gone: true}
	tr.payments[k] = p
	return p
}

// eachPayment calls fn with every payment the bench tracks: those in the
// map, then each record as a payment of its own. The caller holds tr.mu.
func (tr *benchTracker) eachPayment(fn func(msgKey, *benchPayment)) {
	for k, p := range tr.payments {
		fn(k, p)
	}
	for i := range tr.done.len() {
		if d := tr.done.at(i); !d.gone {
			fn(tr.payment(d))
		}
	}
}

// trackDone asks the hub about the records, a chunk at a time: every one
// (all), or those that no check has found settled or rejected yet.
func (e *benchEnv) trackDone(ctx context.Context, tr *benchTracker, all bool) error {
	for from := 0; ; from += benchDoneChunk {
		chunk, more := tr.doneChunk(from, all)
		if err := e.trackAll(ctx, tr, chunk); err != nil {
			return err
		}
		tr.keepChunkFindings(chunk)
		if !more {
			return nil
		}
	}
}

// doneChunk is the records from index from on, at most benchDoneChunk of
// them, that a check asks about, as payments; more reports whether records
// follow.
func (tr *benchTracker) doneChunk(from int, all bool) (map[msgKey]*benchPayment, bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	to := min(from+benchDoneChunk, tr.done.len())
	chunk := map[msgKey]*benchPayment{}
	for i := from; i < to; i++ {
		if d := tr.done.at(i); !d.gone {
			if k, p := tr.payment(d); all || !p.terminal() {
				chunk[k] = p
			}
		}
	}
	return chunk, to < tr.done.len()
}

// keepChunkFindings writes what a check found of chunk's payments into
// their records, or into the map for one brought back meanwhile.
func (tr *benchTracker) keepChunkFindings(chunk map[msgKey]*benchPayment) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for k, p := range chunk {
		if d, ok := tr.retired(k); ok {
			d.keepFindings(p)
		} else if live := tr.payments[k]; live != nil {
			live.keepFindings(p)
		}
	}
}
