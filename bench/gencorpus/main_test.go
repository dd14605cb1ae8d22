package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// testN crosses a directory boundary (1,000 files a directory) and is big enough for every
// fault to appear, yet generates in well under a second.
const testN = 2500

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Write(a, testN, 7, false); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, testN, 7, false); err != nil {
		t.Fatal(err)
	}
	fa, fb := readTree(t, a), readTree(t, b)
	if len(fa) != testN+1 {
		t.Fatalf("got %d files, want %d policies and a manifest", len(fa), testN)
	}
	if len(fa) != len(fb) {
		t.Fatalf("same seed, %d files then %d", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("same seed, %s differs between runs", name)
		}
	}

	// A smaller corpus is a prefix of a bigger one, so figures at different sizes compare the
	// same kind of files.
	for i := range 1000 {
		if g := Generate(7, i, false); !bytes.Equal(g.JSON, fa[RelPath(i)]) {
			t.Fatalf("policy %d depends on the corpus size", i)
		}
	}

	// And the seed matters.
	same := 0
	for i := range 100 {
		if bytes.Equal(Generate(7, i, false).JSON, Generate(8, i, false).JSON) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of 100 policies identical under seeds 7 and 8", same)
	}
}

func TestSizesAndFaults(t *testing.T) {
	counts := map[fault]int{}
	for i := range testN {
		g := Generate(1, i, false)
		counts[g.Entry.Fault]++
		if !json.Valid(g.JSON) {
			t.Fatalf("policy %d is not valid JSON", i)
		}
		var c bytes.Buffer
		if err := json.Compact(&c, g.JSON); err != nil {
			t.Fatal(err)
		}
		if g.Entry.Fault == faultOversize {
			if c.Len() <= maxFileSize {
				t.Errorf("policy %d should be oversize, is %d bytes compacted", i, c.Len())
			}
			continue
		}
		if n := len(g.JSON); n < minFileSize || n > maxFileSize {
			t.Errorf("policy %d (%s) is %d bytes, want %d to %d", i, g.Entry.Fault, n, minFileSize, maxFileSize)
		}
	}
	cleanShare := float64(counts[clean]) / testN
	if cleanShare < 0.65 || cleanShare > 0.75 {
		t.Errorf("clean share %.2f, want about 0.70", cleanShare)
	}
	for _, f := range strings.Fields(faults) {
		if counts[fault(f)] == 0 {
			t.Errorf("fault %s never generated", f)
		}
	}
}

// TestFaultsLookRight spot-checks that each fault is visible in the file, so a refactoring of
// the generator cannot quietly turn the faulty share clean.
func TestFaultsLookRight(t *testing.T) {
	for i := range testN {
		g := Generate(1, i, false)
		text := string(g.JSON)
		var p struct {
			Version   *string
			Statement []map[string]any
		}
		if err := json.Unmarshal(g.JSON, &p); err != nil {
			t.Fatal(err)
		}
		ok := true
		switch g.Entry.Fault {
		case clean:
			ok = p.Version != nil && *p.Version == "2012-10-17" && !strings.Contains(text, "*") &&
				!strings.Contains(text, "NotPrincipal") && g.Entry.Tier == "Advanced" && g.Entry.KeyID != "alias/aws/ssm"
		case faultPrincipalStar:
			ok = strings.Contains(text, `"Principal":"*"`) || strings.Contains(text, `"Principal": "*"`) ||
				strings.Contains(text, `"AWS":"*"`) || strings.Contains(text, `"AWS": "*"`)
		case faultAccountID:
			ok = slices.ContainsFunc(strings.Fields(badIDs), func(s string) bool { return strings.Contains(text, strconv.Quote(s)) })
		case faultActionStar:
			ok = strings.Contains(text, `*"`)
		case faultActionBad:
			ok = slices.ContainsFunc(strings.Fields(badAction), func(s string) bool { return strings.Contains(text, strconv.Quote(s)) })
		case faultResourceOther:
			ok = strings.Contains(text, "parameter/other-") || strings.Contains(text, "opsitemgroup/default")
		case faultResourceStar:
			ok = strings.Contains(text, `*"`) && !strings.Contains(text, `ssm:*"`) && !strings.Contains(text, `Get*"`)
		case faultSidFormat:
			ok = slices.ContainsFunc(strings.Split(badSids, "|"), func(s string) bool { return strings.Contains(text, strconv.Quote(s)) })
		case faultVersion:
			ok = p.Version == nil || *p.Version != "2012-10-17"
		case faultNotPrincipal:
			ok = strings.Contains(text, "NotPrincipal")
		case faultSidDuplicate:
			sids := map[any]int{}
			for _, s := range p.Statement {
				sids[s["Sid"]]++
			}
			ok = len(sids) < len(p.Statement)
		case faultTierStandard:
			ok = g.Entry.Tier == "Standard"
		case faultAWSManagedKey:
			ok = g.Entry.KeyID == "alias/aws/ssm" && g.Entry.Type == "SecureString"
		}
		if !ok {
			t.Errorf("policy %d: fault %q not visible:\n%s", i, g.Entry.Fault, text)
		}
	}
}

