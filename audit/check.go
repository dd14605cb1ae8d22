package audit

import (
	"context"
	"fmt"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/pipeline"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// check makes a target of each of the resource's policies, with AWS's facts and audit's own
// problems, and passes each through the engine and the per-target stages of the pipeline.
func (s *scopeRun) check(ctx context.Context, r resource, row *Row, policies []awsapi.Policy) ([]finding.Finding, []finding.Suppressed) {
	var found []finding.Finding
	var suppressed []finding.Suppressed
	for i, p := range policies {
		name := r.arn
		if len(policies) > 1 {
			name += "#" + p.ID
		}
		t := input.NewDeployed(name, r.arn, []byte(p.Document))
		if r.param != nil {
			t.Tier = input.Fact{Value: row.Tier, Known: row.Tier != ""}
			t.Type = input.Fact{Value: row.Type, Known: row.Type != ""}
			if row.Type == "SecureString" {
				t.KeyID = input.Fact{Value: row.KeyID, Known: true}
				t.KeyManager = input.Fact{Value: row.KeyManager, Known: row.KeyManager != ""}
			}
		}
		if i == 0 && row.Share == ShareCreatedFromPolicy {
			t.Problems = append(t.Problems, notPromoted(t, row))
		}
		if ix := s.a.o.Against; ix != nil {
			s.against(ix, t, row, p.Document)
		}
		kept, err := s.a.o.Engine.Check(ctx, t)
		if err != nil {
			s.failed(ctx, r.arn, "check: "+err.Error())
		}
		b := &pipeline.Batch{Target: t, Findings: kept}
		s.a.pipe.ProcessTarget(b)
		found = append(found, b.Findings...)
		suppressed = append(suppressed, b.Suppressed...)
	}
	return found, suppressed
}

// notPromoted is the share-not-promoted problem, at the start of the policy.
func notPromoted(t *input.Target, row *Row) input.Problem {
	var arns []string
	for _, sh := range row.Shares {
		if sh.FeatureSet == awsapi.FeatureSetCreatedFromPolicy {
			arns = append(arns, sh.ARN)
		}
	}
	what := "share " + arns[0] + " is"
	if len(arns) > 1 {
		what = "shares " + strings.Join(arns, ", ") + " are"
	}
	return input.Problem{
		Rule: rules.ShareNotPromoted,
		Message: fmt.Sprintf("the parameter's RAM %s of featureSet CREATED_FROM_POLICY: the accounts its policy grants do not find it with DescribeParameters --shared, and RAM cannot manage the share, until it is promoted",
			what),
		Help: "promote it: ssmpolicy apply --promote with a manifest naming the parameter, or RAM PromoteResourceShareCreatedFromPolicy",
		Loc:  t.Origin,
	}
}

// against looks the deployed policy up among the files under --against: a problem when none
// describes its resource (share-outside-repo) or none describes this policy (share-drift). The
// ignore list of the declaration it is compared with applies to it, as to the file's target.
func (s *scopeRun) against(ix *Index, t *input.Target, row *Row, document string) {
	decls := ix.Lookup(t.ARN.Value)
	labels := make([]string, 0, len(decls))
	for _, d := range decls {
		labels = append(labels, d.Label)
	}
	row.DescribedBy = set(append(row.DescribedBy, labels...))
	if row.DescribedBy == nil {
		row.DescribedBy = []string{}
	}
	if len(decls) == 0 {
		t.Problems = append(t.Problems, input.Problem{
			Rule: rules.ShareOutsideRepo,
			Message: fmt.Sprintf("no manifest, template or plan under %s describes a policy for this resource: it was made outside the repository, or the file that made it is gone",
				ix.Root),
			Help: "describe it in a manifest (then apply keeps it as written), or remove it with aws ssm delete-resource-policy",
			Loc:  t.Origin,
		})
		return
	}
	d, drift := compare(decls, []byte(document))
	t.Ignore = append(t.Ignore, d.Ignore...)
	if drift != "" {
		t.Problems = append(t.Problems, input.Problem{Rule: rules.ShareDrift, Message: drift, Loc: t.Origin})
	}
}
