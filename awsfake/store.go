package awsfake

import (
	"slices"
	"time"
)

type storeKey struct{ account, region string }

// store is what one account holds in one region: SSM parameters and their
// policies, KMS keys, RAM shares and permissions, and its rate-limit bucket.
type store struct {
	account, region string

	params    map[string]*parameter // by name
	byARN     map[string]*parameter
	names     []string           // sorted parameter names; nil when stale
	keys      map[string]*kmsKey // by key id
	aliases   map[string]string  // alias name (alias/x) -> key id
	resources map[string]bool    // extra ARNs that accept policies
	policies  map[string][]*storedPolicy

	shares     map[string]*share // by ARN
	shareOrder []string          // ARNs in creation order
	sharesOf   map[string][]*share
	perms      map[string]*permission // CREATED_FROM_POLICY and customer managed, by ARN
	permOrder  []string
	tokens     map[string]*promoteToken // PromotePermissionCreatedFromPolicy client tokens
	promoting  []*share                 // shares whose promotion has not been settled
	bucket     tokenBucket
}

// Store is a handle on one account's resources in one region, for seeding
// and inspecting them. Get one with Server.At (or Server.Home). Its methods
// are safe for concurrent use.
type Store struct {
	s  *Server
	st *store
}

// At returns the store of account in region, creating an empty one (with
// only the AWS managed key for SSM) the first time.
func (s *Server) At(account, region string) *Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &Store{s: s, st: s.storeLocked(account, region)}
}

// Home returns the store of the home account and region, the one the
// Server's own seeding methods act on.
func (s *Server) Home() *Store { return s.At(s.account, s.region) }

// Account is the store's account.
func (h *Store) Account() string { return h.st.account }

// Region is the store's region.
func (h *Store) Region() string { return h.st.region }

func (s *Server) storeLocked(account, region string) *store {
	k := storeKey{account, region}
	if st := s.stores[k]; st != nil {
		return st
	}
	st := &store{
		account:   account,
		region:    region,
		params:    map[string]*parameter{},
		byARN:     map[string]*parameter{},
		keys:      map[string]*kmsKey{},
		aliases:   map[string]string{},
		resources: map[string]bool{},
		policies:  map[string][]*storedPolicy{},
		shares:    map[string]*share{},
		sharesOf:  map[string][]*share{},
		perms:     map[string]*permission{},
		tokens:    map[string]*promoteToken{},
	}
	s.stores[k] = st
	k2 := s.addKeyLocked(st, Key{KeyID: AWSManagedSSMKeyID, Manager: KeyManagerAWS, Description: "Default key that protects my SSM parameters when no other key is defined"})
	st.aliases[AWSManagedSSMAlias] = k2.KeyID
	return st
}

// sortedNames returns the parameter names in order, cached between writes
// so that paging through thousands of parameters stays cheap.
func (st *store) sortedNames() []string {
	if st.names == nil {
		st.names = make([]string, 0, len(st.params))
		for n := range st.params {
			st.names = append(st.names, n)
		}
		slices.Sort(st.names)
	}
	return st.names
}

// storesInRegionLocked returns the stores of every account in region, in a
// stable order.
func (s *Server) storesInRegionLocked(region string) []*store {
	var out []*store
	for k, st := range s.stores {
		if k.region == region {
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b *store) int {
		if a.account < b.account {
			return -1
		}
		if a.account > b.account {
			return 1
		}
		return 0
	})
	return out
}

// tokenBucket limits calls per account and region.
type tokenBucket struct {
	tokens float64
	last   time.Time
	primed bool
}

// take reports whether a call may proceed at now, refilling the bucket at
// rate tokens per second up to burst.
func (b *tokenBucket) take(now time.Time, rate float64, burst int) bool {
	if rate <= 0 {
		return true
	}
	capacity := float64(max(burst, 1))
	if !b.primed {
		b.tokens, b.last, b.primed = capacity, now, true
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(capacity, b.tokens+elapsed*rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
