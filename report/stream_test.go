package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// TestJSONStreamIsTheEncodedReport checks that the JSON written finding by finding is byte
// for byte what encoding/json makes of the whole report, which is the shape scripts read.
func TestJSONStreamIsTheEncodedReport(t *testing.T) {
	reports := map[string]*finding.Report{"full": fixtureReport(), "failures": failuresReport(), "big": bigReport(300)}
	empty := &finding.Report{}
	empty.Finish()
	reports["empty"] = empty
	for name, rep := range reports {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			t.Fatal(err)
		}
		if got := publishT(t, JSON{}, rep); !bytes.Equal(got, jsonEscapeRest(want.Bytes())) {
			t.Errorf("%s: the streamed JSON differs from the encoded report:\n%s\nwant:\n%s", name, got, want.Bytes())
		}
	}
}

// countingWriter counts the bytes written to it.
type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// TestStreamsWriteAsFindingsCome checks that the formats that stream hold nothing back: by
// the time the last finding is given, nearly all of the output has been written. (SARIF
// builds its one document at the end.)
func TestStreamsWriteAsFindingsCome(t *testing.T) {
	rep := bigReport(2000)
	for _, format := range []string{"text", "json", "github", "junit", "markdown"} {
		t.Run(format, func(t *testing.T) {
			var w countingWriter
			s := newReporter(t, format).Stream(&w)
			if err := s.Begin(Meta{Version: 1}); err != nil {
				t.Fatal(err)
			}
			for _, f := range rep.Findings {
				if err := s.Finding(f); err != nil {
					t.Fatal(err)
				}
			}
			before := w.n
			if err := s.End(rep.Summary, nil); err != nil {
				t.Fatal(err)
			}
			if before < w.n*9/10 {
				t.Errorf("%d of %d bytes written before End: the findings were held", before, w.n)
			}
		})
	}
}

// TestStreamMergesSuppressed checks the one-call form gives a stream the findings and the
// suppressed findings in one file and position order.
func TestStreamMergesSuppressed(t *testing.T) {
	rec := &recorder{}
	if err := publish(rec, fixtureReport()); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rec.events, " ")
	want := "begin /elsewhere/shared policy.json:0 /elsewhere/shared policy.json:0 <stdin>:0 manifest.yaml:120 manifest.yaml:233 " +
		"plan.json:2313 policies/über.json:35 policies/über.json:52 policies/über.json:101 suppressed policies/über.json:120 end"
	if got != want {
		t.Errorf("events:\n%s\nwant:\n%s", got, want)
	}
}

type recorder struct{ events []string }

func (r *recorder) Begin(Meta) error { r.events = append(r.events, "begin"); return nil }
func (r *recorder) Finding(f finding.Finding) error {
	r.events = append(r.events, fmt.Sprintf("%s:%d", f.File, f.Start.Offset))
	return nil
}
func (r *recorder) Suppressed(f finding.Suppressed) error {
	r.events = append(r.events, fmt.Sprintf("suppressed %s:%d", f.File, f.Start.Offset))
	return nil
}
func (r *recorder) End(finding.Summary, []finding.Failure) error {
	r.events = append(r.events, "end")
	return nil
}
