package input

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
	"github.com/ssmpolicy/ssmpolicy/ssmarn"
)

// CloudFormation templates, JSON or YAML, short-form tags included: every
// AWS::SSM::ResourcePolicy is a target. Its ResourceArn is resolved as far as the template
// allows (see cloudformation_resolve.go); an AWS::SSM::Parameter it refers to gives the
// target's tier and type; its Policy is a mapping or a JSON string, and findings inside either
// point at the line and column of the template.

const (
	cfnPolicyType    = "AWS::SSM::ResourcePolicy"
	cfnParameterType = "AWS::SSM::Parameter"
	// cfnDefaultTier is the tier of an AWS::SSM::Parameter that names none: the resource's
	// documented default. It is a known fact, not a guess, so parameter-tier reports it.
	cfnDefaultTier = "Standard"
)

func (r *Reader) readCloudFormation(ctx context.Context, f *jsonpos.File, parsed *jsonpos.Parsed) (Result, error) {
	res := Result{Kind: CloudFormation}
	root := parsed.Root
	tpl := &cfnTemplate{
		f:          f,
		resources:  root.Get("Resources"),
		parameters: root.Get("Parameters"),
		mappings:   root.Get("Mappings"),
		conditions: root.Get("Conditions"),
	}
	if tpl.resources == nil || tpl.resources.Kind != jsonpos.Object {
		return res, nil
	}
	tpl.byID, tpl.params = lastMembers(tpl.resources), lastMembers(tpl.parameters)
	// Repeated keys: a logical id written twice hides a resource, so it is the template's
	// problem; inside a resource policy it is that target's; inside a parameter the template's.
	// Elsewhere in the template it is none of this tool's business.
	byTarget := map[string][]jsonpos.Duplicate{}
	for _, d := range parsed.Duplicates {
		if len(d.Path) == 0 || d.Path[0] != "Resources" {
			continue
		}
		if len(d.Path) == 1 {
			res.Problems = append(res.Problems, DuplicateProblems(f, []jsonpos.Duplicate{d}, nil)...)
			continue
		}
		id, _ := d.Path[1].(string)
		switch tpl.resourceType(id) {
		case cfnPolicyType:
			byTarget[id] = append(byTarget[id], d)
		case cfnParameterType:
			res.Problems = append(res.Problems, DuplicateProblems(f, []jsonpos.Duplicate{d}, nil)...)
		}
	}
	for _, m := range tpl.resources.Members {
		if tpl.resource(m.Key) != m.Value || tpl.resourceType(m.Key) != cfnPolicyType {
			continue // not a policy, or a logical id written again later (the last one counts)
		}
		if err := ctx.Err(); err != nil {
			return Result{}, fmt.Errorf("stopped at resource %s: %w", m.Key, err)
		}
		t := tpl.target(m)
		t.Problems = append(t.Problems, DuplicateProblems(f, byTarget[m.Key], nil)...)
		res.Targets = append(res.Targets, t)
	}
	return res, nil
}

