package awsfake

import "encoding/json"

const (
	ssmTargetPrefix = "AmazonSSM."
	kmsTargetPrefix = "TrentService."
)

// The operation tables are switches rather than maps to keep the package
// free of mutable package-level state.

// jsonOperation resolves an X-Amz-Target header. write marks the SSM writes
// that BeforeWrite counts.
func jsonOperation(target string) (name string, fn opFunc, write bool, service string, ok bool) {
	switch target {
	case ssmTargetPrefix + OpPutResourcePolicy:
		return OpPutResourcePolicy, (*Server).putResourcePolicy, true, "ssm", true
	case ssmTargetPrefix + OpDeleteResourcePolicy:
		return OpDeleteResourcePolicy, (*Server).deleteResourcePolicy, true, "ssm", true
	case ssmTargetPrefix + OpGetResourcePolicies:
		return OpGetResourcePolicies, (*Server).getResourcePolicies, false, "ssm", true
	case ssmTargetPrefix + OpDescribeParameters:
		return OpDescribeParameters, (*Server).describeParameters, false, "ssm", true
	case kmsTargetPrefix + OpDescribeKey:
		return OpDescribeKey, (*Server).describeKey, false, "kms", true
	}
	return "", nil, false, "", false
}

// restOperation resolves a RAM request path (every RAM operation is a POST
// to the lower-cased operation name).
func restOperation(path string) (name string, fn opFunc, ok bool) {
	switch path {
	case "/listresources":
		return OpListResources, (*Server).listResources, true
	case "/listresourcesharepermissions":
		return OpListResourceSharePermissions, (*Server).listResourceSharePermissions, true
	case "/getresourceshares":
		return OpGetResourceShares, (*Server).getResourceShares, true
	case "/getpermission":
		return OpGetPermission, (*Server).getPermission, true
	case "/listpermissions":
		return OpListPermissions, (*Server).listPermissions, true
	case "/promotepermissioncreatedfrompolicy":
		return OpPromotePermissionCreatedFromPolicy, (*Server).promotePermission, true
	case "/promoteresourcesharecreatedfrompolicy":
		return OpPromoteResourceShareCreatedFromPolicy, (*Server).promoteResourceShare, true
	}
	return "", nil, false
}

// queryOperation resolves an STS Action.
func queryOperation(action string) (name string, fn opFunc, ok bool) {
	switch action {
	case OpAssumeRole:
		return OpAssumeRole, (*Server).assumeRole, true
	case OpGetCallerIdentity:
		return OpGetCallerIdentity, (*Server).getCallerIdentity, true
	}
	return "", nil, false
}

// decode reads a JSON request body into v; unknown members are ignored, as a
// forward-compatible service would. An empty body (a RAM call whose members
// are all in the query string) decodes to the zero value.
func decode(body []byte, v any) *apiError {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errBadRequest("SerializationException", "cannot decode request: %v", err)
	}
	return nil
}
