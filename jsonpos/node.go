package jsonpos

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Kind is the JSON type of a node.
type Kind uint8

// The node kinds, named as JSON names its types.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "unknown"
}

// Node is one value of a document and the span it was read from.
type Node struct {
	Kind Kind
	Span Span
	// Text is the decoded string of a String, or the literal of a Number.
	Text    string
	Bool    bool
	Items   []*Node
	Members []Member
	// Tag is a YAML tag written by the user, such as "!Sub"; empty for JSON and for YAML's
	// implicit tags.
	Tag string
	// Raw describes how a string was written, so a document held inside it can be mapped
	// back to the file. Zero for other kinds.
	Raw StringStyle
}

// Member is one key of an object with the span of the key itself.
type Member struct {
	Key     string
	KeySpan Span
	Value   *Node
}

// StringStyle is how a string scalar was written in its file.
type StringStyle uint8

// The ways a string can be written.
const (
	Plain        StringStyle = iota // YAML plain, or a JSON number/bool read as text
	DoubleQuoted                    // JSON strings and YAML "..." (backslash escapes)
	SingleQuoted                    // YAML '...' ('' is a quote)
	Block                           // YAML | and > blocks
)

// Get returns the value of key, the last one when a key is repeated (as encoding/json does).
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i].Value
		}
	}
	return nil
}

// Member returns the last member named key.
func (n *Node) Member(key string) (Member, bool) {
	if n == nil || n.Kind != Object {
		return Member{}, false
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i], true
		}
	}
	return Member{}, false
}

// Resolve follows path (string keys and int indexes) from n. It returns the deepest node it
// reached and how many steps of the path it followed, so a path to an element that does not
// exist still lands on the nearest thing that does.
func (n *Node) Resolve(path []any) (*Node, int) {
	cur := n
	for i, step := range path {
		var next *Node
		switch s := step.(type) {
		case string:
			next = cur.Get(s)
		case int:
			if cur.Kind == Array && s >= 0 && s < len(cur.Items) {
				next = cur.Items[s]
			}
		}
		if next == nil {
			return cur, i
		}
		cur = next
	}
	return cur, len(path)
}

// SpanAt is the span of the element at path below n. With onKey, the span of the key that
// names it (an unknown element is marked on its key). A path that does not exist lands on the
// nearest element that does.
func (n *Node) SpanAt(path []any, onKey bool) Span {
	if onKey && len(path) > 0 {
		parent, depth := n.Resolve(path[:len(path)-1])
		if key, ok := path[len(path)-1].(string); ok && depth == len(path)-1 {
			if m, ok := parent.Member(key); ok {
				return m.KeySpan
			}
		}
	}
	found, _ := n.Resolve(path)
	return found.Span
}

// Value converts the node into plain Go values: map[string]any, []any, string,
// json.Number, bool and nil.
func (n *Node) Value() any {
	switch n.Kind {
	case Bool:
		return n.Bool
	case Number:
		return json.Number(n.Text)
	case String:
		return n.Text
	case Array:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = it.Value()
		}
		return out
	case Object:
		out := make(map[string]any, len(n.Members))
		for _, m := range n.Members {
			out[m.Key] = m.Value.Value()
		}
		return out
	}
	return nil
}

// Pointer renders a path as an RFC 6901 JSON pointer.
func Pointer(path []any) string {
	var b strings.Builder
	for _, step := range path {
		b.WriteByte('/')
		switch s := step.(type) {
		case string:
			b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(s))
		case int:
			b.WriteString(strconv.Itoa(s))
		}
	}
	return b.String()
}

// Walk calls fn for n and every node below it, depth first, with each node's path.
func Walk(n *Node, fn func(path []any, n *Node)) {
	walk(n, nil, fn)
}

func walk(n *Node, path Path, fn func([]any, *Node)) {
	fn(path, n)
	switch n.Kind {
	case Array:
		for i, it := range n.Items {
			walk(it, path.Append(i), fn)
		}
	case Object:
		for _, m := range n.Members {
			walk(m.Value, path.Append(m.Key), fn)
		}
	}
}

// keyIndexFrom is the number of members from which an object being read gets a map of its keys:
// below it a scan is faster, above it a scan per key would make reading quadratic in the keys.
const keyIndexFrom = 16

// keyIndex finds the first member with a key among the members of an object being read.
type keyIndex struct {
	first map[string]int
}

// find returns the index of the first member named key.
func (k *keyIndex) find(members []Member, key string) (int, bool) {
	if k.first != nil {
		i, ok := k.first[key]
		return i, ok
	}
	for i, m := range members {
		if m.Key == key {
			return i, true
		}
	}
	return 0, false
}

// add records the last of members, just appended.
func (k *keyIndex) add(members []Member) {
	switch {
	case k.first != nil:
		last := len(members) - 1
		if _, seen := k.first[members[last].Key]; !seen {
			k.first[members[last].Key] = last
		}
	case len(members) >= keyIndexFrom:
		k.first = make(map[string]int, 2*len(members))
		for i := len(members) - 1; i >= 0; i-- {
			k.first[members[i].Key] = i
		}
	}
}
