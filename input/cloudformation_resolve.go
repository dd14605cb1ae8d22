package input

import (
	"encoding/base64"
	"fmt"
	"maps"
	"strconv"
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

// mtext is a string resolved from a template. spans[i] is the place in the file byte i of s
// came from, so that a policy assembled by Fn::Join or !Sub keeps exact positions.
type mtext struct {
	b     []byte
	spans []jsonpos.Span
}

func (m mtext) String() string { return string(m.b) }

func (m mtext) has(s string) bool { return strings.Contains(string(m.b), s) }

func (m *mtext) add(s string, at jsonpos.Span) {
	m.b = append(m.b, s...)
	for range len(s) {
		m.spans = append(m.spans, at)
	}
}

func (m *mtext) addText(o mtext) {
	m.b = append(m.b, o.b...)
	m.spans = append(m.spans, o.spans...)
}

func (m mtext) slice(i, j int) mtext { return mtext{b: m.b[i:j:j], spans: m.spans[i:j:j]} }

// respan attributes every byte to one place: a value brought in by a reference is shown where
// the reference is written, not where the referenced value is.
func (m mtext) respan(at jsonpos.Span) mtext {
	out := mtext{b: append([]byte(nil), m.b...), spans: make([]jsonpos.Span, len(m.b))}
	for i := range out.spans {
		out.spans[i] = at
	}
	return out
}

func unknownText(at jsonpos.Span) mtext {
	m := mtext{}
	m.add(Unknown, at)
	return m
}

// literalText is a string scalar with the place of each of its bytes.
func literalText(f *jsonpos.File, n *jsonpos.Node) mtext {
	switch n.Kind {
	case jsonpos.String:
		return mtext{b: []byte(n.Text), spans: jsonpos.SourceMap(f, n)}
	case jsonpos.Bool:
		m := mtext{}
		m.add(strconv.FormatBool(n.Bool), n.Span)
		return m
	}
	m := mtext{}
	m.add(n.Text, n.Span) // numbers: CloudFormation passes them on as their text
	return m
}

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

// sub resolves Fn::Sub in both forms: a string, or a list of a string and a variable map.
// Literal text keeps its exact place; each ${...} is attributed to where it is written.
func (r *cfnResolver) sub(arg *jsonpos.Node, at jsonpos.Span) mtext {
	tmpl, vars := arg, (*jsonpos.Node)(nil)
	if arg.Kind == jsonpos.Array {
		if len(arg.Items) == 0 || len(arg.Items) > 2 {
			return unknownText(at)
		}
		tmpl = arg.Items[0]
		if len(arg.Items) == 2 {
			vars = arg.Items[1]
		}
	}
	if tmpl.Kind != jsonpos.String || tmpl.Tag != "" {
		return unknownText(at)
	}
	src := literalText(r.tpl.f, tmpl)
	s := string(src.b)
	out := mtext{}
	ok := true
	for i := 0; i < len(s) && ok; {
		k := strings.Index(s[i:], "${")
		if k < 0 {
			ok = r.grow(&out, src.slice(i, len(s)), at)
			break
		}
		ok = r.grow(&out, src.slice(i, i+k), at)
		i += k
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			ok = ok && r.grow(&out, src.slice(i, len(s)), at)
			break
		}
		closeAt := i + 2 + end
		name := s[i+2 : closeAt]
		if strings.HasPrefix(name, "!") {
			// ${!Literal} is written out as ${Literal}.
			ok = ok && r.grow(&out, src.slice(i, i+2), at) && r.grow(&out, src.slice(i+3, closeAt+1), at)
		} else {
			span := jsonpos.Span{Start: src.spans[i].Start, End: src.spans[closeAt].End}
			ok = ok && r.grow(&out, r.subVar(strings.TrimSpace(name), vars, span), at)
		}
		i = closeAt + 1
	}
	if !ok {
		return unknownText(at)
	}
	return out
}

func (r *cfnResolver) subVar(name string, vars *jsonpos.Node, at jsonpos.Span) mtext {
	if !r.enter() {
		r.leave()
		return unknownText(at)
	}
	defer r.leave()
	if v := vars.Get(name); v != nil {
		if t, ok := r.str(v); ok {
			return r.respan(t, at)
		}
		return unknownText(at)
	}
	if id, attr, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
		return r.attribute(id, attr, at)
	}
	return r.ref(name, at)
}

// join resolves Fn::Join. Each piece keeps its own place: the string pieces of a policy that
// CDK writes as a join point at the exact character.
func (r *cfnResolver) join(arg *jsonpos.Node, at jsonpos.Span) mtext {
	if arg.Kind != jsonpos.Array || len(arg.Items) != 2 {
		return unknownText(at)
	}
	delim, ok := r.str(arg.Items[0])
	if !ok {
		return unknownText(at)
	}
	parts, ok := r.strList(arg.Items[1])
	if !ok {
		return unknownText(at)
	}
	size := 0
	for i, p := range parts {
		if i > 0 {
			size += len(delim.b)
		}
		size += len(p.b)
	}
	if !r.fits(0, size, at) {
		return unknownText(at)
	}
	// Allocated once: appending piece by piece would allocate several times the result.
	out := mtext{b: make([]byte, 0, size), spans: make([]jsonpos.Span, 0, size)}
	for i, p := range parts {
		if i > 0 {
			out.addText(delim)
		}
		out.addText(p)
	}
	return out
}

