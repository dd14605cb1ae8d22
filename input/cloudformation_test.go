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

// pos is a span's start as "line:col".
func pos(f *jsonpos.File, s jsonpos.Span) string {
	p := f.Pos(s.Start)
	return fmt.Sprintf("%d:%d", p.Line, p.Column)
}

func TestCloudFormationShortTagsKept(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  X:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      Ref: !Ref P
      Sub: !Sub "arn:${AWS::Partition}"
      GetAtt: !GetAtt P.Value
      Join: !Join ["", [a, b]]
      If: !If [C, a, b]
      Select: !Select [0, [a]]
      Split: !Split [",", "a,b"]
      FindInMap: !FindInMap [M, a, b]
      ImportValue: !ImportValue Exported
      Base64: !Base64 text
      Equals: !Equals [a, b]
      And: !And [!Condition C1, !Condition C2]
      Or: !Or [!Condition C1, !Condition C2]
      Not: !Not [!Condition C1]
      Condition: !Condition C1
      Cidr: !Cidr [10.0.0.0/16, 4, 8]
      GetAZs: !GetAZs ""
`
	f := jsonpos.NewFile("t.yaml", []byte(src))
	p, err := jsonpos.ParseYAML(f)
	if err != nil {
		t.Fatal(err)
	}
	props, _ := p.Root.Resolve([]any{"Resources", "X", "Properties"})
	if len(props.Members) != 17 {
		t.Fatalf("%d properties, want 17", len(props.Members))
	}
	for _, m := range props.Members {
		if m.Value.Tag != "!"+m.Key {
			t.Errorf("%s: tag %q, want !%s", m.Key, m.Value.Tag, m.Key)
		}
	}
	if res := readString(t, "t.yaml", src); res.Kind != input.CloudFormation || len(res.Targets) != 1 {
		t.Errorf("read as %v with %d targets", res.Kind, len(res.Targets))
	}
}

// arnTemplate has parameters of every kind the ARN tests refer to.
const arnTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String}
Mappings:
  Names: {prod: {db: app/db}}
Conditions:
  Always: !Equals [a, a]
  Depends: !Equals [!Ref Env, prod]
Resources:
  Slash: {Type: AWS::SSM::Parameter, Properties: {Name: /app/db, Type: String, Tier: Advanced, Value: v}}
  Plain: {Type: AWS::SSM::Parameter, Properties: {Name: app-db, Type: String, Value: v}}
  Generated: {Type: AWS::SSM::Parameter, Properties: {Type: StringList, Tier: Advanced, Value: v}}
  Share:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      Policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "444455556666"}, Action: ssm:GetParameter, Resource: "*"}]}
      ResourceArn: %s
`

func TestCloudFormationARN(t *testing.T) {
	const u = input.Unknown
	const pre = "arn:aws:ssm:us-east-1:111122223333:"
	tests := []struct {
		name, expr string
		want       string
		known      bool
		tier       string // the linked parameter's tier; "" when none is linked
		problem    string // a rule id the reader reports
	}{
		{"literal", pre + "parameter/app-db", pre + "parameter/app-db", true, "", ""},
		{"sub pseudo and slash name", "!Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Slash}",
			"arn:" + u + ":ssm:" + u + ":" + u + ":parameter//app/db", true, "Advanced", ""},
		{"sub slash name written right", "!Sub " + pre + "parameter${Slash}", pre + "parameter/app/db", true, "Advanced", ""},
		{"sub with variable map", `{"Fn::Sub": ["` + pre + `parameter/${N}", {N: !Ref Plain}]}`, pre + "parameter/app-db", true, "Standard", ""},
		{"sub short form list", `!Sub ["` + pre + `parameter/${N}", {N: !Ref Plain}]`, pre + "parameter/app-db", true, "Standard", ""},
		{"join", `!Join [":", [arn, aws, ssm, us-east-1, "111122223333", !Sub "parameter/${Plain}"]]`, pre + "parameter/app-db", true, "Standard", ""},
		{"join long form with ref", `{"Fn::Join": ["", ["` + pre + `parameter/", {"Ref": "Plain"}]]}`, pre + "parameter/app-db", true, "Standard", ""},
		{"template parameter", "!Sub " + pre + "parameter/${Env}/db", pre + "parameter/" + u + "/db", true, "", ""},
		{"generated name", "!Sub " + pre + "parameter/${Generated}", pre + "parameter/" + u, true, "Advanced", ""},
		{"getatt arn", "!GetAtt Plain.Arn", u, false, "Standard", "resource-format"},
		{"sub attribute arn", "!Sub " + pre + "parameter/${Plain.Arn}", pre + "parameter/" + u, true, "Standard", "resource-format"},
		{"if decided", `!If [Always, !Sub "` + pre + `parameter/${Plain}", other]`, pre + "parameter/app-db", true, "Standard", ""},
		{"if undecided", `!If [Depends, !Sub "` + pre + `parameter/${Plain}", other]`, u, false, "", ""},
		{"find in map", `!Sub ["` + pre + `parameter/${N}", {N: !FindInMap [Names, prod, db]}]`, pre + "parameter/app/db", true, "", ""},
		{"select split", `!Select [1, !Split ["|", "x|` + pre + `parameter/app-db"]]`, pre + "parameter/app-db", true, "", ""},
		{"escaped literal", `!Sub "` + pre + `parameter/${!Literal}"`, pre + "parameter/${Literal}", true, "", ""},
		{"ref of template parameter", "!Ref Env", u, false, "", ""},
		{"import", "!ImportValue SharedArn", u, false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := readString(t, "t.yaml", fmt.Sprintf(arnTemplate, tc.expr))
			if len(res.Targets) != 1 {
				t.Fatalf("%d targets", len(res.Targets))
			}
			tg := res.Targets[0]
			if tg.ARN.Value != tc.want || tg.ARN.Known != tc.known {
				t.Errorf("ARN %q known %v, want %q known %v", tg.ARN.Value, tg.ARN.Known, tc.want, tc.known)
			}
			if got := tg.ARN.Loc.File.Src[tg.ARN.Loc.Span.Start:tg.ARN.Loc.Span.End]; !strings.HasPrefix(tc.expr, string(got)) && !strings.HasSuffix(tc.expr, string(got)) {
				t.Errorf("ARN location covers %q", got)
			}
			if pos(tg.ARN.Loc.File, tg.ARN.Loc.Span) == "" || jsonpos.Pointer(tg.ARN.Loc.Path) != "/Resources/Share/Properties/ResourceArn" {
				t.Errorf("ARN location path %v", tg.ARN.Loc.Path)
			}
			if tg.Tier.Value != tc.tier || tg.Tier.Known != (tc.tier != "") {
				t.Errorf("tier %q known %v, want %q", tg.Tier.Value, tg.Tier.Known, tc.tier)
			}
			var problems []string
			for _, p := range tg.Problems {
				problems = append(problems, p.Rule)
			}
			if want := []string{tc.problem}; (tc.problem == "" && len(problems) > 0) || (tc.problem != "" && !slices.Equal(problems, want)) {
				t.Errorf("problems %v, want %q", problems, tc.problem)
			}
		})
	}
}

