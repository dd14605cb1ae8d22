package rules

import (
	"fmt"
	"strings"
)

// IndexMarkdown is the rule catalogue as a Markdown page (docs/rules.md), made from the
// rules' metadata so that it cannot drift from them.
func IndexMarkdown(s *Set) string {
	var b strings.Builder
	b.WriteString("# Rules\n\n")
	b.WriteString("<!-- Generated from the rules' METADATA by `go test ./rules -run TestDocsIndex -update`. Do not edit. -->\n\n")
	b.WriteString("Levels, in the order of Access Analyzer's finding types: `error` (AWS will reject it or it cannot work), ")
	b.WriteString("`security-warning` (grants more than intended), `warning` (works, but is fragile or unusual), `suggestion`. ")
	b.WriteString("A rule with two levels (`error / warning`) reports each finding at the one that fits it; a level set in ")
	b.WriteString("the configuration is the level of the rule's findings at the first, and none of its findings is shown ")
	b.WriteString("above it. ")
	b.WriteString("Change a level, or turn a rule off, in [the configuration](configuration.md). ")
	b.WriteString("A rule marked *inference* rests on what AWS does not document (see its page).\n\n")
	b.WriteString("| id | level | applies to | needs | title |\n|---|---|---|---|---|\n")
	for _, r := range s.Rules {
		if r.Custom {
			continue
		}
		title := r.Title
		if r.Inference {
			title += " *(inference)*"
		}
		needs := strings.Join(r.Requires, ", ")
		if needs == "" {
			needs = "—"
		}
		kinds := strings.ReplaceAll(strings.Join(r.Kinds, ", "), "opsitemgroup", "OpsItemGroup")
		fmt.Fprintf(&b, "| [%s](../rules/%s/README.md) | %s | %s | %s | %s |\n", r.ID, r.ID, r.LevelText(), kinds, needs, title)
	}
	return b.String()
}
