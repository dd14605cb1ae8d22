package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ssmpolicy/ssmpolicy/suggest"
)

// positiveInt is an int flag that refuses zero and negative values, so that a mistyped
// --workers is a usage error instead of a silent default. Left unset, the target keeps its
// zero value, which the code reads as "not given".
type positiveInt struct{ p *int }

func (v positiveInt) String() string {
	if v.p == nil || *v.p == 0 {
		return ""
	}
	return strconv.Itoa(*v.p)
}

func (v positiveInt) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not a whole number")
	}
	if n <= 0 {
		return errors.New("must be at least 1")
	}
	*v.p = n
	return nil
}

func (positiveInt) Type() string { return "int" }

// positiveDuration is a duration flag that refuses zero and negative values.
type positiveDuration struct{ p *time.Duration }

func (v positiveDuration) String() string {
	if v.p == nil {
		return ""
	}
	return v.p.String()
}

func (v positiveDuration) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("not a duration (e.g. 500ms, 10s, 1m)")
	}
	if d <= 0 {
		return errors.New("must be more than zero")
	}
	*v.p = d
	return nil
}

func (positiveDuration) Type() string { return "duration" }

// flagError turns pflag's errors into usage errors (exit 2), and says which flag was meant
// when an unknown one is close to a real one, as unknown commands do.
func flagError(cmd *cobra.Command, err error) error {
	var missing *pflag.NotExistError
	if errors.As(err, &missing) && missing.GetSpecifiedName() != "" {
		name, path := missing.GetSpecifiedName(), cmd.CommandPath()
		if short := missing.GetSpecifiedShortnames(); short != "" {
			return usageError("unknown shorthand flag -%s in -%s for %q; see %s --help", name[:1], short, path, path)
		}
		msg := fmt.Sprintf("unknown flag --%s for %q", name, path)
		if best := suggest.Closest(name, flagNames(cmd)); best != "" {
			msg += fmt.Sprintf(" (did you mean --%s?)", best)
		}
		return usageError("%s; see %s --help", msg, path)
	}
	return usageError("%v", err)
}

// flagNames lists the long flags cmd accepts, its own and those it inherits.
func flagNames(cmd *cobra.Command) []string {
	var names []string
	add := func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	}
	cmd.Flags().VisitAll(add)
	cmd.InheritedFlags().VisitAll(add)
	return names
}

// completeWords completes a flag from a fixed list of values.
func completeWords(words ...string) func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, _ []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, w := range words {
			if strings.HasPrefix(w, prefix) {
				out = append(out, w)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// registerCompletions completes the flags of cmd that take one of a fixed set of words;
// flags it does not have are passed over.
func registerCompletions(cmd *cobra.Command, words map[string][]string) {
	for name, list := range words {
		if cmd.Flags().Lookup(name) != nil {
			_ = cmd.RegisterFlagCompletionFunc(name, completeWords(list...))
		}
	}
}
