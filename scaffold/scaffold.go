// Package scaffold writes the starting files of `ssmpolicy init`: a commented configuration,
// and a manifest listing the policy files of a tree with the ARN each one's Resource names.
package scaffold

import (
	_ "embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/ssmarn"
)

// Config is the commented .ssmpolicy.yaml init writes: every key with its default, and the
// other settings as comments to uncomment.
//
//go:embed config.yaml
var Config []byte

// Policy is a policy file found in the tree, with the resource its Resource names.
type Policy struct {
	// Path is the file, as found by the walk.
	Path string
	// ARN is the one parameter or OpsItemGroup the policy's Resource names; empty when it
	// names none, several, or one only in part (a wildcard). Why says why.
	ARN, Why string
}

// maxFile bounds what the walk reads: a policy is at most a few kilobytes.
const maxFile = 1 << 20

// FindPolicies walks paths for JSON policy files (as check walks directories) and returns
// them in path order, leaving out those a manifest in the tree already names.
func FindPolicies(paths []string) ([]Policy, error) {
	reader, err := input.NewReader(input.Context{})
	if err != nil {
		return nil, err
	}
	var found []Policy
	named := map[string]bool{}
	visit := func(p string) error {
		ext := strings.ToLower(filepath.Ext(p))
		if ext != ".json" && ext != ".yaml" && ext != ".yml" {
			return nil
		}
		info, err := os.Stat(p)
		if err != nil || info.Size() > maxFile {
			return nil // not a policy: check reports unreadable files, init only looks
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		res, err := reader.Read(jsonpos.NewFile(p, src))
		if err != nil {
			return nil
		}
		switch res.Kind {
		case input.Manifest:
			for _, r := range res.Refs {
				named[abs(r)] = true
			}
		case input.Policy:
			if ext == ".json" && len(res.Targets) == 1 && res.Targets[0].Policy != nil {
				arn, why := GuessARN(res.Targets[0].Policy)
				found = append(found, Policy{Path: p, ARN: arn, Why: why})
			}
		}
		return nil
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("find policies: %w", err)
		}
		if !info.IsDir() {
			if err := visit(root); err != nil {
				return nil, err
			}
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				switch d.Name() {
				case ".git", "vendor", "node_modules":
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			return visit(p)
		})
		if err != nil {
			return nil, fmt.Errorf("find policies in %s: %w", root, err)
		}
	}
	found = slices.DeleteFunc(found, func(p Policy) bool { return named[abs(p.Path)] })
	slices.SortFunc(found, func(a, b Policy) int { return strings.Compare(a.Path, b.Path) })
	return slices.CompactFunc(found, func(a, b Policy) bool { return a.Path == b.Path }), nil
}

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// GuessARN returns the one SSM parameter or OpsItemGroup the policy's Resource elements name.
// An OpsItemGroup's policy also names the OpsItems it covers (opsitem/*): the group is the
// resource. Anything else (no Resource, several, a wildcard in the name) is no guess, with the
// reason.
func GuessARN(policy *jsonpos.Node) (arn, why string) {
	var stmts []*jsonpos.Node
	switch st := policy.Get("Statement"); {
	case st == nil:
	case st.Kind == jsonpos.Array:
		stmts = st.Items
	case st.Kind == jsonpos.Object:
		stmts = []*jsonpos.Node{st}
	}
	var params, groups []string
	partial := false
	for _, st := range stmts {
		res := st.Get("Resource")
		if res == nil {
			continue
		}
		values := []*jsonpos.Node{res}
		if res.Kind == jsonpos.Array {
			values = res.Items
		}
		for _, v := range values {
			if v.Kind != jsonpos.String {
				continue
			}
			a, err := ssmarn.Parse(v.Text)
			if err != nil {
				continue
			}
			wild := strings.ContainsAny(v.Text, "*?")
			switch {
			case a.IsParameter() && wild, a.IsOpsItemGroup() && wild:
				partial = true
			case a.IsParameter():
				params = appendNew(params, v.Text)
			case a.IsOpsItemGroup():
				groups = appendNew(groups, v.Text)
			}
		}
	}
	all := append(append([]string{}, params...), groups...)
	switch {
	case len(all) == 1:
		return all[0], ""
	case len(all) > 1:
		return "", "the policy's Resource names " + strconv.Itoa(len(all)) + " resources; a policy is for one"
	case partial:
		return "", "the policy's Resource names its resource with a wildcard"
	}
	return "", "the policy's Resource names no SSM parameter or OpsItemGroup"
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// Manifest writes a manifest for the policies, with paths relative to dir (where the
// manifest is written). Facts no file states are left as comments for the user or --live.
func Manifest(dir string, policies []Policy) []byte {
	var b strings.Builder
	b.WriteString(`# ssmpolicy manifest: the resources whose policies ssmpolicy checks and applies.
# Written by ssmpolicy init from the policy files it found; see docs/inputs.md.
#
# Each ARN was read from the policy's Resource. The facts about a parameter (tier, type,
# KMS key) are in no policy file: write them under parameter:, or let
# ` + "`ssmpolicy check --live`" + ` read them from AWS.
resources:
`)
	for _, p := range policies {
		rel := p.Path
		if r, err := filepath.Rel(dir, abs(p.Path)); err == nil {
			rel = r
		}
		rel = filepath.ToSlash(rel)
		if p.ARN == "" {
			fmt.Fprintf(&b, "  - arn: \"\"  # write the ARN here: %s\n", p.Why)
		} else {
			fmt.Fprintf(&b, "  - arn: %s\n", yamlString(p.ARN))
		}
		if p.ARN == "" || ssmarn.ResourceType(p.ARN) == ssmarn.Parameter {
			b.WriteString(`    # parameter:
    #   tier: Advanced          # Standard | Advanced | Intelligent-Tiering
    #   type: SecureString      # String | StringList | SecureString
    #   keyId: alias/my-key     # the KMS key of a SecureString
`)
		}
		fmt.Fprintf(&b, "    policy: %s\n", yamlString(rel))
	}
	return []byte(b.String())
}

var plainSafe = regexp.MustCompile(`^[A-Za-z0-9_./][A-Za-z0-9_./:@+=,-]*$`)

// yamlString writes s as a YAML scalar: plain when nothing in it means anything to YAML,
// else double-quoted (Go's quoting is valid YAML).
func yamlString(s string) string {
	if _, err := strconv.ParseFloat(s, 64); err != nil && plainSafe.MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}