// target reads one AWS::SSM::ResourcePolicy.
func (tpl *cfnTemplate) target(m jsonpos.Member) *Target {
	f := tpl.f
	base := jsonpos.Path{"Resources", m.Key}
	t := &Target{Kind: CloudFormation, Origin: Location{File: f, Span: m.KeySpan, Path: base}, PolicyFile: f}
	t.Ignore = cfnIgnores(f, m.Value, base)
	r := newResolver(tpl)
	props := m.Value.Get("Properties")
	ppath := base.Append("Properties")

	if arn := props.Get("ResourceArn"); arn != nil {
		var txt mtext
		var ok bool
		over := r.bounded(maxResolvedARN, func() { txt, ok = r.str(arn) })
		v := txt.String()
		t.ARN = Fact{Value: v, Known: ok && arnKnown(v), Loc: Location{File: f, Span: arn.Span, Path: ppath.Append("ResourceArn")}}
		if over != nil {
			t.ARN.Value, t.ARN.Known = Unknown, false
			t.Problems = append(t.Problems, Problem{Rule: rules.ResourceFormat, Loc: t.ARN.Loc,
				Message: fmt.Sprintf("the ResourceArn resolves to more than the 2048 characters PutResourcePolicy accepts (past them at %s): the template stopped being resolved there", tpl.place(*over))})
		}
		// The parameter the ARN is built from gives the tier and type. Only a reference links
		// them: a literal ARN may name a parameter of another account with the same name.
		if len(r.refs) == 1 {
			for id := range r.refs {
				tpl.parameterFacts(t, r, id)
			}
		}
	} else {
		t.Problems = append(t.Problems, Problem{Rule: rules.Schema, Loc: t.Origin,
			Message: fmt.Sprintf("%s has no ResourceArn: CloudFormation requires one", m.Key)})
	}

	if pol := props.Get("Policy"); pol != nil {
		t.PolicyLoc = Location{File: f, Span: pol.Span, Path: ppath.Append("Policy")}
		var doc *jsonpos.Node
		var text mtext
		var isText bool
		over := r.bounded(maxResolved, func() { doc, text, isText = r.policy(pol) })
		switch {
		case over != nil:
			t.Problems = append(t.Problems, Problem{Rule: rules.PolicySize, Loc: t.PolicyLoc,
				Message: fmt.Sprintf("resolving the Policy produces more than %d MiB for one value, or %d MiB in all (past that at %s): no policy PutResourcePolicy accepts (1024 bytes) comes from so much; the template stopped being resolved there and the policy was not checked further", maxResolved>>20, maxResolvedWork>>20, tpl.place(*over))})
		case isText:
			tpl.textPolicy(t, text, pol)
		case doc == nil:
			t.Problems = append(t.Problems, Problem{Rule: rules.Schema, Loc: t.PolicyLoc,
				Message: fmt.Sprintf("the Policy of %s is removed by Ref AWS::NoValue: CloudFormation requires one", m.Key)})
		default:
			t.Policy = doc
		}
	} else {
		t.Problems = append(t.Problems, Problem{Rule: rules.Schema, Loc: t.Origin,
			Message: fmt.Sprintf("%s has no Policy: CloudFormation requires one", m.Key)})
	}
	t.Problems = append(t.Problems, r.problems...)
	return t
}

// place names a span of the template as line:column, for messages that point at a second place.
func (tpl *cfnTemplate) place(s jsonpos.Span) string {
	p := tpl.f.Pos(s.Start)
	return fmt.Sprintf("line %d, column %d", p.Line, p.Column)
}

// arnKnown tells whether a resolved ARN says enough to check against: fully known, or an ARN
// whose resource type is known even if other parts (region, account, the name CloudFormation
// generates) are not.
func arnKnown(v string) bool {
	if !strings.Contains(v, Unknown) {
		return true
	}
	typ := ssmarn.ResourceType(v)
	return typ != "" && !strings.Contains(typ, Unknown)
}

// parameterFacts takes the tier and type of the AWS::SSM::Parameter id. A fact that is not
// written points at the parameter's Properties, where the user would write it.
func (tpl *cfnTemplate) parameterFacts(t *Target, r *cfnResolver, id string) {
	f := tpl.f
	res := tpl.byID[id]
	where := Location{File: f, Span: res.KeySpan, Path: []any{"Resources", id}}
	if pm, ok := res.Value.Member("Properties"); ok {
		where = Location{File: f, Span: pm.KeySpan, Path: []any{"Resources", id, "Properties"}}
	}
	props := res.Value.Get("Properties")
	fact := func(key string) (Fact, bool) {
		n := props.Get(key)
		if n == nil || isNoValue(n) {
			return Fact{Loc: where}, false
		}
		txt, ok := r.str(n)
		v := txt.String()
		return Fact{Value: v, Known: ok && !strings.Contains(v, Unknown),
			Loc: Location{File: f, Span: n.Span, Path: []any{"Resources", id, "Properties", key}}}, true
	}
	var written bool
	if t.Tier, written = fact("Tier"); !written {
		t.Tier = Fact{Value: cfnDefaultTier, Known: true, Loc: where}
	} else if !t.Tier.Known {
		t.TierBranches = tpl.branches(r, props.Get("Tier"), []any{"Resources", id, "Properties", "Tier"})
	}
	if pol := props.Get("Policies"); pol != nil && !isNoValue(pol) {
		txt, ok := r.str(pol)
		t.HasPolicies = ok && (txt.has(Unknown) || hasPolicies(txt.String()))
	}
	// CloudFormation creates String and StringList parameters only; a SecureString needs a key
	// the template cannot name, so the key stays unknown.
	t.Type, _ = fact("Type")
}

