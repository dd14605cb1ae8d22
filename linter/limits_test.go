package linter

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// slowRule is a custom rule that takes far longer than the time limits of these tests, with
// extra METADATA lines.
func slowRule(id, needs string) string {
	src := customRule(id, "package ssmpolicy.rules."+strings.ReplaceAll(id, "-", "_")+"\n\nreport contains {\"path\": [], \"message\": \"done\"} if {\n\tcount([1 | some x in numbers.range(1, 100000); some y in numbers.range(1, 100000); x == y + 1000000]) > 0\n}\n")
	if needs != "" {
		src = strings.Replace(src, "#   source: a test\n", "#   source: a test\n#   needs: ["+needs+"]\n", 1)
	}
	return src
}

// TestTimeoutNamesTheRule: a custom rule that runs past the limit is named with its file;
// --disable (a level of ignore) skips its evaluation altogether.
func TestTimeoutNamesTheRule(t *testing.T) {
	files := map[string]string{"slow.rego": slowRule("slow", "")}
	e, err := customEngine(t, Config{Timeout: 200 * time.Millisecond}, files)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Check(context.Background(), target(t, widePolicy))
	if err == nil || !strings.Contains(err.Error(), "custom rule slow (") || !strings.Contains(err.Error(), "slow.rego) did not finish within 200ms") {
		t.Fatalf("error = %v", err)
	}
	off, err := e.WithConfig(Config{Timeout: 200 * time.Millisecond, Levels: map[string]finding.Level{"slow": finding.Ignore}})
	if err != nil {
		t.Fatal(err)
	}
	// Evaluating the rule takes far longer than the limit: a check without error shows it was
	// not evaluated.
	if _, err := off.Check(context.Background(), target(t, widePolicy)); err != nil {
		t.Fatalf("with the rule turned off: %v", err)
	}
}

// TestTimeoutCannotBeBlamedOnAnother: a custom rule that calls the engine's own built-in
// with another rule's name is still the one named.
func TestTimeoutCannotBeBlamedOnAnother(t *testing.T) {
	spoof := strings.Replace(slowRule("spoof", ""), "\tcount(", "\t"+evaluatingName+"(\"principal-wildcard\", \"0123456789abcdef0123456789abcdef\")\n\tcount(", 1)
	e, err := customEngine(t, Config{Timeout: 200 * time.Millisecond}, map[string]string{"spoof.rego": spoof})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Check(context.Background(), target(t, widePolicy))
	if err == nil || !strings.Contains(err.Error(), "custom rule spoof (") {
		t.Fatalf("error = %v, want the custom rule named", err)
	}
}

// TestTimeoutOfBuiltinRules: when only built-in rules run and they run past the limit, the
// message names the built-in rule running, not a custom rule.
func TestTimeoutOfBuiltinRules(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Version": "2012-10-17", "Statement": [`)
	for i := range 4000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"Sid": "S%d", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::4444555%05d:root"}, "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app"}`, i, i)
	}
	b.WriteString("]}")
	e := newEngine(t, Config{Timeout: 50 * time.Millisecond})
	_, err := e.Check(context.Background(), target(t, b.String()))
	if !strings.HasPrefix(err.Error(), "built-in rule ") || strings.Contains(err.Error(), "custom") {
		t.Errorf("error = %v, want the built-in rule running named", err)
	}
}

