package pki_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

// MustWriteParticipant issues a certificate for bic from dir's CA and writes
// the participant's files into a new directory; it returns their paths.
func MustWriteParticipant(tb testing.TB, dir string, bic corridor.BIC) (certFile, keyFile, caFile string) {
	tb.Helper()
	certPEM, keyPEM := MustIssue(tb, dir, bic, "Bank "+string(bic))
	caPEM := MustReadFile(tb, filepath.Join(dir, pki.CACertFile))
	certFile, keyFile, caFile, err := pki.WriteParticipantFiles(filepath.Join(tb.TempDir(), "bank"), bic, certPEM, keyPEM, caPEM)
	if err != nil {
		tb.Fatalf("WriteParticipantFiles(%q) = %v", bic, err)
	}
	return certFile, keyFile, caFile
}

func TestWriteParticipantFiles(t *testing.T) {
	dir := MustInitCA(t)
	certPEM, keyPEM := MustIssue(t, dir, "DEMOINBB", "Demo Bank")
	caPEM := MustReadFile(t, filepath.Join(dir, pki.CACertFile))
	out := filepath.Join(t.TempDir(), "bank")

	certFile, keyFile, caFile, err := pki.WriteParticipantFiles(out, "DEMOINBB", certPEM, keyPEM, caPEM)
	if err != nil {
		t.Fatalf("WriteParticipantFiles = %v", err)
	}
	t.Run("Files", func(t *testing.T) {
		want := []struct {
			path string
			mode fs.FileMode
			data []byte
		}{
			{filepath.Join(out, "DEMOINBBXXX.crt"), 0o644, certPEM},
			{filepath.Join(out, "DEMOINBBXXX.key"), 0o600, keyPEM},
			{filepath.Join(out, "ca.crt"), 0o644, caPEM},
		}
		for i, got := range []string{certFile, keyFile, caFile} {
			if got != want[i].path {
				t.Errorf("path %d = %q; want %q", i, got, want[i].path)
			}
			fi, err := os.Stat(got)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != want[i].mode {
				t.Errorf("mode of %s = %v; want %v", got, fi.Mode().Perm(), want[i].mode)
			}
			if string(MustReadFile(t, got)) != string(want[i].data) {
				t.Errorf("%s does not hold what was given", got)
			}
		}
		if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("directory mode = %v, %v; want 0700", fi.Mode().Perm(), err)
		}
	})
	t.Run("ErrKeyExists", func(t *testing.T) {
		_, _, _, err := pki.WriteParticipantFiles(out, "DEMOINBBXXX", certPEM, keyPEM, caPEM)
		if !errors.Is(err, fs.ErrExist) {
			t.Errorf("WriteParticipantFiles again = %v; want fs.ErrExist", err)
		}
	})
	t.Run("SharedDirectory", func(t *testing.T) {
		certPEM, keyPEM := MustIssue(t, dir, "DEMOGB22", "Demo Bank UK")
		if _, _, _, err := pki.WriteParticipantFiles(out, "DEMOGB22", certPEM, keyPEM, caPEM); err != nil {
			t.Errorf("WriteParticipantFiles(second participant, same dir) = %v", err)
		}
	})
	t.Run("ErrBIC", func(t *testing.T) {
		_, _, _, err := pki.WriteParticipantFiles(out, "../../etc", certPEM, keyPEM, caPEM)
		if reason, _ := corridor.ReasonOf(err); reason != corridor.ReasonUnknownBIC {
			t.Errorf("WriteParticipantFiles(../../etc) = %v; want reason RC01", err)
		}
	})
	t.Run("ErrSwapped", func(t *testing.T) {
		_, _, _, err := pki.WriteParticipantFiles(out, "DEMOUS33", keyPEM, certPEM, caPEM)
		if err == nil {
			t.Error("WriteParticipantFiles(key and certificate swapped) = nil; want an error")
		}
		if _, err := os.Stat(filepath.Join(out, "DEMOUS33XXX.key")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a key file was written despite the error: %v", err)
		}
	})
}
