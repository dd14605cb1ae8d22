package rules

import (
	"fmt"
	"strings"
)

// Page is the rule's documentation page, as explain prints it: its README, or for a rule
// without one (a custom rule), a page made from its metadata.
func (r *Rule) Page() string {
	if strings.TrimSpace(r.Doc) != "" {
		doc := r.Doc
		if !strings.HasSuffix(doc, "\n") {
			doc += "\n"
		}
		return doc
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n**Level:** %s\n\n## %s\n\n%s\n", r.ID, r.LevelText(), r.Title, r.Description)
	if r.DocsURL != "" {
		fmt.Fprintf(&b, "\nMore: %s\n", r.DocsURL)
	}
	return b.String()
}
