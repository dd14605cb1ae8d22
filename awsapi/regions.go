package awsapi

import (
	"fmt"
	"sync"
)

// Source gives the client set that answers for an ARN: SSM and RAM answer for their own region
// only, so a target is read and written through the clients of the region its ARN names.
type Source interface {
	For(arn string) (*Clients, error)
}

var (
	_ Source = (*Clients)(nil)
	_ Source = (*Regions)(nil)
)

// Regions is a Source over one profile: one client set per region, made on first use, so that
// targets in several regions need no --region and no second run. It is safe for concurrent use.
type Regions struct {
	p       *Profile
	mu      sync.Mutex
	clients map[string]*Clients
}

// Regions returns a Source of the profile's client sets.
func (p *Profile) Regions() *Regions { return &Regions{p: p, clients: map[string]*Clients{}} }

// For returns the client set of the ARN's region; an ARN that names no region (or text that is
// no ARN) gets the profile's region, and is refused when there is none.
func (r *Regions) For(arn string) (*Clients, error) {
	region := arnRegion(arn)
	if region == "" {
		region = r.p.Region()
	}
	if region == "" {
		return nil, fmt.Errorf("the ARN names no region and no default region is set: pass --region, set AWS_REGION, or use a profile with a region")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.clients[region]; ok {
		return c, nil
	}
	c, err := r.p.Clients(region)
	if err != nil {
		return nil, err
	}
	r.clients[region] = c
	return c, nil
}
