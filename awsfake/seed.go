package awsfake

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Parameter types and tiers, as in the SSM model.
const (
	TypeString       = "String"
	TypeStringList   = "StringList"
	TypeSecureString = "SecureString"

	TierStandard           = "Standard"
	TierAdvanced           = "Advanced"
	TierIntelligentTiering = "Intelligent-Tiering"
)

// KMS key managers, and the AWS managed key for SSM that every fake has.
const (
	KeyManagerAWS      = "AWS"
	KeyManagerCustomer = "CUSTOMER"

	AWSManagedSSMAlias = "alias/aws/ssm"
	AWSManagedSSMKeyID = "0a3f5e2c-5d1b-4c8e-9f00-a55a0000a55a"
)

// Parameter is a seeded SSM parameter.
type Parameter struct {
	Name  string // required: "/app/db" or "x"
	ARN   string // default: built from Name, the fake's region and account
	Type  string // String (default), StringList or SecureString
	Tier  string // Standard (default), Advanced or Intelligent-Tiering
	KeyID string // SecureString only; default alias/aws/ssm, as SSM records it
	// Value is the secret. No operation of the fake ever returns it, and it
	// is redacted from the call log; tests grep their output for it.
	Value string
}

type parameter struct{ Parameter }

// Key is a seeded KMS key.
type Key struct {
	KeyID       string // default: generated
	ARN         string // default: arn:aws:kms:REGION:ACCOUNT:key/KEYID
	Manager     string // CUSTOMER (default) or AWS
	Description string
	Aliases     []string // "alias/name"; may also be added with AddAlias
}

type kmsKey struct {
	Key
	account string
}

// Policy is a stored resource policy.
type Policy struct {
	ID       string
	Hash     string
	Document string
}

type storedPolicy struct{ Policy }

// ParameterARN builds the ARN of a parameter name the way SSM does: a name
// that starts with "/" keeps a single slash ("parameter/app/db").
func ParameterARN(partition, region, account, name string) string {
	return fmt.Sprintf("arn:%s:ssm:%s:%s:parameter/%s", partition, region, account, strings.TrimPrefix(name, "/"))
}

// OpsItemGroupARN returns the ARN of the fake account's default OpsItemGroup,
// which accepts a policy without being seeded.
func (s *Server) OpsItemGroupARN() string {
	return fmt.Sprintf("arn:aws:ssm:%s:%s:opsitemgroup/default", s.region, s.account)
}

