// Command hostile writes the inputs of the soak test (scripts/soak.sh): files an attacker could
// put in a pull request to make `ssmpolicy check` hang, crash or exhaust memory. Each file is
// named for what it tries, and each reader (policy JSON, manifest and template YAML, embedded
// policies, CloudFormation intrinsics, Terraform plans) gets its share.
//
//	hostile -out DIR [-scale 1]
//
// -scale multiplies the sizes (1 gives the sizes of the reports that found the problems: a
// 549 KB one-line flow mapping, 100,000 keys, a join of a megabyte); every file is derived
// from the scale alone, so reruns write identical bytes.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

const (
	arn       = "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"
	statement = `{"Sid": "S", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": "` + arn + `"}`
	policy    = `{"Version": "2012-10-17", "Statement": [` + statement + `]}`
)

func main() {
	out := flag.String("out", "", "directory to write the inputs to (created)")
	scale := flag.Float64("scale", 1, "size multiplier")
	flag.Parse()
	if *out == "" || *scale <= 0 {
		fmt.Fprintln(os.Stderr, "usage: hostile -out DIR [-scale 1]")
		os.Exit(2)
	}
	if err := write(*out, *scale); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

func write(dir string, scale float64) error {
	n := func(base int) int { return max(1, int(float64(base)*scale)) }
	files := map[string][]byte{
		"flow-oneline-policy.yaml":   flowPolicy(n(549 << 10)),
		"flow-oneline-template.yaml": flowTemplate(n(549 << 10)),
		"deep-array.json":            deepJSON(n(100000)),
		"deep-flow.yaml":             deepFlowYAML(n(100000)),
		"deep-block.yaml":            deepBlockYAML(n(2000)),
		"billion-laughs.yaml":        billionLaughs(),
		"keys-100k.json":             manyKeysJSON(n(100000)),
		"keys-100k.template.yaml":    manyKeysYAML(n(100000)),
		"dup-keys.json":              duplicateKeys(n(20000)),
		"join-huge.template.yaml":    hugeJoin(n(1000)),
		"join-nested.template.yaml":  nestedJoin(n(10)),
		"sub-chain.template.yaml":    subChain(n(12)),
		"tf-module-cycle.json":       moduleCycle(n(20)),
		"multi-document.yaml":        multiDocument(),
		"merge-keys.yaml":            mergeKeys(n(2000)),
		"binary.json":                binaryBytes(n(1 << 20)),
		"invalid-utf8.json":          invalidUTF8(),
		"utf16le.json":               utf16LE(policy),
		"bom-only.json":              []byte("\ufeff"),
		"empty.json":                 nil,
		"long-string.json":           longString(n(16 << 20)),
		"embedded-deep.yaml":         embeddedDeep(n(100000)),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// flowStatements writes YAML flow statements until the text reaches size bytes.
func flowStatements(b *bytes.Buffer, size int) {
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, `{Sid: S%d, Effect: Allow, Principal: {AWS: "444455556666"}, Action: [ssm:GetParameter], Resource: "%s"}`, i, arn)
	}
}

// flowPolicy is a policy written as one line of YAML flow style (issue: 40 s at 549 KB).
func flowPolicy(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{Version: "2012-10-17", Statement: [`)
	flowStatements(&b, size)
	b.WriteString("]}\n")
	return b.Bytes()
}

// flowTemplate is a CloudFormation template on one line whose bulk is in Metadata, which the
// reader parses but no rule reads: the time is the parser's.
func flowTemplate(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{AWSTemplateFormatVersion: "2010-09-09", Metadata: {Filler: [`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "{k: v%d, w: [a, b, c]}", i)
	}
	fmt.Fprintf(&b, `]}, Resources: {P: {Type: "AWS::SSM::ResourcePolicy", Properties: {ResourceArn: "%s", Policy: %s}}}}`+"\n", arn, policy)
	return b.Bytes()
}

func deepJSON(depth int) []byte {
	return []byte(`{"Statement": ` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}")
}

func deepFlowYAML(depth int) []byte {
	return []byte("Statement: " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n")
}

// deepBlockYAML nests block mappings; the file grows with the square of the depth.
func deepBlockYAML(depth int) []byte {
	var b bytes.Buffer
	b.WriteString("resources:\n  - arn: " + arn + "\n    policy:\n")
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat(" ", 6+i), i)
	}
	fmt.Fprintf(&b, "%sv\n", strings.Repeat(" ", 6+depth))
	return b.Bytes()
}

