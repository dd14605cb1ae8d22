package safefile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadRegular(t *testing.T) {
	p := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(p, []byte(`{"Statement": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Read(p, Limit)
	if err != nil || string(b) != `{"Statement": []}` {
		t.Fatalf("Read = %q, %v", b, err)
	}
}

// TestReadFIFO: a named pipe with no writer is refused at once instead of blocking the run.
func TestReadFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo.json")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Read(p, Limit); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") {
			t.Fatalf("Read(fifo) = %v, want a named-pipe refusal", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Read blocked on a named pipe")
	}
}

func TestReadDevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := Read("/dev/zero", Limit)
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "device") {
		t.Fatalf("Read(/dev/zero) = %v, want a device refusal", err)
	}
}

func TestReadAllLimit(t *testing.T) {
	if b, err := ReadAll(bytes.NewReader(make([]byte, 10)), 10); err != nil || len(b) != 10 {
		t.Fatalf("at the limit: %d bytes, %v", len(b), err)
	}
	if _, err := ReadAll(bytes.NewReader(make([]byte, 11)), 10); err == nil {
		t.Fatal("over the limit: no error")
	}
	big := strings.NewReader(strings.Repeat(" ", Limit+1))
	if _, err := ReadAll(big, Limit); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "32 MiB") {
		t.Fatalf("over 32 MiB: %v, want ErrTooLarge naming the limit", err)
	}
}
