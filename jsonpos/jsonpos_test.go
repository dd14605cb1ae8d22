package jsonpos

import (
	"errors"
	"strings"
	"testing"
)

// at returns the text a span covers and its start position, for readable assertions.
func at(f *File, s Span) (string, Pos) {
	return string(f.Src[s.Start:s.End]), f.Pos(s.Start)
}

func TestJSONSpans(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		path     []any
		wantText string
		wantLine int
		wantCol  int
	}{
		{"top key", `{"Version": "2012-10-17"}`, []any{"Version"}, `"2012-10-17"`, 1, 13},
		{"nested", "{\n  \"Statement\": [\n    {\"Principal\": {\"AWS\": [\"1\", \"*\"]}}\n  ]\n}", []any{"Statement", 0, "Principal", "AWS", 1}, `"*"`, 3, 33},
		{"multi-byte before", "{\"Sid\": \"é日本\", \"X\": true}", []any{"X"}, `true`, 1, 21},
		{"CRLF", "{\r\n\t\"A\": 1,\r\n\t\"B\": [null]\r\n}", []any{"B", 0}, `null`, 3, 8},
		{"tabs count as one column", "{\t\t\"A\":\t\"x\"}", []any{"A"}, `"x"`, 1, 9},
		{"number", `{"N": -1.5e3}`, []any{"N"}, `-1.5e3`, 1, 7},
		{"object", `{"O": {"a": {}}}`, []any{"O"}, `{"a": {}}`, 1, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := NewFile("p.json", []byte(tc.src))
			p, err := ParseJSON(f.Src)
			if err != nil {
				t.Fatal(err)
			}
			n, depth := p.Root.Resolve(tc.path)
			if depth != len(tc.path) {
				t.Fatalf("resolved %d of %d steps", depth, len(tc.path))
			}
			text, pos := at(f, n.Span)
			if text != tc.wantText || pos.Line != tc.wantLine || pos.Column != tc.wantCol {
				t.Errorf("got %q at %d:%d, want %q at %d:%d", text, pos.Line, pos.Column, tc.wantText, tc.wantLine, tc.wantCol)
			}
		})
	}
}

func TestJSONSyntaxErrors(t *testing.T) {
	tests := []struct {
		src      string
		wantLine int
		wantCol  int
		wantMsg  string
	}{
		{"{\n  \"a\": 1,\n}", 2, 9, "trailing comma"},
		{"{\"a\" 1}", 1, 6, "expected ':'"},
		{"{\"a\": tru}", 1, 7, "invalid literal"},
		{"[1 2]", 1, 3, "missing ','"},
		{"[1 ;]", 1, 4, "expected ',' or ']'"},
		{"{\"é\": \"x\n\"}", 1, 9, "line break inside a string"},
		{"{\"a\": 1} x", 1, 10, "after the end"},
		{"", 1, 1, "unexpected end of file"},
		{"{\"a\": [1,", 1, 10, "unexpected end of file"},
		{`{"a": "\q"}`, 1, 8, "invalid escape"},
		{"{\"a\": 01}", 1, 7, "leading zero"},
		{strings.Repeat("[", MaxDepth+2), 1, MaxDepth + 2, "nesting deeper"},
	}
	for _, tc := range tests {
		f := NewFile("p.json", []byte(tc.src))
		_, err := ParseJSON(f.Src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want a syntax error", tc.src, err)
			continue
		}
		pos := f.Pos(se.Offset)
		if pos.Line != tc.wantLine || pos.Column != tc.wantCol || !strings.Contains(se.Msg, tc.wantMsg) {
			t.Errorf("%q: got %q at %d:%d, want %q at %d:%d", tc.src, se.Msg, pos.Line, pos.Column, tc.wantMsg, tc.wantLine, tc.wantCol)
		}
	}
}

