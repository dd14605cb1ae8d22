package jsonpos

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxYAMLNodes bounds the nodes one YAML document may hold once its aliases are expanded, so
// that a "billion laughs" document is an error rather than an exhausted machine. A manifest is
// read item by item, so the bound applies to each item, not to the whole list.
const maxYAMLNodes = 1 << 20

// ParseYAML reads the one document of a YAML file. Spans are offsets into file.Src. JSON is
// YAML, but JSON files should go through ParseJSON, which is exact about JSON's own rules.
//
// A second document (after `---`) is a syntax error at its line: a policy, a manifest and a
// template are one document each (CloudFormation takes one template a file), so a reader that
// took the first would silently ignore the rest.
func ParseYAML(file *File) (*Parsed, error) {
	return ParseYAMLRange(file, 0, len(file.Src))
}

// ParseYAMLContext is ParseYAML that gives up, with an error wrapping ctx.Err(), once ctx is
// done.
func ParseYAMLContext(ctx context.Context, file *File) (*Parsed, error) {
	return ParseYAMLRangeContext(ctx, file, 0, len(file.Src))
}

// ParseYAMLRange reads the bytes [start, end) of file as a YAML document of its own; start must
// be the start of a line. Spans are offsets into the whole file. A long manifest is read item by
// item this way, so that memory does not grow with its length.
func ParseYAMLRange(file *File, start, end int) (*Parsed, error) {
	return ParseYAMLRangeContext(context.Background(), file, start, end)
}

// ParseYAMLRangeContext is ParseYAMLRange that gives up once ctx is done.
func ParseYAMLRangeContext(ctx context.Context, file *File, start, end int) (*Parsed, error) {
	if start == 0 {
		if err := EncodingError(file.Src); err != nil {
			return nil, err
		}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(file.Src[start:end]))
	lineBase := file.Pos(start).Line - 1
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &SyntaxError{Offset: start, Msg: "empty document"}
		}
		return nil, yamlSyntaxError(file, err, lineBase)
	}
	if err := secondDocument(file, dec, lineBase); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("stopped after the YAML parser: %w", err)
	}
	c := &yamlConverter{ctx: ctx, file: file, done: map[*yaml.Node]*Node{}, lineBase: lineBase}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, &SyntaxError{Offset: start, Msg: "empty document"}
		}
		root = root.Content[0]
	}
	n, err := c.convert(root, nil, 0)
	if err != nil {
		return nil, err
	}
	return &Parsed{Root: n, Duplicates: c.dups}, nil
}

// secondDocument reads on after the first document and reports the first one after it that
// holds anything (an empty document, as a `---` at the end of a file leaves, holds nothing).
func secondDocument(file *File, dec *yaml.Decoder, lineBase int) error {
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return yamlSyntaxError(file, err, lineBase)
		}
		if emptyDocument(&next) {
			continue
		}
		// The document starts at its `---`, on the line of its content or before it.
		line := lineBase + next.Line
		for l := line; l > lineBase && l > line-1000; l-- {
			if strings.HasPrefix(file.LineText(l), "---") {
				line = l
				break
			}
		}
		return &SyntaxError{Offset: file.Offset(line, 1), Msg: "a second YAML document starts here: a policy, a manifest or a template is one document a file, and this one would be ignored; move it to a file of its own"}
	}
}

func emptyDocument(n *yaml.Node) bool {
	if n.Kind != yaml.DocumentNode {
		return false
	}
	for _, c := range n.Content {
		if !(c.Kind == yaml.ScalarNode && c.Tag == "!!null" && c.Value == "") {
			return false
		}
	}
	return true
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlSyntaxError turns the YAML library's message into a position. The library gives a line
// only; the column is the first character written on that line.
func yamlSyntaxError(file *File, err error, lineBase int) error {
	msg := err.Error()
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return &SyntaxError{Offset: file.Offset(lineBase+1, 1), Msg: strings.TrimPrefix(msg, "yaml: ")}
	}
	line, _ := strconv.Atoi(m[1])
	off := file.Offset(lineBase+line, 1)
	for off < len(file.Src) && (file.Src[off] == ' ' || file.Src[off] == '\t') {
		off++
	}
	return &SyntaxError{Offset: off, Msg: m[2]}
}

