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

// KMS key managers, and the AWS managed key for SSM that every store has.
const (
	KeyManagerAWS      = "AWS"
	KeyManagerCustomer = "CUSTOMER"

	AWSManagedSSMAlias = "alias/aws/ssm"
	AWSManagedSSMKeyID = "0a3f5e2c-5d1b-4c8e-9f00-a55a0000a55a"
)

// Parameter is a seeded SSM parameter.
type Parameter struct {
	Name  string // required: "/app/db" or "x"
	ARN   string // default: built from Name, the store's region and account
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

// The Server's seeding methods act on the home store (Home).

// OpsItemGroupARN returns the ARN of the home account's default
// OpsItemGroup, which accepts a policy without being seeded.
func (s *Server) OpsItemGroupARN() string { return s.Home().OpsItemGroupARN() }

// AddParameter seeds a parameter in the home store. See Store.AddParameter.
func (s *Server) AddParameter(p Parameter) (Parameter, error) { return s.Home().AddParameter(p) }

// AddKey seeds a KMS key in the home store. See Store.AddKey.
func (s *Server) AddKey(k Key) (Key, error) { return s.Home().AddKey(k) }

// AddAlias points an alias of the home store at a key. See Store.AddAlias.
func (s *Server) AddAlias(alias, keyID string) error { return s.Home().AddAlias(alias, keyID) }

// AddResource makes another ARN accept policies in the home store. See
// Store.AddResource.
func (s *Server) AddResource(arn string) { s.Home().AddResource(arn) }

// AddPolicy stores a policy in the home store. See Store.AddPolicy.
func (s *Server) AddPolicy(arn, document string) (Policy, error) {
	return s.Home().AddPolicy(arn, document)
}

// WritePolicy replaces a policy of the home store. See Store.WritePolicy.
func (s *Server) WritePolicy(arn, policyID, document string) (Policy, error) {
	return s.Home().WritePolicy(arn, policyID, document)
}

// RemovePolicy deletes a policy of the home store. See Store.RemovePolicy.
func (s *Server) RemovePolicy(arn, policyID string) error {
	return s.Home().RemovePolicy(arn, policyID)
}

// Policies returns the policies on a resource of the home store.
func (s *Server) Policies(arn string) []Policy { return s.Home().Policies(arn) }

// OpsItemGroupARN returns the ARN of the store's default OpsItemGroup,
// which accepts a policy without being seeded.
func (h *Store) OpsItemGroupARN() string { return h.st.opsItemGroupARN() }

func (st *store) opsItemGroupARN() string {
	return fmt.Sprintf("arn:aws:ssm:%s:%s:opsitemgroup/default", st.region, st.account)
}

// AddParameter seeds a parameter and returns it with defaults filled in.
func (h *Store) AddParameter(p Parameter) (Parameter, error) {
	p, err := h.st.normalise(p)
	if err != nil {
		return Parameter{}, err
	}
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	return p, h.s.addParameterLocked(h.st, p)
}

func (st *store) normalise(p Parameter) (Parameter, error) {
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
		p.ARN = ParameterARN("aws", st.region, st.account, p.Name)
	}
	return p, nil
}

func (s *Server) addParameterLocked(st *store, p Parameter) error {
	if _, dup := st.params[p.Name]; dup {
		return fmt.Errorf("awsfake: parameter %s already exists", p.Name)
	}
	q := &parameter{p}
	st.params[p.Name] = q
	st.byARN[p.ARN] = q
	st.names = nil
	s.addSecretLocked(p.Value)
	return nil
}

// AddKey seeds a KMS key (and its aliases) and returns it with defaults
// filled in.
func (h *Store) AddKey(k Key) (Key, error) {
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
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	st := h.st
	if k.KeyID != "" {
		if _, dup := st.keys[k.KeyID]; dup {
			return Key{}, fmt.Errorf("awsfake: key %s already exists", k.KeyID)
		}
	}
	for _, a := range k.Aliases {
		if _, dup := st.aliases[a]; dup {
			return Key{}, fmt.Errorf("awsfake: alias %s already exists", a)
		}
	}
	k = h.s.addKeyLocked(st, k)
	for _, a := range k.Aliases {
		st.aliases[a] = k.KeyID
	}
	return k, nil
}

