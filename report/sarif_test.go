package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/xeipuuv/gojsonschema"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// sarifSchema loads the official SARIF 2.1.0 schema kept in testdata. Its $schema names
// draft 2020-12, which gojsonschema does not know; the schema uses nothing beyond draft 7,
// so it is read as draft 7. One defect is mended in memory: region's anyOf (startLine,
// charOffset or byteOffset required) sits inside "properties", where it would declare a
// property named anyOf and is no schema at all; it moves up to the region, where it belongs.
func sarifSchema(t testing.TB) *gojsonschema.Schema {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	region := doc["definitions"].(map[string]any)["region"].(map[string]any)
	props := region["properties"].(map[string]any)
	if anyOf, ok := props["anyOf"]; ok {
		delete(props, "anyOf")
		region["anyOf"] = anyOf
	}
	sl := gojsonschema.NewSchemaLoader()
	sl.Draft = gojsonschema.Draft7
	sl.AutoDetect = false
	schema, err := sl.Compile(gojsonschema.NewGoLoader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

func validateSARIF(t *testing.T, schema *gojsonschema.Schema, doc []byte) {
	t.Helper()
	res, err := schema.Validate(gojsonschema.NewBytesLoader(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("SARIF schema: %s", e)
	}
}

// The schema check must be able to fail, or it proves nothing.
func TestSARIFSchemaRejects(t *testing.T) {
	schema := sarifSchema(t)
	for _, bad := range []string{
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "columnKind": "bytes"}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "suppressions": [{"kind": "external", "status": null}]}]}]}`,
		`{"runs": []}`,
	} {
		res, err := schema.Validate(gojsonschema.NewStringLoader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if res.Valid() {
			t.Errorf("schema accepted %s", bad)
		}
	}
}

func readSARIF(t *testing.T, rep *finding.Report, opts Options) *sarif.Report {
	t.Helper()
	r, err := New("sarif", opts)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sarif.FromBytes(publishT(t, r, rep))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	return doc
}

func TestSARIFContent(t *testing.T) {
	rep := fixtureReport()
	run := readSARIF(t, rep, Options{Rules: fixtureRules(), Version: "1.2.3", WorkDir: workDir}).Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %v", run.ColumnKind)
	}
	if u := run.OriginalUriBaseIDs[srcRoot]; u == nil || *u.URI != "file:///src/project/" {
		t.Errorf("originalUriBaseIds = %+v", run.OriginalUriBaseIDs)
	}
	rulesByID := map[string]*sarif.ReportingDescriptor{}
	for _, r := range run.Tool.Driver.Rules {
		rulesByID[r.ID] = r
	}
	if _, ok := rulesByID["action-wildcard"]; !ok {
		t.Error("a catalogue rule without findings is not described")
	}
	pw := rulesByID["principal-wildcard"]
	if pw == nil || *pw.ShortDescription.Text != "the principal is everyone" || *pw.HelpURI != docs+"principal-wildcard/README.md" ||
		!strings.HasPrefix(*pw.Help.Markdown, "# principal-wildcard") || pw.DefaultConfiguration.Level != "warning" ||
		pw.Properties["security-severity"] != securitySeverity {
		t.Errorf("principal-wildcard descriptor = %+v", pw)
	}
	if len(run.Results) != len(rep.Findings)+len(rep.Suppressed) {
		t.Fatalf("%d results, want %d", len(run.Results), len(rep.Findings)+len(rep.Suppressed))
	}
	wantLevel := map[string]string{"schema": "error", "principal-wildcard": "warning", "sid-format": "warning",
		"principal-self": "note", "version": "warning", "context-missing": "warning", "custom-tag-owner": "error",
		"principal-not-account": "warning", "parameter-tier": "error"}
	for _, res := range run.Results {
		id := *res.RuleID
		if got := run.Tool.Driver.Rules[*res.RuleIndex].ID; got != id {
			t.Errorf("%s: ruleIndex points at %s", id, got)
		}
		if *res.Level != wantLevel[id] {
			t.Errorf("%s: level %s, want %s", id, *res.Level, wantLevel[id])
		}
		art := res.Locations[0].PhysicalLocation.ArtifactLocation
		switch id {
		case "sid-format":
			reg := res.Locations[0].PhysicalLocation.Region
			if *art.URI != "policies/%C3%BCber.json" || *art.URIBaseId != srcRoot ||
				*reg.StartLine != 3 || *reg.StartColumn != 14 || *reg.EndLine != 3 || *reg.EndColumn != 31 {
				t.Errorf("sid-format location = %s %+v", *art.URI, reg)
			}
		case "schema":
			if m := res.Message; *m.Text != `Statement 0 has an unknown element "Efect"`+"\nhelp: did you mean \"Effect\"?" ||
				m.Markdown == nil || !strings.HasSuffix(*m.Markdown, `**help:** did you mean "Effect"?`) {
				t.Errorf("schema message = %q / %v: want the help after the message", *m.Text, m.Markdown)
			}
		case "version":
			if *art.URI != "file:///elsewhere/shared%20policy.json" || art.URIBaseId != nil {
				t.Errorf("a file outside the working directory: uri %s, base %v", *art.URI, art.URIBaseId)
			}
		case "context-missing":
			if art.URI != nil {
				t.Errorf("standard input got a uri: %s", *art.URI)
			}
		case "principal-not-account":
			if len(res.Suppressions) != 1 || res.Suppressions[0].Kind != "external" || *res.Suppressions[0].Justification != "OpsCenter admin roles" {
				t.Errorf("suppression = %+v", res.Suppressions)
			}
		}
		if id != "principal-not-account" && len(res.Suppressions) > 0 {
			t.Errorf("%s is suppressed", id)
		}
	}
	if inv := run.Invocations[0]; !*inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 0 {
		t.Errorf("invocation = %+v", inv)
	}
}

// Code scanning matches alerts across commits by fingerprint: moving a finding to other
// lines must not change it, a different element must.
func TestSARIFFingerprintsIgnoreLines(t *testing.T) {
	opts := Options{WorkDir: workDir}
	prints := func(rep *finding.Report) []string {
		var out []string
		for _, res := range readSARIF(t, rep, opts).Runs[0].Results {
			out = append(out, res.PartialFingerprints[fingerprintKey].(string))
		}
		return out
	}
	before := prints(fixtureReport())
	moved := fixtureReport()
	for i := range moved.Findings {
		moved.Findings[i].Start.Line += 7
		moved.Findings[i].End.Line += 7
		moved.Findings[i].Start.Column += 2
	}
	for i := range moved.Suppressed {
		moved.Suppressed[i].Start.Line += 7
	}
	if after := prints(moved); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("fingerprints changed with the lines:\n%v\n%v", before, after)
	}
	seen := map[string]bool{}
	for _, p := range before {
		if seen[p] {
			t.Errorf("fingerprint %s given twice", p)
		}
		seen[p] = true
	}
	other := fixtureReport()
	other.Findings[0].Pointer = "/Statement/1/Efect"
	if prints(other)[0] == before[0] {
		t.Error("another element kept the fingerprint")
	}
}

func TestSARIFFailures(t *testing.T) {
	run := readSARIF(t, failuresReport(), Options{WorkDir: workDir}).Runs[0]
	inv := run.Invocations[0]
	if *inv.ExecutionSuccessful {
		t.Error("executionSuccessful with errors")
	}
	if len(inv.ToolExecutionNotifications) != 3 {
		t.Fatalf("%d notifications, want 3", len(inv.ToolExecutionNotifications))
	}
	n := inv.ToolExecutionNotifications[0]
	if n.Level != "error" || *n.Locations[0].PhysicalLocation.ArtifactLocation.URI != "manifest.yaml" ||
		*n.Locations[0].PhysicalLocation.Region.StartLine != 4 {
		t.Errorf("notification = %+v", n)
	}
	if len(run.Results) != 0 {
		t.Errorf("%d results", len(run.Results))
	}
}

// The whole built-in catalogue, whatever its rules say, must make valid SARIF.
func TestSARIFBuiltinCatalogueIsValid(t *testing.T) {
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	out := publishT(t, newReporterWith(t, "sarif", Options{Rules: set, WorkDir: workDir}), fixtureReport())
	validateSARIF(t, sarifSchema(t), out)
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	described := map[string]bool{}
	for _, r := range doc.Runs[0].Tool.Driver.Rules {
		described[r.ID] = true
	}
	for _, r := range set.Rules {
		if !described[r.ID] {
			t.Errorf("rule %s is not described", r.ID)
		}
	}
}