// TestCloudFormationDoubleSlash: a Name that starts with / inside parameter/${P} makes
// parameter//name. The reader keeps it, and resource-format reports it at the ResourceArn.
func TestCloudFormationDoubleSlash(t *testing.T) {
	src := `Resources:
  Db:
    Type: AWS::SSM::Parameter
    Properties: {Name: /app/db/url, Type: String, Tier: Advanced, Value: v}
  DbShare:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub "arn:aws:ssm:eu-west-1:111122223333:parameter/${Db}"
      Policy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "444455556666"}
            Action: [ssm:GetParameter, ssm:GetParameters, ssm:DescribeParameters]
            Resource: arn:aws:ssm:eu-west-1:111122223333:parameter//app/db/url
`
	res := readString(t, "t.yaml", src)
	tg := res.Targets[0]
	if want := "arn:aws:ssm:eu-west-1:111122223333:parameter//app/db/url"; tg.ARN.Value != want || !tg.ARN.Known {
		t.Fatalf("ARN %q, want %q", tg.ARN.Value, want)
	}
	if !hasRule(t, "resource-format") {
		t.Skip("resource-format is not in the catalogue yet")
	}
	found := check(t, tg)
	if got := ofRule(found, "resource-format"); !slices.Contains(got, "8:25") {
		t.Errorf("resource-format at %v, want 8:25 (the ResourceArn)", got)
	}
}

