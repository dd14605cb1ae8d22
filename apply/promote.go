package apply

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/shareable"
	"github.com/ssmpolicy/ssmpolicy/ssmarn"
)

// A parameter shared through PutResourcePolicy is in a RAM share of featureSet
// CREATED_FROM_POLICY, which consumers do not see with DescribeParameters --shared. Promotion
// makes it STANDARD: PromotePermissionCreatedFromPolicy first when the share's permission is a
// CREATED_FROM_POLICY one (the policy's actions are not an AWS managed permission), then
// PromoteResourceShareCreatedFromPolicy, after which RAM moves the share to STANDARD by itself.

// PromotionState says where one parameter's share promotion is.
type PromotionState string

// Promotion states. A plan holds the first six; a result Promoted, AlreadyPromoted,
// NotApplicable, PromotionBlocked, PromotionFailed or PromotionSkipped.
const (
	// NotApplicable: an OpsItemGroup, which has no RAM share.
	NotApplicable PromotionState = "not-applicable"
	// PromotionPlanned: the share is CREATED_FROM_POLICY; Steps are the writes to make.
	PromotionPlanned PromotionState = "promote"
	// ShareNotCreated: RAM has not made the share yet (it does so after the write); Steps are
	// what the promotion will take once it is there.
	ShareNotCreated PromotionState = "share-not-created"
	// PromotionUnderWay: RAM is promoting the share already; apply waits for STANDARD.
	PromotionUnderWay PromotionState = "promoting"
	// AlreadyPromoted: the share is STANDARD.
	AlreadyPromoted PromotionState = "already-promoted"
	// PromotionBlocked: a finding says the share cannot be promoted; nothing is tried.
	PromotionBlocked PromotionState = "blocked"
	// PromotionUnknown: the share could not be read while planning.
	PromotionUnknown PromotionState = "unknown"
	// Promoted: the share is STANDARD now.
	Promoted PromotionState = "promoted"
	// PromotionFailed: a promotion call failed or RAM did not finish in time.
	PromotionFailed PromotionState = "failed"
	// PromotionSkipped: not tried, because the policy was not written.
	PromotionSkipped PromotionState = "skipped"
)

// Promotion is the promotion of one parameter's share, as planned or as done.
type Promotion struct {
	State PromotionState `json:"state"`
	// Share is the share's ARN, once known.
	Share string `json:"share,omitempty"`
	// Steps are the promotion's writes: to be made in a plan, made in a result.
	Steps []string `json:"steps,omitempty"`
	// Reason says why the promotion is not needed, blocked, failed or waited for.
	Reason string `json:"reason,omitempty"`
}

// writes reports whether the planned promotion makes or waits for writes, so that it needs a
// confirmation.
func (p *Promotion) writes() bool {
	return p != nil && (p.State == PromotionPlanned || p.State == ShareNotCreated || p.State == PromotionUnknown)
}

// Defaults of the promotion's waits.
const (
	DefaultPromoteTimeout = 60 * time.Second
	DefaultPromotePoll    = time.Second
	maxPromotePoll        = 10 * time.Second
)

// promoter plans and makes promotions.
type promoter struct {
	timeout  time.Duration // bound of each wait: for the share to appear, for STANDARD
	interval time.Duration // first wait between reads, doubling up to maxPromotePoll
}

func (p promoter) bound() time.Duration { return cmp.Or(p.timeout, DefaultPromoteTimeout) }

