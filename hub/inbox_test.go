package hub

import (
	"fmt"
	"testing"
)

// benchInbox is an inbox holding n unacknowledged messages, Seq 1 to n.
func benchInbox(tb testing.TB, n int) *inbox {
	tb.Helper()
	in := &inbox{}
	for range n {
		in.deliver(InboxMessage{MsgDefID: "pacs.008.001.08", Body: []byte("<Envelope/>")}, "BANKDEFFXXX", laterBody{})
	}
	return in
}

func TestInboxRead(t *testing.T) {
	in := benchInbox(t, 10)
	in.ack(3)
	tests := []struct {
		after, limit int
		want         []uint64
		dup          []bool
	}{
		{after: 0, limit: 2, want: []uint64{4, 5}},
		{after: 4, limit: 3, want: []uint64{5, 6, 7}, dup: []bool{true, false, false}},
		{after: 8, limit: 5, want: []uint64{9, 10}},
		{after: 10, limit: 5},
		{after: 99, limit: 5},
	}
	for _, tt := range tests {
		got, _ := in.read(uint64(tt.after), tt.limit)
		var seqs []uint64
		for i, m := range got {
			seqs = append(seqs, m.Seq)
			if tt.dup != nil && m.PossibleDuplicate != tt.dup[i] {
				t.Errorf("read(%d, %d)[%d].PossibleDuplicate = %v; want %v", tt.after, tt.limit, i, m.PossibleDuplicate, tt.dup[i])
			}
		}
		if fmt.Sprint(seqs) != fmt.Sprint(tt.want) {
			t.Errorf("read(%d, %d) = %v; want %v", tt.after, tt.limit, seqs, tt.want)
		}
	}
}

// BenchmarkInboxRead reads a backlog of unacknowledged messages from where
// a reader that is up to date (Tail) or near the end (Last100) stands.
func BenchmarkInboxRead(b *testing.B) {
	const backlog = 50_000
	in := benchInbox(b, backlog)
	for _, bb := range []struct {
		name  string
		after uint64
	}{{"Tail", backlog}, {"Last100", backlog - MaxInboxRead}} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				in.read(bb.after, MaxInboxRead)
			}
		})
	}
}
