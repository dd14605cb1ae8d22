package input_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// TestTerraformLinks checks what each policy of the module plan is linked to: by ARN, through
// references, module variables, for_each modules and count instances.
func TestTerraformLinks(t *testing.T) {
	const u = input.Unknown
	res, _ := read(t, "testdata/terraform/plan-modules.json")
	type fact struct {
		v     string
		known bool
	}
	tests := []struct {
		address         string
		arn             fact
		tier, typ, key  fact
		policy          bool
		problemRules    []string
		noFindingsOther bool
	}{
		{`awscc_ssm_resource_policy.db`, fact{"arn:aws:ssm:us-east-1:111122223333:parameter/app/db/password", true},
			fact{"Advanced", true}, fact{"SecureString", true}, fact{"alias/aws/ssm", true}, true, nil, false},
		{`aws_ssm_resource_policy.flags[0]`, fact{"arn:" + u + ":ssm:" + u + ":" + u + ":parameter/flags/search", true},
			fact{"Advanced", true}, fact{"String", true}, fact{"", true}, true, nil, false},
		{`aws_ssm_resource_policy.flags[1]`, fact{"arn:" + u + ":ssm:" + u + ":" + u + ":parameter/flags/export", true},
			fact{"", false}, fact{"String", true}, fact{"", true}, true, nil, false},
		{`module.shared["analytics"].awscc_ssm_resource_policy.this`, fact{"arn:" + u + ":ssm:" + u + ":" + u + ":parameter/shared/analytics/endpoint", true},
			fact{"Standard", true}, fact{"String", true}, fact{"", true}, true, nil, false},
		{`module.shared["ops"].awscc_ssm_resource_policy.this`, fact{"arn:" + u + ":ssm:" + u + ":" + u + ":parameter/shared/ops/endpoint", true},
			fact{"Advanced", true}, fact{"String", true}, fact{"", true}, true, nil, false},
		{`module.team.awscc_ssm_resource_policy.share`, fact{"arn:" + u + ":ssm:" + u + ":" + u + ":parameter/team/api/token", true},
			fact{"Advanced", true}, fact{"SecureString", true}, fact{"", true}, true, nil, false},
		{`awscc_ssm_resource_policy.cache`, fact{"arn:" + u + ":ssm:" + u + ":" + u + ":parameter/app/cache/url", true},
			fact{"Advanced", true}, fact{"String", true}, fact{"", true}, false, []string{"context-missing"}, true},
	}
	if len(res.Targets) != len(tests) {
		var have []string
		for _, tg := range res.Targets {
			have = append(have, originText(tg))
		}
		t.Errorf("targets %v, want %d (the deleted policy is not one)", have, len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.address, func(t *testing.T) {
			tg := targetByOrigin(t, res, strings.ReplaceAll(tc.address, `"`, `\"`))
			for _, c := range []struct {
				name string
				got  input.Fact
				want fact
			}{{"arn", tg.ARN, tc.arn}, {"tier", tg.Tier, tc.tier}, {"type", tg.Type, tc.typ}, {"key", tg.KeyID, tc.key}} {
				if c.got.Value != c.want.v || c.got.Known != c.want.known {
					t.Errorf("%s %q known %v, want %q known %v", c.name, c.got.Value, c.got.Known, c.want.v, c.want.known)
				}
				if !c.got.Loc.Known() {
					t.Errorf("%s has no location", c.name)
				}
			}
			if (tg.Policy != nil) != tc.policy {
				t.Errorf("policy read %v, want %v", tg.Policy != nil, tc.policy)
			}
			var rules []string
			for _, p := range tg.Problems {
				rules = append(rules, p.Rule)
			}
			if !slices.Equal(rules, tc.problemRules) {
				t.Errorf("problems %v, want %v", rules, tc.problemRules)
			}
			if tc.noFindingsOther {
				// A policy known only after apply is reported once, and nothing else is.
				if found := check(t, tg); len(found) != 1 {
					t.Errorf("%d findings, want the one context-missing: %v", len(found), found)
				}
			}
		})
	}
}

