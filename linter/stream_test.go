package linter

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/report"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// TestStreamIsTheWholeReport checks, on every directory of testdata/cases and in every
// format, that the report a run writes as it goes is byte for byte the whole report published
// at the end, and that its findings are in the order of the pipeline's last stages (repeats
// dropped, finding.Compare).
func TestStreamIsTheWholeReport(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/cases/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	e := newEngine(t, Config{})
	reader := newReader(t, input.Context{})
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	total := 0
	for _, dir := range dirs {
		opts := RunOptions{Paths: []string{dir}, Reader: reader, Workers: 3}
		rep := e.Run(ctx, opts)
		total += len(rep.Findings)
		sorted := slices.Clone(rep.Findings)
		slices.SortFunc(sorted, finding.Compare)
		sorted = slices.CompactFunc(sorted, func(a, b finding.Finding) bool { return a.Key() == b.Key() })
		if !slices.EqualFunc(sorted, rep.Findings, func(a, b finding.Finding) bool { return a.Key() == b.Key() }) {
			t.Errorf("%s: findings not in report order", dir)
		}
		if !slices.IsSortedFunc(rep.Suppressed, finding.CompareSuppressed) {
			t.Errorf("%s: suppressed findings not in report order", dir)
		}
		for _, format := range report.Formats() {
			rp, err := report.New(format, report.Options{Rules: set, Version: "test", WorkDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			var whole, streamed bytes.Buffer
			if err := rp.Publish(&whole, rep); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Stream(ctx, opts, rp.Stream(&streamed)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(whole.Bytes(), streamed.Bytes()) {
				t.Errorf("%s, %s: the streamed report differs from the whole one:\n%s\nwant:\n%s", dir, format, streamed.Bytes(), whole.Bytes())
			}
		}
	}
	if total == 0 {
		t.Fatal("the cases had no findings: nothing was compared")
	}
}

// TestManifestReadOnce checks that a manifest is read once, its targets checked with the
// problems of their entries, and each policy it names loaded as its target.
func TestManifestReadOnce(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:111122223333:parameter/%s"}]}`
	var m strings.Builder
	m.WriteString("resources:\n")
	for _, name := range []string{"a", "b", "c"} {
		write(name+".json", strings.ReplaceAll(policy, "%s", name))
		m.WriteString("  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/" + name + "\n    policy: " + name + ".json\n")
	}
	m.WriteString("    colour: blue\n") // an unknown key in the last entry: a problem of its target
	write("manifest.yaml", m.String())

	e := newEngine(t, Config{})
	r := e.newRun(context.Background(), RunOptions{Paths: []string{dir}, Reader: newReader(t, input.Context{})})
	var mu sync.Mutex
	reads := map[string]int{}
	r.read = func(p string) ([]byte, error) {
		mu.Lock()
		reads[filepath.Base(p)]++
		mu.Unlock()
		return readFile(p)
	}
	c := &collector{}
	rep, err := r.stream(c)
	if err != nil {
		t.Fatal(err)
	}
	if reads["manifest.yaml"] != 1 {
		t.Errorf("manifest read %d times, want once", reads["manifest.yaml"])
	}
	if rep.Summary.Targets != 3 || len(rep.Failures) != 0 {
		t.Errorf("targets = %d, failures = %v", rep.Summary.Targets, rep.Failures)
	}
	entry := slices.IndexFunc(c.findings, func(f finding.Finding) bool {
		return filepath.Base(f.File) == "manifest.yaml" && strings.Contains(f.Message, "colour")
	})
	if entry < 0 {
		t.Errorf("no finding on the entry's unknown key: %+v", c.findings)
	}
}
