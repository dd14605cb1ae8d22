package linter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/ssmarn"
)

// This file says which checks a target's missing facts kept from running, and how to give them.

// contextMissing names the checks that could not run for lack of a fact, or "", and says how
// to give the facts.
func (e *Engine) contextMissing(t *input.Target) (string, string) {
	kind := ""
	if t.ARN.Known {
		kind = ssmarn.ResourceType(t.ARN.Value)
	}
	parameterOrUnknown := kind == ssmarn.Parameter || !t.ARN.Known
	missing := map[string]bool{}
	var skipped []string
	for _, r := range e.set.Rules {
		if e.levels.Level(r.ID) == finding.Ignore || len(r.Requires) == 0 {
			continue
		}
		if kind != "" && len(r.Kinds) > 0 && !slices.Contains(r.Kinds, kind) {
			continue
		}
		var lacks []string
		for _, need := range r.Requires {
			switch {
			case need == "arn" && !t.ARN.Known:
				lacks = append(lacks, "resource ARN")
			case need == "tier" && parameterOrUnknown && !t.Tier.Known && len(t.TierBranches) == 0:
				lacks = append(lacks, "tier")
			case need == "type" && parameterOrUnknown && !t.Type.Known:
				lacks = append(lacks, "type")
			case need == "key" && parameterOrUnknown && t.Type.Known && t.Type.Value == "SecureString" && !t.KeyID.Known:
				lacks = append(lacks, "KMS key")
			}
		}
		if len(lacks) > 0 {
			skipped = append(skipped, r.ID)
			for _, l := range lacks {
				missing[l] = true
			}
		}
	}
	if len(skipped) == 0 {
		return "", ""
	}
	var facts []string
	for _, l := range []string{"resource ARN", "tier", "type", "KMS key"} {
		if missing[l] {
			facts = append(facts, l)
		}
	}
	return fmt.Sprintf("no input gave the %s, so %s did not run", joinWords(facts), joinWords(skipped)), factsHelp(facts)
}

// factsHelp says how to give the facts that are missing: a manifest entry or flags, and --live
// for those AWS can tell once the ARN is known.
func factsHelp(facts []string) string {
	var flags, live []string
	for _, f := range facts {
		flags = append(flags, factFlag(f))
		if f != "resource ARN" {
			live = append(live, f)
		}
	}
	them := "them"
	if len(facts) == 1 {
		them = "it"
	}
	help := fmt.Sprintf("give %s in a manifest entry for this policy or with %s", them, joinWords(flags))
	switch {
	case len(live) == len(facts):
		help += fmt.Sprintf(", or read %s from AWS with --live", them)
	case len(live) > 0:
		help += fmt.Sprintf("; with the ARN, --live reads the %s from AWS", joinWords(live))
	}
	return help
}

// factFlag is the flag that gives a fact.
func factFlag(fact string) string {
	switch fact {
	case "resource ARN":
		return "--resource-arn"
	case "KMS key":
		return "--key-id"
	}
	return "--" + fact
}

func joinWords(w []string) string {
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}