func billionLaughs() []byte {
	var b bytes.Buffer
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for c := 'b'; c <= 'i'; c++ {
		prev := string(c - 1)
		fmt.Fprintf(&b, "%c: &%c [", c, c)
		for k := 0; k < 9; k++ {
			if k > 0 {
				b.WriteString(",")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
	}
	b.WriteString("Statement: *i\n")
	return b.Bytes()
}

// manyKeysJSON is a template whose Metadata object has n keys (issue: 34 s at 100,000).
func manyKeysJSON(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"AWSTemplateFormatVersion": "2010-09-09", "Metadata": {`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d": %d`, i, i)
	}
	fmt.Fprintf(&b, `}, "Resources": {"P": {"Type": "AWS::SSM::ResourcePolicy", "Properties": {"ResourceArn": "%s", "Policy": %s}}}}`, arn, policy)
	return b.Bytes()
}

func manyKeysYAML(n int) []byte {
	var b bytes.Buffer
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  k%d: %d\n", i, i)
	}
	fmt.Fprintf(&b, "Resources:\n  P:\n    Type: AWS::SSM::ResourcePolicy\n    Properties:\n      ResourceArn: %s\n      Policy: %s\n", arn, policy)
	return b.Bytes()
}

// duplicateKeys is a policy whose statement repeats one key n times: n duplicate-key findings.
// One key a line: on a single line every finding would quote the whole megabyte line, which
// is output amplification, not reading.
func duplicateKeys(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter",` + "\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `"Resource": "%s",`+"\n", arn)
	}
	b.WriteString(`"Sid": "S"}]}`)
	return b.Bytes()
}

// hugeJoin joins a list of n references to a parameter whose name is itself a join of n
// pieces, with a long delimiter: the result is n*n pieces (issue: 4.8 GB at 1 MB of output).
func hugeJoin(n int) []byte {
	var b bytes.Buffer
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Param:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: x\n      Name: !Join\n        - \"" + strings.Repeat("-", 64) + "\"\n        - [")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("abcdefgh")
	}
	b.WriteString("]\n  Share:\n    Type: AWS::SSM::ResourcePolicy\n    Properties:\n      ResourceArn: !Join\n        - \"\"\n        - [")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("!Ref Param")
	}
	b.WriteString("]\n      Policy: " + policy + "\n")
	return b.Bytes()
}

// nestedJoin chains parameters whose names join the previous one ten times: the text grows ten
// times a level.
func nestedJoin(levels int) []byte {
	var b bytes.Buffer
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  P0:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: x, Name: " + strings.Repeat("n", 100) + "}\n")
	for l := 1; l <= levels; l++ {
		fmt.Fprintf(&b, "  P%d:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: x\n      Name: !Join [\"\", [%s]]\n", l, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("!Ref P%d, ", l-1), 10), ", "))
	}
	fmt.Fprintf(&b, "  Share:\n    Type: AWS::SSM::ResourcePolicy\n    Properties:\n      ResourceArn: !Ref P%d\n      Policy: !Join [\"\", [\"%s\", !Ref P%d]]\n", levels, strings.ReplaceAll(policy, `"`, `\"`), levels)
	return b.Bytes()
}

