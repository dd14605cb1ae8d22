package input

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

func TestManifestItems(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		items int // -1: read whole
	}{
		{"indented items", "resources:\n  - arn: a\n    policy: p\n  - arn: b\n    policy: q\n", 2},
		{"items at column 0", "resources:\n- arn: a\n  policy: p\n- arn: b\n  policy: q\n", 2},
		{"comments and a document start", "# shared\n---\nresources: # the list\n  # first\n  - arn: a\n\n  - arn: b\n", 2},
		{"CRLF", "resources:\r\n  - arn: a\r\n  - arn: b\r\n", 2},
		{"flow style", "resources: [{arn: a}]\n", -1},
		{"another top-level key", "resources:\n  - arn: a\nother: 1\n", -1},
		{"key before the list", "version: 1\nresources:\n  - arn: a\n", -1},
		{"anchors", "resources:\n  - &x {arn: a}\n  - *x\n", -1},
		{"second document", "resources:\n  - arn: a\n---\nresources: []\n", -1},
		{"tab indentation", "resources:\n\t- arn: a\n", -1},
		{"empty list", "resources:\n", -1},
	}
	for _, tc := range tests {
		items, ok := manifestItems([]byte(tc.src))
		got := len(items)
		if !ok {
			got = -1
		}
		if got != tc.items {
			t.Errorf("%s: %d items, want %d", tc.name, got, tc.items)
		}
	}
}

// TestStreamManifestMatchesWhole reads the same manifests item by item and whole, and checks
// that the targets, their places and the problems agree.
func TestStreamManifestMatchesWhole(t *testing.T) {
	srcs := []string{
		"resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/a\n    parameter: {tier: Standard, type: String}\n    policy: p.json\n    ignore: [version]\n  # a comment\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/b\n    policy:\n      Statement:\n        - Effect: Allow\n          Effect: Deny\n    parameter:\n      tier: Advanced\n      tierr: x\n",
		"resources:\n- arn: arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default\n  policy: '{\"Statement\": [{\"Sid\": \"é\"}]}'\n- 42\n- arn: x\n",
	}
	r, err := NewReader(Context{})
	if err != nil {
		t.Fatal(err)
	}
	for n, src := range srcs {
		if _, ok := manifestItems([]byte(src)); !ok {
			t.Fatalf("case %d is not read item by item", n)
		}
		f := jsonpos.NewFile("m.yaml", []byte(src))
		whole, err := r.Read(f)
		if err != nil {
			t.Fatal(err)
		}
		var streamed []*Target
		res, err := r.StreamManifest(f, func(t *Target) bool { streamed = append(streamed, t); return true })
		if err != nil {
			t.Fatal(err)
		}
		if describe(whole.Targets) != describe(streamed) {
			t.Errorf("case %d: targets differ:\nwhole:    %s\nstreamed: %s", n, describe(whole.Targets), describe(streamed))
		}
		if problems(whole.Problems) != problems(res.Problems) {
			t.Errorf("case %d: problems differ:\nwhole:    %s\nstreamed: %s", n, problems(whole.Problems), problems(res.Problems))
		}
		if strings.Join(whole.Refs, ",") != strings.Join(res.Refs, ",") {
			t.Errorf("case %d: refs %v vs %v", n, whole.Refs, res.Refs)
		}
	}
}

func describe(ts []*Target) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "[%s@%v %s@%v %s %v ref=%s policy=%v problems=%s ignore=%d] ", t.ARN.Value, t.ARN.Loc.Span, t.Tier.Value, t.Tier.Loc.Span,
			jsonpos.Pointer(t.Origin.Path), t.Origin.Span, t.PolicyRef, t.Policy != nil, problems(t.Problems), len(t.Ignore))
	}
	return b.String()
}

func problems(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s@%v:%s; ", p.Rule, p.Loc.Span, p.Message)
	}
	return b.String()
}
