package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/enrich"
	"github.com/ssmpolicy/ssmpolicy/enrich/live"
)

// liveFlags are --live and the AWS connection flags that check and apply share.
type liveFlags struct {
	live        bool
	profile     string
	region      string
	endpointURL string
	debug       bool
}

func (l *liveFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&l.live, "live", false, "look the parameters' tier, type and KMS key up in AWS instead of trusting the files (DescribeParameters, kms:DescribeKey)")
	fs.StringVar(&l.profile, "profile", "", "AWS profile of the shared config files (default: AWS_PROFILE or the default profile)")
	fs.StringVar(&l.region, "region", "", "AWS region of ARNs that name none (default: AWS_REGION or the profile's region); an ARN's own region is used when it names one")
	fs.StringVar(&l.endpointURL, "endpoint-url", "", "send SSM, KMS and RAM calls to this URL instead of AWS's (beats AWS_ENDPOINT_URL_SSM/_KMS/_RAM)")
	fs.BoolVar(&l.debug, "debug", false, "print each AWS call with its status and duration to stderr (never headers, bodies or credentials)")
}

// clients builds the AWS clients the flags describe, from the standard SDK chain, traced on
// standard error with --debug: one client set per region the targets' ARNs name, made on first
// use. Building them makes no call: credentials are resolved on the first request.
func (l *liveFlags) clients(ctx context.Context, env *Env) (*awsapi.Regions, error) {
	o := awsapi.Options{Profile: l.profile, Region: l.region, EndpointURL: l.endpointURL}
	if l.debug {
		o.Trace = env.Stderr
	}
	p, err := awsapi.LoadProfile(ctx, o)
	if err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("AWS: %w", err)}
	}
	return p.Regions(), nil
}

// stages returns the enrichment stages the flags ask for: the --live lookup over c, or none.
func (l *liveFlags) stages(c awsapi.Source) []enrich.Stage {
	if !l.live {
		return nil
	}
	return []enrich.Stage{live.New(c)}
}

// checkStages builds the clients and the stages of check. Without --live check needs no
// clients; with it they are built here, so that a missing region or a bad --endpoint-url is
// one error (exit 2) rather than one per target.
func (l *liveFlags) checkStages(cmd *cobra.Command, env *Env) ([]enrich.Stage, error) {
	if !l.live {
		return nil, nil
	}
	c, err := l.clients(cmd.Context(), env)
	if err != nil {
		return nil, err
	}
	return l.stages(c), nil
}
