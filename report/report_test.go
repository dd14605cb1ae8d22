package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

// goldenExt names each format's golden file so an editor shows it as what it is.
var goldenExt = map[string]string{
	"text": "txt", "json": "json", "sarif": "sarif", "github": "github.txt", "junit": "xml", "markdown": "md",
}

var fixtures = []struct {
	name string
	rep  func() *finding.Report
}{
	{"full", fixtureReport},
	{"failures", failuresReport},
}

func newReporter(t testing.TB, format string) Reporter {
	t.Helper()
	return newReporterWith(t, format, Options{Rules: fixtureRules(), Version: "1.2.3", WorkDir: workDir})
}

func newReporterWith(t testing.TB, format string, opts Options) Reporter {
	t.Helper()
	r, err := New(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func publishT(t testing.TB, r Reporter, rep *finding.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Publish(&buf, rep); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test ./report -update rewrites it); got:\n%s", path, got)
	}
}

func TestGolden(t *testing.T) {
	if len(goldenExt) != len(Formats()) {
		t.Fatalf("a format lacks its golden file name: %v vs %v", goldenExt, Formats())
	}
	for _, fx := range fixtures {
		for _, format := range Formats() {
			t.Run(fx.name+"/"+format, func(t *testing.T) {
				golden(t, fx.name+"."+goldenExt[format], publishT(t, newReporter(t, format), fx.rep()))
			})
		}
	}
}

// Every machine format must stay parseable whatever the report holds, a run that failed
// (exit 2) included: CI uploads the file either way.
func TestMachineFormatsAreValid(t *testing.T) {
	schema := sarifSchema(t)
	for _, fx := range fixtures {
		rep := fx.rep()
		t.Run(fx.name+"/json", func(t *testing.T) {
			var back finding.Report
			if err := json.Unmarshal(publishT(t, newReporter(t, "json"), rep), &back); err != nil {
				t.Fatal(err)
			}
			if len(back.Findings) != len(rep.Findings) || len(back.Failures) != len(rep.Failures) {
				t.Errorf("json round trip: %d findings, %d errors; want %d, %d", len(back.Findings), len(back.Failures), len(rep.Findings), len(rep.Failures))
			}
		})
		t.Run(fx.name+"/sarif", func(t *testing.T) {
			validateSARIF(t, schema, publishT(t, newReporter(t, "sarif"), rep))
		})
		t.Run(fx.name+"/junit", func(t *testing.T) {
			var doc junitSuites
			if err := xml.Unmarshal(publishT(t, newReporter(t, "junit"), rep), &doc); err != nil {
				t.Fatal(err)
			}
			errs := 0
			for _, s := range doc.Suites {
				errs += s.Errors
			}
			if errs != len(rep.Failures) {
				t.Errorf("junit: %d errors, want %d", errs, len(rep.Failures))
			}
		})
		t.Run(fx.name+"/github", func(t *testing.T) {
			out := string(publishT(t, newReporter(t, "github"), rep))
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if want := len(rep.Findings) + len(rep.Failures); len(lines) != want {
				t.Fatalf("github: %d lines, want one per finding and error (%d):\n%s", len(lines), want, out)
			}
			cmd := regexp.MustCompile(`^::(error|warning|notice)( [a-zA-Z]+=[^,:]*(,[a-zA-Z]+=[^,:]*)*)?::[^\r\n]*$`)
			for _, l := range lines {
				if !cmd.MatchString(l) {
					t.Errorf("github: not a workflow command: %q", l)
				}
			}
		})
	}
}

func TestNew(t *testing.T) {
	for _, f := range Formats() {
		if _, err := New(f, Options{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
	if _, err := New("yaml", Options{}); err == nil || !strings.Contains(err.Error(), "sarif, github, junit, markdown") {
		t.Errorf("New(yaml) = %v, want an error naming the formats", err)
	}
}

func TestLocate(t *testing.T) {
	for _, c := range []struct{ file, rel, abs string }{
		{"policies/a.json", "policies/a.json", "/src/project/policies/a.json"},
		{"./policies/../a.json", "a.json", "/src/project/a.json"},
		{"/src/project/sub/b.yaml", "sub/b.yaml", "/src/project/sub/b.yaml"},
		{"../other/c.json", "", "/src/other/c.json"},
		{"/src/projects/d.json", "", "/src/projects/d.json"},
		{finding.StdinName, "", ""},
	} {
		p := locate(workDir, c.file)
		if p.rel != c.rel || p.abs != c.abs {
			t.Errorf("locate(%q) = %+v, want rel %q abs %q", c.file, p, c.rel, c.abs)
		}
	}
	if got := escapePath("dir/a b#c:d.json"); got != "dir/a%20b%23c:d.json" {
		t.Errorf("escapePath = %q", got)
	}
	if got := escapePath("c:x.json"); got != "./c:x.json" {
		t.Errorf("escapePath of a colon in the first segment = %q, want ./c:x.json", got)
	}
	if got := fileURI("/a b/ü.json"); got != "file:///a%20b/%C3%BC.json" {
		t.Errorf("fileURI = %q", got)
	}
}

func BenchmarkReporters(b *testing.B) {
	rep := bigReport(1000)
	for _, format := range Formats() {
		r := newReporter(b, format)
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := r.Publish(io.Discard, rep); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFormatsIsACopy checks that a caller changing the list of formats changes no one else's.
func TestFormatsIsACopy(t *testing.T) {
	f := Formats()
	f[0] = "changed"
	if Formats()[0] != "text" {
		t.Errorf("Formats() = %v after a caller changed its copy", Formats())
	}
}
