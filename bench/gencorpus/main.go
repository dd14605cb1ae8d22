// Command gencorpus writes a deterministic corpus of SSM parameter resource policies for the
// performance benchmark (bench/run.sh): N policy JSON files spread over subdirectories of 1,000
// files each, and one manifest.yaml at the root that gives every policy its parameter context.
//
// The corpus is meant to look like real work, not like a best case: most policies are clean,
// and about 30% carry exactly one fault, drawn from the faults the linter is built to find, so
// that both tools under test walk their reporting paths as well as their happy paths.
//
// Every file is derived from (seed, index) alone, so a corpus of 1,000 files is the first
// thousand files of a corpus of 10,000 with the same seed, and reruns produce identical bytes.
//
//	gencorpus -n 10000 -out /tmp/corpus-10000 [-seed 1]
//	gencorpus -single -out /tmp/corpus-1          # one clean policy, for single-file latency
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// filesPerDir keeps directories at a size real repositories have; a single directory of 100,000
// entries would measure the file system more than the tools.
const filesPerDir = 1000

// Size bounds of a generated policy file, in bytes. The upper bound is the PutResourcePolicy
// limit, so only the deliberate oversize fault crosses it.
const (
	minFileSize = 400
	maxFileSize = 1024
)

// ManifestName is the manifest file written at the corpus root.
const ManifestName = "manifest.yaml"

// fault names one deliberate defect. The empty fault is a clean policy.
type fault string

const (
	clean              fault = ""
	faultPrincipalStar fault = "principal-wildcard"
	faultAccountID     fault = "principal-format"
	faultActionStar    fault = "action-wildcard"
	faultActionBad     fault = "action-unsupported"
	faultResourceOther fault = "resource-mismatch"
	faultResourceStar  fault = "resource-wildcard"
	faultSidDuplicate  fault = "sid-duplicate"
	faultVersion       fault = "version"
	faultOversize      fault = "policy-size"
	faultNotPrincipal  fault = "not-principal"
	faultSidFormat     fault = "sid-format"
	faultTierStandard  fault = "parameter-tier"   // a manifest fault: the policy itself is clean
	faultAWSManagedKey fault = "securestring-key" // a manifest fault: the policy itself is clean
)

// faults lists every fault with the same weight; a faulty file picks one uniformly. This and
// the word lists below are space-separated constants rather than slices so that the package
// holds no mutable state; pick splits them when it draws.
const faults = "principal-wildcard principal-format action-wildcard action-unsupported resource-mismatch " +
	"resource-wildcard sid-duplicate version policy-size not-principal sid-format parameter-tier securestring-key"

// faultyPercent is the share of faulty files; 70% clean is what a repository under lint looks
// like more than an all-clean or all-broken one.
const faultyPercent = 30

// The two RAM managed permission sets (SSM-FACTS.md): a clean policy grants exactly one of them,
// so no rule, not even action-not-promotable, has a reason to fire on it.
const (
	readOnly            = "ssm:DescribeParameters ssm:GetParameter ssm:GetParameters"
	readOnlyWithHistory = "ssm:DescribeParameters ssm:GetParameter ssm:GetParameterHistory ssm:GetParameters"
)

const (
	regions   = "us-east-1 us-west-2 eu-west-1 eu-central-1 ap-southeast-2"
	apps      = "billing checkout catalog identity search ledger notify reports"
	envs      = "prod staging dev shared"
	settings  = "db/password db/host api/key api/endpoint feature-flags smtp/credentials oauth/client-secret cache/url queue/url license"
	sidVerbs  = "Read Share Allow Grant"
	sidNouns  = "Prod Staging Audit Analytics Platform Partners Security Data Ops"
	orgIDs    = "o-a1b2c3d4e5 o-9z8y7x6w5v o-exampleorg1"
	badIDs    = "12345678901 1234567890123 12345678901a arn:aws:iam::1234567:root arn:aws:iam::123456789012:rooot"
	badAction = "ssm:PutParameter ssm:DeleteParameter ssm:GetParametersByPath s3:GetObject kms:Decrypt"
	starAct   = "ssm:* * ssm:Get* ssm:GetParameter*"
	// Sids with characters outside A-Za-z0-9; a space is one of them, hence the | separator.
	badSids = "read-access|Read Access|share_with_prod|Allow.Read|grant:audit"
)

// pick returns one of the space-separated words, drawn with r.
func pick(r *rand.Rand, words string) string {
	f := strings.Fields(words)
	return f[r.IntN(len(f))]
}

// Policy and Statement fix the key order a person writes (Version first, Sid first), which a
// map would not keep. Fields are `any` where a fault needs a shape other than the usual one.
type Policy struct {
	Version   string      `json:"Version,omitempty"`
	Statement []Statement `json:"Statement"`
}

type Statement struct {
	Sid          string                    `json:"Sid,omitempty"`
	Effect       string                    `json:"Effect"`
	Principal    any                       `json:"Principal,omitempty"`
	NotPrincipal any                       `json:"NotPrincipal,omitempty"`
	Action       any                       `json:"Action"`
	Resource     any                       `json:"Resource"`
	Condition    map[string]map[string]any `json:"Condition,omitempty"`
}

