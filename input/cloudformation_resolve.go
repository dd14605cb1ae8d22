package input

import (
	"encoding/base64"
	"fmt"
	"maps"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// This file resolves CloudFormation intrinsic functions as far as a template allows, without
// deploying it. What only a deployment knows (pseudo parameters, template parameters, imports,
// attributes of other resources) becomes the Unknown marker, never a guess.

const (
	// resolveBudget bounds the intrinsic functions evaluated for one target, so that a
	// template whose references loop (a parameter named after itself) or fan out cannot keep
	// the reader busy. A real template needs a few dozen.
	resolveBudget = 10000
	// resolveDepth bounds how deep intrinsics nest through references.
	resolveDepth = 2 * jsonpos.MaxDepth
)

// cfnTemplate is the parts of a template the resolver looks things up in.
type cfnTemplate struct {
	f          *jsonpos.File
	resources  *jsonpos.Node
	parameters *jsonpos.Node
	mappings   *jsonpos.Node
	conditions *jsonpos.Node
	// byID and params index Resources and Parameters by logical id (the last one written
	// counts, as for Get): a template can have many, and each reference looks one up.
	byID, params map[string]jsonpos.Member
}

// lastMembers indexes an object's members by key, the last one written winning.
func lastMembers(n *jsonpos.Node) map[string]jsonpos.Member {
	out := map[string]jsonpos.Member{}
	if n != nil && n.Kind == jsonpos.Object {
		for _, m := range n.Members {
			out[m.Key] = m
		}
	}
	return out
}

// resource is the resource with logical id id, or nil.
func (tpl *cfnTemplate) resource(id string) *jsonpos.Node {
	return tpl.byID[id].Value
}

func (tpl *cfnTemplate) resourceType(id string) string {
	if res := tpl.resource(id); res != nil {
		if t := res.Get("Type"); t != nil && t.Kind == jsonpos.String {
			return t.Text
		}
	}
	return ""
}

// cfnResolver resolves the intrinsics of one target. It records which SSM parameters of the
// template the values refer to, and the template errors it meets.
type cfnResolver struct {
	tpl      *cfnTemplate
	steps    int
	depth    int
	refs     map[string]bool
	problems []Problem
	conds    map[string]condState
	// limit is the longest a resolved value may be; work the bytes produced so far; over
	// where a value first went past either bound (see bounded).
	limit int
	work  int
	over  *jsonpos.Span
}

type condState uint8

const (
	condVisiting condState = iota + 1
	condTrue
	condFalse
	condUnknown
)

func newResolver(tpl *cfnTemplate) *cfnResolver {
	return &cfnResolver{tpl: tpl, refs: map[string]bool{}, conds: map[string]condState{}, limit: maxResolved}
}

// enter counts one evaluation against the budget and the depth limit; false means the
// resolver must give up on this value (it becomes unknown).
func (r *cfnResolver) enter() bool {
	r.steps++
	r.depth++
	return r.steps <= resolveBudget && r.depth <= resolveDepth && r.over == nil
}

func (r *cfnResolver) leave() { r.depth-- }

// intrinsic tells whether n is an intrinsic function call, short form (a YAML tag such as
// !Sub) or long form (a mapping with the one key Ref or Fn::Name), and returns the function's
// long name and its argument.
func intrinsic(n *jsonpos.Node) (fn string, arg *jsonpos.Node, ok bool) {
	if n == nil {
		return "", nil, false
	}
	if strings.HasPrefix(n.Tag, "!") && len(n.Tag) > 1 {
		name := n.Tag[1:]
		switch name {
		case "Ref", "Condition":
			fn = name
		default:
			fn = "Fn::" + name
		}
		a := *n
		a.Tag = ""
		return fn, &a, true
	}
	if n.Kind == jsonpos.Object && len(n.Members) == 1 {
		k := n.Members[0].Key
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, n.Members[0].Value, true
		}
	}
	return "", nil, false
}

// isNoValue reports a `Ref: AWS::NoValue`, which removes the property or list item it stands in.
func isNoValue(n *jsonpos.Node) bool {
	fn, arg, ok := intrinsic(n)
	return ok && fn == "Ref" && arg.Kind == jsonpos.String && arg.Text == "AWS::NoValue"
}

