package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestEndToEnd builds the binary and runs it as a user would, against the fake on 127.0.0.1,
// pointed there by the SDK's own AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_KMS rather than a flag.
// The child gets a clean environment: only what is set here, so no profile, credentials or
// endpoint of the developer's can take part, and nothing can reach AWS.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)

	fake, err := awsfake.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	if _, err := fake.AddKey(awsfake.Key{Aliases: []string{"alias/app-secrets"}}); err != nil {
		t.Fatal(err)
	}
	db, err := fake.AddParameter(awsfake.Parameter{Name: "/app/db", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/app-secrets", Value: secretDB})
	if err != nil {
		t.Fatal(err)
	}
	web, err := fake.AddParameter(awsfake.Parameter{Name: "/app/web", Tier: awsfake.TierStandard, Value: "value-of-web"})
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var all bytes.Buffer
	child := &binary{t: t, path: bin, dir: dir, env: childEnv(t, fake), log: &all}
	run := child.run

	write("db.json", sharePolicy(db.ARN))
	write("web.json", sharePolicy(web.ARN))
	write("ssmpolicy.yaml", fmt.Sprintf("resources:\n  - arn: %s\n    policy: db.json\n", db.ARN))
	write("web.yaml", fmt.Sprintf("resources:\n  - arn: %s\n    parameter: {tier: Advanced, type: String}\n    policy: web.json\n", web.ARN))

	// check --live: AWS says Standard where the manifest says Advanced.
	r := run("check", "--live", "web.yaml")
	if r.code != 1 || !strings.Contains(r.stdout, "web.yaml:3:23: warning context-mismatch: the manifest says tier Advanced, AWS says Standard") ||
		!strings.Contains(r.stdout, "web.yaml:3:23: error parameter-tier") {
		t.Fatalf("check --live:\n%s", r)
	}

	// A dry run plans, and writes nothing.
	r = run("apply", "--live", "--dry-run", "ssmpolicy.yaml")
	if r.code != 0 || !strings.Contains(r.stdout, "create     "+db.ARN+"  (ssmpolicy.yaml:2)  + account "+partner) ||
		!strings.Contains(r.stdout, "Dry run: nothing was sent.") || fake.Count(awsfake.OpPutResourcePolicy) != 0 {
		t.Fatalf("dry run:\n%s", r)
	}

	// No terminal and no --yes: refused before any call.
	before := fake.Count(awsfake.AnyOperation)
	r = run("apply", "ssmpolicy.yaml")
	if r.code != 2 || !strings.Contains(r.stderr, "pass --yes") || fake.Count(awsfake.AnyOperation) != before {
		t.Fatalf("without --yes:\n%s", r)
	}

	// Apply, then apply again: one write in all.
	r = run("apply", "--live", "--yes", "ssmpolicy.yaml")
	stored := fake.Policies(db.ARN)
	if r.code != 0 || len(stored) != 1 || !strings.Contains(r.stdout, fmt.Sprintf("created    %s  (ssmpolicy.yaml:2)  PolicyId %s  PolicyHash %s", db.ARN, stored[0].ID, stored[0].Hash)) {
		t.Fatalf("apply:\n%s", r)
	}
	r = run("apply", "--yes", "-o", "json", "ssmpolicy.yaml")
	var out apply.Report
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 || len(out.Results) != 1 ||
		out.Results[0].Action != "no-change" || out.Results[0].PolicyHash != stored[0].Hash {
		t.Fatalf("apply again (%v):\n%s", err, r)
	}
	if n := fake.Count(awsfake.OpPutResourcePolicy); n != 1 {
		t.Fatalf("%d PutResourcePolicy calls, want 1", n)
	}

	// A target that fails the checks: exit 1, nothing sent for it.
	r = run("apply", "--live", "--yes", "web.yaml")
	if r.code != 1 || len(fake.Policies(web.ARN)) != 0 || !strings.Contains(r.stderr, "1 target failed the checks") {
		t.Fatalf("failing target:\n%s", r)
	}

	assertNoSecrets(t, all.String())
}

// buildBinary builds cmd/ssmpolicy into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	// go test puts its own go first on the PATH of what it runs.
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool to build with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "ssmpolicy")
	build := exec.Command(goTool, "build", "-o", bin, "../cmd/ssmpolicy")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// childEnv is the whole environment of the binary: the fake's credentials, region and
