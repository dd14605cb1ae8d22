package input_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/linter"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// The engine is built once for the package's tests: compiling the rules is the slow part.
var (
	engineOnce sync.Once
	engineVal  *linter.Engine
	engineErr  error
)

func testEngine(t testing.TB) *linter.Engine {
	t.Helper()
	engineOnce.Do(func() {
		set, err := rules.Builtin()
		if err != nil {
			engineErr = err
			return
		}
		engineVal, engineErr = linter.New(context.Background(), set, linter.Config{})
	})
	if engineErr != nil {
		t.Fatalf("engine: %v", engineErr)
	}
	return engineVal
}

// hasRule tells whether the built-in catalogue has a rule yet: rules are being written in
// parallel, and a test about one that does not exist yet checks the input instead.
func hasRule(t testing.TB, id string) bool {
	_, ok := testEngine(t).Rules().Get(id)
	return ok
}

func reader(t testing.TB) *input.Reader {
	t.Helper()
	r, err := input.NewReader(input.Context{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// read reads one fixture through the real reader.
func read(t testing.TB, path string) (input.Result, *jsonpos.File) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := jsonpos.NewFile(path, src)
	res, err := reader(t).Read(f)
	if err != nil {
		t.Fatal(err)
	}
	return res, f
}

// readString reads a document given inline.
func readString(t testing.TB, name, src string) input.Result {
	t.Helper()
	res, err := reader(t).Read(jsonpos.NewFile(name, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func targetByOrigin(t testing.TB, res input.Result, origin string) *input.Target {
	t.Helper()
	for _, tg := range res.Targets {
		if tg.Origin.File != nil && originText(tg) == origin {
			return tg
		}
	}
	var have []string
	for _, tg := range res.Targets {
		have = append(have, originText(tg))
	}
	t.Fatalf("no target %s; have %v", origin, have)
	return nil
}

// originText is the text the target's origin covers, without quotes.
func originText(tg *input.Target) string {
	return strings.Trim(string(tg.Origin.File.Src[tg.Origin.Span.Start:tg.Origin.Span.End]), `"`)
}

// run checks files through the engine's whole pipeline (reading, rules, target ignores).
func run(t testing.TB, paths ...string) *finding.Report {
	t.Helper()
	rep := testEngine(t).Run(context.Background(), linter.RunOptions{Paths: paths, Reader: reader(t), Workers: 1})
	for _, f := range rep.Failures {
		t.Errorf("failure: %v", f)
	}
	return rep
}

// check runs the engine on one target, as Run does for each.
func check(t testing.TB, tg *input.Target) []finding.Finding {
	t.Helper()
	out, err := testEngine(t).Check(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func at(f finding.Finding) string { return fmt.Sprintf("%d:%d", f.Start.Line, f.Start.Column) }

// ofRule lists where rule fired, as "line:col" strings, sorted.
func ofRule(fs []finding.Finding, rule string) []string {
	var out []string
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, at(f))
		}
	}
	slices.Sort(out)
	return out
}

// want is a fixture's expected findings: for each rule it names, exactly these places. Rules
// it does not name are not asserted, since the catalogue grows while the rules are written.
//
// File format, one per line: `RULE LINE:COL` (a finding), `RULE -` (the rule must not fire),
// `suppressed RULE LINE:COL` (a finding silenced by the input itself), `# comment`. A rule
// marked `?` after its place is asserted only once the rule exists in the catalogue.
type want struct {
	findings   map[string][]string
	suppressed map[string][]string
	optional   map[string]bool
}

func readWant(t testing.TB, path string) want {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	w := want{findings: map[string][]string{}, suppressed: map[string][]string{}, optional: map[string]bool{}}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		fields := strings.Fields(line)
		into := w.findings
		if fields[0] == "suppressed" {
			into, fields = w.suppressed, fields[1:]
		}
		if len(fields) < 2 {
			t.Fatalf("%s: bad line %q", path, line)
		}
		rule := fields[0]
		if len(fields) > 2 && fields[2] == "?" {
			w.optional[rule] = true
		}
		if _, ok := into[rule]; !ok {
			into[rule] = []string{}
		}
		if fields[1] != "-" {
			into[rule] = append(into[rule], fields[1])
		}
	}
	for _, m := range []map[string][]string{w.findings, w.suppressed} {
		for _, v := range m {
			slices.Sort(v)
		}
	}
	return w
}

// assertWant compares a report with a fixture's .want file.
func assertWant(t *testing.T, rep *finding.Report, w want) {
	t.Helper()
	var sup []finding.Finding
	for _, s := range rep.Suppressed {
		sup = append(sup, finding.Finding{Rule: s.Rule, Start: s.Start})
	}
	for _, c := range []struct {
		what string
		exp  map[string][]string
		got  []finding.Finding
	}{{"findings", w.findings, rep.Findings}, {"suppressed", w.suppressed, sup}} {
		for rule, places := range c.exp {
			if w.optional[rule] && !hasRule(t, rule) {
				continue
			}
			if got := ofRule(c.got, rule); !slices.Equal(got, places) {
				t.Errorf("%s of %s at %v, want %v", c.what, rule, got, places)
			}
		}
	}
	if t.Failed() {
		for _, f := range rep.Findings {
			t.Logf("  %s %s %s: %s", at(f), f.Rule, f.Pointer, f.Message)
		}
		for _, s := range rep.Suppressed {
			t.Logf("  suppressed %d:%d %s", s.Start.Line, s.Start.Column, s.Rule)
		}
	}
}

// TestFixtures runs every template and plan under testdata against its .want file.
func TestFixtures(t *testing.T) {
	for _, dir := range []string{"cloudformation", "terraform"} {
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range files {
			if strings.HasSuffix(p, ".want") {
				continue
			}
			wantPath := strings.TrimSuffix(p, filepath.Ext(p)) + ".want"
			if _, err := os.Stat(wantPath); err != nil {
				t.Errorf("%s has no %s", p, filepath.Base(wantPath))
				continue
			}
			t.Run(filepath.Join(dir, filepath.Base(p)), func(t *testing.T) {
				res, _ := read(t, p)
				if wantKind := map[string]input.Kind{"cloudformation": input.CloudFormation, "terraform": input.Terraform}[dir]; res.Kind != wantKind {
					t.Fatalf("read as %v, want %v", res.Kind, wantKind)
				}
				assertWant(t, run(t, p), readWant(t, wantPath))
			})
		}
	}
}

// TestDumpFixture prints a fixture's findings, for writing .want files:
// SSMPOLICY_DUMP=testdata/cloudformation/x.yaml go test ./input/ -run TestDumpFixture -v
func TestDumpFixture(t *testing.T) {
	p := os.Getenv("SSMPOLICY_DUMP")
	if p == "" {
		t.Skip("set SSMPOLICY_DUMP to a fixture")
	}
	res, _ := read(t, p)
	for _, tg := range res.Targets {
		t.Logf("target %s: arn=%q known=%v tier=%q/%v type=%q/%v key=%q/%v ignore=%v policy=%v",
			originText(tg), tg.ARN.Value, tg.ARN.Known, tg.Tier.Value, tg.Tier.Known, tg.Type.Value, tg.Type.Known,
			tg.KeyID.Value, tg.KeyID.Known, tg.Ignore, tg.Policy != nil)
	}
	rep := run(t, p)
	for _, f := range rep.Findings {
		t.Logf("%s %s %s: %s", at(f), f.Rule, f.Pointer, f.Message)
	}
	for _, s := range rep.Suppressed {
		t.Logf("suppressed %d:%d %s", s.Start.Line, s.Start.Column, s.Rule)
	}
}
