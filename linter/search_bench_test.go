package linter

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/input"
)

// searchRepo writes a repository of n files as a mixed project holds them: Go and Markdown
// files (not candidates), package.json-like JSON and Kubernetes-like YAML (candidates that
// fail the quick test, a tenth of the YAML starting a top-level `resources:` list as a
// kustomization does), a node_modules tree (skipped), policies, and 20 manifests naming 25
// policies each. It returns the root, one policy that manifests name, and how many files the
// search should see (node_modules aside) and parse (manifests and kustomizations).
func searchRepo(tb testing.TB, n int) (root, policy string, seen, parsed int) {
	tb.Helper()
	root = tb.TempDir()
	parsed = 20
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		tb.Fatal(err)
	}
	write := func(rel, body string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	written := 0
	for m := range 20 {
		var b []byte
		b = append(b, "resources:\n"...)
		for p := range 25 {
			name := fmt.Sprintf("policies/m%02d/p%02d.json", m, p)
			write("infra/"+name, otherPolicy)
			b = fmt.Appendf(b, "  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/m%d/p%d\n    parameter: {tier: Advanced, type: String}\n    policy: %s\n", m, p, name)
			written++
		}
		write(fmt.Sprintf("infra/manifest%02d.yaml", m), string(b))
		written++
	}
	for i := 0; written < n; i++ {
		dir := fmt.Sprintf("src/pkg%03d", i/50)
		switch i % 10 {
		case 0, 1, 2, 3:
			write(fmt.Sprintf("%s/f%d.go", dir, i), "package p\n\nfunc F() {}\n")
		case 4, 5:
			write(fmt.Sprintf("%s/f%d.md", dir, i), "# Notes\n\nSome text about resources: none.\n")
		case 6, 7:
			write(fmt.Sprintf("%s/f%d.json", dir, i), `{"name": "x", "version": "1.0.0", "dependencies": {"left-pad": "1.3.0"}}`)
		case 8:
			body := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          resources:\n            limits: {cpu: 1}\n"
			if i%100 == 8 {
				parsed++
				body = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n"
			}
			write(fmt.Sprintf("%s/f%d.yaml", dir, i), body)
		case 9:
			write(fmt.Sprintf("node_modules/m%d/package.json", i), `{"name": "dep"}`)
			seen--
		}
		written++
	}
	return root, filepath.Join(root, "infra/policies/m07/p13.json"), seen + n, parsed
}

// BenchmarkContextSearch times a check of one policy file that no manifest of the run names,
// in a repository of 10,000 files: the walk of the project, the quick test of each candidate,
// the parse of the manifests, and the check in the context found. BenchmarkContextSearchOff
// is the same check without the search, for the difference.
func BenchmarkContextSearch(b *testing.B) {
	benchmarkSearch(b, true)
}

func BenchmarkContextSearchOff(b *testing.B) {
	benchmarkSearch(b, false)
}

func benchmarkSearch(b *testing.B, search bool) {
	root, policy, _, _ := searchRepo(b, 10000)
	e := newEngine(b, Config{})
	reader := newReader(b, input.Context{})
	project := &Project{Root: root, Profile: &Profile{Engine: e}}
	opts := RunOptions{Paths: []string{policy}, Reader: reader, Search: search,
		Project: func(string) (*Project, error) { return project, nil }}
	var stats SearchStats
	b.ResetTimer()
	for range b.N {
		rep := e.Run(context.Background(), opts)
		if len(rep.Failures) > 0 || rep.Summary.Targets != 1 || search != (len(only(rep, "resource-mismatch")) == 1) {
			b.Fatalf("failures %v, %d targets, findings %v", rep.Failures, rep.Summary.Targets, rep.Findings)
		}
	}
	b.StopTimer()
	if search {
		s := newSearcher(reader)
		stats = s.index(context.Background(), root).stats
		b.ReportMetric(float64(stats.Files), "files-walked")
		b.ReportMetric(float64(stats.Candidates), "candidates")
		b.ReportMetric(float64(stats.Parsed), "parsed")
		b.ReportMetric(float64(stats.Manifests), "manifests")
	}
}

// TestSearchWalksOnce: in the benchmark's repository, the search skips node_modules, opens
// only candidates, and parses only the files that pass the quick test.
func TestSearchWalksOnce(t *testing.T) {
	root, _, seen, parsed := searchRepo(t, 2000)
	s := newSearcher(newReader(t, input.Context{}))
	ix := s.index(context.Background(), root)
	st := ix.stats
	if st.Files != seen || st.Parsed != parsed || st.Candidates >= st.Files || len(ix.byPolicy) != 500 {
		t.Errorf("stats %+v, %d policies indexed; want %d files seen, %d parsed, 500 policies", st, len(ix.byPolicy), seen, parsed)
	}
	if again := s.index(context.Background(), root); again != ix {
		t.Error("the project was indexed twice")
	}
}