func TestCloudFormationParameterFacts(t *testing.T) {
	src := `Parameters:
  TierParam: {Type: String}
Resources:
  Written:
    Type: AWS::SSM::Parameter
    Properties:
      Name: written
      Type: StringList
      Tier: Advanced
      Value: a,b
  Defaulted:
    Type: AWS::SSM::Parameter
    Properties:
      Name: defaulted
      Type: String
      Value: v
  FromParam:
    Type: AWS::SSM::Parameter
    Properties:
      Name: from-param
      Type: String
      Tier: !Ref TierParam
      Value: v
  ShareWritten:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Written}
      Policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "444455556666"}, Action: ssm:GetParameter, Resource: "*"}]}
  ShareDefaulted:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Defaulted}
      Policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "444455556666"}, Action: ssm:GetParameter, Resource: "*"}]}
  ShareFromParam:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${FromParam}
      Policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "444455556666"}, Action: ssm:GetParameter, Resource: "*"}]}
`
	res := readString(t, "t.yaml", src)
	tests := []struct {
		target           string
		tier             string
		tierKnown        bool
		tierAt, typeAt   string
		typ              string
		parameterTierHit []string
	}{
		{"ShareWritten", "Advanced", true, "9:13", "8:13", "StringList", nil},
		{"ShareDefaulted", "Standard", true, "13:5", "15:13", "String", []string{"13:5"}},
		{"ShareFromParam", input.Unknown, false, "22:18", "21:13", "String", nil},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			tg := targetByOrigin(t, res, tc.target)
			if tg.Tier.Value != tc.tier || tg.Tier.Known != tc.tierKnown || pos(tg.Tier.Loc.File, tg.Tier.Loc.Span) != tc.tierAt {
				t.Errorf("tier %q known %v at %s, want %q %v at %s", tg.Tier.Value, tg.Tier.Known, pos(tg.Tier.Loc.File, tg.Tier.Loc.Span), tc.tier, tc.tierKnown, tc.tierAt)
			}
			if tg.Type.Value != tc.typ || !tg.Type.Known || pos(tg.Type.Loc.File, tg.Type.Loc.Span) != tc.typeAt {
				t.Errorf("type %q known %v at %s, want %q at %s", tg.Type.Value, tg.Type.Known, pos(tg.Type.Loc.File, tg.Type.Loc.Span), tc.typ, tc.typeAt)
			}
			if tg.KeyID.Known {
				t.Errorf("key known: CloudFormation cannot name a parameter's key")
			}
			if got := ofRule(check(t, tg), "parameter-tier"); !slices.Equal(got, tc.parameterTierHit) {
				t.Errorf("parameter-tier at %v, want %v", got, tc.parameterTierHit)
			}
		})
	}
}

