package jsonpos

import (
	"errors"
	"strings"
	"testing"
)

func TestYAMLMergeKeys(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    map[string]string // key of "p" -> value
		dupLine []int             // lines of the repeated keys
	}{
		{"explicit key after the merge overrides it",
			"base: &b {tier: Standard, type: String}\np:\n  <<: *b\n  tier: Advanced\n",
			map[string]string{"tier": "Advanced", "type": "String"}, nil},
		{"explicit key before the merge wins",
			"base: &b {tier: Standard}\np:\n  tier: Advanced\n  <<: *b\n",
			map[string]string{"tier": "Advanced"}, nil},
		{"the first of several merged mappings wins",
			"a: &a {tier: Advanced}\nb: &b {tier: Standard, type: String}\np:\n  <<: [*a, *b]\n",
			map[string]string{"tier": "Advanced", "type": "String"}, nil},
		{"a key written twice is still a duplicate",
			"base: &b {tier: Standard}\np:\n  <<: *b\n  tier: Advanced\n  tier: Intelligent-Tiering\n",
			map[string]string{"tier": "Intelligent-Tiering"}, []int{5}},
		{"flow mapping",
			"base: &b {tier: Standard}\np: {<<: *b, tier: Advanced}\n",
			map[string]string{"tier": "Advanced"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := NewFile("m.yaml", []byte(tc.src))
			p, err := ParseYAML(f)
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, d := range p.Duplicates {
				lines = append(lines, f.Pos(d.Again.Start).Line)
			}
			if len(lines) != len(tc.dupLine) || (len(lines) > 0 && lines[0] != tc.dupLine[0]) {
				t.Errorf("duplicates at lines %v, want %v", lines, tc.dupLine)
			}
			obj := p.Root.Get("p")
			for k, v := range tc.want {
				if got := obj.Get(k); got == nil || got.Text != v {
					t.Errorf("%s = %+v, want %q", k, got, v)
				}
			}
			if len(obj.Members) != len(tc.want)+len(tc.dupLine) {
				t.Errorf("%d members, want %d", len(obj.Members), len(tc.want)+len(tc.dupLine))
			}
		})
	}
}

func TestYAMLSecondDocument(t *testing.T) {
	tests := []struct {
		src      string
		wantLine int // 0: no error
	}{
		{"resources: []\n---\nresources:\n  - arn: x\n", 2},
		{"---\nresources: []\n---\n# another\nPolicy: 1\n", 3},
		{"a: 1\n--- {b: 2}\n", 2},
		{"a: 1\n---\n", 0},       // an empty document holds nothing
		{"a: 1\n...\n", 0},       // the end of the document
		{"---\na: 1\n", 0},       // a document marker before the only document
		{"a: 1\n---\nb: [\n", 3}, // a second document that does not parse is still reported
	}
	for _, tc := range tests {
		f := NewFile("m.yaml", []byte(tc.src))
		_, err := ParseYAML(f)
		if tc.wantLine == 0 {
			if err != nil {
				t.Errorf("%q: %v", tc.src, err)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want an error at the second document", tc.src, err)
			continue
		}
		if pos := f.Pos(se.Offset); pos.Line != tc.wantLine {
			t.Errorf("%q: %q at line %d, want line %d", tc.src, se.Msg, pos.Line, tc.wantLine)
		}
	}
}

func TestUTF16IsReported(t *testing.T) {
	le := []byte{0xFF, 0xFE, '{', 0, '}', 0}
	be := []byte{0xFE, 0xFF, 0, '{', 0, '}'}
	noBOM := []byte{'{', 0, '"', 0, 'a', 0}
	for _, src := range [][]byte{le, be, noBOM} {
		_, jerr := ParseJSON(src)
		_, yerr := ParseYAML(NewFile("p", src))
		for _, err := range []error{jerr, yerr} {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset != 0 || !strings.Contains(se.Msg, "UTF-16") {
				t.Errorf("% x: got %v, want a UTF-16 error at offset 0", src, err)
			}
		}
	}
}

// TestSourceMapMultiByte checks that every byte of a character written as is maps to its own
// byte of the file (the continuation bytes of é and of a byte order mark included).
func TestSourceMapMultiByte(t *testing.T) {
	src := []byte("{\"P\": \"é\ufeffx\"}")
	f := NewFile("f.json", src)
	outer, err := ParseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	spans := SourceMap(f, outer.Root.Get("P"))
	for k, s := range spans {
		if s.Start != 7+k || s.End != 8+k {
			t.Errorf("byte %d maps to %+v, want %d..%d", k, s, 7+k, 8+k)
		}
	}
}

func TestEmbeddedBOMOnly(t *testing.T) {
	src := []byte("{\"P\": \"\ufeff\"}")
	f := NewFile("f.json", src)
	outer, err := ParseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	str := outer.Root.Get("P")
	_, err = ParseEmbedded(f, str)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a syntax error", err)
	}
	if se.Offset < str.Span.Start || se.Offset > str.Span.End {
		t.Errorf("error at offset %d, outside the string %+v", se.Offset, str.Span)
	}
}

func TestJSONMissingComma(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
	}{
		{"{\"a\": 1 \"b\": 2}", 1, 8},
		{"{\n  \"Effect\": \"Allow\"\n  \"Action\": \"ssm:GetParameter\"\n}", 2, 20},
		{"{\"a\": {\"x\": 1}\n\"b\": 2}", 1, 15},
		{"[1\n 2]", 1, 3},
		{"[\"a\" \"b\"]", 1, 5},
		{"[{} {}]", 1, 4},
	}
	for _, tc := range tests {
		f := NewFile("p.json", []byte(tc.src))
		_, err := ParseJSON(f.Src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v", tc.src, err)
			continue
		}
		pos := f.Pos(se.Offset)
		if pos.Line != tc.line || pos.Column != tc.col || !strings.Contains(se.Msg, "missing ','") {
			t.Errorf("%q: %q at %d:%d, want a missing comma at %d:%d", tc.src, se.Msg, pos.Line, pos.Column, tc.line, tc.col)
		}
	}
	// Something that cannot start a value is not taken for a missing comma.
	_, err := ParseJSON([]byte(`{"a": 1;}`))
	if err == nil || strings.Contains(err.Error(), "missing") {
		t.Errorf("got %v, want the unexpected character", err)
	}
}

func TestDuplicatesOfManyKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 100; i++ {
		b.WriteString(`"k` + string(rune('a'+i%26)) + `": 1,`)
	}
	b.WriteString(`"z": 1}`)
	p, err := ParseJSON([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	// 26 distinct keys written 100 times: 74 repeats, each pointing at the first time.
	if len(p.Duplicates) != 74 {
		t.Fatalf("%d duplicates, want 74", len(p.Duplicates))
	}
	for _, d := range p.Duplicates {
		if first := p.Root.Members[0]; d.Key == first.Key && d.First != first.KeySpan {
			t.Errorf("%s: first at %+v, want %+v", d.Key, d.First, first.KeySpan)
		}
	}
}
