package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra/doc"
)

// manDate is the date the man pages carry. It is fixed so that generating them twice gives the
// same files (cobra would write today's date); change it when the pages change.
var manDate = time.Date(2026, time.November, 25, 0, 0, 0, 0, time.UTC)

// ManPages returns the man pages of every command, by file name (ssmpolicy.1,
// ssmpolicy-check.1, ...), generated from the command tree with cobra/doc, so that they say
// what --help says.
func ManPages() (map[string][]byte, error) {
	env := Env{Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false },
		StdinIsTerminal: func() bool { return false }, Now: func() time.Time { return manDate }}
	root := newRoot(&env)
	root.DisableAutoGenTag = true
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	dir, err := os.MkdirTemp("", "ssmpolicy-man-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	date := manDate
	header := &doc.GenManHeader{Title: "SSMPOLICY", Section: "1", Source: "ssmpolicy", Manual: "ssmpolicy manual", Date: &date}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return nil, fmt.Errorf("generate man pages: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	pages := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		// The working directory may show up in a default; it is never part of a page.
		if wd, err := os.Getwd(); err == nil && wd != "" {
			b = bytes.ReplaceAll(b, []byte(wd), []byte("."))
		}
		pages[e.Name()] = b
	}
	return pages, nil
}

// isManPage tells the files ManPages writes.
func isManPage(name string) bool { return strings.HasSuffix(name, ".1") }
