package cli

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssmpolicy/ssmpolicy/rules"
)

func newTest(env *Env) *cobra.Command {
	var (
		cf      catalogueFlags
		timeout time.Duration
		verbose bool
		runExpr string
	)
	cmd := &cobra.Command{
		Use:   "test [DIR ...]",
		Short: "Run the Rego tests (*_test.rego) of custom rules, beside the built-in rules and helpers",
		Long: `Runs the tests of custom rule directories the way opa test does: every rule named test_*
in a *_test.rego file, with the built-in helpers (data.ssmpolicy.lib) available. Only the
tests of the DIRs are run and counted, not those of the built-in helpers. DIRs default to the
configuration's custom_rules and the --rules directories.`,
		Example: `  ssmpolicy test policies/rego
  ssmpolicy test -v --run 'require_sid' policies/rego`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := regexp.Compile(runExpr); err != nil {
				return usageError("--run %q: %v", runExpr, err)
			}
			cf.dirs = append(cf.dirs, args...)
			set, cfg, err := cf.load(env)
			if err != nil {
				return err
			}
			dirs := uniqueDirs(append(append([]string{}, cfg.CustomRules...), cf.dirs...))
			if len(dirs) == 0 {
				return usageError("test: no custom rule directory: name one, or set custom_rules in the configuration")
			}
			mods, err := set.TestModules(dirs)
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			results, err := rules.RunTestsMatching(cmd.Context(), mods, timeout, runExpr)
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			return reportTests(env, userTests(results, set), verbose, dirs, runExpr)
		},
	}
	cf.register(cmd)
	fs := cmd.Flags()
	fs.DurationVar(&timeout, "timeout", 10*time.Second, "time limit for each test")
	fs.BoolVarP(&verbose, "verbose", "v", false, "list every test with its result, not only the failures")
	fs.StringVar(&runExpr, "run", "", "run only the tests whose name (data.package.test_name) matches this regular expression")
	return cmd
}

// userTests keeps the results of the tests the user wrote: those in modules that are not part
// of the rule set (the built-in rules and helpers, and the custom rules themselves), in file
// and line order.
func userTests(results []rules.TestResult, set *rules.Set) []rules.TestResult {
	out := slices.DeleteFunc(slices.Clone(results), func(r rules.TestResult) bool {
		_, inSet := set.Modules[r.File]
		return inSet
	})
	slices.SortFunc(out, func(a, b rules.TestResult) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Name, b.Name))
	})
	return out
}

func reportTests(env *Env, results []rules.TestResult, verbose bool, dirs []string, runExpr string) error {
	passed, failed, skipped := 0, 0, 0
	for _, r := range results {
		verdict := "PASS"
		switch {
		case r.Skipped:
			skipped++
			verdict = "SKIP"
		case r.Passed:
			passed++
		case r.Err != nil:
			failed++
			verdict = "ERROR: " + r.Err.Error()
		default:
			failed++
			verdict = "FAIL"
		}
		if verbose || (!r.Passed && !r.Skipped) {
			fmt.Fprintf(env.Stdout, "%s:%d: %s: %s\n", r.File, r.Line, r.Name, verdict)
		}
	}
	summary := fmt.Sprintf("%d passed, %d failed", passed, failed)
	if skipped > 0 {
		summary += fmt.Sprintf(", %d skipped", skipped)
	}
	fmt.Fprintln(env.Stdout, summary)
	switch {
	case failed > 0:
		return &exitError{code: ExitFindings}
	case len(results) == 0 && runExpr != "":
		return usageError("test: no test in %s matches --run %q", strings.Join(dirs, ", "), runExpr)
	case passed == 0 && skipped == 0:
		return usageError("test: no tests found in %s", strings.Join(dirs, ", "))
	}
	return nil
}
