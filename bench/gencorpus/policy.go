package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// This file builds one policy: its statements, its fault, and its size and layout.

// builder holds what one policy's statements share while it is generated.
type builder struct {
	r       *rand.Rand
	owner   string
	arn     string
	actions []string
	sids    map[string]bool // Sids used so far: a clean policy never repeats one
}

// statement returns a clean statement granting the policy's action set to one to three
// accounts, with an occasional condition.
func (b *builder) statement(withCondition bool) Statement {
	s := Statement{
		Sid:       b.uniqueSid(),
		Effect:    "Allow",
		Principal: map[string]any{"AWS": b.principals(1 + b.r.IntN(3))},
		Action:    append([]string(nil), b.actions...),
		Resource:  b.arn,
	}
	if withCondition {
		switch b.r.IntN(5) {
		case 0:
			s.Condition = map[string]map[string]any{"StringEquals": {"aws:PrincipalOrgID": pick(b.r, orgIDs)}}
		case 1:
			s.Condition = map[string]map[string]any{"Bool": {"aws:SecureTransport": "true"}}
		}
	}
	return s
}

// applyFault puts fault f into one statement of p, chosen at random so that rules have to look
// past the first statement.
func (b *builder) applyFault(p *Policy, f fault) {
	r := b.r
	s := &p.Statement[r.IntN(len(p.Statement))]
	switch f {
	case faultPrincipalStar:
		if r.IntN(2) == 0 {
			s.Principal = "*"
		} else {
			s.Principal = map[string]any{"AWS": "*"}
		}
		s.Condition = nil // a condition pinning the principal would make the wildcard legitimate
	case faultAccountID:
		list := s.Principal.(map[string]any)["AWS"].([]string)
		list[r.IntN(len(list))] = pick(r, badIDs)
	case faultActionStar:
		if r.IntN(2) == 0 {
			s.Action = pick(r, starAct)
		} else {
			s.Action = append(s.Action.([]string), pick(r, starAct))
		}
	case faultActionBad:
		s.Action = append(s.Action.([]string), pick(r, badAction))
	case faultResourceOther:
		other := strings.Replace(b.arn, ":parameter/", ":parameter/other-", 1)
		switch r.IntN(3) {
		case 0: // another parameter: only a tool given the manifest's context can tell
			s.Resource = other
		case 1: // the target and another one
			s.Resource = []string{b.arn, other}
		default: // not a parameter at all
			s.Resource = b.arn[:strings.Index(b.arn, ":parameter")] + ":opsitemgroup/default"
		}
	case faultResourceStar:
		if r.IntN(2) == 0 {
			s.Resource = "*"
		} else {
			s.Resource = b.arn[:strings.LastIndex(b.arn, "/")+1] + "*"
		}
	case faultSidDuplicate:
		if len(p.Statement) == 1 {
			p.Statement = append(p.Statement, b.statement(false))
		}
		p.Statement[1].Sid = p.Statement[0].Sid
	case faultVersion:
		if r.IntN(2) == 0 {
			p.Version = ""
		} else {
			p.Version = "2008-10-17"
		}
	case faultNotPrincipal:
		s.NotPrincipal, s.Principal = s.Principal, nil
	case faultSidFormat:
		bad := strings.Split(badSids, "|")
		s.Sid = bad[r.IntN(len(bad))]
	case faultOversize:
		// A real way to outgrow 1 KB: share with a long list of accounts.
		s.Principal = map[string]any{"AWS": b.principals(45 + r.IntN(20))}
	}
}

// layout is how a policy file is formatted.
type layout int

const (
	indented layout = iota // two-space indent, one element a line, as written by hand
	compact                // one line, as sent to the API
)

// fit marshals the policy and nudges it until the file is between minFileSize and maxFileSize
// bytes: more accounts, a condition or a statement when it is too small; fewer accounts, the
// compact layout, fewer conditions when it is too big. The oversize fault is left as it is.
// None of these steps removes a fault: no fault lives in a condition, a new statement is clean,
// and shrink keeps the malformed account id of principal-format.
func (b *builder) fit(p *Policy, f fault, l layout) []byte {
	for {
		out := marshal(p, l)
		if f == faultOversize {
			return out
		}
		switch {
		case len(out) < minFileSize:
			b.grow(p)
		case len(out) > maxFileSize:
			switch {
			case shrink(p):
			case l == indented:
				l = compact
			case dropCondition(p):
			default:
				return out // cannot happen with the vocabulary above; main_test.go checks
			}
		default:
			return out
		}
	}
}

// grow adds one account to the first statement that lists accounts; failing that (wildcard
// principals), a harmless condition; failing that, a clean statement.
func (b *builder) grow(p *Policy) {
	for i := range p.Statement {
		if m, list := accountsOf(&p.Statement[i]); m != nil {
			m["AWS"] = append(list, b.principals(1)...)
			return
		}
	}
	for i := range p.Statement {
		if p.Statement[i].Condition == nil {
			p.Statement[i].Condition = map[string]map[string]any{"Bool": {"aws:SecureTransport": "true"}}
			return
		}
	}
	p.Statement = append(p.Statement, b.statement(false))
}

// accountsOf returns the statement's AWS principal map and list when it has one; the wildcard
// principal faults have none to grow or shrink.
func accountsOf(s *Statement) (map[string]any, []string) {
	for _, v := range []any{s.Principal, s.NotPrincipal} {
		if m, ok := v.(map[string]any); ok {
			if list, ok := m["AWS"].([]string); ok {
				return m, list
			}
		}
	}
	return nil, nil
}

// shrink drops one account from the statement that lists the most, never emptying a list and
// never dropping the malformed id of the principal-format fault.
func shrink(p *Policy) bool {
	best, bestLen := -1, 1
	for i := range p.Statement {
		if _, list := accountsOf(&p.Statement[i]); len(list) > bestLen {
			best, bestLen = i, len(list)
		}
	}
	if best < 0 {
		return false
	}
	m, list := accountsOf(&p.Statement[best])
	last := len(list) - 1
	if isBadID(list[last]) {
		list[0], list[last] = list[last], list[0]
	}
	m["AWS"] = list[:last]
	return true
}

func isBadID(s string) bool {
	return slices.Contains(strings.Fields(badIDs), s)
}

func dropCondition(p *Policy) bool {
	for i := len(p.Statement) - 1; i >= 0; i-- {
		if p.Statement[i].Condition != nil {
			p.Statement[i].Condition = nil
			return true
		}
	}
	return false
}

func marshal(p *Policy, l layout) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if l == indented {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(p); err != nil {
		panic(err) // only strings, slices and maps of them: cannot fail
	}
	return b.Bytes()
}

// principals returns k distinct consumer accounts, never the owner (that would be
// principal-self), half as bare ids and half as root ARNs, the two forms AWS treats alike.
func (b *builder) principals(k int) []string {
	out := make([]string, 0, k)
	seen := map[string]bool{b.owner: true}
	for len(out) < k {
		a := account(b.r)
		if seen[a] {
			continue
		}
		seen[a] = true
		if b.r.IntN(2) == 0 {
			a = "arn:aws:iam::" + a + ":root"
		}
		out = append(out, a)
	}
	return out
}

// account returns a 12-digit account id. The first digit is never 0 only to look like the ids
// people paste; a leading 0 is valid.
func account(r *rand.Rand) string {
	return strconv.FormatUint(100000000000+r.Uint64N(900000000000), 10)
}

func (b *builder) uniqueSid() string {
	for {
		s := pick(b.r, sidVerbs) + pick(b.r, sidNouns)
		if !b.sids[s] {
			b.sids[s] = true
			return s
		}
	}
}