// str resolves n to a string. ok is false only for what is not a string at all (a mapping, a
// list, null); what cannot be known before deployment is the Unknown marker.
func (r *cfnResolver) str(n *jsonpos.Node) (mtext, bool) {
	fn, arg, isFn := intrinsic(n)
	if !isFn {
		switch n.Kind {
		case jsonpos.String, jsonpos.Number, jsonpos.Bool:
			return literalText(r.tpl.f, n), true
		}
		return mtext{}, false
	}
	if !r.enter() {
		r.leave()
		return unknownText(n.Span), true
	}
	defer r.leave()
	switch fn {
	case "Ref":
		if arg.Kind != jsonpos.String {
			return unknownText(n.Span), true
		}
		return r.ref(arg.Text, n.Span), true
	case "Fn::Sub":
		return r.sub(arg, n.Span), true
	case "Fn::Join":
		return r.join(arg, n.Span), true
	case "Fn::GetAtt":
		return r.getAtt(arg, n.Span), true
	case "Fn::Select":
		if v := r.selectItem(arg); v != nil {
			return *v, true
		}
	case "Fn::If":
		if branch, ok := r.ifBranch(arg); ok {
			if branch == nil || isNoValue(branch) {
				return unknownText(n.Span), true
			}
			return r.str(branch)
		}
		if arg.Kind == jsonpos.Array && len(arg.Items) == 3 {
			// Parameters named only in a branch that may not be taken link nothing.
			refs := maps.Clone(r.refs)
			a, aok := r.str(arg.Items[1])
			b, bok := r.str(arg.Items[2])
			if aok && bok && a.String() == b.String() {
				return a, true
			}
			r.refs = refs
		}
	case "Fn::FindInMap":
		if v := r.findInMap(arg); v != nil {
			if t, ok := r.str(v); ok {
				return r.respan(t, n.Span), true
			}
		}
	case "Fn::Base64":
		if t, ok := r.str(arg); ok && !t.has(Unknown) && r.fits(0, base64.StdEncoding.EncodedLen(len(t.b)), n.Span) {
			m := mtext{}
			m.add(base64.StdEncoding.EncodeToString(t.b), n.Span)
			return m, true
		}
	}
	// Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::Split (a list), Fn::Transform, and what could
	// not be resolved above: known only when the stack is deployed.
	return unknownText(n.Span), true
}

// ref resolves a Ref: the Name of an AWS::SSM::Parameter of the template; anything else a
// template can refer to (pseudo parameters, template parameters, other resources) is known only
// at deployment.
func (r *cfnResolver) ref(name string, at jsonpos.Span) mtext {
	if _, isParam := r.tpl.params[name]; strings.HasPrefix(name, "AWS::") || isParam {
		return unknownText(at)
	}
	if r.tpl.resourceType(name) != cfnParameterType {
		return unknownText(at)
	}
	r.refs[name] = true
	props := r.tpl.resource(name).Get("Properties")
	nameNode := props.Get("Name")
	if nameNode == nil || isNoValue(nameNode) {
		return unknownText(at) // CloudFormation generates the name
	}
	t, ok := r.str(nameNode)
	if !ok {
		return unknownText(at)
	}
	return r.respan(t, at)
}

// getAtt resolves Fn::GetAtt. An AWS::SSM::Parameter has two attributes, Type and Value; any
// other (Arn, most often) is a template error CloudFormation rejects.
func (r *cfnResolver) getAtt(arg *jsonpos.Node, at jsonpos.Span) mtext {
	var id, attr string
	switch arg.Kind {
	case jsonpos.String:
		id, attr, _ = strings.Cut(arg.Text, ".")
	case jsonpos.Array:
		if len(arg.Items) != 2 || arg.Items[0].Kind != jsonpos.String {
			return unknownText(at)
		}
		id = arg.Items[0].Text
		a, ok := r.str(arg.Items[1])
		if !ok || a.has(Unknown) {
			return unknownText(at)
		}
		attr = a.String()
	default:
		return unknownText(at)
	}
	return r.attribute(id, attr, at)
}

func (r *cfnResolver) attribute(id, attr string, at jsonpos.Span) mtext {
	if r.tpl.resourceType(id) != cfnParameterType {
		return unknownText(at)
	}
	props := r.tpl.resource(id).Get("Properties")
	switch attr {
	case "Value", "Type":
		if v := props.Get(attr); v != nil {
			if t, ok := r.str(v); ok {
				return r.respan(t, at)
			}
		}
		return unknownText(at)
	}
	r.refs[id] = true
	msg := fmt.Sprintf("%s is an AWS::SSM::Parameter, which has no %s attribute (only Type and Value): CloudFormation rejects the template", id, attr)
	if attr == "Arn" {
		msg += fmt.Sprintf("; its Ref is the parameter's name, so build the ARN with !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${%s} (without the slash after parameter when the name starts with /)", id)
	}
	r.problem(rules.ResourceFormat, msg, at)
	return unknownText(at)
}

func (r *cfnResolver) problem(rule, msg string, at jsonpos.Span) {
	for _, p := range r.problems {
		if p.Rule == rule && p.Loc.Span == at {
			return // the same reference resolved twice (both branches of an Fn::If, say)
		}
	}
	r.problems = append(r.problems, Problem{Rule: rule, Message: msg, Loc: Location{File: r.tpl.f, Span: at}})
}
