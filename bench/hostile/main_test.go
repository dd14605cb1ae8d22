package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteIsDeterministic writes the inputs twice at a small scale: the same files with the
// same bytes, and only empty.json empty.
func TestWriteIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := write(dir, 0.01); err != nil {
			t.Fatal(err)
		}
	}
	names, err := filepath.Glob(filepath.Join(a, "*"))
	if err != nil || len(names) < 20 {
		t.Fatalf("%d inputs written (%v)", len(names), err)
	}
	for _, p := range names {
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, filepath.Base(p)))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", filepath.Base(p))
		}
		if len(x) == 0 && filepath.Base(p) != "empty.json" {
			t.Errorf("%s is empty", filepath.Base(p))
		}
	}
}
