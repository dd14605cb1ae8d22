package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// ruleFromAnnotations reads the catalogue entry of the rule package pkg from the METADATA
// annotation of its module (custom rules at every run, built-in rules when catalogue_gen.go
// is generated).
func ruleFromAnnotations(file, pkg string, mod *ast.Module) (*Rule, error) {
	var ann *ast.Annotations
	for _, a := range mod.Annotations {
		if a.Scope == "package" {
			ann = a
		}
	}
	if ann == nil {
		return nil, fmt.Errorf("%s: package %s has no METADATA block (title, description, custom.id, custom.level)", file, pkg)
	}
	r := &Rule{Package: pkg, File: file, Title: ann.Title, Description: strings.TrimSpace(ann.Description), Engine: "rego"}
	for _, rr := range ann.RelatedResources {
		r.Related = append(r.Related, rr.Ref.String())
	}
	c := ann.Custom
	str := func(key string) string { v, _ := c[key].(string); return v }
	r.ID = str("id")
	if r.ID == "" {
		return nil, fmt.Errorf("%s: METADATA lacks custom.id", file)
	}
	at := file
	if ann.Location != nil {
		at = fmt.Sprintf("%s:%d:%d", file, ann.Location.Row, ann.Location.Col)
	}
	if why := validID(r.ID); why != "" {
		return nil, fmt.Errorf("%s: custom.id %q %s", at, r.ID, why)
	}
	if r.Title == "" {
		return nil, fmt.Errorf("%s: METADATA lacks a title", file)
	}
	lvl, err := finding.ParseLevel(str("level"), false)
	if err != nil {
		return nil, fmt.Errorf("%s: custom.level: %w", file, err)
	}
	r.Level = lvl
	if r.Levels, err = levelsOf(file, lvl, c["levels"]); err != nil {
		return nil, err
	}
	if err := r.readLists(file, at, c); err != nil {
		return nil, err
	}
	r.Source = str("source")
	r.Inference, _ = c["inference"].(bool)
	r.Fixable, _ = c["fixable"].(bool)
	if e := str("engine"); e != "" {
		r.Engine = e
	}
	return r, nil
}

// readLists reads custom.kinds, custom.requires and custom.needs, each a list of known names.
func (r *Rule) readLists(file, at string, c map[string]any) error {
	var err error
	if r.Kinds, err = stringList(file, "kinds", c); err != nil {
		return err
	}
	for _, k := range r.Kinds {
		if k != "parameter" && k != "opsitemgroup" {
			return fmt.Errorf("%s: custom.kinds: unknown kind %q (want parameter, opsitemgroup)", file, k)
		}
	}
	if r.Requires, err = stringList(file, "requires", c); err != nil {
		return err
	}
	for _, f := range r.Requires {
		if !slices.Contains([]string{"arn", "tier", "type", "key"}, f) {
			return fmt.Errorf("%s: custom.requires: unknown fact %q (want arn, tier, type, key)", file, f)
		}
	}
	if r.Needs, err = stringList(file, "needs", c); err != nil {
		return err
	}
	for _, k := range r.Needs {
		if !slices.Contains(StatementKeys(), k) {
			return fmt.Errorf("%s: custom.needs: unknown statement key %q (want %s)", at, k, strings.Join(StatementKeys(), ", "))
		}
	}
	return nil
}

// stringList reads custom.KEY as a list of strings; nil when it is not given.
func stringList(file, key string, c map[string]any) ([]string, error) {
	raw, ok := c[key]
	if !ok {
		return nil, nil
	}
	items, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: custom.%s must be a list of strings", file, key)
	}
	var out []string
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("%s: custom.%s must be a list of strings", file, key)
		}
		out = append(out, s)
	}
	return out, nil
}

// levelsOf reads custom.levels: the levels a rule's findings take, most severe first, the
// first being custom.level. Without it, the rule has its one level.
func levelsOf(file string, level finding.Level, raw any) ([]finding.Level, error) {
	if raw == nil {
		return []finding.Level{level}, nil
	}
	items, ok := raw.([]any)
	if !ok || len(items) == 0 {
		return nil, fmt.Errorf("%s: custom.levels must be a list of levels, the first being custom.level", file)
	}
	out := make([]finding.Level, 0, len(items))
	for i, it := range items {
		name, _ := it.(string)
		l, err := finding.ParseLevel(name, false)
		if err != nil {
			return nil, fmt.Errorf("%s: custom.levels: %w", file, err)
		}
		switch {
		case i == 0 && l != level:
			return nil, fmt.Errorf("%s: custom.levels starts with %s, but custom.level is %s: list the default level first", file, l, level)
		case i > 0 && l >= out[i-1]:
			return nil, fmt.Errorf("%s: custom.levels must go from the most severe to the least, each once", file)
		}
		out = append(out, l)
	}
	return out, nil
}