// TestNeedsSkipsRules: a rule that needs a statement key is not evaluated on a policy none of
// whose statements has it, and is on a policy that has it.
func TestNeedsSkipsRules(t *testing.T) {
	e, err := customEngine(t, Config{Timeout: 200 * time.Millisecond}, map[string]string{"slow.rego": slowRule("slow-condition", "Condition")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Check(context.Background(), target(t, widePolicy)); err != nil {
		t.Fatalf("a policy without Condition: %v", err)
	}
	with := strings.Replace(widePolicy, `"Effect": "Allow",`, `"Effect": "Allow", "Condition": {"Bool": {"aws:SecureTransport": "true"}},`, 1)
	if _, err := e.Check(context.Background(), target(t, with)); err == nil || !strings.Contains(err.Error(), "slow-condition") {
		t.Fatalf("a policy with Condition: error = %v, want the rule evaluated (and stopped)", err)
	}
	if _, err := customEngine(t, Config{}, map[string]string{"r.rego": slowRule("r", "Conditions")}); err == nil || !strings.Contains(err.Error(), `custom.needs: unknown statement key "Conditions"`) {
		t.Errorf("an unknown key in needs: error = %v", err)
	}
}

// TestMemoryLimit: a rule that doubles a string until the machine runs out of memory is stopped
// at the heap limit and named with its file; the process goes on.
func TestMemoryLimit(t *testing.T) {
	var body strings.Builder
	body.WriteString("package ssmpolicy.rules.hog\n\nreport contains {\"path\": [], \"message\": sprintf(\"%d\", [count(s40)])} if {\n\ts0 := \"0123456789abcdef\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&body, "\ts%d := concat(\"\", [s%d, s%d])\n", i, i-1, i-1)
	}
	body.WriteString("}\n")
	e, err := customEngine(t, Config{Timeout: time.Minute, MemoryLimit: 128 << 20}, map[string]string{"hog.rego": customRule("hog", body.String())})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Check(context.Background(), target(t, widePolicy))
	if err == nil || !strings.Contains(err.Error(), "custom rule hog (") || !strings.Contains(err.Error(), "hog.rego) was stopped: the heap grew past 128 MiB") {
		t.Fatalf("error = %v", err)
	}
	if _, err := newEngine(t, Config{}).Check(context.Background(), target(t, widePolicy)); err != nil {
		t.Fatalf("a check after the stopped one: %v", err)
	}
}

// TestNeedsAreSound: on every policy of the examples and the golden cases, the rules that
// custom.needs leaves out report nothing: evaluating every rule package gives the same
// findings as evaluating the ones whose statement keys the policy has.
func TestNeedsAreSound(t *testing.T) {
	e := newEngine(t, Config{})
	needing := 0
	for _, p := range e.packages {
		if p.needs != 0 {
			needing++
		}
	}
	if needing == 0 {
		t.Fatal("no built-in rule declares custom.needs")
	}
	var files []string
	for _, root := range []string{"../examples", "../testdata/cases"} {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
				files = append(files, p)
			}
			return nil
		})
	}
	ctx := context.Background()
	full, err := e.queries.forMask(ctx, allKeys())
	if err != nil {
		t.Fatal(err)
	}
	checked, skipped := 0, 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		res, err := newReader(t, input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/app"}).Read(jsonpos.NewFile(file, src))
		if err != nil {
			continue
		}
		for _, tg := range res.Targets {
			if tg.Policy == nil || tg.Policy.Kind != jsonpos.Object {
				continue
			}
			mask := keysPresent(tg.Policy)
			pre, err := e.queries.forMask(ctx, mask)
			if err != nil {
				t.Fatal(err)
			}
			if mask != allKeys() {
				skipped++
			}
			checked++
			in := rego.EvalParsedInput(e.inputFor(tg))
			all, err := full.pq.Eval(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			var some rego.ResultSet
			if !pre.empty {
				if some, err = pre.pq.Eval(ctx, in); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := resultKeys(some), resultKeys(all); !slices.Equal(got, want) {
				t.Errorf("%s: with custom.needs\n%q\nwithout\n%q", file, got, want)
			}
		}
	}
	t.Logf("%d policies, %d with rules left out", checked, skipped)
	if checked < 20 || skipped == 0 {
		t.Errorf("checked %d policies, %d of them with rules left out: the corpus is too small", checked, skipped)
	}
}

func resultKeys(rs rego.ResultSet) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, fmt.Sprint(r.Bindings["pkg"], r.Bindings["f"]))
	}
	slices.Sort(out)
	return out
}
