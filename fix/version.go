package fix

import (
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// currentVersion is the policy language version the fix writes.
const currentVersion = "2012-10-17"

// fixVersion adds "Version": "2012-10-17" to a policy that has none, as its first key,
// written as its siblings are: on its own line with their indentation when they are on
// theirs, quoted as the first key is. A Version with another value is left for the user: a
// policy written for the 2008-10-17 grammar can mean something else under the current one.
func fixVersion(t *input.Target, f finding.Finding) ([]Edit, func(any) any, bool) {
	pol := t.Policy
	if f.Pointer != "" || pol.Kind != jsonpos.Object {
		return nil, nil, false
	}
	for _, m := range pol.Members {
		if strings.EqualFold(m.Key, "Version") {
			return nil, nil, false // a misspelt Version is not a missing one
		}
	}
	change := func(v any) any {
		m, ok := v.(map[string]any)
		if ok {
			m["Version"] = currentVersion
		}
		return v
	}
	src := t.PolicyFile.Src
	open := pol.Span.Start
	flow := src[open] == '{'
	if len(pol.Members) == 0 {
		if !flow {
			return nil, nil, false
		}
		return []Edit{{Start: open + 1, End: open + 1, New: `"Version": "` + currentVersion + `"`}}, change, true
	}
	first := pol.Members[0].KeySpan.Start
	if first <= open && flow {
		return nil, nil, false
	}
	member := keyLike("Version", src[first]) + `: "` + currentVersion + `"`
	if flow {
		between := src[open+1 : first]
		if !blank(between) {
			return nil, nil, false // a comment in a YAML flow mapping: leave it to the user
		}
		sep := string(between)
		if sep == "" {
			sep = " "
		}
		return []Edit{{Start: first, End: first, New: member + "," + sep}}, change, true
	}
	indent, ok := blockIndent(src[lineStart(src, first):first])
	if !ok {
		return nil, nil, false
	}
	return []Edit{{Start: first, End: first, New: member + newline(src, first) + indent}}, change, true
}

// keyLike writes key quoted as the key starting with the byte c is.
func keyLike(key string, c byte) string {
	switch c {
	case '"':
		return `"` + key + `"`
	case '\'':
		return "'" + key + "'"
	}
	return key
}