// TestTerraformPositions: facts point at their values in the plan, findings inside the policy
// string at the character.
func TestTerraformPositions(t *testing.T) {
	res, f := read(t, "testdata/terraform/plan-modules.json")
	tg := targetByOrigin(t, res, `module.shared[\"analytics\"].awscc_ssm_resource_policy.this`)
	if got := pos(f, tg.Tier.Loc.Span); got != "232:19" || jsonpos.Pointer(tg.Tier.Loc.Path) != "/resource_changes/6/change/after/tier" {
		t.Errorf("tier at %s %v, want 232:19", got, jsonpos.Pointer(tg.Tier.Loc.Path))
	}
	if got := pos(f, tg.ARN.Loc.Span); got != "266:27" || jsonpos.Pointer(tg.ARN.Loc.Path) != "/resource_changes/7/change/after_unknown/resource_arn" {
		t.Errorf("ARN at %s %s, want the after_unknown entry at 266:27", got, jsonpos.Pointer(tg.ARN.Loc.Path))
	}
	db := targetByOrigin(t, res, "awscc_ssm_resource_policy.db")
	n, _ := db.Policy.Resolve([]any{"Statement", 0, "Principal"})
	if got := pos(f, n.Span); got != "76:127" || string(f.Src[n.Span.Start:n.Span.End]) != `\"*\"` {
		t.Errorf("Principal at %s %q, want 76:127", got, f.Src[n.Span.Start:n.Span.End])
	}
	if got := pos(f, db.ARN.Loc.Span); got != "79:27" {
		t.Errorf("ARN at %s, want 79:27", got)
	}
}