// subChain does the same with !Sub, the policy text itself growing with the chain.
func subChain(levels int) []byte {
	var b bytes.Buffer
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  P0:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: x, Name: abcdefghij}\n")
	for l := 1; l <= levels; l++ {
		fmt.Fprintf(&b, "  P%d:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: x\n      Name: !Sub \"%s\"\n", l, strings.Repeat(fmt.Sprintf("${P%d}", l-1), 4))
	}
	fmt.Fprintf(&b, "  Share:\n    Type: AWS::SSM::ResourcePolicy\n    Properties:\n      ResourceArn: !Sub \"arn:aws:ssm:us-east-1:111122223333:parameter/${P%d}\"\n      Policy: !Sub '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"${P%d}\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"}, \"Action\": \"ssm:GetParameter\", \"Resource\": \"*\"}]}'\n", levels, levels)
	return b.Bytes()
}

// moduleCycle is a plan whose module variable and module output refer to each other, each
// reference listed fanout times (issue: over 10 minutes).
func moduleCycle(fanout int) []byte {
	refs := func(s string) []string {
		out := make([]string, fanout)
		for i := range out {
			out[i] = s
		}
		return out
	}
	plan := map[string]any{
		"format_version":    "1.2",
		"terraform_version": "1.9.5",
		"resource_changes": []any{map[string]any{
			"address":        "module.a.awscc_ssm_resource_policy.p",
			"module_address": "module.a",
			"mode":           "managed",
			"type":           "awscc_ssm_resource_policy",
			"name":           "p",
			"change": map[string]any{
				"actions":       []string{"create"},
				"after":         map[string]any{"policy": policy},
				"after_unknown": map[string]any{"resource_arn": true},
			},
		}},
		"configuration": map[string]any{"root_module": map[string]any{
			"module_calls": map[string]any{"a": map[string]any{
				"expressions": map[string]any{"x": map[string]any{"references": refs("module.a.o")}},
				"module": map[string]any{
					"outputs": map[string]any{"o": map[string]any{"expression": map[string]any{"references": refs("var.x")}}},
					"resources": []any{map[string]any{
						"mode": "managed", "type": "awscc_ssm_resource_policy", "name": "p",
						"expressions": map[string]any{"resource_arn": map[string]any{"references": refs("var.x")}},
					}},
				},
			}},
		}},
	}
	b, _ := json.MarshalIndent(plan, "", "  ")
	return b
}

// multiDocument hides a Standard-tier, Principal "*" entry in a second YAML document.
func multiDocument() []byte {
	return []byte(`resources:
  - arn: ` + arn + `
    parameter: {tier: Advanced, type: String}
    policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "444455556666"}, Action: ssm:GetParameter, Resource: ` + arn + `}]}
---
resources:
  - arn: ` + arn + `2
    parameter: {tier: Standard, type: String}
    policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: ssm:GetParameter, Resource: ` + arn + `2}]}
`)
}

// mergeKeys merges one anchored mapping into n others.
func mergeKeys(n int) []byte {
	var b bytes.Buffer
	b.WriteString("base: &base {tier: Advanced, type: String}\nresources:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - arn: %s%d\n    parameter: {<<: *base, type: String}\n    policy: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {AWS: \"444455556666\"}, Action: ssm:GetParameter, Resource: %s%d}]}\n", arn, i, arn, i)
	}
	return b.Bytes()
}

func binaryBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	copy(b[n/2:], "Statement") // looks meant to be a policy
	return b
}

func invalidUTF8() []byte {
	return []byte(`{"Version": "2012-10-17", "Statement": [{"Sid": "\xff\xfe", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": "` + arn + "\xc3\x28" + `"}]}`)
}

func utf16LE(s string) []byte {
	units := utf16.Encode([]rune(s))
	b := make([]byte, 2, 2+2*len(units))
	b[0], b[1] = 0xFF, 0xFE
	for _, u := range units {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func longString(n int) []byte {
	return []byte(`{"Version": "2012-10-17", "Statement": [{"Sid": "` + strings.Repeat("a", n) + `", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": "` + arn + `"}]}`)
}

// embeddedDeep is a manifest whose policy is a JSON string nested deeply.
func embeddedDeep(depth int) []byte {
	inner := `{"Statement": ` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}"
	q, _ := json.Marshal(inner)
	return []byte("resources:\n  - arn: " + arn + "\n    policy: " + string(q) + "\n")
}
