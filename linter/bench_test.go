package linter

import (
	"context"
	"os"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
	"github.com/ssmpolicy/ssmpolicy/schema"
)

// benchTarget is a typical parameter share: one file, full context.
func benchTarget(b *testing.B) *input.Target {
	b.Helper()
	r := newReader(b, input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/app", Tier: "Advanced", Type: "SecureString", KeyID: "alias/app"})
	res, err := r.Read(jsonpos.NewFile("p.json", []byte(widePolicy)))
	if err != nil || len(res.Targets) != 1 {
		b.Fatal(err)
	}
	return res.Targets[0]
}

// BenchmarkCheck is the whole check of one target: schema, rules, placing findings.
func BenchmarkCheck(b *testing.B) {
	e := newEngine(b, Config{})
	t := benchTarget(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Check(ctx, t); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSchema is the grammar check alone.
func BenchmarkSchema(b *testing.B) {
	s, err := schema.Load("policy")
	if err != nil {
		b.Fatal(err)
	}
	t := benchTarget(b)
	b.ReportAllocs()
	for b.Loop() {
		s.Validate(t.Policy)
	}
}

// BenchmarkParse is reading one policy file into a tree.
func BenchmarkParse(b *testing.B) {
	src := []byte(widePolicy)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := jsonpos.ParseJSON(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRule evaluates each rule alone on the typical target, to find the expensive ones:
// go test ./linter -run '^$' -bench 'BenchmarkRule/' -benchtime 200x
func BenchmarkRule(b *testing.B) {
	set, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	e := newEngine(b, Config{})
	in := e.inputFor(ruleTarget(b))
	c, funcs, err := compileRules(set)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range set.Rules {
		opts := append([]func(*rego.Rego){rego.Query("data." + r.Package + ".report"), rego.Compiler(c)}, funcs...)
		pq, err := rego.New(opts...).PrepareForEval(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		b.Run(r.ID, func(b *testing.B) {
			for b.Loop() {
				if _, err := pq.Eval(context.Background(), rego.EvalParsedInput(in)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStartup is what every run pays before its first file: reading the embedded rules
// and compiling them into one prepared query.
func BenchmarkStartup(b *testing.B) {
	for b.Loop() {
		set, err := rules.Builtin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := New(context.Background(), set, Config{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartupParse is the first part of BenchmarkStartup: reading and parsing the
// embedded modules (their catalogue entries come from the generated file).
func BenchmarkStartupParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.Builtin(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartupCompile is the second: compiling the parsed modules (the compiler copies
// them, so one set serves every iteration).
func BenchmarkStartupCompile(b *testing.B) {
	set, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := compileRules(set); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckClean is the whole check of a policy that passes, the common case.
func BenchmarkCheckClean(b *testing.B) {
	e := newEngine(b, Config{})
	t := cleanTarget(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		found, err := e.Check(ctx, t)
		if err != nil || len(found) != 0 {
			b.Fatalf("%v %v", found, err)
		}
	}
}

// ruleTarget is the target BenchmarkRule evaluates: the clean policy, or with
// SSMPOLICY_BENCH_FIRING=1 the one that makes many rules fire.
func ruleTarget(b *testing.B) *input.Target {
	if os.Getenv("SSMPOLICY_BENCH_FIRING") != "" {
		return benchTarget(b)
	}
	return cleanTarget(b)
}

func cleanTarget(b *testing.B) *input.Target {
	b.Helper()
	r := newReader(b, input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/app/db/password", Tier: "Advanced", Type: "SecureString", KeyID: "alias/app"})
	src, err := os.ReadFile("../examples/good/policies/db-password.json")
	if err != nil {
		b.Fatal(err)
	}
	res, err := r.Read(jsonpos.NewFile("p.json", src))
	if err != nil || len(res.Targets) != 1 {
		b.Fatal(err)
	}
	return res.Targets[0]
}
