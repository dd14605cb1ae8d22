package awsfake

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// Problems the bulk seed plants, one per planted parameter, for tests of
// an audit: each is something a check of the deployed policy must report.
const (
	// ProblemWildcardPrincipal: the policy grants Principal "*".
	ProblemWildcardPrincipal = "wildcard-principal"
	// ProblemUnpromotedShare: the policy's share stays CREATED_FROM_POLICY,
	// so the consumer does not find the parameter.
	ProblemUnpromotedShare = "share-not-promoted"
	// ProblemAWSManagedKey: a shared SecureString under alias/aws/ssm.
	ProblemAWSManagedKey = "aws-managed-key"
	// ProblemOutsideAccount: the policy grants SeedSpec.Outsider.
	ProblemOutsideAccount = "account-not-allowed"
)

// SeedKeyAlias is the customer managed key that seeded SecureStrings
// without a planted problem use, one in each seeded store.
const SeedKeyAlias = "alias/seed-app"

// SeedSpec describes a bulk seed. Fractions are between 0 and 1; the same
// spec gives the same parameters, tiers, types, policies and problems.
type SeedSpec struct {
	Accounts     []string // owner accounts; default the home account
	Regions      []string // default the home region
	Parameters   int      // per account and region
	Seed         uint64   // varies the draw
	Advanced     float64  // fraction of parameters in the Advanced tier
	SecureString float64  // fraction of SecureString parameters (the rest are String)
	Policies     float64  // fraction of Advanced parameters that carry a policy
	Problems     float64  // fraction of policies planted with a problem
	Consumer     string   // the account every policy grants (default 444455556666)
	Outsider     string   // the account ProblemOutsideAccount grants (default 999999999999)
	Role         string   // when set, AddRole(account, Role) for each account
}

// DefaultSeedSpec is a realistic mix of n parameters per account and
// region: half Advanced, 30% SecureString, half of the Advanced ones shared,
// a fifth of the shares planted with a problem.
func DefaultSeedSpec(n int) SeedSpec {
	return SeedSpec{Parameters: n, Seed: 1, Advanced: 0.5, SecureString: 0.3, Policies: 0.5, Problems: 0.2}
}

// SeedReport says what Seed made.
type SeedReport struct {
	Parameters int
	Advanced   int
	Policies   int
	Promoted   int       // shares made STANDARD
	Planted    []Planted // parameters with a problem, in seeding order
	Clean      []string  // ARNs of parameters with a policy and no problem
}

// Planted is a parameter seeded with a problem.
type Planted struct {
	Account, Region, ARN, Problem string
}

// Seed fills the stores of every account and region of spec with
// spec.Parameters parameters each. Every policy grants the consumer (the
// outsider for ProblemOutsideAccount, "*" for ProblemWildcardPrincipal) the
// actions of AWSRAMDefaultPermissionSSMParameterReadOnly on the parameter;
// every share is promoted to STANDARD except those planted with
// ProblemUnpromotedShare. Seeded values are empty: no operation returns
// them anyway.
func (s *Server) Seed(spec SeedSpec) (SeedReport, error) {
	if spec.Parameters < 0 {
		return SeedReport{}, errors.New("awsfake: seed: negative parameter count")
	}
	if len(spec.Accounts) == 0 {
		spec.Accounts = []string{s.account}
	}
	if len(spec.Regions) == 0 {
		spec.Regions = []string{s.region}
	}
	if spec.Consumer == "" {
		spec.Consumer = "444455556666"
	}
	if spec.Outsider == "" {
		spec.Outsider = "999999999999"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var rep SeedReport
	for ai, account := range spec.Accounts {
		if spec.Role != "" {
			s.roles[RoleARN(account, spec.Role)] = true
		}
		for ri, region := range spec.Regions {
			rng := rand.New(rand.NewPCG(spec.Seed, uint64(ai*len(spec.Regions)+ri)))
			if err := s.seedStoreLocked(s.storeLocked(account, region), spec, rng, &rep); err != nil {
				return rep, err
			}
		}
	}
	return rep, nil
}

func (s *Server) seedStoreLocked(st *store, spec SeedSpec, rng *rand.Rand, rep *SeedReport) error {
	if _, ok := st.aliases[SeedKeyAlias]; !ok {
		k := s.addKeyLocked(st, Key{Manager: KeyManagerCustomer, Description: "seeded customer managed key", Aliases: []string{SeedKeyAlias}})
		st.aliases[SeedKeyAlias] = k.KeyID
	}
	problems := []string{ProblemWildcardPrincipal, ProblemUnpromotedShare, ProblemAWSManagedKey, ProblemOutsideAccount}
	for i := range spec.Parameters {
		p := Parameter{Name: fmt.Sprintf("/seed/app%02d/param%05d", i%20, i), Tier: TierStandard, Type: TypeString}
		if rng.Float64() < spec.Advanced {
			p.Tier = TierAdvanced
		}
		if rng.Float64() < spec.SecureString {
			p.Type, p.KeyID = TypeSecureString, SeedKeyAlias
		}
		shared := p.Tier == TierAdvanced && rng.Float64() < spec.Policies
		problem := ""
		if shared && rng.Float64() < spec.Problems {
			problem = problems[rng.IntN(len(problems))]
		}
		if problem == ProblemAWSManagedKey {
			p.Type, p.KeyID = TypeSecureString, AWSManagedSSMAlias
		}
		p, err := st.normalise(p)
		if err == nil {
			err = s.addParameterLocked(st, p)
		}
		if err != nil {
			return fmt.Errorf("awsfake: seed: %w", err)
		}
		rep.Parameters++
		if p.Tier == TierAdvanced {
			rep.Advanced++
		}
		if !shared {
			continue
		}
		if err := s.seedPolicyLocked(st, spec, p.ARN, problem, rep); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) seedPolicyLocked(st *store, spec SeedSpec, arn, problem string, rep *SeedReport) error {
	principal := fmt.Sprintf(`{"AWS":"arn:aws:iam::%s:root"}`, spec.Consumer)
	switch problem {
	case ProblemWildcardPrincipal:
		principal = `"*"`
	case ProblemOutsideAccount:
		principal = fmt.Sprintf(`{"AWS":"%s"}`, spec.Outsider)
	}
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"Share","Effect":"Allow","Principal":` + principal +
		`,"Action":["ssm:DescribeParameters","ssm:GetParameter","ssm:GetParameters"],"Resource":"` + arn + `"}]}`
	p := s.createPolicyLocked(st, arn, doc)
	s.sharePolicyLocked(st, arn, p, 0)
	rep.Policies++
	if problem == "" {
		rep.Clean = append(rep.Clean, arn)
	} else {
		rep.Planted = append(rep.Planted, Planted{Account: st.account, Region: st.region, ARN: arn, Problem: problem})
	}
	if problem == ProblemUnpromotedShare {
		return nil
	}
	for _, sh := range st.sharesOf[arn] {
		if err := s.promoteShareLocked(st, sh.arn); err != nil {
			return fmt.Errorf("awsfake: seed: %w", err)
		}
		rep.Promoted++
	}
	return nil
}