// endpoints, empty shared config and credentials files, no instance metadata.
func childEnv(t *testing.T, fake *awsfake.Server) []string {
	t.Helper()
	home := t.TempDir()
	for _, name := range []string{"config", "credentials"} {
		if err := os.WriteFile(filepath.Join(home, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"AWS_ACCESS_KEY_ID=" + awsfake.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + awsfake.SecretAccessKey,
		"AWS_REGION=" + awsfake.DefaultRegion, "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_ENDPOINT_URL_SSM=" + fake.URL(), "AWS_ENDPOINT_URL_KMS=" + fake.URL(), "AWS_ENDPOINT_URL_RAM=" + fake.URL(),
	}
}

// binary runs the built binary in dir with env, standard input /dev/null (not a terminal),
// and logs every run.
type binary struct {
	t    *testing.T
	path string
	dir  string
	env  []string
	log  *bytes.Buffer
}

func (b *binary) run(args ...string) result {
	b.t.Helper()
	cmd := exec.Command(b.path, args...)
	cmd.Dir, cmd.Env = b.dir, b.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		b.t.Fatal(err)
	}
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	fmt.Fprintf(b.log, "$ ssmpolicy %s\n%s\n", strings.Join(args, " "), r)
	return r
}

// TestEndToEndPromotion is the warning of the PutResourcePolicy reference as a test: a consumer
// account does not find a parameter shared by apply with DescribeParameters --shared, and does
// once apply --promote has promoted its RAM share. The binary runs as a user would run it,
// against the stand-in, whose RAM makes shares late and takes time to promote them.
func TestEndToEndPromotion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	fake, err := awsfake.Start(awsfake.WithShareDelay(300*time.Millisecond), awsfake.WithPromotionDelay(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	db, err := fake.AddParameter(awsfake.Parameter{Name: "/app/db", Tier: awsfake.TierAdvanced, Value: "value-of-db"})
	if err != nil {
		t.Fatal(err)
	}
	api, err := fake.AddParameter(awsfake.Parameter{Name: "/app/api", Tier: awsfake.TierAdvanced, Value: "value-of-api"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// db: an AWS managed permission's actions (one step); api: GetParameter only (two steps).
	write("db.json", sharePolicy(db.ARN))
	write("api.json", fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},"Action":"ssm:GetParameter","Resource":"%s"}]}`, partner, api.ARN))
	write("ssmpolicy.yaml", fmt.Sprintf("resources:\n  - arn: %s\n    parameter: {tier: Advanced, type: String}\n    policy: db.json\n  - arn: %s\n    parameter: {tier: Advanced, type: String}\n    policy: api.json\n", db.ARN, api.ARN))
	// action-not-promotable reports a policy that needs the two-step promotion as a
	// suggestion; only its cannot-be-promoted case (a warning) holds the promotion back.
	rulesConfig := "rules:\n  action-not-promotable: suggestion\n"
	write(".ssmpolicy.yaml", rulesConfig)
	var all bytes.Buffer
	child := &binary{t: t, path: bin, dir: dir, env: childEnv(t, fake), log: &all}
	run := child.run
	consumerSees := func() []string {
		t.Helper()
		// The consumer's own clients, with its own credentials.
		c, err := awsapi.NewClients(context.Background(), awsapi.Options{Region: awsfake.DefaultRegion, EndpointURL: fake.URL(),
			Credentials: fake.ConfigFor(partner, awsfake.DefaultRegion).Credentials})
		if err != nil {
			t.Fatal(err)
		}
		arns, err := awsapi.SharedParameters(context.Background(), c.SSM)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(arns)
		return arns
	}
	writes := func() int {
		return fake.Count(awsfake.OpPutResourcePolicy) + fake.Count(awsfake.OpPromotePermissionCreatedFromPolicy) +
			fake.Count(awsfake.OpPromoteResourceShareCreatedFromPolicy)
	}

	r := run("apply", "--yes", "ssmpolicy.yaml")
	if r.code != 0 || len(fake.Policies(db.ARN)) != 1 || len(fake.Policies(api.ARN)) != 1 {
		t.Fatalf("apply:\n%s", r)
	}
	if got := consumerSees(); len(got) != 0 {
		t.Fatalf("after apply without --promote the consumer sees %v: the shares are CREATED_FROM_POLICY", got)
	}

	// RAM makes the shares some time after the writes.
	visible := func(arn string) bool {
		shares := fake.Home().SharesOf(arn)
		return len(shares) == 1 && shares[0].Visible
	}
	for deadline := time.Now().Add(5 * time.Second); !visible(db.ARN) || !visible(api.ARN); {
		if time.Now().After(deadline) {
			t.Fatal("RAM made no shares")
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The plan shows the steps and calls only reads.
	before := writes()
	r = run("apply", "--promote", "--dry-run", "ssmpolicy.yaml")
	for _, want := range []string{
		"no change  " + db.ARN + "  (ssmpolicy.yaml:2)\n           promote: promote share arn:aws:ram:",
		"no change  " + api.ARN + "  (ssmpolicy.yaml:5)\n           promote: promote permission arn:aws:ram:",
		"Plan: 0 to create, 0 to update, 2 unchanged, 2 shares to promote.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run lacks %q:\n%s", want, r)
		}
	}
	if r.code != 0 || writes() != before {
		t.Fatalf("dry run wrote or failed:\n%s", r)
	}

	r = run("apply", "--promote", "--yes", "ssmpolicy.yaml")
	if r.code != 0 || !strings.Contains(r.stdout, "Promoted 2 shares, 0 already promoted.") {
		t.Fatalf("apply --promote:\n%s", r)
	}
	if got := consumerSees(); !slices.Equal(got, []string{api.ARN, db.ARN}) {
		t.Fatalf("after apply --promote the consumer sees %v, want both parameters by ARN", got)
	}

	// Again: no write at all, and the results say why.
	before = writes()
	r = run("apply", "--promote", "--yes", "-o", "jsonl", "ssmpolicy.yaml")
	if r.code != 0 || writes() != before {
		t.Fatalf("second apply --promote wrote %d times:\n%s", writes()-before, r)
	}
	types := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var line struct {
			Type      string `json:"type"`
			Promotion *struct {
				State string `json:"state"`
			} `json:"promotion"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("not JSON lines (%v):\n%s", err, r.stdout)
		}
		types[line.Type]++
		if line.Type == apply.LineResult && (line.Promotion == nil || line.Promotion.State != string(apply.AlreadyPromoted)) {
			t.Errorf("result line %s", sc.Text())
		}
	}
	if types[apply.LinePlan] != 2 || types[apply.LineResult] != 2 || types[apply.LineSummary] != 1 {
		t.Fatalf("lines %v:\n%s", types, r.stdout)
	}

	// A third parameter, promoted because the configuration says so; RAM refuses the
	// promotion: the policy is in place, exit 2, and the command that retries.
	cfg, err := fake.AddParameter(awsfake.Parameter{Name: "/app/cfg", Tier: awsfake.TierAdvanced, Value: "value-of-cfg"})
	if err != nil {
		t.Fatal(err)
	}
	write("cfg.json", sharePolicy(cfg.ARN))
	write("cfg.yaml", fmt.Sprintf("resources:\n  - arn: %s\n    parameter: {tier: Advanced, type: String}\n    policy: cfg.json\n", cfg.ARN))
	write(".ssmpolicy.yaml", rulesConfig+"apply:\n  promote: true\n")
	fake.DenyAccess(awsfake.OpPromoteResourceShareCreatedFromPolicy, 1)
	r = run("apply", "--yes", "cfg.yaml")
	if r.code != 2 || len(fake.Policies(cfg.ARN)) != 1 ||
		!strings.Contains(r.stdout, "promote: failed: promote share arn:aws:ram:") ||
		!strings.Contains(r.stdout, "AccessDeniedException: the credentials are not allowed ram:PromoteResourceShareCreatedFromPolicy") ||
		!strings.Contains(r.stdout, "run `ssmpolicy apply --promote --yes cfg.yaml` again") ||
		!strings.Contains(r.stderr, "applied, not promoted: 1 share") {
		t.Fatalf("denied promotion:\n%s", r)
	}
	r = run("apply", "--promote", "--yes", "cfg.yaml")
	if r.code != 0 || !strings.Contains(r.stdout, "unchanged  "+cfg.ARN) || !slices.Contains(consumerSees(), cfg.ARN) {
		t.Fatalf("the retry:\n%s", r)
	}
	assertNoSecrets(t, all.String())
}

