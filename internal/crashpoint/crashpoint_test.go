package crashpoint_test

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/corridor-network/corridor/internal/crashpoint"
)

func TestParse(t *testing.T) {
	tests := []struct {
		spec string
		name string
		n    int64
		ok   bool
	}{
		{"journal.commit.before", crashpoint.JournalCommitBefore, 1, true},
		{"inbox.read:7", crashpoint.InboxRead, 7, true},
		{"hub.reply.after:1000000000", crashpoint.ReplyAfter, 1_000_000_000, true},
		{"hub.reply.after:0", "", 0, false},
		{"hub.reply.after:-1", "", 0, false},
		{"hub.reply.after:x", "", 0, false},
		{"hub.reply.after:1000000001", "", 0, false},
		{"journal.append", "", 0, false},
		{":3", "", 0, false},
	}
	for _, tt := range tests {
		name, n, err := crashpoint.Parse(tt.spec)
		if (err == nil) != tt.ok || name != tt.name || n != tt.n {
			t.Errorf("Parse(%q) = %q, %d, %v; want %q, %d, ok %v", tt.spec, name, n, err, tt.name, tt.n, tt.ok)
		}
	}
}

// TestHit runs this test binary again with a crash point armed for its
// third hit: the child must die of SIGKILL there, not before, not after.
func TestHit(t *testing.T) {
	if spec := os.Getenv("CRASHPOINT_TEST_CHILD"); spec != "" {
		crashpoint.Hit(crashpoint.InboxRead) // Inert: nothing armed yet.
		if err := crashpoint.Arm(spec); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 5; i++ {
			crashpoint.Hit(crashpoint.ReplyBefore) // Another point: never kills.
			crashpoint.Hit(crashpoint.ReplyAfter)
			os.Stdout.WriteString("survived hit\n")
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHit$")
	cmd.Env = append(os.Environ(), "CRASHPOINT_TEST_CHILD="+crashpoint.ReplyAfter+":3")
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("child: %v; want it killed\n%s", err, out)
	}
	ws, ok := exit.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended %v; want SIGKILL\n%s", exit, out)
	}
	if got := string(out); got != "survived hit\nsurvived hit\n" {
		t.Errorf("child wrote %q; want two hits survived, killed at the third", got)
	}
}

// TestHitInert: with nothing armed, Hit returns.
func TestHitInert(t *testing.T) {
	for _, name := range crashpoint.Names {
		crashpoint.Hit(name)
	}
}

func BenchmarkHitInert(b *testing.B) {
	for range b.N {
		crashpoint.Hit(crashpoint.ReplyAfter)
	}
}
