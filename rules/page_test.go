package rules

import (
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

func TestPage(t *testing.T) {
	withDoc := &Rule{ID: "x", Doc: "# x\n\nThe page."}
	if got := withDoc.Page(); got != "# x\n\nThe page.\n" {
		t.Errorf("README page = %q", got)
	}
	bare := &Rule{ID: "custom-owner", Level: finding.Warning, Title: "Owner tag", Description: "Every parameter names its owner.", DocsURL: "https://example.com/owner"}
	want := "# custom-owner\n\n**Level:** warning\n\n## Owner tag\n\nEvery parameter names its owner.\n\nMore: https://example.com/owner\n"
	if got := bare.Page(); got != want {
		t.Errorf("page from metadata:\n%s\nwant:\n%s", got, want)
	}
	bare.DocsURL = ""
	if got := bare.Page(); got != want[:len(want)-len("\nMore: https://example.com/owner\n")] {
		t.Errorf("page without a link = %q", got)
	}
}

// TestPageBuiltin checks that every built-in rule's page is its README.
func TestPageBuiltin(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Rules {
		if p := r.Page(); !strings.HasPrefix(p, "# "+r.ID+"\n") {
			t.Errorf("%s: page starts %.40q", r.ID, p)
		}
	}
}