func (s *Server) addKeyLocked(st *store, k Key) Key {
	if k.KeyID == "" {
		k.KeyID = s.newIDLocked("key")
	}
	if k.ARN == "" {
		k.ARN = fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", st.region, st.account, k.KeyID)
	}
	k.Aliases = slices.Clone(k.Aliases)
	account := st.account
	if parts := strings.Split(k.ARN, ":"); len(parts) >= 5 {
		account = parts[4]
	}
	st.keys[k.KeyID] = &kmsKey{Key: k, account: account}
	return k
}

// AddAlias points alias ("alias/name") at an existing key.
func (h *Store) AddAlias(alias, keyID string) error {
	if !strings.HasPrefix(alias, "alias/") {
		return fmt.Errorf("awsfake: alias %q must start with alias/", alias)
	}
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	k, ok := h.st.keys[keyID]
	if !ok {
		return fmt.Errorf("awsfake: no key %s", keyID)
	}
	if _, dup := h.st.aliases[alias]; dup {
		return fmt.Errorf("awsfake: alias %s already exists", alias)
	}
	h.st.aliases[alias] = keyID
	k.Aliases = append(k.Aliases, alias)
	return nil
}

// AddResource makes another ARN accept policies (an OpsItemGroup of another
// region, say). Parameters and the store's opsitemgroup/default need no
// call.
func (h *Store) AddResource(arn string) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	h.st.resources[arn] = true
}

// AddPolicy stores a policy on a resource as if it had been created earlier,
// and returns its id and hash. It skips the document checks of
// PutResourcePolicy so a test can seed any state, but the resource must
// exist and an OpsItemGroup still holds at most one policy. A policy on a
// parameter gets its CREATED_FROM_POLICY resource share at once (no share
// delay: it was created earlier).
func (h *Store) AddPolicy(arn, document string) (Policy, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if !h.st.resourceExists(arn) {
		return Policy{}, fmt.Errorf("awsfake: no resource %s", arn)
	}
	if isOpsItemGroup(arn) && len(h.st.policies[arn]) > 0 {
		return Policy{}, fmt.Errorf("awsfake: %s already has a policy", arn)
	}
	p := h.s.createPolicyLocked(h.st, arn, document)
	h.s.sharePolicyLocked(h.st, arn, p, 0)
	return p.Policy, nil
}

// WritePolicy replaces the document of an existing policy, with a new hash,
// as another writer would. Use it from a BeforeWrite hook to make the next
// write of the code under test conflict.
func (h *Store) WritePolicy(arn, policyID, document string) (Policy, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	p := h.st.findPolicy(arn, policyID)
	if p == nil {
		return Policy{}, fmt.Errorf("awsfake: no policy %s on %s", policyID, arn)
	}
	h.s.updatePolicyLocked(h.st, arn, p, document)
	return p.Policy, nil
}

// RemovePolicy deletes a policy as another writer would.
func (h *Store) RemovePolicy(arn, policyID string) error {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	p := h.st.findPolicy(arn, policyID)
	if p == nil {
		return fmt.Errorf("awsfake: no policy %s on %s", policyID, arn)
	}
	h.s.deletePolicyLocked(h.st, arn, p)
	return nil
}

// Policies returns the policies stored on a resource, in creation order.
func (h *Store) Policies(arn string) []Policy {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	out := make([]Policy, 0, len(h.st.policies[arn]))
	for _, p := range h.st.policies[arn] {
		out = append(out, p.Policy)
	}
	return out
}

func (s *Server) createPolicyLocked(st *store, arn, document string) *storedPolicy {
	p := &storedPolicy{Policy{ID: s.newIDLocked("policy"), Document: document}}
	p.Hash = s.hashLocked(document)
	st.policies[arn] = append(st.policies[arn], p)
	return p
}

func (s *Server) updatePolicyLocked(st *store, arn string, p *storedPolicy, document string) {
	p.Document = document
	p.Hash = s.hashLocked(document)
	s.reshareLocked(st, arn, p)
}

func (s *Server) deletePolicyLocked(st *store, arn string, p *storedPolicy) {
	st.policies[arn] = slices.DeleteFunc(st.policies[arn], func(q *storedPolicy) bool { return q == p })
	s.unshareLocked(st, arn, p)
}

func (st *store) findPolicy(arn, id string) *storedPolicy {
	for _, p := range st.policies[arn] {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (st *store) resourceExists(arn string) bool {
	if arn == st.opsItemGroupARN() || st.resources[arn] {
		return true
	}
	_, ok := st.byARN[arn]
	return ok
}

func isOpsItemGroup(arn string) bool { return strings.HasSuffix(arn, ":opsitemgroup/default") }
