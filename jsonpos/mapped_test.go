package jsonpos

import (
	"errors"
	"testing"
)

// TestParseMappedPieces assembles a document from two string pieces of a JSON file and an
// inserted value, as a CloudFormation Fn::Join does, and checks that positions land in the
// piece each element was written in.
func TestParseMappedPieces(t *testing.T) {
	src := `{"Join": ["{\"Action\": \"ssm:GetParameter\", \"Resource\": \"arn:", {"Ref": "AWS::Partition"}, ":ssm\"}"]}`
	f := NewFile("t.json", []byte(src))
	outer, err := ParseJSON(f.Src)
	if err != nil {
		t.Fatal(err)
	}
	list := outer.Root.Get("Join")
	var text []byte
	var spans []Span
	for _, piece := range list.Items {
		if piece.Kind == String {
			text = append(text, piece.Text...)
			spans = append(spans, SourceMap(f, piece)...)
			continue
		}
		for range "aws" {
			spans = append(spans, piece.Span)
		}
		text = append(text, "aws"...)
	}
	doc, err := ParseMapped(text, spans, list.Span.End)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Root.Get("Resource").Text; got != "arn:aws:ssm" {
		t.Fatalf("Resource = %q", got)
	}
	// The Action element is wholly inside the first piece: exact.
	if text, pos := at(f, doc.Root.Get("Action").Span); text != `\"ssm:GetParameter\"` || pos.Column != 25 {
		t.Errorf("Action at %q column %d", text, pos.Column)
	}
	// The Resource element spans three pieces: from its quote in the first to the third.
	if text, _ := at(f, doc.Root.Get("Resource").Span); text != `\"arn:", {"Ref": "AWS::Partition"}, ":ssm\"` {
		t.Errorf("Resource covers %q", text)
	}
}

func TestSourceMapMatchesEmbedded(t *testing.T) {
	src := "Policy: |\n  {\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [{\"Action\": \"ssm:*\"}]\n  }\n"
	f := NewFile("t.yaml", []byte(src))
	outer, err := ParseYAML(f)
	if err != nil {
		t.Fatal(err)
	}
	s := outer.Root.Get("Policy")
	a, err := ParseEmbedded(f, s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseMapped([]byte(s.Text), SourceMap(f, s), s.Span.End)
	if err != nil {
		t.Fatal(err)
	}
	path := []any{"Statement", 0, "Action"}
	na, _ := a.Root.Resolve(path)
	nb, _ := b.Root.Resolve(path)
	if na.Span != nb.Span {
		t.Errorf("ParseMapped %v, ParseEmbedded %v", nb.Span, na.Span)
	}
}

func TestParseMappedSyntaxError(t *testing.T) {
	src := `{"P": "{\"A\": 1,}"}`
	f := NewFile("t.json", []byte(src))
	outer, err := ParseJSON(f.Src)
	if err != nil {
		t.Fatal(err)
	}
	s := outer.Root.Get("P")
	_, err = ParseMapped([]byte(s.Text), SourceMap(f, s), s.Span.End)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("got %v", err)
	}
	if pos := f.Pos(se.Offset); pos.Column != 17 {
		t.Errorf("error %q at column %d, want 17 (the trailing comma)", se.Msg, pos.Column)
	}
	// Mismatched lengths must not panic.
	if _, err := ParseMapped([]byte(`{"a": }`), nil, 3); err == nil {
		t.Error("want a syntax error")
	}
}