// branches are the two branches of n when it is an Fn::If whose condition the template cannot
// decide, each with its value when that is known; nil otherwise.
func (tpl *cfnTemplate) branches(r *cfnResolver, n *jsonpos.Node, path []any) []Branch {
	fn, arg, ok := intrinsic(n)
	if !ok || fn != "Fn::If" || arg.Kind != jsonpos.Array || len(arg.Items) != 3 || arg.Items[0].Kind != jsonpos.String {
		return nil
	}
	if _, decided := r.ifBranch(arg); decided {
		return nil
	}
	if n.Tag == "" {
		path = append(slices.Clone(path), fn) // the long form: {"Fn::If": [...]}
	}
	var out []Branch
	for i, when := range []bool{true, false} {
		item := arg.Items[i+1]
		b := Branch{Condition: arg.Items[0].Text, When: when,
			Fact: Fact{Loc: Location{File: tpl.f, Span: item.Span, Path: append(slices.Clone(path), i+1)}}}
		if !isNoValue(item) {
			txt, ok := r.str(item)
			v := txt.String()
			b.Value, b.Known = v, ok && !strings.Contains(v, Unknown)
		}
		out = append(out, b)
	}
	return out
}

// policy resolves the Policy property: a document (a mapping, Fn::ToJsonString of one) or the
// text of a JSON string (a literal, !Sub, Fn::Join of pieces).
func (r *cfnResolver) policy(n *jsonpos.Node) (doc *jsonpos.Node, text mtext, isText bool) {
	fn, arg, isFn := intrinsic(n)
	switch {
	case !isFn && n.Kind == jsonpos.String:
		return nil, literalText(r.tpl.f, n), true
	case !isFn:
		v, _ := r.value(n) // a mapping; anything else is for the schema to report
		return v, mtext{}, false
	case fn == "Ref" && isNoValue(n):
		return nil, mtext{}, false
	case fn == "Fn::ToJsonString":
		v, ok := r.value(arg)
		if !ok {
			return nil, mtext{}, false
		}
		return v, mtext{}, false
	case fn == "Fn::If":
		if !r.enter() {
			r.leave()
			break
		}
		defer r.leave()
		if branch, ok := r.ifBranch(arg); ok {
			if branch == nil {
				break
			}
			return r.policy(branch)
		}
		// Checked through the first branch that is a policy: what it says is deployed when
		// the condition allows.
		if arg.Kind == jsonpos.Array && len(arg.Items) == 3 {
			for _, b := range arg.Items[1:] {
				if !isNoValue(b) {
					return r.policy(b)
				}
			}
		}
	}
	t, _ := r.str(n)
	return nil, t, true
}

// cfnIgnores reads the rule ids a resource's Metadata suppresses:
// Metadata: {ssmpolicy: {ignore: [rule-id, ...]}} (one id as a plain string is accepted too).
func cfnIgnores(f *jsonpos.File, res *jsonpos.Node, base jsonpos.Path) []IgnoreEntry {
	list := res.Get("Metadata").Get("ssmpolicy").Get("ignore")
	if list == nil {
		return nil
	}
	path := base.Append("Metadata", "ssmpolicy", "ignore")
	var out []IgnoreEntry
	add := func(n *jsonpos.Node, p []any) {
		if n.Kind == jsonpos.String && n.Tag == "" && n.Text != "" {
			out = append(out, IgnoreEntry{Rule: n.Text, Loc: Location{File: f, Span: n.Span, Path: p}})
		}
	}
	switch list.Kind {
	case jsonpos.Array:
		for k, it := range list.Items {
			add(it, path.Append(k))
		}
	case jsonpos.String:
		add(list, path)
	}
	return out
}
