package input

import (
	"strconv"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// This file resolves the intrinsic functions that build strings and lists: Fn::Sub,
// Fn::Join, Fn::Select, Fn::FindInMap and the lists they take.

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