// plan says, from reads only, what promoting the share of ch's parameter will take.
func (p promoter) plan(ctx context.Context, c *awsapi.Clients, ch *Change, blocked string) *Promotion {
	switch {
	case ch.Action != Create && ch.Action != Update && ch.Action != NoChange:
		return nil
	case !isParameter(ch.ARN):
		return &Promotion{State: NotApplicable, Reason: "an OpsItemGroup has no RAM share"}
	case blocked != "":
		return &Promotion{State: PromotionBlocked, Reason: blocked}
	case ch.Action == Create:
		return &Promotion{State: ShareNotCreated, Steps: predictedSteps(ch.doc),
			Reason: fmt.Sprintf("RAM makes the share after the policy is written; apply waits up to %s for it", p.bound())}
	}
	shares, err := awsapi.SharesOf(ctx, c.RAM, ch.ARN)
	if err != nil {
		return &Promotion{State: PromotionUnknown, Reason: "could not read the share: " + awsapi.Explain(err)}
	}
	share, ok := pickShare(shares)
	switch {
	case !ok:
		return &Promotion{State: ShareNotCreated, Steps: predictedSteps(ch.doc),
			Reason: fmt.Sprintf("RAM has not made the share yet; apply waits up to %s for it", p.bound())}
	case share.FeatureSet == awsapi.FeatureSetStandard:
		return &Promotion{State: AlreadyPromoted, Share: share.ARN, Reason: "the share is STANDARD"}
	case share.FeatureSet == awsapi.FeatureSetPromoting:
		return &Promotion{State: PromotionUnderWay, Share: share.ARN, Reason: "RAM is promoting the share; apply waits until it is STANDARD"}
	}
	perms, err := awsapi.SharePermissions(ctx, c.RAM, share.ARN)
	if err != nil {
		return &Promotion{State: PromotionUnknown, Share: share.ARN, Reason: "could not read the share's permission: " + awsapi.Explain(err)}
	}
	out := &Promotion{State: PromotionPlanned, Share: share.ARN}
	for _, perm := range perms {
		if perm.FeatureSet == awsapi.FeatureSetCreatedFromPolicy {
			out.Steps = append(out.Steps, fmt.Sprintf("promote permission %s to the customer managed permission %s", perm.ARN, permissionName(ch.ARN, perm.ARN)))
		}
	}
	out.Steps = append(out.Steps, "promote share "+share.ARN+" to STANDARD")
	if ch.Action == Update {
		out.Reason = "steps as the share is now; the update may change its permission, so they are decided again after the write"
	}
	return out
}

// predictedSteps are the steps for a share RAM has yet to make, from the policy's actions.
func predictedSteps(doc document) []string {
	if name := managedPermission(doc.grants().Actions); name != "" {
		return []string{"promote the share to STANDARD (its actions are the AWS managed permission " + name + ")"}
	}
	return []string{
		"promote the CREATED_FROM_POLICY permission RAM makes (the actions are no AWS managed permission) to a customer managed permission",
		"promote the share to STANDARD",
	}
}

// managedPermission names the AWS managed permission for parameters whose actions are exactly
// actions (compared lower-cased, as IAM does), or "".
func managedPermission(actions []string) string {
	p, _ := shareable.Matching(actions)
	return p.Name
}

// pickShare is the share to promote among those holding the parameter: a CREATED_FROM_POLICY
// one, else one being promoted, else a STANDARD one.
func pickShare(shares []awsapi.Share) (awsapi.Share, bool) {
	for _, fs := range []string{awsapi.FeatureSetCreatedFromPolicy, awsapi.FeatureSetPromoting, awsapi.FeatureSetStandard} {
		for _, s := range shares {
			if s.FeatureSet == fs {
				return s, true
			}
		}
	}
	return awsapi.Share{}, false
}

// promote promotes the share of the parameter arn whose policy is in place: it waits for the
// share, promotes its CREATED_FROM_POLICY permission, then the share, and waits until it is
// STANDARD.
func (p promoter) promote(ctx context.Context, c *awsapi.Clients, arn string) *Promotion {
	share, err := p.waitShare(ctx, c, arn)
	if err != nil {
		return &Promotion{State: PromotionFailed, Reason: err.Error()}
	}
	out := &Promotion{Share: share.ARN}
	switch share.FeatureSet {
	case awsapi.FeatureSetStandard:
		out.State, out.Reason = AlreadyPromoted, "the share is STANDARD"
		return out
	case awsapi.FeatureSetCreatedFromPolicy:
		if err := p.promoteShare(ctx, c, arn, share, out); err != nil {
			out.State, out.Reason = PromotionFailed, err.Error()
			return out
		}
	}
	if err := p.waitStandard(ctx, c, share.ARN); err != nil {
		out.State, out.Reason = PromotionFailed, err.Error()
		return out
	}
	out.State = Promoted
	return out
}

