package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/sqlite"
)

// TestBackupUnderLoad backs up a hub's journal while banks send it payments,
// restores the backup into a new data directory and checks that a hub on it
// has the state of a hub on the source journal replayed up to the backup's
// last seq, byte for byte, while the source went on past it.
func TestBackupUnderLoad(t *testing.T) {
	ctx := context.Background()
	data := mustCA(t)
	src := mustRunHub(t, data)
	banks := mustRegisterBanks(t, ctx, src.API.URL(), data)
	backup := filepath.Join(t.TempDir(), "corridor-backup.db")
	var out bytes.Buffer
	sendUnderLoad(t, banks[0], 300, 50, func() error {
		return run(ctx, []string{"backup", "--data", data, "--out", backup}, &out, &out)
	})
	r, err := sqlite.Audit(ctx, backup, nil)
	if err != nil {
		t.Fatalf("audit the backup: %v\n%s", err, out.String())
	}
	if want := fmt.Sprintf("last seq %d,", r.Entries); !strings.Contains(out.String(), want) {
		t.Errorf("backup printed:\n%s\nwant %q", out.String(), want)
	}
	if last, _ := src.DB.Journal().LastSeq(); last <= r.Entries {
		t.Fatalf("the source ends at entry %d, the backup at %d: the load did not go on past the backup", last, r.Entries)
	}
	restored := t.TempDir()
	mustCopyCA(t, data, restored) // The CA is backed up separately.
	out.Reset()
	if err := run(ctx, []string{"restore", "--backup", backup, "--data", restored}, &out, &out); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	replayed := mustReplayedUpTo(t, src.DB.Journal(), data, r.Entries)
	want := mustSum(t, mustRunHub(t, replayed), r.Entries)
	if got := mustSum(t, mustRunHub(t, restored), r.Entries); got != want {
		t.Errorf("restored hub's state %x; want the source's at entry %d, %x", got[:8], r.Entries, want[:8])
	}
	checkAuditOfBackup(t, backup, data)
	checkRestoreRefusals(t, backup, data)
}

// sendUnderLoad sends n payments from bank on 8 workers and runs during
// once after accepted of them have been answered, while the rest go on.
func sendUnderLoad(t *testing.T, bank *httpapi.Client, n, accepted int, during func() error) {
	payments := crashPayments(t, n)
	work := make(chan []byte, len(payments))
	for _, p := range payments {
		work <- p.msg
	}
	close(work)
	started := make(chan struct{})
	var answered atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for msg := range work {
				if _, err := bank.Submit(context.Background(), msg); err != nil {
					t.Errorf("submit: %v", err)
					continue
				}
				if answered.Add(1) == int64(accepted) {
					close(started)
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-started:
	case <-done:
		t.Fatalf("fewer than %d of %d payments were answered", accepted, n)
	}
	err := during()
	<-done
	if err != nil {
		t.Fatalf("during the load: %v", err)
	}
}

// mustCopyCA copies the CA directory of from into to, with its keys 0600.
func mustCopyCA(tb testing.TB, from, to string) {
	tb.Helper()
	mustCopyDir(tb, caDir(from), caDir(to)) // os.CopyFS does not keep the modes.
	keys, err := filepath.Glob(filepath.Join(caDir(to), "*.key"))
	if err != nil || len(keys) == 0 {
		tb.Fatalf("no keys in %s: %v", caDir(to), err)
	}
	for _, k := range keys {
		if err := os.Chmod(k, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
}

// mustReplayedUpTo makes a data directory with a copy of src's CA and
// journal's entries up to seq, in a fresh store.
func mustReplayedUpTo(tb testing.TB, journal *sqlite.Journal, src string, seq uint64) string {
	tb.Helper()
	data := tb.TempDir()
	mustCopyCA(tb, src, data)
	db, err := sqlite.Open(context.Background(), dbPath(data))
	if err != nil {
		tb.Fatal(err)
	}
	var entries []corridor.JournalEntry
	errEnough := errors.New("enough")
	err = journal.Replay(context.Background(), 0, func(e corridor.JournalEntry) error {
		if e.Seq > seq {
			return errEnough
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		tb.Fatal(err)
	}
	if err := errors.Join(db.Journal().Append(context.Background(), entries), db.Close()); err != nil {
		tb.Fatal(err)
	}
	return data
}

// mustSum is the state hash of m's hub, which must be at entry seq.
func mustSum(tb testing.TB, m *Main, seq uint64) [32]byte {
	tb.Helper()
	sum, at, err := m.Hub.StateSum(context.Background())
	if err != nil || at != seq {
		tb.Fatalf("state sum at entry %d, %v; want entry %d", at, err, seq)
	}
	return sum
}

// checkAuditOfBackup audits the backup file against the hub's certificate.
func checkAuditOfBackup(t *testing.T, backup, data string) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"audit", "verify", "--db", backup, "--ca", caDir(data)}, &out, &out)
	if err != nil || !strings.Contains(out.String(), "intact") {
		t.Errorf("audit verify --db on the backup: %v\n%s", err, out.String())
	}
}

// checkRestoreRefusals restores where it must not: over a journal, and into
// a data directory a hub holds.
func checkRestoreRefusals(t *testing.T, backup, running string) {
	restored := filepath.Join(t.TempDir(), "new") // Restore makes it, without a CA.
	var out bytes.Buffer
	if err := run(context.Background(), []string{"restore", "--backup", backup, "--data", restored}, &out, &out); err != nil ||
		!strings.Contains(out.String(), "hash chain only") {
		t.Fatalf("restore into a new directory without a CA: %v\n%s; want it restored, saying the signatures were not checked", err, out.String())
	}
	for _, tt := range []struct{ name, data, want string }{
		{"ErrJournalExists", restored, "exists"},
		{"ErrHubRunning", running, "in use by another hub"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"restore", "--backup", backup, "--data", tt.data}, &out, &out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("restore into %s: %v; want a refusal saying %q", tt.data, err, tt.want)
			}
		})
	}
	if _, err := os.Stat(backup); err != nil {
		t.Errorf("the backup is gone: %v", err)
	}
}
