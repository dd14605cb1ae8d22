package audit_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/audit"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/report"
)

const arnDB = "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"

// sample is a result as an audit of one scope makes it.
func sample() *audit.Result {
	rep := &finding.Report{Findings: []finding.Finding{{
		Rule: "share-not-promoted", Level: finding.Warning, Message: "not promoted", File: arnDB,
		Start: jsonpos.Pos{Line: 1, Column: 1}, End: jsonpos.Pos{Line: 1, Column: 2, Offset: 1}, Resource: arnDB,
		Source: finding.Excerpt{Text: `{"Version":"2012-10-17"}`},
	}}}
	rep.Summary.Files, rep.Summary.Targets = 1, 1
	rep.Finish()
	return &audit.Result{
		Time:   time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
		Scopes: []audit.ScopeResult{{Via: "profile prod", Account: "111122223333", Region: "us-east-1", Parameters: 3, Resources: 1, Policies: 1, Complete: true}},
		Inventory: []audit.Row{{
			Resource: arnDB, Kind: "parameter", Account: "111122223333", Region: "us-east-1", Tier: "Advanced", Type: "SecureString",
			KeyID: "alias/app", KeyManager: "CUSTOMER", Policies: []audit.PolicyRef{{ID: "p1", Hash: "h1", Size: 200}},
			Accounts: []string{"444455556666"}, Principals: []string{"444455556666"}, Actions: []string{"ssm:GetParameter"},
			Share: audit.ShareCreatedFromPolicy, Shares: []audit.ShareRef{{ARN: "arn:aws:ram:us-east-1:111122223333:resource-share/x", FeatureSet: "CREATED_FROM_POLICY"}},
			Findings: 1,
		}},
		Report: rep,
	}
}

func TestWriteText(t *testing.T) {
	var out bytes.Buffer
	if err := audit.WriteText(&out, sample(), report.Text{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if !strings.HasPrefix(lines[0], "ssmpolicy audit of 1 account in 1 region") || !strings.Contains(lines[0], "3 Advanced parameters listed, 1 resource shared with 1 policy") {
		t.Errorf("headline %q", lines[0])
	}
	if strings.Join(strings.Fields(lines[2]), " ") != "RESOURCE REGION ACCOUNTS GRANTED ACTIONS SHARE FINDINGS" {
		t.Errorf("table header %q", lines[2])
	}
	if strings.Join(strings.Fields(lines[3]), " ") != arnDB+" us-east-1 444455556666 ssm:GetParameter created from policy 1" {
		t.Errorf("row %q", lines[3])
	}
	if !strings.Contains(out.String(), arnDB+":1:1: warning share-not-promoted: not promoted") {
		t.Errorf("finding not written as check writes it:\n%s", out.String())
	}
	if last := lines[len(lines)-1]; last != "1 finding (1 warning) in 1 deployed policy" || strings.Contains(out.String(), "in 1 file") {
		t.Errorf("summary %q (check's file count must not appear)", last)
	}
}

// TestWriteJSONShape pins the documented shape of -o json: its keys, and each row's.
func TestWriteJSONShape(t *testing.T) {
	var out bytes.Buffer
	if err := audit.WriteJSON(&out, sample()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]json.RawMessage) []string { return slices.Sorted(maps.Keys(m)) }
	if got := keys(doc); !slices.Equal(got, []string{"findings", "inventory", "scopes", "summary", "suppressed", "time", "version"}) {
		t.Errorf("top-level keys %v", got)
	}
	if string(doc["version"]) != "1" || string(doc["time"]) != `"2026-03-01T09:30:00Z"` {
		t.Errorf("version %s, time %s", doc["version"], doc["time"])
	}
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(doc["inventory"], &rows); err != nil || len(rows) != 1 {
		t.Fatalf("inventory %s: %v", doc["inventory"], err)
	}
	want := []string{"account", "accounts", "actions", "describedBy", "findings", "keyId", "keyManager", "kind", "policies",
		"principals", "region", "resource", "share", "shares", "tier", "type"}
	if got := keys(rows[0]); !slices.Equal(got, want) {
		t.Errorf("row keys %v, want %v", got, want)
	}
	var scopes []map[string]json.RawMessage
	if err := json.Unmarshal(doc["scopes"], &scopes); err != nil || !slices.Equal(keys(scopes[0]), []string{"account", "complete", "parameters", "policies", "region", "resources", "via"}) {
		t.Errorf("scopes %s", doc["scopes"])
	}
}

func TestWriteMarkdown(t *testing.T) {
	var out bytes.Buffer
	if err := audit.WriteMarkdown(&out, sample(), report.Markdown{WorkDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, part := range []string{
		"## SSM resource policies shared, as of 2026-03-01 09:30 UTC",
		"| 111122223333 | us-east-1 | profile prod | 3 | 1 | yes |",
		"| " + arnDB + " | us-east-1 | 444455556666 | ssm:GetParameter | created from policy | 1 |",
		"### ssmpolicy\n", // the findings, as check's markdown writes them
		"**0 error · 0 security-warning · 1 warning · 0 suggestion**",
	} {
		if !strings.Contains(got, part) {
			t.Errorf("markdown lacks %q:\n%s", part, got)
		}
	}
}

// TestWriteJSONStreamsTheDocument: the streamed writer gives byte for byte what encoding the
// whole Document would, with and without errors and empty lists.
func TestWriteJSONStreamsTheDocument(t *testing.T) {
	failing := sample()
	failing.Report.Failures = []finding.Failure{{File: arnDB, Message: "denied <&>"}}
	empty := sample()
	empty.Inventory, empty.Report.Findings = []audit.Row{}, []finding.Finding{}
	for name, res := range map[string]*audit.Result{"sample": sample(), "failing": failing, "empty": empty} {
		var got, want bytes.Buffer
		if err := audit.WriteJSON(&got, res); err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		doc := audit.Document{Version: audit.JSONVersion, Time: "2026-03-01T09:30:00Z", Scopes: res.Scopes, Inventory: res.Inventory,
			Findings: res.Report.Findings, Suppressed: res.Report.Suppressed, Summary: res.Report.Summary, Errors: res.Report.Failures}
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: streamed\n%s\nwant\n%s", name, got.String(), want.String())
		}
	}
}
