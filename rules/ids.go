package rules

// The ids of the rules the engine reports itself (custom.engine: go in their METADATA): they
// are about reading the input, the grammar, or the facts around a policy rather than its
// meaning, so Go code finds them. Their packages carry the metadata into the catalogue.
const (
	InvalidJSON        = "invalid-json"
	DuplicateKey       = "duplicate-key"
	Schema             = "schema"
	ContextMissing     = "context-missing"
	ContextMismatch    = "context-mismatch"
	ResourceNotFound   = "resource-not-found"
	SuppressionExpired = "suppression-expired"

	// The rules audit reports about what it reads from AWS.
	ShareNotPromoted = "share-not-promoted"
	ShareOutsideRepo = "share-outside-repo"
	ShareDrift       = "share-drift"
)

// EngineIDs lists the ids of the rules the engine reports itself, sorted.
func EngineIDs() []string {
	return []string{ContextMismatch, ContextMissing, DuplicateKey, InvalidJSON, ResourceNotFound, Schema,
		ShareDrift, ShareNotPromoted, ShareOutsideRepo, SuppressionExpired}
}

// The ids of Rego rules that the input readers report too, for what only reading shows: a
// CloudFormation value that grows past every bound while it is resolved.
const (
	ResourceFormat = "resource-format"
	PolicySize     = "policy-size"
)
