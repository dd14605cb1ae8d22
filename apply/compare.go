package apply

// The comparison apply makes between a policy it would send and the one deployed, for other
// commands that must agree with it (audit's drift check).

// SamePolicy reports whether two policy texts mean the same as apply compares them: parsed as
// JSON, a single statement or string the same as a one-element list, lists of strings as sets,
// an account id the same as its root ARN. An error says which text is not a JSON object.
func SamePolicy(a, b []byte) (bool, error) {
	da, err := parseDocument(a)
	if err != nil {
		return false, err
	}
	db, err := parseDocument(b)
	if err != nil {
		return false, err
	}
	return da.equal(db), nil
}

// GrantsOf returns what the Allow statements of a policy text grant, normalised as apply
// compares policies (account principals as 12-digit ids).
func GrantsOf(text []byte) (Grants, error) {
	d, err := parseDocument(text)
	if err != nil {
		return Grants{}, err
	}
	return d.grants(), nil
}

// Beyond returns what a grants that b does not: the principals, actions and resources of a
// missing from b.
func Beyond(a, b Grants) Grants {
	added, _ := diffGrants(b, a)
	return added
}