// Entry is one manifest resource: a parameter, its facts and the policy file that shares it.
type Entry struct {
	ARN    string
	Tier   string
	Type   string
	KeyID  string // empty for String parameters
	Policy string // slash-separated path relative to the corpus root
	Fault  fault
}

// Generated is one policy file with its manifest entry.
type Generated struct {
	Entry Entry
	JSON  []byte
}

func main() {
	n := flag.Int("n", 1000, "number of policy files")
	out := flag.String("out", "", "output directory (created; must be empty or absent)")
	seed := flag.Uint64("seed", 1, "seed: the same seed and -n give byte-identical corpora")
	single := flag.Bool("single", false, "write exactly one clean policy and its manifest (single-file latency)")
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus [-n N | -single] [-seed S] -out DIR")
		os.Exit(2)
	}
	count := *n
	if *single {
		count = 1
	}
	if count < 1 {
		fmt.Fprintln(os.Stderr, "gencorpus: -n must be at least 1")
		os.Exit(2)
	}
	if err := Write(*out, count, *seed, *single); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

// Write generates n policies into dir, plus the manifest. With forceClean the policies carry
// no fault: a single-file latency run should time the common case, a file that passes.
func Write(dir string, n int, seed uint64, forceClean bool) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		// Refuse rather than mix: stale files from a larger corpus would silently be
		// benchmarked too when a tool walks the directory.
		return fmt.Errorf("%s is not empty", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	var manifest bytes.Buffer
	manifest.WriteString("# Generated by bench/gencorpus (seed " + strconv.FormatUint(seed, 10) + "). Do not edit.\n")
	manifest.WriteString("resources:\n")
	for i := range n {
		g := Generate(seed, i, forceClean)
		path := filepath.Join(dir, filepath.FromSlash(g.Entry.Policy))
		if i%filesPerDir == 0 {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
		}
		if err := os.WriteFile(path, g.JSON, 0o644); err != nil {
			return err
		}
		writeEntry(&manifest, g.Entry)
	}
	return os.WriteFile(filepath.Join(dir, ManifestName), manifest.Bytes(), 0o644)
}

// writeEntry appends one manifest item. Strings are double-quoted (JSON quoting is valid YAML)
// so that no ARN or path can be misread as another YAML type.
func writeEntry(b *bytes.Buffer, e Entry) {
	if e.Fault != clean {
		// Says what a finding on this entry is expected to be, for whoever reads the results.
		fmt.Fprintf(b, "  # fault: %s\n", e.Fault)
	}
	fmt.Fprintf(b, "  - arn: %s\n", strconv.Quote(e.ARN))
	b.WriteString("    parameter:\n")
	fmt.Fprintf(b, "      tier: %s\n", e.Tier)
	fmt.Fprintf(b, "      type: %s\n", e.Type)
	if e.KeyID != "" {
		fmt.Fprintf(b, "      keyId: %s\n", strconv.Quote(e.KeyID))
	}
	fmt.Fprintf(b, "    policy: %s\n", strconv.Quote(e.Policy))
}

// RelPath is where policy i lives, relative to the corpus root.
func RelPath(i int) string {
	return fmt.Sprintf("d%03d/p%06d.json", i/filesPerDir, i)
}

// Generate builds policy i of the corpus with the given seed. It depends on nothing else, which
// is what makes corpora of different sizes share their prefix.
func Generate(seed uint64, i int, forceClean bool) Generated {
	r := rand.New(rand.NewPCG(seed, uint64(i)))

	owner := account(r)
	region := pick(r, regions)
	name := "/" + pick(r, apps) + "/" + pick(r, envs) + "/" + pick(r, settings)
	if r.IntN(4) == 0 {
		// A suffix keeps names from repeating too often across a big corpus.
		name += "-" + strconv.Itoa(r.IntN(100))
	}
	arn := "arn:aws:ssm:" + region + ":" + owner + ":parameter" + name

	f := clean
	if !forceClean && r.IntN(100) < faultyPercent {
		f = fault(pick(r, faults))
	}

	e := Entry{ARN: arn, Tier: "Advanced", Type: "String", Policy: RelPath(i), Fault: f}
	if r.IntN(2) == 0 {
		e.Type = "SecureString"
		e.KeyID = "alias/" + pick(r, apps) + "-key"
	}
	switch f {
	case faultTierStandard:
		e.Tier = "Standard"
	case faultAWSManagedKey:
		e.Type = "SecureString"
		e.KeyID = "alias/aws/ssm"
	}

	// Both layouts are common: people indent what they write by hand, while Terraform's
	// jsonencode and most tooling write one compact line. Three indented statements do not fit
	// in 1 KB, so only compact policies get a third one.
	l, maxStmt := indented, 2
	if r.IntN(10) < 4 {
		l, maxStmt = compact, 3
	}
	b := &builder{r: r, owner: owner, arn: arn, sids: map[string]bool{}, actions: strings.Fields(readOnly)}
	if r.IntN(2) == 0 {
		b.actions = strings.Fields(readOnlyWithHistory)
	}
	p := &Policy{Version: "2012-10-17"}
	for range 1 + r.IntN(maxStmt) {
		p.Statement = append(p.Statement, b.statement(true))
	}
	b.applyFault(p, f)
	return Generated{Entry: e, JSON: b.fit(p, f, l)}
}
