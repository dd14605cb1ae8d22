package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ssmpolicy/ssmpolicy/rules"
)

// ruleEntry is a rule as `rules -o json` lists it.
type ruleEntry struct {
	ID          string   `json:"id"`
	Level       string   `json:"level"`
	Kinds       []string `json:"kinds"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Requires    []string `json:"requires,omitempty"`
	Inference   bool     `json:"inference"`
	Custom      bool     `json:"custom"`
	Docs        string   `json:"docs,omitempty"`
}

func newRules(env *Env) *cobra.Command {
	var output string
	var dirs []string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalogue: id, level, resource kinds, title",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, err := rules.Builtin()
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			switch output {
			case "json":
				entries := make([]ruleEntry, 0, len(set.Rules))
				for _, r := range set.Rules {
					entries = append(entries, ruleEntry{ID: r.ID, Level: r.Level.String(), Kinds: r.Kinds, Title: r.Title,
						Description: r.Description, Requires: r.Requires, Inference: r.Inference, Custom: r.Custom, Docs: r.DocsURL})
				}
				enc := json.NewEncoder(env.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(entries)
			case "text":
				tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tLEVEL\tKINDS\tTITLE")
				for _, r := range set.Rules {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Level, strings.Join(r.Kinds, ","), r.Title)
				}
				return tw.Flush()
			}
			return usageError("rules: unknown output format %q (want text or json)", output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	cmd.Flags().StringArrayVar(&dirs, "rules", nil, "directory of extra Rego rules (repeatable)")
	return cmd
}

func newExplain(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Print one rule's documentation page",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := rules.Builtin()
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			r, ok := set.Get(args[0])
			if !ok {
				return usageError("explain %s: %s", args[0], unknownRule(set, args[0]))
			}
			fmt.Fprint(env.Stdout, Page(r))
			return nil
		},
	}
}

// Page is a rule's documentation page: its README, or for a rule without one, a page made
// from its metadata.
func Page(r *rules.Rule) string {
	if strings.TrimSpace(r.Doc) != "" {
		doc := r.Doc
		if !strings.HasSuffix(doc, "\n") {
			doc += "\n"
		}
		return doc
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n**Level:** %s\n\n## %s\n\n%s\n", r.ID, r.Level, r.Title, r.Description)
	if r.DocsURL != "" {
		fmt.Fprintf(&b, "\nMore: %s\n", r.DocsURL)
	}
	return b.String()
}