// plan builds a plan document from resource changes and a configuration.
func plan(t *testing.T, changes []map[string]any, config map[string]any) string {
	t.Helper()
	doc := map[string]any{"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": changes}
	if config != nil {
		doc["configuration"] = map[string]any{"root_module": config}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// change is one resource_changes entry. addr is module path (may be ""), type, name, index.
func change(module, typ, name string, index any, actions []string, after, unknown map[string]any) map[string]any {
	addr := typ + "." + name
	typ = strings.TrimPrefix(typ, "data.")
	mode := "managed"
	if strings.HasPrefix(addr, "data.") {
		mode = "data"
	}
	switch i := index.(type) {
	case int:
		addr += "[" + itoa(i) + "]"
	case string:
		addr += `["` + i + `"]`
	}
	if module != "" {
		addr = module + "." + addr
	}
	c := map[string]any{"address": addr, "mode": mode, "type": typ, "name": name,
		"change": map[string]any{"actions": actions, "before": nil, "after": after, "after_unknown": unknown}}
	if module != "" {
		c["module_address"] = module
	}
	if index != nil {
		c["index"] = index
	}
	return c
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

const sharePolicy = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": "*"}]}`

func param(name, tier string) map[string]any {
	return map[string]any{"name": name, "type": "String", "tier": tier, "key_id": ""}
}

// arnUnknown is the after_unknown of a policy whose ARN is known only after apply.
func arnUnknown() map[string]any { return map[string]any{"resource_arn": true, "id": true} }

func cfg(typ, name string, exprs map[string]any) map[string]any {
	mode := "managed"
	if strings.HasPrefix(typ, "data.") {
		mode, typ = "data", strings.TrimPrefix(typ, "data.")
	}
	return map[string]any{"address": typ + "." + name, "mode": mode, "type": typ, "name": name, "expressions": exprs}
}

func refs(r ...string) map[string]any { return map[string]any{"references": r} }

// TestTerraformReferences covers the ways a configuration names the parameter of a policy whose
// ARN is known only after apply, and the ways it names none for certain.
func TestTerraformReferences(t *testing.T) {
	tests := []struct {
		name     string
		changes  []map[string]any
		config   map[string]any
		wantTier string // "" when nothing may be linked
	}{
		{
			name: "module output",
			changes: []map[string]any{
				change("module.params", "aws_ssm_parameter", "p", nil, []string{"create"}, param("/a", "Advanced"), map[string]any{"arn": true}),
				change("", "awscc_ssm_resource_policy", "share", nil, []string{"create"}, map[string]any{"policy": sharePolicy}, arnUnknown()),
			},
			config: map[string]any{
				"resources": []any{cfg("awscc_ssm_resource_policy", "share", map[string]any{"resource_arn": refs("module.params.arn", "module.params")})},
				"module_calls": map[string]any{"params": map[string]any{"source": "./params", "module": map[string]any{
					"outputs":   map[string]any{"arn": map[string]any{"expression": refs("aws_ssm_parameter.p.arn", "aws_ssm_parameter.p")}},
					"resources": []any{cfg("aws_ssm_parameter", "p", map[string]any{})},
				}}},
			},
			wantTier: "Advanced",
		},
		{
			name: "literal index",
			changes: []map[string]any{
				change("", "aws_ssm_parameter", "p", 0, []string{"create"}, param("/a", "Standard"), map[string]any{"arn": true}),
				change("", "aws_ssm_parameter", "p", 1, []string{"create"}, param("/b", "Advanced"), map[string]any{"arn": true}),
				change("", "aws_ssm_resource_policy", "share", nil, []string{"create"}, map[string]any{"policy": sharePolicy}, arnUnknown()),
			},
			config: map[string]any{"resources": []any{cfg("aws_ssm_resource_policy", "share", map[string]any{
				"resource_arn": refs("aws_ssm_parameter.p[1].arn", "aws_ssm_parameter.p[1]", "aws_ssm_parameter.p")})}},
			wantTier: "Advanced",
		},
		{
			name: "for_each key",
			changes: []map[string]any{
				change("", "aws_ssm_parameter", "p", "x", []string{"create"}, param("/x", "Standard"), map[string]any{"arn": true}),
				change("", "aws_ssm_parameter", "p", "y", []string{"create"}, param("/y", "Advanced"), map[string]any{"arn": true}),
				change("", "awscc_ssm_resource_policy", "share", "y", []string{"create"}, map[string]any{"policy": sharePolicy}, arnUnknown()),
			},
			config: map[string]any{"resources": []any{cfg("awscc_ssm_resource_policy", "share", map[string]any{
				"resource_arn": refs("aws_ssm_parameter.p", "each.key")})}},
			wantTier: "Advanced",
		},
		{
			name: "each.value is not the instance key",
			changes: []map[string]any{
				change("", "aws_ssm_parameter", "p", "x", []string{"create"}, param("/x", "Standard"), map[string]any{"arn": true}),
				change("", "awscc_ssm_resource_policy", "share", "x", []string{"create"}, map[string]any{"policy": sharePolicy}, arnUnknown()),
			},
			config: map[string]any{"resources": []any{cfg("awscc_ssm_resource_policy", "share", map[string]any{
				"resource_arn": refs("aws_ssm_parameter.p", "each.value.param")})}},
		},
		{
			name: "conditional between two parameters",
			changes: []map[string]any{
				change("", "aws_ssm_parameter", "a", nil, []string{"create"}, param("/a", "Standard"), map[string]any{"arn": true}),
				change("", "aws_ssm_parameter", "b", nil, []string{"create"}, param("/b", "Advanced"), map[string]any{"arn": true}),
				change("", "awscc_ssm_resource_policy", "share", nil, []string{"create"}, map[string]any{"policy": sharePolicy}, arnUnknown()),
			},
			config: map[string]any{"resources": []any{cfg("awscc_ssm_resource_policy", "share", map[string]any{
				"resource_arn": refs("var.use_a", "aws_ssm_parameter.a.arn", "aws_ssm_parameter.a", "aws_ssm_parameter.b.arn", "aws_ssm_parameter.b")})}},
		},
		{
			name: "through a local",
			changes: []map[string]any{
				change("", "aws_ssm_parameter", "a", nil, []string{"create"}, param("/a", "Standard"), map[string]any{"arn": true}),
				change("", "awscc_ssm_resource_policy", "share", nil, []string{"create"}, map[string]any{"policy": sharePolicy}, arnUnknown()),
			},
			config: map[string]any{"resources": []any{cfg("awscc_ssm_resource_policy", "share", map[string]any{"resource_arn": refs("local.arn")})}},
		},
		{
			name: "no configuration in the file",
			changes: []map[string]any{
				change("", "aws_ssm_parameter", "a", nil, []string{"create"}, param("/a", "Standard"), map[string]any{"arn": true}),
				change("", "awscc_ssm_resource_policy", "share", nil, []string{"create"}, map[string]any{"policy": sharePolicy}, arnUnknown()),
			},
		},
		{
			name: "data source by reference",
			changes: []map[string]any{
				change("", "data.aws_ssm_parameter", "d", nil, []string{"read"}, map[string]any{"name": "/d", "type": "SecureString"}, map[string]any{"arn": true}),
				change("", "awscc_ssm_resource_policy", "share", nil, []string{"create"}, map[string]any{"policy": sharePolicy}, arnUnknown()),
			},
			config: map[string]any{"resources": []any{cfg("awscc_ssm_resource_policy", "share", map[string]any{
				"resource_arn": refs("data.aws_ssm_parameter.d.arn", "data.aws_ssm_parameter.d")})}},
			wantTier: "", // the data source gives the type only
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := readString(t, "plan.json", plan(t, tc.changes, tc.config))
			if res.Kind != input.Terraform || len(res.Targets) != 1 {
				t.Fatalf("read as %v with %d targets", res.Kind, len(res.Targets))
			}
			tg := res.Targets[0]
			if tg.Tier.Value != tc.wantTier || tg.Tier.Known != (tc.wantTier != "") {
				t.Errorf("tier %q known %v, want %q", tg.Tier.Value, tg.Tier.Known, tc.wantTier)
			}
			linked := tg.Type.Known
			if wantLinked := tc.wantTier != "" || tc.name == "data source by reference"; linked != wantLinked {
				t.Errorf("linked to a parameter: %v, want %v", linked, wantLinked)
			}
			if !linked && tg.ARN.Known {
				t.Errorf("ARN %q known without a parameter to build it from", tg.ARN.Value)
			}
		})
	}
}

// TestTerraformKeyID: the key of a SecureString, known, defaulted or known only after apply.
func TestTerraformKeyID(t *testing.T) {
	secure := func(extra map[string]any) map[string]any {
		m := map[string]any{"name": "/s", "type": "SecureString", "tier": "Advanced", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/s"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	policy := map[string]any{"policy": sharePolicy, "resource_arn": "arn:aws:ssm:us-east-1:111122223333:parameter/s"}
	tests := []struct {
		name     string
		after    map[string]any
		unknown  map[string]any
		config   map[string]any
		key      string
		keyKnown bool
	}{
		{"customer key", secure(map[string]any{"key_id": "alias/app"}), nil, nil, "alias/app", true},
		{"default key read back", secure(map[string]any{"key_id": "alias/aws/ssm"}), nil, nil, "alias/aws/ssm", true},
		{"absent", secure(nil), nil, nil, "", true},
		{"unknown, configuration sets none", secure(nil), map[string]any{"key_id": true},
			map[string]any{"resources": []any{cfg("aws_ssm_parameter", "s", map[string]any{"type": map[string]any{"constant_value": "SecureString"}})}}, "", true},
		{"unknown, configuration sets it", secure(nil), map[string]any{"key_id": true},
			map[string]any{"resources": []any{cfg("aws_ssm_parameter", "s", map[string]any{"key_id": refs("aws_kms_key.k.arn", "aws_kms_key.k")})}}, "", false},
		{"unknown, no configuration", secure(nil), map[string]any{"key_id": true}, nil, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			changes := []map[string]any{
				change("", "aws_ssm_parameter", "s", nil, []string{"no-op"}, tc.after, tc.unknown),
				change("", "awscc_ssm_resource_policy", "share", nil, []string{"create"}, policy, nil),
			}
			tg := readString(t, "plan.json", plan(t, changes, tc.config)).Targets[0]
			if tg.KeyID.Value != tc.key || tg.KeyID.Known != tc.keyKnown {
				t.Errorf("key %q known %v, want %q known %v", tg.KeyID.Value, tg.KeyID.Known, tc.key, tc.keyKnown)
			}
			if tc.keyKnown && hasRule(t, "securestring-key") {
				fires := len(ofRule(check(t, tg), "securestring-key")) > 0
				if want := tc.key != "alias/app"; fires != want {
					t.Errorf("securestring-key fires %v, want %v", fires, want)
				}
			}
		})
	}
}

// TestTerraformActions: what is destroyed is not checked; what stays or changes is.
func TestTerraformActions(t *testing.T) {
	arn := "arn:aws:ssm:us-east-1:111122223333:parameter/p"
	pol := map[string]any{"policy": sharePolicy, "resource_arn": arn}
	var changes []map[string]any
	for i, a := range [][]string{{"no-op"}, {"update"}, {"create"}, {"delete", "create"}, {"create", "delete"}, {"delete"}, {"forget"}} {
		after := pol
		if a[0] == "delete" && len(a) == 1 || a[0] == "forget" {
			after = nil
		}
		changes = append(changes, change("", "awscc_ssm_resource_policy", "p", i, a, after, nil))
	}
	res := readString(t, "plan.json", plan(t, changes, nil))
	var got []string
	for _, tg := range res.Targets {
		got = append(got, originText(tg))
	}
	want := []string{"awscc_ssm_resource_policy.p[0]", "awscc_ssm_resource_policy.p[1]", "awscc_ssm_resource_policy.p[2]",
		"awscc_ssm_resource_policy.p[3]", "awscc_ssm_resource_policy.p[4]"}
	if !slices.Equal(got, want) {
		t.Errorf("targets %v, want %v", got, want)
	}
}

// TestTerraformState reads terraform show -json of a state: no changes, every value known.
func TestTerraformState(t *testing.T) {
	res, _ := read(t, "testdata/terraform/state.json")
	if res.Kind != input.Terraform || len(res.Targets) != 1 {
		t.Fatalf("read as %v with %d targets", res.Kind, len(res.Targets))
	}
	tg := res.Targets[0]
	if tg.Tier.Value != "Standard" || !tg.Tier.Known || tg.KeyID.Value != "" || !tg.KeyID.Known {
		t.Errorf("tier %q %v key %q %v", tg.Tier.Value, tg.Tier.Known, tg.KeyID.Value, tg.KeyID.Known)
	}
	if originText(tg) != "module.ops.awscc_ssm_resource_policy.api" {
		t.Errorf("origin %q", originText(tg))
	}
}

func TestTerraformPolicyNotString(t *testing.T) {
	changes := []map[string]any{change("", "awscc_ssm_resource_policy", "p", nil, []string{"create"},
		map[string]any{"resource_arn": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default", "policy": []any{"not", "a", "policy"}}, nil)}
	tg := readString(t, "plan.json", plan(t, changes, nil)).Targets[0]
	if got := ofRule(check(t, tg), "schema"); len(got) == 0 {
		t.Errorf("no schema finding for a policy that is a list")
	}
	changes = []map[string]any{change("", "awscc_ssm_resource_policy", "p", nil, []string{"create"},
		map[string]any{"resource_arn": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default"}, nil)}
	tg = readString(t, "plan.json", plan(t, changes, nil)).Targets[0]
	if got := ofRule(check(t, tg), "schema"); len(got) != 1 {
		t.Errorf("schema findings %v for a policy the plan does not give", got)
	}
}

// FuzzTerraform reads arbitrary plans: it must never panic, and every place it reports must lie
// inside the file.
func FuzzTerraform(f *testing.F) {
	addSmallSeeds(f, "testdata/terraform/*.json")
	f.Add([]byte(`{"resource_changes": [{"address": "module.a[\"x.y\"].awscc_ssm_resource_policy.p[0]", "module_address": "module.a[\"x.y\"]", "type": "awscc_ssm_resource_policy", "name": "p", "index": 0, "change": {"actions": ["create"], "after": {"policy": "{}"}, "after_unknown": {"resource_arn": true}}}], "configuration": {"root_module": {"module_calls": {"a": {"module": {"resources": [{"type": "awscc_ssm_resource_policy", "name": "p", "expressions": {"resource_arn": {"references": ["var.x", "module.b[0].o", "aws_ssm_parameter.q[\"k\"]", "count.index"]}}}]}}}}}}`))
	r := reader(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		file := jsonpos.NewFile("plan.json", src)
		res, err := r.Read(file)
		if err != nil {
			return
		}
		checkSpans(t, file, res)
	})
}
