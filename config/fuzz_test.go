package config

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse feeds the configuration reader arbitrary bytes: it must never panic, and an error
// it returns names the file, and a line and column inside it when it points at one.
func FuzzParse(f *testing.F) {
	f.Add([]byte("fail-on: warning\nrules:\n  principal-wildcard: {level: error}\n"))
	f.Add([]byte("accounts:\n  allowed: ['111122223333']\nsuppress:\n  - rule: version\n    path: a/*.json\n    reason: old\n    expires: 2026-01-01\n"))
	f.Add([]byte("apply: {promote: true}\nrules: [x]\n"))
	f.Add([]byte("a: 1\na: 2\n"))
	f.Add([]byte("{"))
	const path = "/repo/.ssmpolicy.yaml"
	f.Fuzz(func(t *testing.T, src []byte) {
		_, err := Parse(path, src)
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), path) {
			t.Fatalf("error does not name the file: %v", err)
		}
		var e *Error
		if errors.As(err, &e) {
			lines := strings.Count(string(src), "\n") + 1
			if e.Line < 1 || e.Line > lines || e.Column < 1 {
				t.Fatalf("error at %d:%d outside the %d-line file: %v", e.Line, e.Column, lines, err)
			}
		}
	})
}
