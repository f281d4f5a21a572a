package pki_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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

// mustMode fails unless path has the permission bits want.
func mustMode(tb testing.TB, path string, want fs.FileMode) {
	tb.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		tb.Errorf("mode of %s = %04o; want %04o", path, fi.Mode().Perm(), want)
	}
}

// TestParticipantRequestThenCertificate is the bank keeping its key: it
// writes its key and request, the CA signs the request, and the bank writes
// the certificate beside its key.
func TestParticipantRequestThenCertificate(t *testing.T) {
	dir := MustInitCA(t)
	caPEM := MustReadFile(t, filepath.Join(dir, pki.CACertFile))
	bank := filepath.Join(t.TempDir(), "bank")
	keyPEM, csrPEM, err := pki.NewParticipantKey("DEMOINBB", "Demo Bank")
	if err != nil {
		t.Fatal(err)
	}
	keyFile, csrFile, err := pki.WriteParticipantRequest(bank, "DEMOINBB", keyPEM, csrPEM)
	if err != nil {
		t.Fatalf("WriteParticipantRequest = %v", err)
	}
	mustMode(t, bank, 0o700)
	mustMode(t, keyFile, 0o600)
	mustMode(t, csrFile, 0o644)
	if keyFile != filepath.Join(bank, "DEMOINBBXXX.key") || csrFile != filepath.Join(bank, "DEMOINBBXXX.csr") {
		t.Errorf("WriteParticipantRequest wrote %s and %s", keyFile, csrFile)
	}
	if _, _, err := pki.WriteParticipantRequest(bank, "DEMOINBB", keyPEM, csrPEM); !errors.Is(err, fs.ErrExist) {
		t.Errorf("WriteParticipantRequest again = %v; want fs.ErrExist", err)
	}
	ca, err := pki.LoadCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	certPEM, err := ca.IssueParticipant(MustReadFile(t, csrFile), "DEMOINBB", "Demo Bank", now)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrOtherKey", func(t *testing.T) {
		otherPEM, _ := MustIssue(t, dir, "DEMOINBB", "Demo Bank")
		_, _, err := pki.WriteParticipantCertificate(bank, "DEMOINBB", otherPEM, caPEM)
		if err == nil || !strings.Contains(err.Error(), "not for the key") {
			t.Errorf("WriteParticipantCertificate(another key's certificate) = %v; want a refusal", err)
		}
	})
	certFile, caFile, err := pki.WriteParticipantCertificate(bank, "DEMOINBB", certPEM, caPEM)
	if err != nil {
		t.Fatalf("WriteParticipantCertificate = %v", err)
	}
	mustMode(t, certFile, 0o644)
	if _, err := pki.ClientTLSConfig(certFile, keyFile, caFile); err != nil {
		t.Errorf("ClientTLSConfig over the bank's files = %v", err)
	}
	t.Run("KeyElsewhere", func(t *testing.T) {
		if _, _, err := pki.WriteParticipantCertificate(t.TempDir(), "DEMOINBB", certPEM, caPEM); err != nil {
			t.Errorf("WriteParticipantCertificate without the key beside it = %v", err)
		}
	})
	t.Run("ErrNotARequest", func(t *testing.T) {
		if _, _, err := pki.WriteParticipantRequest(t.TempDir(), "DEMOINBB", keyPEM, certPEM); err == nil {
			t.Error("WriteParticipantRequest(a certificate as the request) = nil; want an error")
		}
	})
}

func TestWriteKey(t *testing.T) {
	keyPEM, _, err := pki.NewOperatorKey("night-shift")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "night-shift.key")
	if err := pki.WriteKey(path, keyPEM); err != nil {
		t.Fatalf("WriteKey = %v", err)
	}
	mustMode(t, path, 0o600)
	if err := pki.WriteKey(path, keyPEM); !errors.Is(err, fs.ErrExist) {
		t.Errorf("WriteKey over a key = %v; want fs.ErrExist", err)
	}
	if err := pki.WriteKey(filepath.Join(t.TempDir(), "x.key"), []byte("not a key")); err == nil || strings.Contains(err.Error(), "not a key") {
		t.Errorf("WriteKey(not a key) = %v; want an error that does not echo the input", err)
	}
}

// TestKeyFileModes checks that every load of a private key refuses a file
// that group or others may read, naming it and the fix.
func TestKeyFileModes(t *testing.T) {
	dir := MustInitCA(t)
	load := map[string]func() error{
		pki.CAKeyFile: func() error { _, err := pki.LoadCA(dir); return err },
		pki.HubKeyFile: func() error {
			if _, err := pki.ServerTLSConfig(dir); err != nil {
				return err
			}
			_, err := pki.LoadHubSigner(dir)
			return err
		},
		pki.OperatorKeyFile: func() error {
			_, err := pki.ClientTLSConfig(filepath.Join(dir, pki.OperatorCertFile), filepath.Join(dir, pki.OperatorKeyFile),
				filepath.Join(dir, pki.CACertFile))
			return err
		},
	}
	for file, load := range load {
		path := filepath.Join(dir, file)
		for _, mode := range []fs.FileMode{0o640, 0o604, 0o620, 0o644} {
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			err := load()
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "chmod 600 "+path) {
				t.Errorf("loading %s with mode %04o = %v; want a refusal naming it and chmod 600", file, mode, err)
			}
		}
		for _, mode := range []fs.FileMode{0o600, 0o400} {
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			if err := load(); err != nil {
				t.Errorf("loading %s with mode %04o = %v", file, mode, err)
			}
		}
	}
}
