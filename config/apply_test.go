package config

import (
	"strings"
	"testing"
)

func TestApplySection(t *testing.T) {
	c := parse(t, "apply:\n  promote: true\n")
	if !c.Apply.Promote {
		t.Fatalf("apply.promote not read: %+v", c.Apply)
	}
	if c := parse(t, "apply: {promote: false}\n"); c.Apply.Promote {
		t.Fatalf("promote: false read as true")
	}
	if c := parse(t, "fail_on: error\n"); c.Apply.Promote {
		t.Fatalf("promote on without an apply section")
	}
	for src, want := range map[string]string{
		"apply:\n  promote: yes please\n": "x.yaml:2:12: apply.promote must be a boolean",
		"apply:\n  promot: true\n":        "x.yaml:2:3: unknown element \"promot\"",
		"apply: true\n":                   "x.yaml:1:8: apply must be an object",
	} {
		_, err := Parse("x.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", src, err, want)
		}
	}
}