func TestJSONDuplicates(t *testing.T) {
	src := "{\"Statement\": [{\"Effect\": \"Allow\",\n \"Effect\": \"Deny\"}]}"
	f := NewFile("p.json", []byte(src))
	p, err := ParseJSON(f.Src)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Duplicates) != 1 {
		t.Fatalf("got %d duplicates, want 1", len(p.Duplicates))
	}
	d := p.Duplicates[0]
	if Pointer(d.Path) != "/Statement/0" || d.Key != "Effect" {
		t.Errorf("got %s %s", Pointer(d.Path), d.Key)
	}
	if pos := f.Pos(d.Again.Start); pos.Line != 2 || pos.Column != 2 {
		t.Errorf("repeated key at %d:%d, want 2:2", pos.Line, pos.Column)
	}
	// The last value wins, as encoding/json decides.
	if got := p.Root.Get("Statement").Items[0].Get("Effect").Text; got != "Deny" {
		t.Errorf("Effect = %q, want the last value", got)
	}
}

func TestYAMLSpans(t *testing.T) {
	src := "resources:\n  - arn: \"arn:aws:ssm:us-east-1:111122223333:parameter/é\"\n    policy:\n      Version: '2012-10-17'\n      Statement:\n        - Effect: Allow   # comment\n          Action: [ssm:GetParameter, \"ssm:*\"]\n          Principal: !Sub ${AWS::AccountId}\n"
	f := NewFile("m.yaml", []byte(src))
	p, err := ParseYAML(f)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path     []any
		wantText string
		line     int
		col      int
	}{
		{[]any{"resources", 0, "arn"}, `"arn:aws:ssm:us-east-1:111122223333:parameter/é"`, 2, 10},
		{[]any{"resources", 0, "policy", "Version"}, `'2012-10-17'`, 4, 16},
		{[]any{"resources", 0, "policy", "Statement", 0, "Effect"}, `Allow`, 6, 19},
		{[]any{"resources", 0, "policy", "Statement", 0, "Action"}, `[ssm:GetParameter, "ssm:*"]`, 7, 19},
		{[]any{"resources", 0, "policy", "Statement", 0, "Action", 1}, `"ssm:*"`, 7, 38},
		{[]any{"resources", 0, "policy", "Statement", 0, "Principal"}, `${AWS::AccountId}`, 8, 27},
	}
	for _, tc := range tests {
		n, depth := p.Root.Resolve(tc.path)
		if depth != len(tc.path) {
			t.Fatalf("%v: resolved %d steps", tc.path, depth)
		}
		text, pos := at(f, n.Span)
		if text != tc.wantText || pos.Line != tc.line || pos.Column != tc.col {
			t.Errorf("%v: got %q at %d:%d, want %q at %d:%d", tc.path, text, pos.Line, pos.Column, tc.wantText, tc.line, tc.col)
		}
	}
	if n, _ := p.Root.Resolve([]any{"resources", 0, "policy", "Statement", 0, "Principal"}); n.Tag != "!Sub" {
		t.Errorf("tag = %q, want !Sub", n.Tag)
	}
}

func TestYAMLDuplicatesAndAliases(t *testing.T) {
	src := "a: &x {k: 1}\nb: *x\na: 2\n"
	f := NewFile("d.yaml", []byte(src))
	p, err := ParseYAML(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Duplicates) != 1 || f.Pos(p.Duplicates[0].Again.Start).Line != 3 {
		t.Errorf("duplicates = %+v", p.Duplicates)
	}
	if p.Root.Get("b").Get("k") == nil {
		t.Error("alias not resolved")
	}
}

func TestYAMLBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for k := 0; k < 10; k++ {
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	_, err := ParseYAML(NewFile("bomb.yaml", []byte(b.String())))
	if err == nil || !strings.Contains(err.Error(), "aliases expanded") {
		t.Fatalf("got %v, want an expansion error", err)
	}
}

func TestYAMLSyntaxErrorLine(t *testing.T) {
	src := "resources:\n  - arn: x\n    policy: \"unclosed\n"
	f := NewFile("bad.yaml", []byte(src))
	_, err := ParseYAML(f)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("got %v", err)
	}
	if pos := f.Pos(se.Offset); pos.Line < 3 {
		t.Errorf("error at line %d (%s), want line 3 or later", pos.Line, se.Msg)
	}
}

