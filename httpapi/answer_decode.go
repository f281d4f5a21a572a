package httpapi

// decodeSubmitResponse decodes data, the answer to POST /v1/messages, into
// out as json.Unmarshal(data, out) does, and refuses what it refuses, in
// one pass without reflection (jsonDecoder): a bank that sends its
// payments one at a time reads one of these for each.
//
// As json.Unmarshal does, it decodes into what out holds: a member leaves
// the fields it does not name as they are and a later member of the same
// name decodes over an earlier one; null sets the receipt and its batch
// and path to nil and leaves anything else as it is. On an error, out may
// hold part of data.
func decodeSubmitResponse(data []byte, out *SubmitResponse) error {
	d := jsonDecoder{data: data, what: "submit answer", noun: "answer"}
	return d.answer(func(f jsonField) error { return d.submitField(out, f, 1) })
}

// decodeBatchResponse decodes data, the answer to POST /v1/messages/batch,
// into out as json.Unmarshal(data, out) does, and refuses what it refuses,
// in one pass without reflection (jsonDecoder): a bank that sends its
// payments in batches reads one of these, of up to MaxBatchMessages
// results, for each batch.
//
// As json.Unmarshal does, it decodes into what out holds, as
// decodeSubmitResponse does; a list decodes into the elements it already
// has, and null sets the results, a result's accepted answer or error and
// an error's problems to nil. On an error, out may hold part of data.
func decodeBatchResponse(data []byte, out *BatchResponse) error {
	d := jsonDecoder{data: data, what: "batch answer", noun: "answer"}
	return d.answer(func(f jsonField) error {
		if f == fieldResults {
			return list(&d, &out.Results, 1, "results", func(r *BatchResult) error { return d.result(r, 2) })
		}
		return d.skip(1)
	})
}

// answer reads a whole answer: null, which leaves it as it is, or an
// object whose members member reads, then nothing but space.
func (d *jsonDecoder) answer(member func(jsonField) error) error {
	d.space()
	if err := d.record(0, "the answer", member); err != nil {
		return err
	}
	return d.end()
}

// result reads one result of a batch into r, within depth arrays and objects.
func (d *jsonDecoder) result(r *BatchResult, depth int) error {
	return d.record(depth, "a result", func(f jsonField) error {
		switch f {
		case fieldStatus:
			return d.intValue(&r.Status, "status")
		case fieldAccepted:
			return pointee(d, &r.Accepted, depth+1, "accepted", func(s *SubmitResponse, f jsonField) error {
				return d.submitField(s, f, depth+2)
			})
		case fieldError:
			return pointee(d, &r.Error, depth+1, "error", func(e *ErrorBody, f jsonField) error {
				return d.errorField(e, f, depth+2)
			})
		}
		return d.skip(depth + 1)
	})
}

// submitField reads the value of member f of s, at depth arrays and objects.
func (d *jsonDecoder) submitField(s *SubmitResponse, f jsonField, depth int) error {
	switch f {
	case fieldReference:
		return d.stringValue(&s.Reference, nil, "reference")
	case fieldUETR:
		return d.stringValue(&s.UETR, nil, "uetr")
	case fieldStatus:
		return d.stringValue(&s.Status, &d.statuses, "status")
	case fieldWait:
		return d.stringValue(&s.Wait, &d.statuses, "wait")
	case fieldReason:
		return d.stringValue(&s.Reason, &d.statuses, "reason")
	case fieldDetail:
		return d.stringValue(&s.Detail, nil, "detail")
	case fieldDuplicate:
		return d.boolValue(&s.Duplicate, "duplicate")
	case fieldReceipt:
		return pointee(d, &s.Receipt, depth, "receipt", func(r *ReceiptBody, f jsonField) error {
			return d.receiptField(r, f, depth+1)
		})
	}
	return d.skip(depth)
}

// receiptField reads the value of member f of r, at depth arrays and objects.
func (d *jsonDecoder) receiptField(r *ReceiptBody, f jsonField, depth int) error {
	switch f {
	case fieldSeq:
		return d.uint64Value(&r.Seq, "seq")
	case fieldTime:
		return d.timeValue(&r.Time, depth)
	case fieldSender:
		return d.stringValue(&r.Sender, &d.senders, "sender")
	case fieldSHA256:
		return d.stringValue(&r.SHA256, nil, "sha256")
	case fieldSignature:
		return d.stringValue(&r.Signature, &d.signatures, "signature")
	case fieldBatch:
		return d.batch(&r.Batch, depth)
	}
	return d.skip(depth)
}

// errorField reads the value of member f of e, at depth arrays and objects.
func (d *jsonDecoder) errorField(e *ErrorBody, f jsonField, depth int) error {
	switch f {
	case fieldError:
		return d.stringValue(&e.Error, nil, "error")
	case fieldReason:
		return d.stringValue(&e.Reason, &d.statuses, "reason")
	case fieldProblems:
		return list(d, &e.Problems, depth, "problems", func(p *ProblemBody) error { return d.problem(p, depth+1) })
	case fieldOutcome:
		return d.stringValue(&e.Outcome, &d.statuses, "outcome")
	case fieldLeader:
		return d.stringValue(&e.Leader, nil, "leader")
	}
	return d.skip(depth)
}

// problem reads one problem of an error into p, within depth arrays and objects.
func (d *jsonDecoder) problem(p *ProblemBody, depth int) error {
	return d.record(depth, "a problem", func(f jsonField) error {
		switch f {
		case fieldPath:
			return d.stringValue(&p.Path, nil, "path")
		case fieldRule:
			return d.stringValue(&p.Rule, nil, "rule")
		case fieldReason:
			return d.stringValue(&p.Reason, &d.statuses, "reason")
		}
		return d.skip(depth + 1)
	})
}
