package fix

import (
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

func handMade(src string, rule string, edits []Edit, change func(any) any) Fix {
	f := jsonpos.NewFile("p.json", []byte(src))
	return Fix{Finding: finding.Finding{Rule: rule, File: "p.json", Start: jsonpos.Pos{Line: 1, Column: 1}}, file: f, edits: edits, change: change}
}

func addVersion(v any) any {
	v.(map[string]any)["Version"] = "2012-10-17"
	return v
}

// TestVerification: a fix is kept only when the edited file reads as intended.
func TestVerification(t *testing.T) {
	const src = `{"Statement": []}`
	insert := []Edit{{Start: 1, End: 1, New: `"Version": "2012-10-17", `}}
	for _, c := range []struct {
		name  string
		fixes []Fix
		fixed int
		why   string
	}{
		{"right", []Fix{handMade(src, "version", insert, addVersion)}, 1, ""},
		{"the change is not what the edit does", []Fix{handMade(src, "version", insert, func(v any) any { return v })}, 0, "would not read as the fix intends"},
		{"the edit breaks the file", []Fix{handMade(src, "version", []Edit{{Start: 1, End: 1, New: `"Version": `}}, addVersion)}, 0, "would not parse"},
		{"the edit repeats a key", []Fix{handMade(src, "version", []Edit{{Start: 1, End: 1, New: `"Statement": [], `}}, func(v any) any { return v })}, 0, "would read differently"},
		{"two edits at one place", []Fix{
			handMade(src, "version", insert, addVersion),
			handMade(src, "other", []Edit{{Start: 1, End: 1, New: `"Id": "x", `}}, func(v any) any { v.(map[string]any)["Id"] = "x"; return v }),
		}, 1, "overlaps another fix"},
		{"one good, one bad", []Fix{
			handMade(src, "version", insert, addVersion),
			handMade(src, "other", []Edit{{Start: 15, End: 15, New: `1`}}, func(v any) any { return v }),
		}, 1, "would not read as the fix intends"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := resolve(c.fixes)
			if len(out.Fixed) != c.fixed || (c.why == "") != (len(out.Dropped) == 0) ||
				c.why != "" && !strings.Contains(strings.Join(out.Dropped, "\n"), c.why) {
				t.Errorf("fixed %d, dropped %q; want %d fixed and %q", len(out.Fixed), out.Dropped, c.fixed, c.why)
			}
			if c.fixed == 0 && out.New != nil {
				t.Errorf("new text with nothing fixed: %s", out.New)
			}
		})
	}
}

// TestManyFixesFailingTogether: past maxOneByOne fixes, a file whose fixes do not verify
// together is left whole rather than read once per fix.
func TestManyFixesFailingTogether(t *testing.T) {
	const src = `{"Statement": []}`
	var fixes []Fix
	for i := range maxOneByOne + 1 {
		fixes = append(fixes, handMade(src, "r"+strings.Repeat("x", i), []Edit{{Start: 1, End: 1, New: `"Version": "2012-10-17", `}}, func(v any) any { return v }))
	}
	out := resolve(fixes)
	if len(out.Fixed) != 0 || len(out.Dropped) != len(fixes) || !strings.Contains(out.Dropped[0], "do not verify together") {
		t.Errorf("fixed %d, dropped %d: %q", len(out.Fixed), len(out.Dropped), out.Dropped[:1])
	}
}
