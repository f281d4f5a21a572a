// Package crashpoint kills the process at a chosen point of its work, so
// that a test can prove the hub recovers from a crash at exactly that
// point: just before or after the journal's transaction commits, after the
// commit (and its fsync) but before the answers go out, after they went
// out, while an inbox read is answered, and half-way through saving a state
// snapshot.
//
// It is inert unless Arm was called: cmd/corridor arms it at start from the
// environment variable Env (NAME or NAME:N). Until then Hit costs one
// atomic load of a bool.
package crashpoint

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Env is the environment variable that names the crash point: NAME kills
// the process at the point's first hit, NAME:N at its N-th.
const Env = "CORRIDOR_CRASHPOINT"

// The crash points. Each is hit once per batch, per inbox read, or per
// snapshot saved (PerSnapshot).
const (
	JournalCommitBefore = "journal.commit.before" // sqlite: the batch's rows inserted, the transaction not committed.
	JournalCommitAfter  = "journal.commit.after"  // sqlite: committed and fsynced, not yet returned to the sequencer.
	ReplyBefore         = "hub.reply.before"      // hub: the batch durable, no caller answered yet.
	ReplyAfter          = "hub.reply.after"       // hub: every caller of the batch answered.
	InboxRead           = "inbox.read"            // httpapi: an inbox read, before its answer is written.
	SnapshotFileWritten = "snapshot.file.written" // sqlite: a snapshot's file fsynced and named, its row not committed.
	SnapshotSaved       = "snapshot.saved"        // sqlite: the snapshot's row committed, the older ones not yet deleted.
)

// Names are the crash points: those a payment meets, in its order, then
// the snapshot's.
var Names = []string{JournalCommitBefore, JournalCommitAfter, ReplyBefore, ReplyAfter, InboxRead, SnapshotFileWritten, SnapshotSaved}

// PerSnapshot reports whether the crash point name is hit once per
// snapshot saved, seconds apart, rather than once per batch or read: a
// kill plan arms such a point at its first hit.
func PerSnapshot(name string) bool { return name == SnapshotFileWritten || name == SnapshotSaved }

// MaxHits bounds N in NAME:N.
const MaxHits = 1_000_000_000

var (
	armed atomic.Bool  // Set once by Arm; read by every Hit.
	point string       // The armed point's name; written before armed is set.
	left  atomic.Int64 // Hits of point still to go before the kill.
)

// Arm parses spec (NAME or NAME:N) and arms that crash point; an empty spec
// leaves every point inert. Call it once, at start, before any Hit.
func Arm(spec string) error {
	if spec == "" {
		return nil
	}
	name, n, err := Parse(spec)
	if err != nil {
		return err
	}
	point = name
	left.Store(n)
	armed.Store(true)
	return nil
}

// Parse reads spec, NAME or NAME:N, into the crash point's name and the hit
// that kills (1 when N is not given).
func Parse(spec string) (string, int64, error) {
	name, count, hasCount := strings.Cut(spec, ":")
	n := int64(1)
	if hasCount {
		v, err := strconv.ParseInt(count, 10, 64)
		if err != nil || v < 1 || v > MaxHits {
			return "", 0, fmt.Errorf("%s=%q: the hit count must be 1 to %d", Env, spec, MaxHits)
		}
		n = v
	}
	if !slices.Contains(Names, name) {
		return "", 0, fmt.Errorf("%s=%q: no crash point %q (there are %s)", Env, spec, name, strings.Join(Names, ", "))
	}
	return name, n, nil
}

// Hit kills the process with SIGKILL when name is the armed point and this
// is its N-th hit. It does nothing when no point is armed.
func Hit(name string) {
	if !armed.Load() {
		return
	}
	if name != point || left.Add(-1) != 0 {
		return
	}
	kill()
}

// kill sends SIGKILL to the process itself and waits for it to land, so
// that the caller's next statement never runs.
func kill() {
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		err = p.Kill() // SIGKILL on Unix: no deferred function, no flush, no exit handler runs.
	}
	if err != nil {
		panic(fmt.Sprintf("crashpoint: kill itself: %v", err)) // Cannot happen; a crash all the same.
	}
	for {
		time.Sleep(time.Hour)
	}
}
