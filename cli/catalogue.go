package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// ruleEntry is a rule as `rules -o json` lists it.
type ruleEntry struct {
	ID    string `json:"id"`
	Level string `json:"level"`
	// Levels lists the levels the rule's findings take, most severe first; level is the first.
	Levels      []string `json:"levels"`
	Kinds       []string `json:"kinds"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Requires    []string `json:"requires,omitempty"`
	Inference   bool     `json:"inference"`
	Fixable     bool     `json:"fixable"`
	Custom      bool     `json:"custom"`
	Docs        string   `json:"docs,omitempty"`
}

func levelNames(ls []finding.Level) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.String()
	}
	return out
}

// catalogueFlags let rules, explain and test see the custom rules a check would run.
type catalogueFlags struct {
	config string
	dirs   []string
}

func (c *catalogueFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.config, "config", "", "configuration file (default: .ssmpolicy.yaml in the working directory or a parent)")
	cmd.Flags().StringArrayVar(&c.dirs, "rules", nil, "directory of extra Rego rules (repeatable)")
}

func (c *catalogueFlags) load(env *Env) (*rules.Set, *config.Config, error) {
	cfg, err := loadConfig(env, c.config)
	if err != nil {
		return nil, nil, err
	}
	set, err := loadRules(env, cfg, c.dirs)
	return set, cfg, err
}

func newRules(env *Env) *cobra.Command {
	var output string
	var cf catalogueFlags
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalogue: id, level, resource kinds, title",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, _, err := cf.load(env)
			if err != nil {
				return err
			}
			switch output {
			case "json":
				entries := make([]ruleEntry, 0, len(set.Rules))
				for _, r := range set.Rules {
					entries = append(entries, ruleEntry{ID: r.ID, Level: r.Level.String(), Levels: levelNames(r.Levels), Kinds: r.Kinds, Title: r.Title,
						Description: r.Description, Requires: r.Requires, Inference: r.Inference, Fixable: r.Fixable, Custom: r.Custom, Docs: r.DocsURL})
				}
				enc := json.NewEncoder(env.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(entries)
			case "text":
				tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tLEVEL\tKINDS\tTITLE")
				for _, r := range set.Rules {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.LevelText(), strings.Join(r.Kinds, ","), r.Title)
				}
				return tw.Flush()
			}
			return usageError("rules: unknown output format %q (want text or json)", output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	cf.register(cmd)
	return cmd
}

func newExplain(env *Env) *cobra.Command {
	var cf catalogueFlags
	cmd := &cobra.Command{
		Use:   "explain RULE",
		Short: "Print one rule's documentation page",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set, _, err := cf.load(env)
			if err != nil {
				return err
			}
			r, ok := set.Get(args[0])
			if !ok {
				return usageError("explain %s: %s", args[0], unknownRule(set, args[0]))
			}
			fmt.Fprint(env.Stdout, r.Page())
			return nil
		},
	}
	cf.register(cmd)
	return cmd
}