// promoteShare makes the two promotion calls, recording each step in out.
func (p promoter) promoteShare(ctx context.Context, c *awsapi.Clients, arn string, share awsapi.Share, out *Promotion) error {
	perms, err := awsapi.SharePermissions(ctx, c.RAM, share.ARN)
	if err != nil {
		return fmt.Errorf("read the share's permission: %s", awsapi.Explain(err))
	}
	for _, perm := range perms {
		if perm.FeatureSet != awsapi.FeatureSetCreatedFromPolicy {
			continue
		}
		name := permissionName(arn, perm.ARN)
		step, err := promotePermission(ctx, c, perm.ARN, name)
		if err != nil {
			return fmt.Errorf("promote permission %s: %s", perm.ARN, err)
		}
		out.Steps = append(out.Steps, step)
	}
	if err := promoteShareOnce(ctx, c, share.ARN); err != nil {
		return fmt.Errorf("promote share %s: %s", share.ARN, err)
	}
	out.Steps = append(out.Steps, "promoted share "+share.ARN+" to STANDARD")
	return nil
}

// promotePermission makes the customer managed permission. Its client token is derived from
// the permission and the name, so that a retry, this run's or the next one's, does not make a
// second permission; after an answer lost it is sent once more with the same token.
func promotePermission(ctx context.Context, c *awsapi.Clients, permARN, name string) (string, error) {
	token := clientToken(permARN, name)
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), maxWriteWait)
		var made awsapi.SharePermission
		made, err = awsapi.PromotePermission(wctx, c.RAM, permARN, name, token)
		cancel()
		switch {
		case err == nil:
			return fmt.Sprintf("promoted permission %s to the customer managed permission %s (%s)", permARN, name, made.ARN), nil
		case awsapi.ErrorCode(err) == "PermissionAlreadyExistsException":
			// Made by an earlier run whose token RAM no longer remembers: the share's
			// promotion matches it like any managed permission with the same actions.
			return fmt.Sprintf("the customer managed permission %s exists already (an earlier run made it)", name), nil
		case awsapi.IsUnprocessed(err):
			return "", fmt.Errorf("%s", awsapi.Explain(err))
		}
	}
	return "", fmt.Errorf("%s; sent twice with the same client token: run apply --promote again", awsapi.Explain(err))
}

// promoteShareOnce starts the share's promotion. After an answer lost, or
// InvalidStateTransitionException, the share is read again: already being promoted means the
// call (or another writer's) worked; still CREATED_FROM_POLICY after a lost answer, it is sent
// once more.
func promoteShareOnce(ctx context.Context, c *awsapi.Clients, shareARN string) error {
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), maxWriteWait)
		err = awsapi.PromoteShare(wctx, c.RAM, shareARN)
		cancel()
		if err == nil {
			return nil
		}
		code := awsapi.ErrorCode(err)
		if awsapi.IsUnprocessed(err) && code != "InvalidStateTransitionException" {
			return fmt.Errorf("%s", awsapi.Explain(err))
		}
		s, ok, rerr := awsapi.GetShare(ctx, c.RAM, shareARN)
		switch {
		case rerr != nil:
			return fmt.Errorf("%s; reading the share again failed too (%s): run apply --promote again", awsapi.Explain(err), awsapi.Explain(rerr))
		case ok && s.FeatureSet != awsapi.FeatureSetCreatedFromPolicy:
			return nil
		case code == "InvalidStateTransitionException":
			return fmt.Errorf("%s", awsapi.Explain(err))
		}
	}
	return fmt.Errorf("%s; sent twice, and the share is still CREATED_FROM_POLICY: run apply --promote again", awsapi.Explain(err))
}