// strList resolves a list of strings: a written list, Fn::Split of a known string, a mapping
// entry, or a branch of Fn::If. ok is false when the list is known only at deployment.
func (r *cfnResolver) strList(n *jsonpos.Node) ([]mtext, bool) {
	fn, arg, isFn := intrinsic(n)
	if !isFn {
		if n.Kind != jsonpos.Array {
			return nil, false
		}
		out := make([]mtext, 0, len(n.Items))
		for _, it := range n.Items {
			if isNoValue(it) {
				continue
			}
			if ifn, iarg, ok := intrinsic(it); ok && ifn == "Fn::If" {
				if branch, known := r.ifBranch(iarg); known && (branch == nil || isNoValue(branch)) {
					continue
				}
			}
			t, ok := r.str(it)
			if !ok || !r.fits(0, len(t.b), it.Span) {
				return nil, false
			}
			out = append(out, t)
		}
		return out, true
	}
	if !r.enter() {
		r.leave()
		return nil, false
	}
	defer r.leave()
	switch fn {
	case "Fn::Split":
		if arg.Kind != jsonpos.Array || len(arg.Items) != 2 {
			return nil, false
		}
		delim, ok1 := r.str(arg.Items[0])
		src, ok2 := r.str(arg.Items[1])
		if !ok1 || !ok2 || len(delim.b) == 0 || src.has(Unknown) || delim.has(Unknown) {
			return nil, false
		}
		var out []mtext
		text, sep := src.String(), delim.String()
		start := 0
		for {
			k := strings.Index(text[start:], sep)
			if k < 0 {
				return append(out, src.slice(start, len(text))), true
			}
			out = append(out, src.slice(start, start+k))
			start += k + len(sep)
		}
	case "Fn::FindInMap":
		if v := r.findInMap(arg); v != nil {
			return r.strList(v)
		}
	case "Fn::If":
		if branch, ok := r.ifBranch(arg); ok && branch != nil {
			return r.strList(branch)
		}
	}
	return nil, false
}

// selectItem resolves Fn::Select of a string from a list, or nil.
func (r *cfnResolver) selectItem(arg *jsonpos.Node) *mtext {
	if arg.Kind != jsonpos.Array || len(arg.Items) != 2 {
		return nil
	}
	idx, ok := r.str(arg.Items[0])
	if !ok {
		return nil
	}
	i, err := strconv.Atoi(idx.String())
	if err != nil {
		return nil
	}
	list, ok := r.strList(arg.Items[1])
	if !ok || i < 0 || i >= len(list) {
		return nil
	}
	return &list[i]
}

// findInMap looks up Fn::FindInMap in the template's Mappings when all three keys are known.
func (r *cfnResolver) findInMap(arg *jsonpos.Node) *jsonpos.Node {
	if arg.Kind != jsonpos.Array || len(arg.Items) < 3 {
		return nil
	}
	node := r.tpl.mappings
	for _, k := range arg.Items[:3] {
		key, ok := r.str(k)
		if !ok || key.has(Unknown) {
			return nil
		}
		node = node.Get(key.String())
	}
	return node
}

// ifBranch picks the branch of Fn::If when its condition can be decided from the template
// alone. ok is false when the condition depends on deployment.
func (r *cfnResolver) ifBranch(arg *jsonpos.Node) (branch *jsonpos.Node, ok bool) {
	if arg.Kind != jsonpos.Array || len(arg.Items) != 3 || arg.Items[0].Kind != jsonpos.String {
		return nil, false
	}
	switch r.condition(arg.Items[0].Text) {
	case condTrue:
		return arg.Items[1], true
	case condFalse:
		return arg.Items[2], true
	}
	return nil, false
}

// condition evaluates a named condition of the template, once.
func (r *cfnResolver) condition(name string) condState {
	switch st := r.conds[name]; st {
	case condTrue, condFalse, condUnknown:
		return st
	case condVisiting:
		return condUnknown // a condition that refers to itself
	}
	r.conds[name] = condVisiting
	st := condUnknown
	if c := r.tpl.conditions.Get(name); c != nil {
		if v, known := r.evalCondition(c); known {
			st = condFalse
			if v {
				st = condTrue
			}
		}
	}
	r.conds[name] = st
	return st
}