type yamlConverter struct {
	ctx   context.Context
	file  *File
	dups  []Duplicate
	done  map[*yaml.Node]*Node
	count int
	// lineBase is the number of file lines before the text the YAML reader was given.
	lineBase int
}

// offset turns the YAML reader's line and column into an offset in the file.
func (c *yamlConverter) offset(n *yaml.Node) int {
	return c.file.Offset(c.lineBase+n.Line, n.Column)
}

func (c *yamlConverter) errorf(n *yaml.Node, format string, args ...any) error {
	return &SyntaxError{Offset: c.offset(n), Msg: fmt.Sprintf(format, args...)}
}

func (c *yamlConverter) convert(y *yaml.Node, path Path, depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, c.errorf(y, "nesting deeper than %d levels", MaxDepth)
	}
	if y.Kind == yaml.AliasNode {
		if y.Alias == nil {
			return nil, c.errorf(y, "unknown anchor %q", y.Value)
		}
		// An alias shares the node read at its anchor: findings inside it point at the
		// anchor, where the text is written.
		if n, ok := c.done[y.Alias]; ok {
			c.count += size(n)
			if c.count > maxYAMLNodes {
				return nil, c.errorf(y, "document has more than %d nodes, aliases expanded: split it", maxYAMLNodes)
			}
			return n, nil
		}
		return c.convert(y.Alias, path, depth+1)
	}
	c.count++
	if c.count > maxYAMLNodes {
		return nil, c.errorf(y, "document has more than %d nodes, aliases expanded: split it", maxYAMLNodes)
	}
	if c.count%checkEvery == 0 {
		if err := c.ctx.Err(); err != nil {
			return nil, fmt.Errorf("stopped at line %d: %w", c.lineBase+y.Line, err)
		}
	}
	start := c.offset(y)
	n := &Node{Span: Span{Start: start, End: start}}
	if !strings.HasPrefix(y.Tag, "!!") {
		n.Tag = y.Tag
	}
	switch y.Kind {
	case yaml.MappingNode:
		n.Kind = Object
		if err := c.mapping(n, y, path, depth); err != nil {
			return nil, err
		}
	case yaml.SequenceNode:
		n.Kind = Array
		for k, item := range y.Content {
			child, err := c.convert(item, path.Append(k), depth+1)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, child)
			n.Span.End = max(n.Span.End, child.Span.End)
		}
		c.closeFlow(n, y, ']')
	case yaml.ScalarNode:
		c.scalar(n, y)
	default:
		return nil, c.errorf(y, "unsupported YAML node")
	}
	c.done[y] = n
	return n, nil
}

func size(n *Node) int {
	total := 1
	for _, it := range n.Items {
		total += size(it)
	}
	for _, m := range n.Members {
		total += size(m.Value)
	}
	return total
}

