package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestKeyFilterNeverMisses puts keys in and checks that each is "perhaps"
// and that few keys never put in are.
func TestKeyFilterNeverMisses(t *testing.T) {
	f := newKeyFilter()
	const n = 20000
	for i := range n {
		f.add(fmt.Sprintf("msg/BANKINBB/%d", i))
	}
	f.ready.Store(true)
	for i := range n {
		if k := fmt.Sprintf("msg/BANKINBB/%d", i); !f.mayHold(k) {
			t.Fatalf("mayHold(%q) = false for a key put in", k)
		}
	}
	perhaps := 0
	for i := range n {
		if f.mayHold(fmt.Sprintf("msg/BANKRUMM/%d", i)) {
			perhaps++
		}
	}
	if perhaps > n/100 {
		t.Errorf("%d of %d keys never put in answered perhaps; want at most 1 in 100", perhaps, n)
	}
}

// TestKeyFilterAnswersOnlyWhenReady: before the scan is done, and once
// saturated, every key is "perhaps"; a ready filter with no key holds none.
func TestKeyFilterAnswersOnlyWhenReady(t *testing.T) {
	f := newKeyFilter()
	if !f.mayHold("uetr/x") {
		t.Error("mayHold before the scan is done = false; want perhaps")
	}
	f.ready.Store(true)
	if f.mayHold("uetr/x") {
		t.Error("mayHold of an empty ready filter = true; want false")
	}
	if f.bits.Load() != nil {
		t.Error("an empty filter allocated its bits")
	}
	f.added.Store(keyFilterCapacity)
	f.add("one more")
	if !f.mayHold("uetr/x") {
		t.Error("mayHold of a saturated filter = false; want perhaps")
	}
}

// TestKeyScanBegunAgainAfterAFailure: a scan that fails leaves the filter
// not answering; a check soon after does not begin another, one after
// keyScanRetry does, and the filter answers once it succeeds.
func TestKeyScanBegunAgainAfterAFailure(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "corridor.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	failed, cancel := context.WithCancel(context.Background())
	cancel()
	db.fillKeyFilter(failed)
	if db.keys.ready.Load() {
		t.Fatal("the filter answers after its scan failed")
	}
	db.scanMu.Lock()
	db.scanDone, db.scanLast = closedChan(), time.Now()
	db.scanMu.Unlock()
	db.beginKeyScan()
	if db.scanning() || db.keys.ready.Load() {
		t.Fatal("a scan began again within keyScanRetry of the last")
	}
	db.scanMu.Lock()
	db.scanLast = time.Now().Add(-keyScanRetry)
	db.scanMu.Unlock()
	db.beginKeyScan()
	db.scanMu.Lock()
	done := db.scanDone
	db.scanMu.Unlock()
	<-done
	if !db.keys.ready.Load() {
		t.Fatal("the filter does not answer after a scan that succeeded")
	}
}

func closedChan() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}
