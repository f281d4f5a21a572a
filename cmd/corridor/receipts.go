package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/sqlite"
)

// maxReceiptLine bounds one line of a receipts file: a receipt is about 300
// bytes, one from a batch (with its path of at most 8 hashes) about 900.
const maxReceiptLine = 4096

// errReceipt marks a receipt the journal does not bear out.
var errReceipt = errors.New("receipt not borne out by the journal")

// auditReceipts checks every receipt in file, one JSON object a line as the
// hub's 202 answers carried them (the "receipt" member; of a batch's
// answer, each result's, signed once for the batch), against the
// journal in db of entries entries: each must be signed by hubCert and name
// an entry that exists, at its time, holding a message from its sender with
// its hash. It returns how many it checked.
func auditReceipts(ctx context.Context, file, db string, entries uint64, hubCert *x509.Certificate) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, fmt.Errorf("receipts: %w", err)
	}
	defer func() { _ = f.Close() }() // Read only.
	journal, err := sqlite.OpenReader(ctx, db)
	if err != nil {
		return 0, err
	}
	defer func() { _ = journal.Close() }() // Read only.
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, maxReceiptLine), maxReceiptLine)
	n := 0
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		if err := checkReceipt(ctx, sc.Bytes(), journal, entries, hubCert); err != nil {
			return n, fmt.Errorf("%s:%d: %w", file, line, err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("receipts %s: %w", file, err)
	}
	return n, nil
}

// checkReceipt checks one receipt, line, against the journal.
func checkReceipt(ctx context.Context, line []byte, journal *sqlite.Reader, entries uint64, hubCert *x509.Certificate) error {
	var body httpapi.ReceiptBody
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return fmt.Errorf("not a receipt: %v", err)
	}
	r, err := body.Verify(hubCert)
	if err != nil {
		return err
	}
	if r.Seq > entries {
		return fmt.Errorf("%w: the hub acknowledged entry %d at %s, the journal ends at %d: acknowledged history is missing",
			errReceipt, r.Seq, r.Time.Format("2006-01-02T15:04:05.000Z"), entries)
	}
	e, err := journal.Entry(ctx, r.Seq)
	if err != nil {
		return err
	}
	sender, msg, ok, err := hub.SubmittedMessage(e)
	switch {
	case err != nil:
		return err
	case !ok || !e.Time.Equal(r.Time) || sender != r.Sender || sha256.Sum256(msg) != r.Message:
		return fmt.Errorf("%w: entry %d (%s at %s) is not the message from %s the hub acknowledged at %s",
			errReceipt, r.Seq, e.Kind, e.Time.Format("2006-01-02T15:04:05.000Z"), r.Sender, r.Time.Format("2006-01-02T15:04:05.000Z"))
	}
	return nil
}