// policyForms writes the same policy in every form CloudFormation accepts. In each, the
// principal "*" must be found where it is written.
const policyForms = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  P:
    Type: AWS::SSM::Parameter
    Properties: {Name: app-db, Type: String, Tier: Advanced, Value: v}
  Mapping:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: ssm:GetParameter
            Resource: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
  DoubleQuoted:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"ssm:GetParameter\", \"Resource\": \"*\"}}"
  SingleQuoted:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy: '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "ssm:GetParameter", "Resource": "*"}}'
  Block:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy: |
        {"Version": "2012-10-17",
         "Statement": {"Effect": "Allow",
                       "Principal": {"AWS": "*"},
                       "Action": "ssm:GetParameter", "Resource": "*"}}
  SubString:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy: !Sub |
        {"Version": "2012-10-17",
         "Statement": {"Effect": "Allow",
                       "Principal": {"AWS": "*"},
                       "Action": "ssm:GetParameter",
                       "Resource": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}"}}
  Joined:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy: !Join
        - ""
        - - '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "arn:'
          - !Ref AWS::Partition
          - ':ssm:'
          - !Ref AWS::Region
          - ':'
          - !Ref AWS::AccountId
          - ':parameter/'
          - !Ref P
          - '", "Principal": {"AWS": "*"}, "Action": "ssm:GetParameter"}}'
  ToJson:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy:
        Fn::ToJsonString:
          Version: "2012-10-17"
          Statement: {Effect: Allow, Principal: {AWS: "*"}, Action: ssm:GetParameter, Resource: "*"}
`

func TestCloudFormationPolicyForms(t *testing.T) {
	const u = input.Unknown
	res := readString(t, "forms.yaml", policyForms)
	tests := []struct {
		target   string
		wildcard string // where principal-wildcard fires
		resource string // the Resource as rules see it
		resAt    string // where the Resource element is
	}{
		{"Mapping", "14:30", "arn:" + u + ":ssm:" + u + ":" + u + ":parameter/app-db", "16:28"},
		{"DoubleQuoted", "21:110", "*", "21:166"},
		{"SingleQuoted", "26:96", "*", "26:144"},
		{"Block", "34:45", "*", "35:66"},
		{"SubString", "43:45", "arn:" + u + ":ssm:" + u + ":" + u + ":parameter/app-db", "45:36"},
		{"Joined", "60:38", "arn:" + u + ":ssm:" + u + ":" + u + ":parameter/app-db", "52:85"},
		{"ToJson", "68:55", "*", "68:97"},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			tg := targetByOrigin(t, res, tc.target)
			if tg.Policy == nil {
				t.Fatalf("no policy: %v", tg.Problems)
			}
			stmt := tg.Policy.Get("Statement")
			if stmt.Kind == jsonpos.Array {
				stmt = stmt.Items[0]
			}
			r := stmt.Get("Resource")
			if r.Text != tc.resource || pos(tg.PolicyFile, r.Span) != tc.resAt {
				t.Errorf("Resource %q at %s, want %q at %s", r.Text, pos(tg.PolicyFile, r.Span), tc.resource, tc.resAt)
			}
			if got := ofRule(check(t, tg), "principal-wildcard"); !slices.Equal(got, []string{tc.wildcard}) {
				t.Errorf("principal-wildcard at %v, want %s", got, tc.wildcard)
			}
		})
	}
}

// TestCloudFormationJoinSpans: an element split over several pieces of Fn::Join starts in the
// piece where it starts and ends in the piece where it ends.
func TestCloudFormationJoinSpans(t *testing.T) {
	res := readString(t, "forms.yaml", policyForms)
	tg := targetByOrigin(t, res, "Joined")
	r := tg.Policy.Get("Statement").Get("Resource")
	text := string(tg.PolicyFile.Src[r.Span.Start:r.Span.End])
	if !strings.HasPrefix(text, `"arn:'`) || !strings.HasSuffix(text, `- '"`) {
		t.Errorf("Resource covers %q: want from its quote in the first piece to the quote in the last", text)
	}
}

// TestCloudFormationNoGuess: unknown parts never produce findings, and a policy whose shape
// depends on deployment is reported as not checked rather than guessed at.
func TestCloudFormationNoGuess(t *testing.T) {
	src := `Parameters:
  PolicyVersion: {Type: String}
  Accounts: {Type: CommaDelimitedList}
  Statement: {Type: String}
Resources:
  P:
    Type: AWS::SSM::Parameter
    Properties: {Name: app-db, Type: String, Tier: Advanced, Value: v}
  VersionFromParameter:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy:
        Version: !Ref PolicyVersion
        Statement: [{Effect: Allow, Principal: {AWS: !Ref Accounts}, Action: ssm:GetParameter, Resource: "*"}]
  UnquotedPrincipal:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy: !Sub '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ${AWS::AccountId}}, "Action": "ssm:GetParameter", "Resource": "*"}]}'
  StatementFromParameter:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy: !Sub '{"Version": "2012-10-17", "Statement": [${Statement}]}'
  ShapeFromParameter:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy: !Sub '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", ${Statement}}]}'
`
	res := readString(t, "t.yaml", src)
	for _, name := range []string{"VersionFromParameter", "UnquotedPrincipal"} {
		tg := targetByOrigin(t, res, name)
		if tg.Policy == nil {
			t.Fatalf("%s: no policy: %v", name, tg.Problems)
		}
		for _, f := range check(t, tg) {
			switch f.Rule {
			case "version", "schema", "invalid-json", "context-missing", "principal-format", "principal-wildcard":
				t.Errorf("%s: %s at %s on an unknown value: %s", name, f.Rule, at(f), f.Message)
			}
		}
	}
	for name, wantAt := range map[string]string{"StatementFromParameter": "25:20", "ShapeFromParameter": "30:20"} {
		tg := targetByOrigin(t, res, name)
		if tg.Policy != nil {
			t.Errorf("%s: policy read though its shape is unknown", name)
		}
		found := check(t, tg)
		if got := ofRule(found, "context-missing"); !slices.Equal(got, []string{wantAt}) || len(found) != 1 {
			t.Errorf("%s: %v, want one context-missing at %s", name, found, wantAt)
		}
	}
}

func TestCloudFormationMetadataIgnore(t *testing.T) {
	src := `Resources:
  P:
    Type: AWS::SSM::Parameter
    Properties: {Name: app-db, Type: String, Value: v}
  Share:
    Type: AWS::SSM::ResourcePolicy
    Metadata:
      ssmpolicy:
        ignore:
          - parameter-tier
          - principal-wildcard
    Properties:
      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}
      Policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: ssm:GetParameter, Resource: "*"}]}