// mapping converts a YAML mapping. A merge key (`<<: *anchor`, or a list of anchors) brings in
// the keys of the merged mappings that the mapping does not set itself: a key written in the
// mapping overrides a merged one wherever the merge is written, the first of several merged
// mappings wins, and only a key written twice in the mapping itself is a duplicate.
func (c *yamlConverter) mapping(n *Node, y *yaml.Node, path Path, depth int) error {
	var keys keyIndex
	merged := map[string]bool{} // keys present only through a merge
	for k := 0; k+1 < len(y.Content); k += 2 {
		ky, vy := y.Content[k], y.Content[k+1]
		if ky.Tag == "!!merge" {
			src, err := c.convert(vy, path, depth+1)
			if err != nil {
				return err
			}
			for _, from := range mergeSources(src) {
				for _, mm := range from.Members {
					if _, ok := keys.find(n.Members, mm.Key); !ok {
						n.Members = append(n.Members, mm)
						keys.add(n.Members)
						merged[mm.Key] = true
					}
				}
			}
			n.Span.End = max(n.Span.End, src.Span.End)
			continue
		}
		key, err := c.convert(ky, nil, depth+1)
		if err != nil {
			return err
		}
		if key.Kind == Object || key.Kind == Array {
			return c.errorf(ky, "a mapping key must be a scalar")
		}
		val, err := c.convert(vy, path.Append(key.Text), depth+1)
		if err != nil {
			return err
		}
		m := Member{Key: key.Text, KeySpan: key.Span, Value: val}
		switch first, ok := keys.find(n.Members, key.Text); {
		case ok && merged[key.Text]:
			n.Members[first] = m // written here: it overrides the merged key
			delete(merged, key.Text)
		case ok:
			c.dups = append(c.dups, Duplicate{Key: key.Text, Path: path, First: n.Members[first].KeySpan, Again: key.Span})
			n.Members = append(n.Members, m)
			keys.add(n.Members)
		default:
			n.Members = append(n.Members, m)
			keys.add(n.Members)
		}
		n.Span.End = max(n.Span.End, val.Span.End, key.Span.End)
	}
	c.closeFlow(n, y, '}')
	return nil
}

func mergeSources(n *Node) []*Node {
	switch n.Kind {
	case Object:
		return []*Node{n}
	case Array:
		var out []*Node
		for _, it := range n.Items {
			if it.Kind == Object {
				out = append(out, it)
			}
		}
		return out
	}
	return nil
}

// closeFlow extends a flow collection ({...} or [...]) to its closing bracket.
func (c *yamlConverter) closeFlow(n *Node, y *yaml.Node, closer byte) {
	if y.Style&yaml.FlowStyle == 0 {
		return
	}
	src := c.file.Src
	i := n.Span.End
	if i == n.Span.Start {
		i++ // empty: start after the opening bracket
	}
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\n', '\r', ',':
			i++
			continue
		case closer:
			n.Span.End = i + 1
		}
		return
	}
}

func (c *yamlConverter) scalar(n *Node, y *yaml.Node) {
	src := c.file.Src
	// Skip a tag or an anchor written before the value: `!Sub "..."`, `&name value`.
	for n.Span.Start < len(src) && (src[n.Span.Start] == '!' || src[n.Span.Start] == '&') {
		i := n.Span.Start
		for i < len(src) && src[i] != ' ' && src[i] != '\t' && src[i] != '\n' && src[i] != '\r' {
			i++
		}
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		n.Span.Start = i
	}
	n.Text = y.Value
	switch {
	case y.Style&yaml.DoubleQuotedStyle != 0:
		n.Raw = DoubleQuoted
	case y.Style&yaml.SingleQuotedStyle != 0:
		n.Raw = SingleQuoted
	case y.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		n.Raw = Block
	}
	switch y.ShortTag() {
	case "!!null":
		n.Kind = Null
	case "!!bool":
		n.Kind = Bool
		n.Bool, _ = strconv.ParseBool(strings.ToLower(y.Value))
	case "!!int", "!!float":
		n.Kind = Number
		n.Text = jsonNumber(y.Value)
	default:
		n.Kind = String
	}
	m, _ := align(src, contentStart(src, n), y.Value, n.Raw, false)
	n.Span.End = m.end
	switch n.Raw {
	case DoubleQuoted, SingleQuoted:
		quote := byte('"')
		if n.Raw == SingleQuoted {
			quote = '\''
		}
		i := m.end
		for i < len(src) && src[i] != quote {
			i++
		}
		n.Span.End = min(i+1, len(src))
	}
	if n.Span.End < n.Span.Start {
		n.Span.End = n.Span.Start
	}
}

// jsonNumber rewrites a YAML number (0x1F, 1_000, .5, +1) as a JSON number literal.
func jsonNumber(s string) string {
	clean := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(clean, 0, 64); err == nil {
		return strconv.FormatInt(i, 10)
	}
	if f, err := strconv.ParseFloat(strings.TrimPrefix(clean, "+"), 64); err == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return s
}