// waitShare reads the parameter's shares until RAM has made one, within the bound.
func (p promoter) waitShare(ctx context.Context, c *awsapi.Clients, arn string) (awsapi.Share, error) {
	var share awsapi.Share
	found, err := p.poll(ctx, func() (bool, error) {
		shares, err := awsapi.SharesOf(ctx, c.RAM, arn)
		if err != nil {
			return false, fmt.Errorf("read the share: %s", awsapi.Explain(err))
		}
		var ok bool
		share, ok = pickShare(shares)
		return ok, nil
	})
	switch {
	case err != nil:
		return share, err
	case !found:
		return share, fmt.Errorf("RAM made no share for the parameter within %s of its policy being in place (it makes the share asynchronously): "+
			"run apply --promote again in a few minutes, or give a longer --promote-timeout", p.bound())
	}
	return share, nil
}

// waitStandard reads the share until it is STANDARD, within the bound.
func (p promoter) waitStandard(ctx context.Context, c *awsapi.Clients, shareARN string) error {
	last := ""
	done, err := p.poll(ctx, func() (bool, error) {
		s, ok, err := awsapi.GetShare(ctx, c.RAM, shareARN)
		switch {
		case err != nil:
			return false, fmt.Errorf("read the share: %s", awsapi.Explain(err))
		case !ok:
			return false, fmt.Errorf("the share %s is gone (another writer deleted the policy?): run apply --promote again", shareARN)
		}
		last = s.FeatureSet
		return s.FeatureSet == awsapi.FeatureSetStandard, nil
	})
	switch {
	case err != nil:
		return err
	case !done:
		return fmt.Errorf("RAM accepted the promotion, but the share was still %s after %s; RAM finishes it on its own: run apply --promote again later to confirm", last, p.bound())
	}
	return nil
}

// poll calls check until it says done, with a doubling wait, for at most the bound. An
// interrupt ends it with ctx's error.
func (p promoter) poll(ctx context.Context, check func() (bool, error)) (bool, error) {
	deadline := time.Now().Add(p.bound())
	wait := cmp.Or(p.interval, DefaultPromotePoll)
	for {
		done, err := check()
		if done || err != nil {
			return done, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return false, nil
		}
		select {
		case <-time.After(min(wait, left)):
		case <-ctx.Done():
			return false, fmt.Errorf("interrupted while waiting for RAM")
		}
		wait = min(wait*2, maxPromotePoll)
	}
}

// permissionName is the name of the customer managed permission made for a parameter's
// CREATED_FROM_POLICY permission. RAM allows 1 to 36 letters, digits, '_', '.' and '-': the
// name is "ssm-", the parameter name with other characters turned into '-', shortened to
// fit, and 8 hex digits of a hash of the parameter and permission ARNs, so that two parameters
// whose names read the same, or one parameter's permission for another set of actions, get
// names of their own.
func permissionName(paramARN, permARN string) string {
	name, err := ssmarn.ParameterName(paramARN)
	if err != nil {
		name = "parameter"
	}
	var b strings.Builder
	for _, r := range name {
		ok := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '.'
		switch {
		case ok:
			b.WriteRune(r)
		case !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	base := strings.Trim(b.String(), "-.")
	sum := sha256.Sum256([]byte(paramARN + "\n" + permARN))
	const maxLen, suffix = 36, 1 + 8
	base = "ssm-" + base
	if len(base) > maxLen-suffix {
		base = base[:maxLen-suffix]
	}
	return strings.TrimRight(base, "-.") + "-" + hex.EncodeToString(sum[:4])
}

// clientToken is the idempotency token of promoting permARN as name, in the UUID form RAM
// recommends, the same for the same permission and name.
func clientToken(permARN, name string) string {
	sum := sha256.Sum256([]byte("ssmpolicy promote-permission\n" + permARN + "\n" + name))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// isParameter reports whether arn names an SSM parameter.
func isParameter(arn string) bool {
	a, err := ssmarn.Parse(arn)
	return err == nil && a.IsParameter()
}
