package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

const deployedARN = "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"

// deployedReport is one finding of a policy read from AWS: its file is the resource ARN, its
// positions are in the policy text as AWS returned it.
func deployedReport() *finding.Report {
	r := &finding.Report{Findings: []finding.Finding{{
		Rule: "principal-wildcard", Level: finding.SecurityWarning, Message: "everyone", File: deployedARN,
		Start: jsonpos.Pos{Line: 1, Column: 60, Offset: 59}, End: jsonpos.Pos{Line: 1, Column: 63, Offset: 62},
		Pointer: "/Statement/0/Principal", Resource: deployedARN,
	}}}
	r.Finish()
	return r
}

// TestResourceLocationSARIF: the artifact of a deployed policy's finding is the ARN itself,
// not a path under %SRCROOT%, and the log stays valid SARIF.
func TestResourceLocationSARIF(t *testing.T) {
	var out bytes.Buffer
	if err := (SARIF{WorkDir: t.TempDir()}).Publish(&out, deployedReport()); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sarifSchema(t), out.Bytes())
	var doc struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct {
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Properties map[string]any `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	pl := doc.Runs[0].Results[0].Locations[0].PhysicalLocation
	if pl.ArtifactLocation.URI != deployedARN || pl.ArtifactLocation.URIBaseID != "" {
		t.Errorf("artifact %+v, want the ARN with no base", pl.ArtifactLocation)
	}
	if pl.Region.StartColumn != 60 || doc.Runs[0].Results[0].Properties["pointer"] != "/Statement/0/Principal" {
		t.Errorf("region %+v, properties %v", pl.Region, doc.Runs[0].Results[0].Properties)
	}
}

// TestResourceLocationGitHub: an annotation cannot point into AWS, so it has no file and
// names the resource and pointer in its title.
func TestResourceLocationGitHub(t *testing.T) {
	var out bytes.Buffer
	if err := (GitHub{WorkDir: t.TempDir()}).Publish(&out, deployedReport()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.Contains(got, "file=") {
		t.Errorf("annotation has a file property: %s", got)
	}
	if !strings.Contains(got, "title=principal-wildcard "+escapeProperty(deployedARN+"/Statement/0/Principal")) {
		t.Errorf("annotation does not name the resource and pointer: %s", got)
	}
}

// TestResourceLocationMarkdown: the ARN is shown with its position, not linked as a path.
func TestResourceLocationMarkdown(t *testing.T) {
	var out bytes.Buffer
	if err := (Markdown{WorkDir: t.TempDir()}).Publish(&out, deployedReport()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "| "+mdText(deployedARN+":1:60")+" |") {
		t.Errorf("location not shown as the unlinked ARN:\n%s", got)
	}
}