func TestEmbedded(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		yaml     bool
		path     []any // path of the string node in the outer document
		inner    []any // path inside the embedded document
		wantText string
		line     int
		col      int
	}{
		{
			name: "JSON string in JSON",
			src:  `{"Policy": "{\"Statement\": [{\"Principal\": \"*\"}]}"}`,
			path: []any{"Policy"}, inner: []any{"Statement", 0, "Principal"},
			wantText: `\"*\"`, line: 1, col: 46,
		},
		{
			name: "unicode escape in JSON string",
			src:  `{"P": "{\"S\": \"\u00e9\", \"A\": 1}"}`,
			path: []any{"P"}, inner: []any{"A"},
			wantText: `1`, line: 1, col: 35,
		},
		{
			name: "YAML literal block",
			src:  "Policy: |\n  {\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [{\"Action\": \"ssm:*\"}]\n  }\n",
			yaml: true, path: []any{"Policy"}, inner: []any{"Statement", 0, "Action"},
			wantText: `"ssm:*"`, line: 4, col: 30,
		},
		{
			name: "YAML literal block with CRLF",
			src:  "Policy: |\r\n  {\r\n    \"Action\": \"ssm:*\"\r\n  }\r\n",
			yaml: true, path: []any{"Policy"}, inner: []any{"Action"},
			wantText: `"ssm:*"`, line: 3, col: 15,
		},
		{
			name: "YAML single-quoted",
			src:  "Policy: '{\"Action\": \"it''s\"}'\n",
			yaml: true, path: []any{"Policy"}, inner: []any{"Action"},
			wantText: `"it''s"`, line: 1, col: 21,
		},
		{
			name: "YAML !Sub block",
			src:  "Policy: !Sub |\n  {\"Resource\": \"arn:${AWS::Partition}:ssm\"}\n",
			yaml: true, path: []any{"Policy"}, inner: []any{"Resource"},
			wantText: `"arn:${AWS::Partition}:ssm"`, line: 2, col: 16,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := NewFile("t", []byte(tc.src))
			var outer *Parsed
			var err error
			if tc.yaml {
				outer, err = ParseYAML(f)
			} else {
				outer, err = ParseJSON(f.Src)
			}
			if err != nil {
				t.Fatal(err)
			}
			s, _ := outer.Root.Resolve(tc.path)
			inner, err := ParseEmbedded(f, s)
			if err != nil {
				t.Fatal(err)
			}
			n, depth := inner.Root.Resolve(tc.inner)
			if depth != len(tc.inner) {
				t.Fatalf("resolved %d steps", depth)
			}
			text, pos := at(f, n.Span)
			if text != tc.wantText || pos.Line != tc.line || pos.Column != tc.col {
				t.Errorf("got %q at %d:%d, want %q at %d:%d", text, pos.Line, pos.Column, tc.wantText, tc.line, tc.col)
			}
		})
	}
}

func TestEmbeddedSyntaxError(t *testing.T) {
	src := "Policy: |\n  {\n    \"Version\": \"2012-10-17\"\n    \"Statement\": []\n  }\n"
	f := NewFile("t.yaml", []byte(src))
	outer, err := ParseYAML(f)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseEmbedded(f, outer.Root.Get("Policy"))
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("got %v", err)
	}
	// The comma is missing after "2012-10-17", at the end of line 3.
	if pos := f.Pos(se.Offset); pos.Line != 3 || pos.Column != 28 {
		t.Errorf("error %q at %d:%d, want 3:28", se.Msg, pos.Line, pos.Column)
	}
}

func TestPointer(t *testing.T) {
	if got := Pointer([]any{"a/b", 0, "c~d"}); got != "/a~1b/0/c~0d" {
		t.Errorf("got %s", got)
	}
}
