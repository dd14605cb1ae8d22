package apply

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WritePlan prints one line per change (and, with --promote, one for its share's promotion)
// and a summary, e.g.
//
//	update     arn:aws:ssm:us-east-1:111122223333:parameter/app/db  (db.json:1)  + account 444455556666  - action ssm:GetParameterHistory
//	no change  arn:aws:ssm:us-east-1:111122223333:parameter/app/web  (web.json:1)
//	           promote: already promoted (the share is STANDARD)
//	Plan: 0 to create, 1 to update, 1 unchanged.
func WritePlan(w io.Writer, p *Plan) error {
	bw := bufio.NewWriter(w)
	promoting := false
	for _, c := range p.Changes {
		var verb string
		switch c.Action {
		case NoChange:
			verb = "no change"
		default:
			verb = string(c.Action)
		}
		line := head(verb, c.ARN, c.Label)
		switch c.Action {
		case Create, Update:
			if t := grantTerms(c.Added, c.Removed); t != "" {
				line += "  " + t
			} else if c.Action == Update {
				line += "  (grants unchanged)"
			}
			if c.Reason != "" {
				line += "  note: " + clean(c.Reason)
			}
		case NoChange:
		default:
			line += "  " + clean(c.Reason)
		}
		fmt.Fprintln(bw, line)
		if c.Promotion != nil {
			promoting = true
			fmt.Fprintln(bw, promotionLine(c.Promotion, true))
		}
	}
	parts := []string{
		fmt.Sprintf("%d to create", p.Count(Create)),
		fmt.Sprintf("%d to update", p.Count(Update)),
		fmt.Sprintf("%d unchanged", p.Count(NoChange)),
	}
	for _, a := range []Action{Refused, Failed, Skipped} {
		if n := p.Count(a); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, a))
		}
	}
	if promoting {
		parts = append(parts, fmt.Sprintf("%d %s to promote", p.Promotions(), plural(p.Promotions(), "share", "shares")))
	}
	fmt.Fprintf(bw, "Plan: %s.\n", strings.Join(parts, ", "))
	return bw.Flush()
}

// promotionLine is the line under a change or result that says what the promotion of its
// share will do or did.
func promotionLine(p *Promotion, planned bool) string {
	text := ""
	steps := strings.Join(p.Steps, "; then ")
	switch p.State {
	case PromotionPlanned:
		text = steps
	case ShareNotCreated:
		text = "share not created yet: " + p.Reason + "; then " + steps
	case PromotionUnderWay:
		text = p.Reason
	case AlreadyPromoted:
		text = "already promoted (" + p.Reason + ")"
	case NotApplicable:
		text = "nothing to promote: " + p.Reason
	case PromotionBlocked:
		text = "blocked: " + p.Reason
	case PromotionUnknown:
		text = p.Reason
	case Promoted:
		text = "promoted: " + steps
		if steps == "" {
			text = "promoted: RAM finished the promotion under way"
		}
	case PromotionFailed, PromotionSkipped:
		text = string(p.State) + ": " + p.Reason
		if len(p.Steps) > 0 {
			text += " (done before: " + steps + ")"
		}
	}
	if planned && p.Reason != "" && p.State == PromotionPlanned {
		text += " (" + p.Reason + ")"
	}
	return fmt.Sprintf("%-9s  promote: %s", "", clean(text))
}

