package apply

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// document is a parsed policy, normalised so that forms IAM treats as equal
// compare equal.
type document struct {
	tree any // normalised JSON tree
}

// parseDocument parses one JSON value (numbers kept as written) and
// normalises it.
func parseDocument(b []byte) (document, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return document{}, fmt.Errorf("not valid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return document{}, errors.New("not valid JSON: text after the policy")
	}
	if _, ok := v.(map[string]any); !ok {
		return document{}, errors.New("not a JSON object")
	}
	return document{tree: normalizePolicy(v)}, nil
}

// equal reports whether two documents mean the same as far as this package
// can tell without evaluating them. It errs towards "different": a false
// "different" costs one harmless write, a false "equal" would skip a change.
func (d document) equal(o document) bool { return reflect.DeepEqual(d.tree, o.tree) }

// normalizePolicy rewrites the forms IAM treats as equal into one form:
// a single statement object becomes a one-element list, a string becomes a
// one-element list, lists of strings become sorted sets, and account
// principals in root-ARN form become the bare account id. Statement order
// and everything else (Version, case, condition operators) is kept: those
// may matter, or at least the user should see them change.
func normalizePolicy(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, val := range m {
		if k != "Statement" {
			out[k] = val
			continue
		}
		var stmts []any
		switch s := val.(type) {
		case map[string]any:
			stmts = []any{s}
		case []any:
			stmts = s
		default:
			out[k] = val
			continue
		}
		norm := make([]any, len(stmts))
		for i, s := range stmts {
			norm[i] = normalizeStatement(s)
		}
		out[k] = norm
	}
	return out
}

func normalizeStatement(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, val := range m {
		switch k {
		case "Action", "NotAction", "Resource", "NotResource":
			out[k] = stringSet(val, nil)
		case "Principal", "NotPrincipal":
			out[k] = normalizePrincipal(val)
		case "Condition":
			out[k] = normalizeCondition(val)
		default:
			out[k] = val
		}
	}
	return out
}

func normalizePrincipal(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v // "*"
	}
	out := make(map[string]any, len(m))
	for k, val := range m {
		if k == "AWS" {
			out[k] = stringSet(val, accountID)
		} else {
			out[k] = stringSet(val, nil)
		}
	}
	return out
}

// normalizeCondition treats condition values as IAM does, as strings: true
// and "true" are the same value, and a value list is a set.
func normalizeCondition(v any) any {
	ops, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(ops))
	for op, keys := range ops {
		km, ok := keys.(map[string]any)
		if !ok {
			out[op] = keys
			continue
		}
		nk := make(map[string]any, len(km))
		for key, val := range km {
			nk[key] = stringSet(val, scalarString)
		}
		out[op] = nk
	}
	return out
}

// stringSet turns a string or a list of strings into a sorted, duplicate-free
// []any of strings, mapping each element through conv when conv is not nil.
// Anything else (a number, an object, a list holding one) is returned as it
// is, so it only compares equal to the identical value.
func stringSet(v any, conv func(any) (string, bool)) any {
	if conv == nil {
		conv = func(e any) (string, bool) { s, ok := e.(string); return s, ok }
	}
	var elems []any
	switch t := v.(type) {
	case []any:
		elems = t
	default:
		elems = []any{t}
	}
	set := make([]string, 0, len(elems))
	for _, e := range elems {
		s, ok := conv(e)
		if !ok {
			return v
		}
		set = append(set, s)
	}
	sort.Strings(set)
	set = slices.Compact(set)
	out := make([]any, len(set))
	for i, s := range set {
		out[i] = s
	}
	return out
}

func accountID(e any) (string, bool) {
	s, ok := e.(string)
	if !ok {
		return "", false
	}
	if id, ok := rootAccount(s); ok {
		return id, true
	}
	return s, true
}

// rootAccount returns the account of arn:PARTITION:iam::ACCOUNT:root, in any
// partition; IAM treats that principal as the bare 12-digit account id.
func rootAccount(s string) (string, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[3] != "" || parts[5] != "root" ||
		!isPartition(parts[1]) || !IsAccountID(parts[4]) {
		return "", false
	}
	return parts[4], true
}

func isPartition(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func scalarString(e any) (string, bool) {
	switch t := e.(type) {
	case string:
		return t, true
	case bool:
		if t {
			return "true", true
		}
		return "false", true
	case json.Number:
		return t.String(), true
	}
	return "", false
}

// statements returns the normalised statement objects.
func (d document) statements() []map[string]any {
	m, _ := d.tree.(map[string]any)
	list, _ := m["Statement"].([]any)
	var out []map[string]any
	for _, s := range list {
		if sm, ok := s.(map[string]any); ok {
			out = append(out, sm)
		}
	}
	return out
}

// sids returns the set of statement ids, sorted; nil when no statement has
// one.
func (d document) sids() []string {
	var out []string
	for _, s := range d.statements() {
		if sid, ok := s["Sid"].(string); ok && sid != "" {
			out = append(out, sid)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// Grants are what the Allow statements of a policy give: who, which actions,
// on which resources. Account principals appear as 12-digit ids (root ARNs
// folded in); other principals as written, prefixed by their type when it is
// not AWS ("Service:ssm.amazonaws.com"). Entries of NotPrincipal, NotAction
// and NotResource, which grant everything but the entry, carry a "NOT "
// prefix so they are never mistaken for the entry itself.
type Grants struct {
	Principals []string `json:"principals,omitempty"`
	Actions    []string `json:"actions,omitempty"`
	Resources  []string `json:"resources,omitempty"`
}

// Empty reports whether g lists nothing.
func (g Grants) Empty() bool {
	return len(g.Principals) == 0 && len(g.Actions) == 0 && len(g.Resources) == 0
}

// grants collects the union of what the Allow statements grant.
func (d document) grants() Grants {
	var p, a, r []string
	for _, s := range d.statements() {
		if s["Effect"] != "Allow" {
			continue
		}
		p = append(p, principalEntries(s["Principal"], "")...)
		p = append(p, principalEntries(s["NotPrincipal"], "NOT ")...)
		a = append(a, stringEntries(s["Action"], "")...)
		a = append(a, stringEntries(s["NotAction"], "NOT ")...)
		r = append(r, stringEntries(s["Resource"], "")...)
		r = append(r, stringEntries(s["NotResource"], "NOT ")...)
	}
	return Grants{Principals: sortedSet(p), Actions: sortedSet(a), Resources: sortedSet(r)}
}

func principalEntries(v any, prefix string) []string {
	switch t := v.(type) {
	case string:
		return []string{prefix + t}
	case map[string]any:
		var out []string
		for typ, vals := range t {
			for _, s := range stringEntries(vals, "") {
				if typ != "AWS" {
					s = typ + ":" + s
				}
				out = append(out, prefix+s)
			}
		}
		return out
	}
	return nil
}

func stringEntries(v any, prefix string) []string {
	var out []string
	switch t := v.(type) {
	case string:
		out = append(out, prefix+t)
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, prefix+s)
			}
		}
	}
	return out
}

func sortedSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	sort.Strings(s)
	return slices.Compact(s)
}

// diffGrants returns what after adds to before and what it takes away.
func diffGrants(before, after Grants) (added, removed Grants) {
	added = Grants{
		Principals: minus(after.Principals, before.Principals),
		Actions:    minus(after.Actions, before.Actions),
		Resources:  minus(after.Resources, before.Resources),
	}
	removed = Grants{
		Principals: minus(before.Principals, after.Principals),
		Actions:    minus(before.Actions, after.Actions),
		Resources:  minus(before.Resources, after.Resources),
	}
	return added, removed
}

func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