`
	res := readString(t, "t.yaml", src)
	tg := res.Targets[0]
	var got []string
	for _, ig := range tg.Ignore {
		got = append(got, ig.Rule+"@"+pos(ig.Loc.File, ig.Loc.Span))
	}
	if want := []string{"parameter-tier@10:13", "principal-wildcard@11:13"}; !slices.Equal(got, want) {
		t.Errorf("ignores %v, want %v", got, want)
	}
	if o := originText(tg); o != "Share" || jsonpos.Pointer(tg.Origin.Path) != "/Resources/Share" {
		t.Errorf("origin %q %v", o, tg.Origin.Path)
	}
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := run(t, path)
	if got := ofRule(rep.Findings, "parameter-tier"); len(got) != 0 {
		t.Errorf("parameter-tier not suppressed: %v", got)
	}
	var sup []string
	for _, s := range rep.Suppressed {
		sup = append(sup, fmt.Sprintf("%s@%d:%d", s.Rule, s.Start.Line, s.Start.Column))
		if !strings.HasSuffix(s.By, "template.yaml:10") && !strings.HasSuffix(s.By, "template.yaml:11") {
			t.Errorf("suppressed by %q", s.By)
		}
	}
	slices.Sort(sup)
	if want := []string{"parameter-tier@4:5", "principal-wildcard@14:78"}; !slices.Equal(sup, want) || rep.Summary.Suppressed != 2 {
		t.Errorf("suppressed %v (summary %d), want %v", sup, rep.Summary.Suppressed, want)
	}
}

func TestCloudFormationTemplateProblems(t *testing.T) {
	src := `{
  "Resources": {
    "Share": {"Type": "AWS::SSM::ResourcePolicy", "Properties": {"ResourceArn": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default", "Policy": "{}"}},
    "Share": {"Type": "AWS::SSM::ResourcePolicy", "Properties": {"ResourceArn": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default",
              "Policy": {"Version": "2012-10-17", "Version": "2012-10-17", "Statement": []}}}
  }
}`
	res := readString(t, "t.json", src)
	if len(res.Targets) != 1 {
		t.Fatalf("%d targets, want 1: the last Share counts", len(res.Targets))
	}
	if len(res.Problems) != 1 || res.Problems[0].Rule != "duplicate-key" || pos(res.Problems[0].Loc.File, res.Problems[0].Loc.Span) != "4:5" {
		t.Errorf("template problems %v, want duplicate-key at 4:5", res.Problems)
	}
	tg := res.Targets[0]
	if got := ofRule(check(t, tg), "duplicate-key"); !slices.Equal(got, []string{"5:51"}) {
		t.Errorf("duplicate-key in the policy at %v, want 5:51", got)
	}
}

// TestCloudFormationCycles: references that loop end, as unknown values.
func TestCloudFormationCycles(t *testing.T) {
	src := `Conditions:
  A: !Condition B
  B: !Not [!Condition A]
Resources:
  Loop:
    Type: AWS::SSM::Parameter
    Properties: {Name: !Sub "${Loop}/x", Type: String, Value: v}
  Share:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !If [A, !Sub "arn:aws:ssm:us-east-1:111122223333:parameter/${Loop}", x]
      Policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "444455556666"}, Action: ssm:GetParameter, Resource: "*"}]}
  Share2:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: !Sub "arn:aws:ssm:us-east-1:111122223333:parameter/${Loop}"
      Policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "444455556666"}, Action: ssm:GetParameter, Resource: "*"}]}
