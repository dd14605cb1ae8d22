package linter

import (
	"strings"
	"unicode/utf8"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// This file places a finding the rules report: the element of the policy, or the fact of the
// target, it is about, and the excerpt and Sid that go with it.

// place turns a rule's {path, at} into a location in a file and a JSON pointer, and, for a
// finding about a fact of the target that no file gave (a flag, or --live), a note saying
// where the fact came from.
func (e *Engine) place(t *input.Target, f map[string]any) (input.Location, string, string) {
	var path []any
	if raw, ok := f["path"].([]any); ok {
		for _, step := range raw {
			if s, ok := step.(string); ok {
				path = append(path, s)
			} else if i, ok := intOf(step); ok {
				path = append(path, i)
			}
		}
	}
	if fa, name, ok := factOf(t, f); ok {
		note := ""
		if fa.From != "" {
			note = name + " from " + fa.From
		}
		if fa.Loc.Known() {
			return fa.Loc, jsonpos.Pointer(fa.Loc.Path), note
		}
		return t.Origin, jsonpos.Pointer(t.Origin.Path), note
	}
	switch at, _ := f["at"].(string); at {
	case "document":
		return t.PolicyLoc, jsonpos.Pointer(t.PolicyLoc.Path), ""
	case "origin":
		return t.Origin, jsonpos.Pointer(t.Origin.Path), ""
	}
	// A finding about a key (an operator, a condition key, an element that should not be
	// there) says so with key: true, and points at the key rather than at its value.
	onKey, _ := f["key"].(bool)
	span := t.Policy.SpanAt(path, onKey)
	if len(path) == 0 {
		// A finding on the policy as a whole says something is missing from it: mark where
		// the policy opens rather than underlining all of it. ("document" marks it all.)
		span.End = min(span.End, span.Start+1)
	}
	return input.Location{File: t.PolicyFile, Span: span, Path: path}, jsonpos.Pointer(path), ""
}

// intOf reads a number of a rule's finding (OPA gives json.Number) as an int.
func intOf(v any) (int, bool) {
	n, ok := v.(interface{ Int64() (int64, error) })
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return int(i), err == nil
}

// factOf is the fact a finding's `at` names, and what the fact is called. "tier_branch" is
// the branch of the tier's Fn::If that the finding's `branch` (its index) names.
func factOf(t *input.Target, f map[string]any) (input.Fact, string, bool) {
	switch at, _ := f["at"].(string); at {
	case "tier_branch":
		if i, ok := intOf(f["branch"]); ok && i >= 0 && i < len(t.TierBranches) {
			return t.TierBranches[i].Fact, "tier", true
		}
		return t.Tier, "tier", true
	case "arn":
		return t.ARN, "resource ARN", true
	case "tier":
		return t.Tier, "tier", true
	case "type":
		return t.Type, "type", true
	case "key":
		return t.KeyID, "KMS key", true
	}
	return input.Fact{}, "", false
}

// factWritten reports whether the fact a finding is about is written in a file: its place
// then holds the fact, whatever gave the value.
func factWritten(t *input.Target, f map[string]any) bool {
	fa, _, ok := factOf(t, f)
	return ok && fa.Loc.Known()
}

// add places a finding of rule on t at loc: its file, line and column, the resource and the
// statement it is about.
func (*Engine) add(out []finding.Finding, t *input.Target, rule, msg string, loc input.Location, pointer string) []finding.Finding {
	f := finding.Finding{Rule: rule, Message: msg, Pointer: pointer}
	if t.ARN.Known {
		f.Resource = strings.ReplaceAll(t.ARN.Value, input.Unknown, "<unknown>")
	}
	if loc.File != nil {
		f.File = loc.File.Name
		f.Start, f.End = loc.File.Pos(loc.Span.Start), loc.File.Pos(loc.Span.End)
		f.Source = finding.ExcerptOf(loc.File, f.Start, f.End)
		if rule == rules.InvalidJSON {
			// The file is not what it should be (a secret, a binary): show only the start of
			// the excerpt, never all of it.
			if short := shortPrefix(f.Source.Text, maxInvalidExcerpt); short != f.Source.Text || f.Source.Tail != "" {
				f.Source.Text, f.Source.Tail, f.Source.More = short, "", true
			}
		}
	}
	if loc.File == t.PolicyFile && t.Policy != nil {
		f.Sid = sidAt(t.Policy, loc.Path)
	}
	return append(out, f)
}

// maxInvalidExcerpt is how many bytes of a line that does not parse a finding shows.
const maxInvalidExcerpt = 80

// shortPrefix cuts s to at most n bytes, at a character boundary.
func shortPrefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// unknownAt reports whether the element at path holds a part known only at deploy time.
func unknownAt(root *jsonpos.Node, path []any) bool {
	n, depth := root.Resolve(path)
	if depth != len(path) {
		return false
	}
	found := false
	jsonpos.Walk(n, func(_ []any, x *jsonpos.Node) {
		if x.Kind == jsonpos.String && strings.Contains(x.Text, input.Unknown) {
			found = true
		}
	})
	return found
}

// sidAt is the Sid of the statement a path is in.
func sidAt(policy *jsonpos.Node, path []any) string {
	if len(path) == 0 || path[0] != "Statement" {
		return ""
	}
	stmt := policy.Get("Statement")
	if stmt != nil && stmt.Kind == jsonpos.Array {
		i, ok := 0, false
		if len(path) > 1 {
			i, ok = path[1].(int)
		}
		if !ok || i >= len(stmt.Items) {
			return ""
		}
		stmt = stmt.Items[i]
	}
	if sid := stmt.Get("Sid"); sid != nil && sid.Kind == jsonpos.String {
		return sid.Text
	}
	return ""
}
