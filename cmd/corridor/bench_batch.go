package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// benchBatchSubmitter is benchSubmitter with --batch above 1: it takes up to
// o.batch payments as next says, and submits them together, one batch per
// sending bank (POST /v1/messages/batch under one signature), until next
// says no more. In the open loop a batch starts when its last payment is
// due, and its first payments' latency counts the wait.
func benchBatchSubmitter(ctx context.Context, e *benchEnv, o benchOptions, tr *benchTracker, next func() (time.Time, bool)) {
	for {
		kinds := make([]benchKind, 0, o.batch)
		starts := make([]time.Time, 0, o.batch)
		for len(kinds) < o.batch {
			start, ok := next()
			if !ok {
				break
			}
			kinds, starts = append(kinds, o.mix.pick(rand.IntN(o.mix.total()))), append(starts, start)
		}
		if len(kinds) > 0 {
			e.submitBatch(ctx, tr, kinds, starts)
		}
		if len(kinds) < o.batch {
			return
		}
	}
}

// submitBatch builds a payment of each kind and submits them in one batch
// per sending bank, retrying (with kills) the same batch until the hub
// answers; each payment's answer is recorded as submitOne records it.
func (e *benchEnv) submitBatch(ctx context.Context, tr *benchTracker, kinds []benchKind, starts []time.Time) {
	e.gate.enter()
	defer e.gate.leave()
	var banks []*demoBank // In the order first seen.
	byBank := map[*demoBank][]benchOp{}
	for i, k := range kinds {
		op, err := e.newOp(ctx, k, rand.IntN(maxBenchPool))
		start := starts[i]
		if start.IsZero() {
			start = time.Now()
		}
		if err != nil {
			op.kind = k
			tr.begin(op, start)
			tr.answer(op, httpapi.SubmitResponse{}, fmt.Errorf("encode: %w", err), time.Now())
			continue
		}
		tr.begin(op, start)
		if _, ok := byBank[op.from]; !ok {
			banks = append(banks, op.from)
		}
		byBank[op.from] = append(byBank[op.from], op)
	}
	for _, b := range banks {
		e.sendBatch(ctx, tr, b, byBank[b])
	}
}

// sendBatch sends ops, all from b, as one batch and records each answer.
func (e *benchEnv) sendBatch(ctx context.Context, tr *benchTracker, b *demoBank, ops []benchOp) {
	msgs := make([][]byte, len(ops))
	for i, op := range ops {
		msgs[i] = op.msg
	}
	var results []httpapi.BatchResult
	tries := 0
	err := e.retrying(ctx, func() error {
		if tries++; tries > 1 {
			tr.retries.Add(int64(len(ops)))
		}
		var err error
		results, err = b.client.SubmitBatch(ctx, msgs)
		return err
	})
	now := time.Now()
	for i, op := range ops {
		var resp httpapi.SubmitResponse
		opErr := err
		if err == nil {
			if opErr = results[i].Err(); opErr == nil {
				resp = *results[i].Accepted
			}
		}
		tr.answer(op, resp, opErr, now)
		if opErr == nil && op.kind != kindDup {
			e.pools.acked(op, resp.Status == string(corridor.StatusSettled))
		}
	}
}