`
	res := readString(t, "t.yaml", src)
	if a := targetByOrigin(t, res, "Share").ARN; a.Known {
		t.Errorf("Share ARN %q known through a condition that loops", a.Value)
	}
	if a := targetByOrigin(t, res, "Share2").ARN; !strings.HasPrefix(a.Value, "arn:aws:ssm:us-east-1:111122223333:parameter/") || !strings.Contains(a.Value, input.Unknown) {
		t.Errorf("Share2 ARN %q: want the looping name unknown", a.Value)
	}
}

func TestDetectTemplates(t *testing.T) {
	tests := map[string]string{
		"sam": `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn: {Type: AWS::Serverless::Function, Properties: {Handler: app.handler, Runtime: python3.12}}
`,
		"sam transform list": `Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Resources:
  Api: {Type: AWS::Serverless::Api, Properties: {StageName: prod}}
`,
		"cdk": `{"Resources": {"CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2"}}},
 "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version"}}}`,
	}
	for name, src := range tests {
		f := jsonpos.NewFile("t", []byte(src))
		p, _, err := input.Parse(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if k := input.Detect(p.Root); k != input.CloudFormation {
			t.Errorf("%s: detected %v", name, k)
		}
	}
}

// FuzzCloudFormation reads arbitrary templates: it must never panic, and every place it
// reports must lie inside the file.
func FuzzCloudFormation(f *testing.F) {
	addSmallSeeds(f, "testdata/cloudformation/*.yaml")
	f.Add([]byte(`{"Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/a", "Type": "String"}},
 "S": {"Type": "AWS::SSM::ResourcePolicy", "Metadata": {"ssmpolicy": {"ignore": ["version"]}}, "Properties": {
  "ResourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ssm:us-east-1:111122223333:parameter", {"Ref": "P"}]]},
  "Policy": {"Fn::Join": ["", ["{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"", {"Ref": "AWS::AccountId"}, "\"},\"Action\":\"ssm:GetParameter\",\"Resource\":\"*\"}]}"]]}}}}}`))
	f.Add([]byte(policyForms))
	f.Add([]byte(fmt.Sprintf(arnTemplate, "!Sub [\"${A}${B}\", {A: !Ref X, B: !GetAtt [Y, Z]}]")))
	r := reader(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, name := range []string{"t.yaml", "t.json"} {
			file := jsonpos.NewFile(name, src)
			res, err := r.Read(file)
			if err != nil {
				return
			}
			checkSpans(t, file, res)
		}
	})
}

// addSmallSeeds adds the fixtures matching pattern as fuzz seeds, the small ones only: the
// fuzzer minimises every input that finds new code, and minimising a 20 kB plan takes longer
// than a whole 30-second run.
func addSmallSeeds(f *testing.F, pattern string) {
	files, err := filepath.Glob(pattern)
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(src) <= 4096 {
			f.Add(src)
		}
	}
}

// checkSpans asserts that every location a result gives lies inside the file.
func checkSpans(t *testing.T, f *jsonpos.File, res input.Result) {
	t.Helper()
	in := func(what string, l input.Location) {
		if l.File == nil {
			return
		}
		if l.Span.Start < 0 || l.Span.End < l.Span.Start || l.Span.End > len(l.File.Src) {
			t.Fatalf("%s: span %v outside the file of %d bytes", what, l.Span, len(l.File.Src))
		}
	}
	for _, p := range res.Problems {
		in("problem", p.Loc)
	}
	for _, tg := range res.Targets {
		for _, fa := range []input.Fact{tg.ARN, tg.Tier, tg.Type, tg.KeyID} {
			in("fact", fa.Loc)
		}
		in("origin", tg.Origin)
		in("policy", tg.PolicyLoc)
		for _, p := range tg.Problems {
			in("problem "+p.Rule, p.Loc)
		}
		for _, ig := range tg.Ignore {
			in("ignore", ig.Loc)
		}
		if tg.Policy != nil {
			jsonpos.Walk(tg.Policy, func(_ []any, n *jsonpos.Node) {
				in("policy node", input.Location{File: f, Span: n.Span})
			})
		}
	}
}
