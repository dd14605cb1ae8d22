package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/pflag"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/fix"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// fixFlags are check's --fix and --dry-run.
type fixFlags struct {
	fix, dryRun bool
}

func (x *fixFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&x.fix, "fix", false, "apply the fixes that are certain (findings marked [*]) to policy files and manifests, then check again")
	fs.BoolVar(&x.dryRun, "dry-run", false, "with --fix: print the fixes as a unified diff and write nothing")
}

func (x *fixFlags) validate(out *outputFlags, args []string) error {
	switch {
	case x.dryRun && !x.fix:
		return usageError("--dry-run goes with --fix (apply --dry-run is the dry run of apply)")
	case x.fix && slices.Contains(args, "-"):
		return usageError("--fix cannot write back to standard input: name the file")
	case x.dryRun && (out.stdout != "text" || len(out.extra) > 0 || out.outputFile != ""):
		return usageError("--fix --dry-run prints a diff in place of the report: leave out -o and --output-file")
	}
	return nil
}

// visitor is a linter.RunOptions.Visit.
type visitor = func(t *input.Target, kept []finding.Finding)

// checkFixing runs the check with run, marks the findings --fix would fix, and with --fix
// applies those fixes and checks again. It returns the report to publish, or, for a dry run,
// nil and the exit the diff it printed calls for.
func (x *fixFlags) checkFixing(env *Env, set *rules.Set, quiet bool, run func(visitor) *finding.Report) (*finding.Report, error) {
	plan := fix.NewPlan(set)
	rep := run(plan.Visit)
	files := plan.Files()
	note := func(format string, args ...any) {
		if !quiet {
			fmt.Fprintf(env.Stderr, format+"\n", args...)
		}
	}
	if !x.fix {
		markFixable(rep, files)
		return rep, nil
	}
	for _, f := range files {
		for _, d := range f.Dropped {
			note("%s", d)
		}
	}
	if n := plan.Elsewhere(); n > 0 {
		note("%d %s of fixable rules %s in templates, plans or policies written as JSON strings, which --fix does not edit",
			n, plural(n, "finding", "findings"), plural(n, "is", "are"))
	}
	fixed, fixedFiles := 0, 0
	for _, f := range files {
		if len(f.Fixed) > 0 {
			fixed += len(f.Fixed)
			fixedFiles++
		}
	}
	if x.dryRun {
		for _, f := range files {
			fmt.Fprint(env.Stdout, f.Diff())
		}
		note("would fix %d %s in %d %s", fixed, plural(fixed, "finding", "findings"), fixedFiles, plural(fixedFiles, "file", "files"))
		for _, fl := range rep.Failures {
			fmt.Fprintf(env.Stderr, "ssmpolicy: %v\n", fl)
		}
		switch {
		case len(rep.Failures) > 0:
			return nil, &exitError{code: ExitError}
		case fixed > 0:
			return nil, &exitError{code: ExitFindings}
		}
		return nil, nil
	}
	var failures []finding.Failure
	written := 0
	for _, f := range files {
		if len(f.Fixed) == 0 {
			continue
		}
		if err := writeFixed(f.Name, f.Old, f.New); err != nil {
			failures = append(failures, finding.Failure{File: f.Name, Message: "not fixed: " + err.Error()})
			continue
		}
		written++
		note("%s: fixed %d %s", f.Name, len(f.Fixed), plural(len(f.Fixed), "finding", "findings"))
	}
	if written == 0 && len(failures) == 0 {
		note("nothing to fix")
		markFixable(rep, files)
		return rep, nil
	}
	// Check again: the report is about the files as they are now.
	again := fix.NewPlan(set)
	rep = run(again.Visit)
	markFixable(rep, again.Files())
	rep.Failures = append(rep.Failures, failures...)
	return rep, nil
}

// markFixable sets Fixable on the findings the plan's files fix, and counts them.
func markFixable(rep *finding.Report, files []fix.File) {
	keys := map[finding.Key]bool{}
	for _, f := range files {
		for _, fd := range f.Fixed {
			keys[fd.Key()] = true
		}
	}
	if len(keys) == 0 {
		return
	}
	for i := range rep.Findings {
		if keys[rep.Findings[i].Key()] {
			rep.Findings[i].Fixable = true
		}
	}
	rep.Summarize()
}

// writeFixed replaces the file name, read as old, with new: only if it still holds old (a
// file another writer changed since the check read it is left alone), through a temporary
// file renamed over it, with its permissions kept. A symbolic link is followed, so that the
// file it points to is written and the link stays.
func writeFixed(name string, old, new []byte) error {
	path, err := filepath.EvalSymlinks(name)
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	now, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(now, old) {
		return fmt.Errorf("the file changed after it was checked")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".fix-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	if _, err := tmp.Write(new); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
