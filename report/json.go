package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// JSON writes the report as one JSON object, the shape scripts rely on (finding.Report):
// version, config, findings, suppressed, summary and, when there are any, errors.
type JSON struct{}

// Publish implements Reporter.
func (j JSON) Publish(w io.Writer, rep *finding.Report) error { return publish(j.Stream(w), rep) }

// Stream implements Reporter. It writes each finding as it comes, byte for byte as
// encoding/json indents the whole report; the suppressed findings, listed after the findings,
// are held until End.
func (JSON) Stream(w io.Writer) Stream {
	return &jsonStream{w: bufio.NewWriter(w)}
}

type jsonStream struct {
	w          *bufio.Writer
	findings   int
	suppressed []finding.Suppressed
	buf        bytes.Buffer
}

func (s *jsonStream) Begin(meta Meta) error {
	s.w.WriteString("{\n  \"version\": ")
	if err := s.value("", meta.Version); err != nil {
		return err
	}
	config := meta.Config
	if config == nil {
		config = []finding.ConfigUsed{}
	}
	s.w.WriteString(",\n  \"config\": ")
	if err := s.value("  ", config); err != nil {
		return err
	}
	s.w.WriteString(",\n  \"findings\": [")
	return nil
}

func (s *jsonStream) Finding(f finding.Finding) error {
	if s.findings > 0 {
		s.w.WriteByte(',')
	}
	s.findings++
	s.w.WriteString("\n    ")
	return s.value("    ", f)
}

func (s *jsonStream) Suppressed(f finding.Suppressed) error {
	s.suppressed = append(s.suppressed, f)
	return nil
}

func (s *jsonStream) End(sum finding.Summary, failures []finding.Failure) error {
	s.closeList(s.findings)
	s.w.WriteString(",\n  \"suppressed\": [")
	for i, f := range s.suppressed {
		if i > 0 {
			s.w.WriteByte(',')
		}
		s.w.WriteString("\n    ")
		if err := s.value("    ", f); err != nil {
			return err
		}
	}
	s.closeList(len(s.suppressed))
	s.w.WriteString(",\n  \"summary\": ")
	if err := s.value("  ", sum); err != nil {
		return err
	}
	if len(failures) > 0 {
		s.w.WriteString(",\n  \"errors\": ")
		if err := s.value("  ", failures); err != nil {
			return err
		}
	}
	s.w.WriteString("\n}\n")
	return s.w.Flush()
}

func (s *jsonStream) closeList(n int) {
	if n > 0 {
		s.w.WriteString("\n  ")
	}
	s.w.WriteByte(']')
}

// value writes v indented as it sits at prefix, without HTML escapes (messages hold < and &).
func (s *jsonStream) value(prefix string, v any) error {
	s.buf.Reset()
	enc := json.NewEncoder(&s.buf)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := s.w.Write(jsonEscapeRest(bytes.TrimSuffix(s.buf.Bytes(), []byte("\n"))))
	return err
}