// WriteResults prints one line per result, with the new PolicyId and
// PolicyHash of each write, and a summary that says how many were applied.
func WriteResults(w io.Writer, results []Result) error {
	bw := bufio.NewWriter(w)
	for _, r := range results {
		if err := WriteResult(bw, r); err != nil {
			return err
		}
	}
	if err := WriteResultsSummary(bw, results); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteResult prints the line (or lines) of one result, as WriteResults does: for printing
// each result as soon as it is known.
func WriteResult(w io.Writer, r Result) error {
	var verb string
	switch r.Action {
	case Create:
		verb = "created"
	case Update:
		verb = "updated"
	case NoChange:
		verb = "unchanged"
	default:
		verb = string(r.Action)
	}
	line := head(verb, r.ARN, r.Label)
	switch r.Action {
	case Create, Update, NoChange:
		line += fmt.Sprintf("  PolicyId %s  PolicyHash %s", clean(r.PolicyID), clean(r.PolicyHash))
		if t := grantTerms(r.Added, r.Removed); t != "" {
			line += "  " + t
		}
		if r.Error != "" {
			line += "  but: " + clean(r.Error)
		}
		if r.Note != "" {
			line += "  note: " + clean(r.Note)
		}
	default:
		line += "  " + clean(r.Error)
	}
	if r.Promotion != nil {
		line += "\n" + promotionLine(r.Promotion, false)
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

// WriteResultsSummary prints the summary line of the results: exact counts of what was done.
func WriteResultsSummary(w io.Writer, results []Result) error {
	counts := map[Action]int{}
	promotions := map[PromotionState]int{}
	promoting := false
	for _, r := range results {
		counts[r.Action]++
		if r.Promotion != nil {
			promoting = true
			promotions[r.Promotion.State]++
		}
	}
	applied := counts[Create] + counts[Update]
	attempted := applied + counts[Failed] + counts[Skipped]
	summary := fmt.Sprintf("Applied %d of %d changes (%d created, %d updated); %d unchanged", applied, attempted,
		counts[Create], counts[Update], counts[NoChange])
	for _, a := range []Action{Failed, Skipped, Refused} {
		if n := counts[a]; n > 0 {
			summary += fmt.Sprintf(", %d %s", n, a)
		}
	}
	if promoting {
		summary += fmt.Sprintf(". Promoted %d %s, %d already promoted", promotions[Promoted], plural(promotions[Promoted], "share", "shares"), promotions[AlreadyPromoted])
		for _, st := range []PromotionState{PromotionFailed, PromotionBlocked, PromotionSkipped} {
			if n := promotions[st]; n > 0 {
				summary += fmt.Sprintf(", %d %s", n, map[PromotionState]string{PromotionFailed: "not promoted (failed)", PromotionBlocked: "not promoted (blocked)", PromotionSkipped: "not tried"}[st])
			}
		}
	}
	_, err := fmt.Fprintln(w, summary+".")
	return err
}

// head is the common start of a line: a padded verb, the ARN, the label. A target with no ARN
// is shown by where it is declared.
func head(verb, arn, label string) string {
	switch {
	case arn == "" && label != "":
		return fmt.Sprintf("%-9s  %s", verb, clean(label))
	case arn == "":
		return fmt.Sprintf("%-9s  %s", verb, "<no ARN>")
	}
	s := fmt.Sprintf("%-9s  %s", verb, clean(arn))
	if label != "" {
		s += "  (" + clean(label) + ")"
	}
	return s
}

// grantTerms renders a grant delta as "+ account 444455556666  - action x".
func grantTerms(added, removed Grants) string {
	var terms []string
	add := func(sign string, values []string, kind func(string) string) {
		for _, v := range values {
			terms = append(terms, sign+" "+kind(v)+" "+clean(v))
		}
	}
	principal := func(v string) string {
		if IsAccountID(v) {
			return "account"
		}
		return "principal"
	}
	fixed := func(k string) func(string) string { return func(string) string { return k } }
	add("+", added.Principals, principal)
	add("-", removed.Principals, principal)
	add("+", added.Actions, fixed("action"))
	add("-", removed.Actions, fixed("action"))
	add("+", added.Resources, fixed("resource"))
	add("-", removed.Resources, fixed("resource"))
	return strings.Join(terms, "  ")
}

// clean quotes text that holds control characters or invalid UTF-8, so that
// input-derived strings (labels, ARNs, service messages) cannot move the
// cursor or recolour a terminal.
func clean(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strconv.Quote(s)
}