func TestManifestListsEveryFile(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, testN, 3, false); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, dir)
	listed := manifestPolicies(t, filepath.Join(dir, ManifestName))
	if len(listed) != testN {
		t.Errorf("manifest lists %d policies, want %d", len(listed), testN)
	}
	seen := map[string]bool{}
	for _, p := range listed {
		if seen[p] {
			t.Errorf("manifest lists %s twice", p)
		}
		seen[p] = true
		if _, ok := files[p]; !ok {
			t.Errorf("manifest lists %s, which was not written", p)
		}
	}
	for name := range files {
		if name != ManifestName && !seen[name] {
			t.Errorf("%s is not in the manifest", name)
		}
	}
}

func TestSingle(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, 1, 1, true); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, dir)
	if len(files) != 2 {
		t.Fatalf("got %d files, want one policy and the manifest", len(files))
	}
	if got := manifestPolicies(t, filepath.Join(dir, ManifestName)); len(got) != 1 {
		t.Fatalf("manifest lists %v", got)
	}
	for i := range 200 {
		if f := Generate(uint64(i), 0, true).Entry.Fault; f != clean {
			t.Fatalf("seed %d: forced-clean policy has fault %s", i, f)
		}
	}
}

func TestRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "stale.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, 1, 1, false); err == nil {
		t.Fatal("wrote into a non-empty directory")
	}
}

// readTree returns every file under dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// manifestPolicies reads the policy paths out of the manifest. The generator writes a fixed
// shape, so a line scan is enough and keeps the test free of a YAML dependency; it also checks
// that every resource has exactly one policy line.
func manifestPolicies(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	resources := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "  - arn: "):
			resources++
			if _, err := strconv.Unquote(strings.TrimPrefix(line, "  - arn: ")); err != nil {
				t.Errorf("bad arn line %q", line)
			}
		case strings.HasPrefix(line, "    policy: "):
			p, err := strconv.Unquote(strings.TrimPrefix(line, "    policy: "))
			if err != nil {
				t.Fatalf("bad policy line %q", line)
			}
			out = append(out, p)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if resources != len(out) {
		t.Errorf("%d resources but %d policy lines", resources, len(out))
	}
	return out
}

// TestFaultNames keeps the drawn names and the constants applyFault switches on in step: a
// misspelt name would otherwise yield files counted as faulty that are clean.
func TestFaultNames(t *testing.T) {
	known := []fault{faultPrincipalStar, faultAccountID, faultActionStar, faultActionBad, faultResourceOther,
		faultResourceStar, faultSidDuplicate, faultVersion, faultOversize, faultNotPrincipal, faultSidFormat,
		faultTierStandard, faultAWSManagedKey}
	names := strings.Fields(faults)
	if len(names) != len(known) {
		t.Fatalf("faults lists %d names, %d constants exist", len(names), len(known))
	}
	for _, n := range names {
		if !slices.Contains(known, fault(n)) {
			t.Errorf("fault %q has no constant", n)
		}
	}
}