// AddParameter seeds a parameter and returns it with defaults filled in.
func (s *Server) AddParameter(p Parameter) (Parameter, error) {
	if p.Name == "" {
		return Parameter{}, errors.New("awsfake: parameter needs a name")
	}
	if p.Type == "" {
		p.Type = TypeString
	}
	if p.Tier == "" {
		p.Tier = TierStandard
	}
	if !slices.Contains([]string{TypeString, TypeStringList, TypeSecureString}, p.Type) {
		return Parameter{}, fmt.Errorf("awsfake: parameter %s: bad type %q", p.Name, p.Type)
	}
	if !slices.Contains([]string{TierStandard, TierAdvanced, TierIntelligentTiering}, p.Tier) {
		return Parameter{}, fmt.Errorf("awsfake: parameter %s: bad tier %q", p.Name, p.Tier)
	}
	switch {
	case p.Type == TypeSecureString && p.KeyID == "":
		p.KeyID = AWSManagedSSMAlias
	case p.Type != TypeSecureString && p.KeyID != "":
		return Parameter{}, fmt.Errorf("awsfake: parameter %s: only a SecureString has a key", p.Name)
	}
	if p.ARN == "" {
		p.ARN = ParameterARN("aws", s.region, s.account, p.Name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.params[p.Name]; dup {
		return Parameter{}, fmt.Errorf("awsfake: parameter %s already exists", p.Name)
	}
	s.params[p.Name] = &parameter{p}
	return p, nil
}

// AddKey seeds a KMS key (and its aliases) and returns it with defaults
// filled in.
func (s *Server) AddKey(k Key) (Key, error) {
	if k.Manager == "" {
		k.Manager = KeyManagerCustomer
	}
	if k.Manager != KeyManagerAWS && k.Manager != KeyManagerCustomer {
		return Key{}, fmt.Errorf("awsfake: key manager %q is neither AWS nor CUSTOMER", k.Manager)
	}
	for _, a := range k.Aliases {
		if !strings.HasPrefix(a, "alias/") {
			return Key{}, fmt.Errorf("awsfake: alias %q must start with alias/", a)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if k.KeyID != "" {
		if _, dup := s.keys[k.KeyID]; dup {
			return Key{}, fmt.Errorf("awsfake: key %s already exists", k.KeyID)
		}
	}
	for _, a := range k.Aliases {
		if _, dup := s.aliases[a]; dup {
			return Key{}, fmt.Errorf("awsfake: alias %s already exists", a)
		}
	}
	k = s.addKeyLocked(k)
	for _, a := range k.Aliases {
		s.aliases[a] = k.KeyID
	}
	return k, nil
}

func (s *Server) addKeyLocked(k Key) Key {
	if k.KeyID == "" {
		s.seq++
		k.KeyID = s.idLocked("key", s.seq)
	}
	if k.ARN == "" {
		k.ARN = fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", s.region, s.account, k.KeyID)
	}
	k.Aliases = slices.Clone(k.Aliases)
	account := s.account
	if parts := strings.Split(k.ARN, ":"); len(parts) >= 5 {
		account = parts[4]
	}
	s.keys[k.KeyID] = &kmsKey{Key: k, account: account}
	return k
}

// AddAlias points alias ("alias/name") at an existing key.
func (s *Server) AddAlias(alias, keyID string) error {
	if !strings.HasPrefix(alias, "alias/") {
		return fmt.Errorf("awsfake: alias %q must start with alias/", alias)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[keyID]
	if !ok {
		return fmt.Errorf("awsfake: no key %s", keyID)
	}
	if _, dup := s.aliases[alias]; dup {
		return fmt.Errorf("awsfake: alias %s already exists", alias)
	}
	s.aliases[alias] = keyID
	k.Aliases = append(k.Aliases, alias)
	return nil
}

// AddResource makes another ARN accept policies (an OpsItemGroup of another
// region, say). Parameters and the fake account's opsitemgroup/default need
// no call.
func (s *Server) AddResource(arn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resources[arn] = true
}

// AddPolicy stores a policy on a resource as if it had been created earlier,
// and returns its id and hash. It skips the document checks of
// PutResourcePolicy so a test can seed any state, but the resource must
// exist and an OpsItemGroup still holds at most one policy.
func (s *Server) AddPolicy(arn, document string) (Policy, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.resourceExistsLocked(arn) {
		return Policy{}, fmt.Errorf("awsfake: no resource %s", arn)
	}
	if isOpsItemGroup(arn) && len(s.policies[arn]) > 0 {
		return Policy{}, fmt.Errorf("awsfake: %s already has a policy", arn)
	}
	return s.createPolicyLocked(arn, document), nil
}

// WritePolicy replaces the document of an existing policy, with a new hash,
// as another writer would. Use it from a BeforeWrite hook to make the next
// write of the code under test conflict.
func (s *Server) WritePolicy(arn, policyID, document string) (Policy, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.findPolicyLocked(arn, policyID)
	if p == nil {
		return Policy{}, fmt.Errorf("awsfake: no policy %s on %s", policyID, arn)
	}
	p.Document = document
	p.Hash = s.hashLocked(document)
	return p.Policy, nil
}

// RemovePolicy deletes a policy as another writer would.
func (s *Server) RemovePolicy(arn, policyID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.findPolicyLocked(arn, policyID)
	if p == nil {
		return fmt.Errorf("awsfake: no policy %s on %s", policyID, arn)
	}
	s.policies[arn] = slices.DeleteFunc(s.policies[arn], func(q *storedPolicy) bool { return q == p })
	return nil
}

// Policies returns the policies stored on a resource, in creation order.
func (s *Server) Policies(arn string) []Policy {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Policy, 0, len(s.policies[arn]))
	for _, p := range s.policies[arn] {
		out = append(out, p.Policy)
	}
	return out
}

func (s *Server) createPolicyLocked(arn, document string) Policy {
	s.seq++
	p := &storedPolicy{Policy{ID: s.idLocked("policy", s.seq), Document: document}}
	p.Hash = s.hashLocked(document)
	s.policies[arn] = append(s.policies[arn], p)
	return p.Policy
}

func (s *Server) findPolicyLocked(arn, id string) *storedPolicy {
	for _, p := range s.policies[arn] {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (s *Server) resourceExistsLocked(arn string) bool {
	if arn == s.OpsItemGroupARN() || s.resources[arn] {
		return true
	}
	for _, p := range s.params {
		if p.ARN == arn {
			return true
		}
	}
	return false
}

func isOpsItemGroup(arn string) bool { return strings.HasSuffix(arn, ":opsitemgroup/default") }

// Call is one HTTP call the server answered.
type Call struct {
	Seq       int    // 1-based, in arrival order of the responses
	Operation string // e.g. "PutResourcePolicy"; the raw target if unknown
	Body      string // the request body, secrets redacted
	Status    int    // HTTP status of the response
	ErrorType string // __type of an error response, "" on success
}

// Calls returns the call log.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Count returns how many calls of op were answered, failed ones and SDK
// retries included (AnyOperation: all calls).
func (s *Server) Count(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if op == AnyOperation || c.Operation == op {
			n++
		}
	}
	return n
}

// CountOK is Count restricted to successful calls.
func (s *Server) CountOK(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if (op == AnyOperation || c.Operation == op) && c.ErrorType == "" {
			n++
		}
	}
	return n
}

// ResetCalls empties the call log.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// redactLocked removes seeded secret values from text bound for the call
// log. The operations the fake implements never carry values, so this is
// defence in depth.
func (s *Server) redactLocked(text string) string {
	for _, p := range s.params {
		if p.Value != "" {
			text = strings.ReplaceAll(text, p.Value, "[REDACTED]")
		}
	}
	return text
}
