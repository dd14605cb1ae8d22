package audit

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/linter"
	"github.com/ssmpolicy/ssmpolicy/safefile"
)

// Index holds what the files under --against declare: for each resource ARN, the policies
// its manifest entries, template resources and plan resources give it. It keeps each policy
// compacted, not the files.
type Index struct {
	// Root names the paths read, for messages.
	Root string
	// Files is the number of files read.
	Files int
	exact map[string][]*Declaration
	// patterns are declarations whose ARN has parts known only at deploy time.
	patterns []*Declaration
}

// Declaration is one policy a file declares for a resource.
type Declaration struct {
	// Label is where it is declared: file:line.
	Label string
	// Policy is the policy compacted; nil when it could not be read (Unreadable says why).
	Policy     []byte
	Unreadable string
	// Unknown is set when the policy has parts known only at deploy time: it cannot be
	// compared, so it describes the resource but never drifts.
	Unknown bool
	// Ignore is the declaration's ignore list, which applies to the deployed policy too.
	Ignore []input.IgnoreEntry

	arn *regexp.Regexp // for a declaration in patterns
}

// LoadIndex reads the manifests, templates and plans under paths (files or directories,
// walked as check walks them) with reader. Files that cannot be read are failures; files
// that are none of the formats are skipped, and raw policy files, which name no resource,
// describe nothing by themselves.
func LoadIndex(reader *input.Reader, paths []string) (*Index, []finding.Failure) {
	ix := &Index{Root: strings.Join(paths, ", "), exact: map[string][]*Declaration{}}
	var fails []finding.Failure
	for _, file := range walk(paths, func(f finding.Failure) { fails = append(fails, f) }) {
		src, err := readFile(file)
		if err != nil {
			fails = append(fails, finding.Failure{File: file, Message: "--against: " + err.Error()})
			continue
		}
		res, err := reader.Read(jsonpos.NewFile(file, src))
		if err != nil {
			fails = append(fails, finding.Failure{File: file, Message: "--against: " + err.Error()})
			continue
		}
		ix.Files++
		for _, t := range res.Targets {
			if t.ARN.Known && t.Kind != input.Policy {
				ix.add(t)
			}
		}
	}
	return ix, fails
}

func (ix *Index) add(t *input.Target) {
	d := &Declaration{Label: t.Label(), Ignore: t.Ignore}
	if err := input.LoadPolicy(t, readFile); err != nil {
		d.Unreadable = fmt.Sprintf("its policy file %s cannot be read: %v", t.PolicyRef, err)
	} else if t.Policy == nil {
		d.Unreadable = "its policy does not parse (ssmpolicy check says where)"
	} else if compact, err := t.CompactPolicy(); err != nil || compact == nil {
		d.Unreadable = "its policy cannot be compacted"
	} else {
		d.Policy, d.Unknown = compact, strings.Contains(string(compact), input.Unknown)
	}
	arn := t.ARN.Value
	if !strings.Contains(arn, input.Unknown) {
		ix.exact[arn] = append(ix.exact[arn], d)
		return
	}
	d.arn = arnPattern(arn)
	ix.patterns = append(ix.patterns, d)
}

// arnPattern matches the ARNs a declared ARN with deploy-time parts can stand for: within
// the partition, region and account fields such a part is any run of characters but a colon,
// in the resource part any run at all.
func arnPattern(arn string) *regexp.Regexp {
	fields := strings.SplitN(arn, ":", 6)
	for i, f := range fields {
		parts := strings.Split(f, input.Unknown)
		for j := range parts {
			parts[j] = regexp.QuoteMeta(parts[j])
		}
		wild := "[^:]*"
		if i == 5 {
			wild = ".*"
		}
		fields[i] = strings.Join(parts, wild)
	}
	return regexp.MustCompile("^" + strings.Join(fields, ":") + "$")
}

// Lookup returns the declarations of the resource arn.
func (ix *Index) Lookup(arn string) []*Declaration {
	out := append([]*Declaration(nil), ix.exact[arn]...)
	for _, d := range ix.patterns {
		if d.arn.MatchString(arn) {
			out = append(out, d)
		}
	}
	return out
}

// compare finds the declaration a deployed policy answers to: one it equals (as apply
// compares), else one that cannot be compared, else the one it grants least beyond. It
// returns that declaration and, unless the policy equals it or it cannot be compared, the
// share-drift message.
func compare(decls []*Declaration, deployed []byte) (*Declaration, string) {
	got, gerr := apply.GrantsOf(deployed)
	var best *Declaration
	var bestBeyond, bestMissing apply.Grants
	bestScore := -1
	for _, d := range decls {
		if d.Unknown {
			return d, ""
		}
		if d.Policy == nil {
			continue
		}
		if same, err := apply.SamePolicy(deployed, d.Policy); err == nil && same {
			return d, ""
		}
		want, err := apply.GrantsOf(d.Policy)
		if err != nil || gerr != nil {
			continue
		}
		beyond := apply.Beyond(got, want)
		if score := len(beyond.Principals) + len(beyond.Actions) + len(beyond.Resources); best == nil || score < bestScore {
			best, bestBeyond, bestMissing, bestScore = d, beyond, apply.Beyond(want, got), score
		}
	}
	if best == nil {
		d := decls[0]
		if d.Unreadable != "" {
			return d, fmt.Sprintf("the deployed policy cannot be compared with the one %s describes: %s", d.Label, d.Unreadable)
		}
		return d, fmt.Sprintf("the deployed policy differs from the one %s describes, and is not a JSON object", d.Label)
	}
	return best, driftMessage(best.Label, bestBeyond, bestMissing)
}

func driftMessage(label string, beyond, missing apply.Grants) string {
	msg := fmt.Sprintf("the deployed policy differs from the one %s describes (compared as parsed JSON, as apply compares)", label)
	if b := grantText(beyond); b != "" {
		msg += ": beyond the file it grants " + b
	} else {
		msg += ": it grants nothing beyond the file"
	}
	if m := grantText(missing); m != "" {
		msg += "; the file grants " + m + " that it does not"
	}
	if beyond.Empty() && missing.Empty() {
		msg += " (the difference is in effects, conditions, statement order or wording)"
	}
	return msg
}

func grantText(g apply.Grants) string {
	var parts []string
	for _, p := range []struct {
		what string
		list []string
	}{{"principals", g.Principals}, {"actions", g.Actions}, {"resources", g.Resources}} {
		if len(p.list) > 0 {
			parts = append(parts, p.what+" "+input.Shown(strings.Join(p.list, ", ")))
		}
	}
	return strings.Join(parts, " and ")
}

// walk lists the files under paths that check would read, walked as check walks them.
func walk(paths []string, fail func(finding.Failure)) []string {
	x := linter.Expand(paths)
	if x.Stdin {
		fail(finding.Failure{File: "-", Message: "--against: standard input is not a repository path"})
	}
	for _, f := range x.Failures {
		f.Message = "--against: " + f.Message
		fail(f)
	}
	return x.Files
}

// readFile reads a file under --against as check reads its inputs: a regular file, within
// the size limit, never blocking on a named pipe.
func readFile(p string) ([]byte, error) {
	b, err := safefile.Read(p, safefile.Limit)
	return b, cleanErr(err)
}

func cleanErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