func (r *cfnResolver) evalCondition(n *jsonpos.Node) (value, known bool) {
	if n.Kind == jsonpos.Bool && n.Tag == "" {
		return n.Bool, true
	}
	if n.Kind == jsonpos.Object && len(n.Members) == 1 && n.Members[0].Key == "Condition" && n.Members[0].Value.Kind == jsonpos.String {
		return fromState(r.condition(n.Members[0].Value.Text))
	}
	fn, arg, ok := intrinsic(n)
	if !ok {
		return false, false
	}
	if !r.enter() {
		r.leave()
		return false, false
	}
	defer r.leave()
	switch fn {
	case "Condition":
		if arg.Kind == jsonpos.String {
			return fromState(r.condition(arg.Text))
		}
	case "Fn::Equals":
		if arg.Kind == jsonpos.Array && len(arg.Items) == 2 {
			a, aok := r.str(arg.Items[0])
			b, bok := r.str(arg.Items[1])
			if aok && bok && !a.has(Unknown) && !b.has(Unknown) {
				return a.String() == b.String(), true
			}
		}
	case "Fn::Not":
		if arg.Kind == jsonpos.Array && len(arg.Items) == 1 {
			v, known := r.evalCondition(arg.Items[0])
			return !v, known
		}
	case "Fn::And", "Fn::Or":
		if arg.Kind != jsonpos.Array {
			return false, false
		}
		// And is false as soon as one part is known false, Or true as soon as one is true;
		// otherwise an unknown part leaves the whole unknown.
		decisive := fn == "Fn::Or"
		allKnown := true
		for _, it := range arg.Items {
			v, known := r.evalCondition(it)
			if known && v == decisive {
				return decisive, true
			}
			allKnown = allKnown && known
		}
		if allKnown {
			return !decisive, true
		}
	}
	return false, false
}

func fromState(st condState) (value, known bool) {
	return st == condTrue, st == condTrue || st == condFalse
}

// value resolves a document written as a mapping (a policy, most often): intrinsics inside it
// become strings with unknown parts, keeping the span of the node they replace; Ref
// AWS::NoValue removes its property or list item. present is false for a removed node.
func (r *cfnResolver) value(n *jsonpos.Node) (out *jsonpos.Node, present bool) {
	if fn, arg, ok := intrinsic(n); ok {
		if isNoValue(n) {
			return nil, false
		}
		switch fn {
		case "Fn::If":
			return r.ifValue(n, arg)
		case "Fn::FindInMap":
			if !r.enter() {
				r.leave()
				break
			}
			v := r.findInMap(arg)
			var res *jsonpos.Node
			if v != nil && (v.Kind == jsonpos.Object || v.Kind == jsonpos.Array) {
				res, _ = r.value(v) // a list or map from Mappings, each item where it is written
			}
			r.leave()
			if res != nil {
				return res, true
			}
		case "Fn::Split":
			if list, ok := r.strList(n); ok {
				arr := &jsonpos.Node{Kind: jsonpos.Array, Span: n.Span}
				for _, it := range list {
					arr.Items = append(arr.Items, &jsonpos.Node{Kind: jsonpos.String, Text: it.String(), Span: n.Span})
				}
				return arr, true
			}
		}
		t, _ := r.str(n)
		return &jsonpos.Node{Kind: jsonpos.String, Text: t.String(), Span: n.Span}, true
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > resolveDepth {
		return &jsonpos.Node{Kind: jsonpos.String, Text: Unknown, Span: n.Span}, true
	}
	c := *n
	c.Tag = ""
	switch n.Kind {
	case jsonpos.Object:
		c.Members = make([]jsonpos.Member, 0, len(n.Members))
		for _, m := range n.Members {
			if v, ok := r.value(m.Value); ok {
				c.Members = append(c.Members, jsonpos.Member{Key: m.Key, KeySpan: m.KeySpan, Value: v})
			}
		}
	case jsonpos.Array:
		c.Items = make([]*jsonpos.Node, 0, len(n.Items))
		for _, it := range n.Items {
			if v, ok := r.value(it); ok {
				c.Items = append(c.Items, v)
			}
		}
	}
	return &c, true
}

// ifValue resolves Fn::If inside a document. A condition decided by the template picks its
// branch. Otherwise: equal branches are that value; a branch that removes the node leaves the
// other (what it says is deployed whenever the condition allows); two different strings are
// unknown; two different documents are checked through the first branch, since what it says
// is written by the user and deployed when the condition holds.
func (r *cfnResolver) ifValue(n, arg *jsonpos.Node) (*jsonpos.Node, bool) {
	if !r.enter() {
		r.leave()
		return &jsonpos.Node{Kind: jsonpos.String, Text: Unknown, Span: n.Span}, true
	}
	defer r.leave()
	if branch, ok := r.ifBranch(arg); ok {
		return r.value(branch)
	}
	if arg.Kind != jsonpos.Array || len(arg.Items) != 3 {
		return &jsonpos.Node{Kind: jsonpos.String, Text: Unknown, Span: n.Span}, true
	}
	a, aok := r.value(arg.Items[1])
	b, bok := r.value(arg.Items[2])
	switch {
	case !aok && !bok:
		return nil, false
	case !aok:
		return b, true
	case !bok:
		return a, true
	case a.Kind == jsonpos.String && b.Kind == jsonpos.String:
		if a.Text == b.Text {
			return a, true
		}
		return &jsonpos.Node{Kind: jsonpos.String, Text: Unknown, Span: n.Span}, true
	}
	return a, true
}