// TestEndToEndKilled: an apply killed with SIGKILL in the middle of its run has already written
// the result of each target it finished, as a JSON line and as a text line.
func TestEndToEndKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	for _, format := range []string{"jsonl", "text"} {
		t.Run(format, func(t *testing.T) {
			fake, err := awsfake.Start()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = fake.Close() })
			a, _ := fake.AddParameter(awsfake.Parameter{Name: "/app/a", Tier: awsfake.TierAdvanced})
			b, _ := fake.AddParameter(awsfake.Parameter{Name: "/app/b", Tier: awsfake.TierAdvanced})
			dir := t.TempDir()
			manifest := fmt.Sprintf("resources:\n  - arn: %s\n    parameter: {tier: Advanced, type: String}\n    policy: a.json\n  - arn: %s\n    parameter: {tier: Advanced, type: String}\n    policy: b.json\n", a.ARN, b.ARN)
			for name, content := range map[string]string{"a.json": sharePolicy(a.ARN), "b.json": sharePolicy(b.ARN), "ssmpolicy.yaml": manifest} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// The second write hangs until the process is killed (and the test ends).
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			fake.BeforeWrite(2, func() { <-release })
			cmd := exec.Command(bin, "apply", "--yes", "-o", format, "ssmpolicy.yaml")
			cmd.Dir, cmd.Env = dir, childEnv(t, fake)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var seen []string
			sc := bufio.NewScanner(stdout)
			want := map[string]string{"jsonl": `"type":"result"`, "text": "created    " + a.ARN}[format]
			for sc.Scan() {
				seen = append(seen, sc.Text())
				if strings.Contains(sc.Text(), want) {
					break
				}
			}
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			last := ""
			if len(seen) > 0 {
				last = seen[len(seen)-1]
			}
			if !strings.Contains(last, want) || !strings.Contains(last, a.ARN) || len(fake.Policies(a.ARN)) != 1 || len(fake.Policies(b.ARN)) != 0 {
				t.Fatalf("before the kill the run printed:\n%s", strings.Join(seen, "\n"))
			}
		})
	}
}
