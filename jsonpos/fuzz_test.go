package jsonpos

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

var seeds = []string{
	`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["1", "*"]}}]}`,
	`{"a": "\u00e9\ud83d\ude00", "b": [1, -2.5e3, true, false, null], "a": {}}`,
	"{\r\n\t\"k\": \"v\"\r\n}",
	`[1, 2,]`, `{"a" 1}`, `"\x"`, "\xef\xbb\xbf{}", `{"a": "é日本"}`,
	"resources:\n  - arn: x\n    policy: |\n      {\"a\": 1}\n",
	"a: &x [1, 2]\nb: *x\n<<: {c: 1}\n",
	"Policy: !Sub '{\"R\": \"${AWS::Region}\"}'\n",
}

func checkSpans(t *testing.T, src []byte, n *Node) {
	t.Helper()
	Walk(n, func(path []any, node *Node) {
		if node.Span.Start < 0 || node.Span.End > len(src) || node.Span.Start > node.Span.End {
			t.Fatalf("%s: span %+v outside the %d-byte source", Pointer(path), node.Span, len(src))
		}
		for _, m := range node.Members {
			if m.KeySpan.Start < 0 || m.KeySpan.End > len(src) || m.KeySpan.Start > m.KeySpan.End {
				t.Fatalf("%s: key span %+v outside the source", Pointer(path), m.KeySpan)
			}
		}
	})
}

// FuzzParseJSON checks the reader against encoding/json: the same documents are accepted
// (within the nesting limit, for valid UTF-8), values agree, and every span is in bounds.
func FuzzParseJSON(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := ParseJSON(src)
		body := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
		valid := json.Valid(body)
		if err == nil {
			if !valid {
				t.Fatalf("accepted what encoding/json rejects: %q", src)
			}
			checkSpans(t, src, p.Root)
			var want any
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			if err := dec.Decode(&want); err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(p.Root.Value())
			exp, _ := json.Marshal(want)
			if !bytes.Equal(got, exp) {
				t.Fatalf("value %s, encoding/json reads %s", got, exp)
			}
			return
		}
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if se.Offset < 0 || se.Offset > len(src) {
			t.Fatalf("error offset %d outside the source", se.Offset)
		}
		if valid && utf8.Valid(body) && !bytes.Contains(body, bytes.Repeat([]byte("["), MaxDepth)) && !bytes.Contains(body, bytes.Repeat([]byte("{\"\":"), MaxDepth/2)) {
			// Deep nesting may be refused below encoding/json's limit; anything else valid must parse.
			if len(body) < MaxDepth {
				t.Fatalf("rejected valid JSON %q: %v", src, err)
			}
		}
	})
}

// FuzzParseYAML checks that YAML never panics and spans stay in bounds.
func FuzzParseYAML(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := NewFile("f.yaml", src)
		p, err := ParseYAML(file)
		if err != nil {
			if se, ok := err.(*SyntaxError); !ok || se.Offset < 0 || se.Offset > len(src) {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		checkSpans(t, src, p.Root)
	})
}

// FuzzEmbedded holds arbitrary text as a JSON string and as a YAML block, and checks that every
// position of the embedded document lands inside the string that holds it.
func FuzzEmbedded(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, inner string) {
		quoted, _ := json.Marshal(inner)
		src := append(append([]byte(`{"P": `), quoted...), '}')
		file := NewFile("f.json", src)
		outer, err := ParseJSON(src)
		if err != nil {
			t.Fatalf("outer document does not parse: %v", err)
		}
		str := outer.Root.Get("P")
		p, err := ParseEmbedded(file, str)
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok || se.Offset < str.Span.Start || se.Offset > str.Span.End {
				t.Fatalf("error %v at %v outside the string %+v", err, se, str.Span)
			}
			return
		}
		Walk(p.Root, func(path []any, n *Node) {
			if n.Span.Start < str.Span.Start || n.Span.End > str.Span.End || n.Span.Start > n.Span.End {
				t.Fatalf("%s: span %+v outside the string %+v", Pointer(path), n.Span, str.Span)
			}
		})
	})
}
