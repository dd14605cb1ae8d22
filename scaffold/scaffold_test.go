package scaffold

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

func TestGuessARN(t *testing.T) {
	const db = "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"
	const group = "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default"
	for _, c := range []struct {
		name, policy, arn, why string
	}{
		{"one parameter", `{"Statement": [{"Resource": "` + db + `"}]}`, db, ""},
		{"statement as an object", `{"Statement": {"Resource": ["` + db + `"]}}`, db, ""},
		{"the same one twice", `{"Statement": [{"Resource": "` + db + `"}, {"Resource": ["` + db + `"]}]}`, db, ""},
		{"OpsItemGroup with its OpsItems", `{"Statement": [{"Resource": ["arn:aws:ssm:us-east-1:111122223333:opsitem/*", "` + group + `"]}]}`, group, ""},
		{"two parameters", `{"Statement": [{"Resource": ["` + db + `", "` + db + `2"]}]}`, "", "names 2 resources"},
		{"a wildcard", `{"Statement": [{"Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app/*"}]}`, "", "with a wildcard"},
		{"no Resource", `{"Statement": [{"Effect": "Allow"}]}`, "", "names no SSM parameter"},
		{"not SSM", `{"Statement": [{"Resource": "arn:aws:s3:::bucket"}]}`, "", "names no SSM parameter"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := jsonpos.ParseJSON([]byte(c.policy))
			if err != nil {
				t.Fatal(err)
			}
			arn, why := GuessARN(p.Root)
			if arn != c.arn || !strings.Contains(why, c.why) || (c.why == "") != (why == "") {
				t.Errorf("got %q, %q; want %q, %q", arn, why, c.arn, c.why)
			}
		})
	}
}

// TestManifestReads writes a manifest for a tree and reads it back as check does: a manifest
// with one target per policy, the guessed ARN as the target's ARN, and the paths resolving.
func TestManifestReads(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(name, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("policies/db.json", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"}]}`)
	write("policies/two words.json", `{"Statement": [{"Effect": "Allow", "Resource": "*"}]}`)
	write("policies/named.json", `{"Statement": [{"Effect": "Allow", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/named"}]}`)
	write("infra/old.yaml", "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/named\n    policy: ../policies/named.json\n")
	write("notes.json", `{"name": "not a policy"}`)

	found, err := FindPolicies([]string{"."})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 2 || found[0].Path != "policies/db.json" || found[1].Path != "policies/two words.json" {
		t.Fatalf("found %+v; want db.json and two words.json (named.json is in a manifest already)", found)
	}
	src := Manifest(dir, found)
	r, _ := input.NewReader(input.Context{})
	res, err := r.Read(jsonpos.NewFile("ssmpolicy.yaml", src))
	if err != nil || res.Kind != input.Manifest || len(res.Targets) != 2 {
		t.Fatalf("read back (%v): kind %v, %d targets\n%s", err, res.Kind, len(res.Targets), src)
	}
	if got := res.Targets[0].ARN.Value; got != "arn:aws:ssm:us-east-1:111122223333:parameter/app/db" {
		t.Errorf("ARN %q\n%s", got, src)
	}
	if res.Targets[0].PolicyRef != "policies/db.json" || res.Targets[1].PolicyRef != "policies/two words.json" {
		t.Errorf("policy paths %q, %q\n%s", res.Targets[0].PolicyRef, res.Targets[1].PolicyRef, src)
	}
	// No ARN could be guessed for the second: the schema says so at its line, with the reason
	// beside it.
	if !strings.Contains(string(src), `- arn: ""  # write the ARN here: the policy's Resource names no SSM parameter or OpsItemGroup`) {
		t.Errorf("no note for the missing ARN:\n%s", src)
	}
	if len(res.Problems) == 0 || res.Problems[0].Rule != "schema" {
		t.Errorf("problems %+v: want the schema's finding on the empty arn", res.Problems)
	}
}

func TestYAMLString(t *testing.T) {
	for in, want := range map[string]string{
		"policies/db.json": "policies/db.json",
		"arn:aws:ssm:us-east-1:111122223333:parameter/app/db": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db",
		"two words.json": `"two words.json"`,
		"1.5":            `"1.5"`,
		"#x.json":        `"#x.json"`,
		"":               `""`,
	} {
		if got := yamlString(in); got != want {
			t.Errorf("yamlString(%q) = %s, want %s", in, got, want)
		}
	}
}
