package schema

import "github.com/ssmpolicy/ssmpolicy/jsonpos"

// QuickValidPolicy reports whether root certainly satisfies policy.schema.json, by a direct
// walk of the tree. It is conservative: false means "ask the schema", which also writes the
// messages. Most policies are valid, and this walk costs a few microseconds where the
// general validator costs a hundred; FuzzQuickValid checks that it never accepts what the
// schema rejects.
func QuickValidPolicy(root *jsonpos.Node) bool {
	if root.Kind != jsonpos.Object {
		return false
	}
	hasStatement := false
	for _, m := range root.Members {
		switch m.Key {
		case "Version", "Id":
			if m.Value.Kind != jsonpos.String {
				return false
			}
		case "Statement":
			hasStatement = true
			switch m.Value.Kind {
			case jsonpos.Object:
				if !quickStatement(m.Value) {
					return false
				}
			case jsonpos.Array:
				if len(m.Value.Items) == 0 {
					return false
				}
				for _, st := range m.Value.Items {
					if !quickStatement(st) {
						return false
					}
				}
			default:
				return false
			}
		default:
			return false
		}
	}
	return hasStatement
}

func quickStatement(st *jsonpos.Node) bool {
	if st.Kind != jsonpos.Object {
		return false
	}
	var effect, principal, notPrincipal, action, notAction, resource, notResource int
	for _, m := range st.Members {
		v := m.Value
		switch m.Key {
		case "Sid":
			if v.Kind != jsonpos.String {
				return false
			}
		case "Effect":
			if v.Kind != jsonpos.String || (v.Text != "Allow" && v.Text != "Deny") {
				return false
			}
			effect++
		case "Principal", "NotPrincipal":
			if !quickPrincipal(v) {
				return false
			}
			if m.Key == "Principal" {
				principal++
			} else {
				notPrincipal++
			}
		case "Action", "NotAction", "Resource", "NotResource":
			if !quickStrings(v) {
				return false
			}
			switch m.Key {
			case "Action":
				action++
			case "NotAction":
				notAction++
			case "Resource":
				resource++
			default:
				notResource++
			}
		case "Condition":
			if !quickCondition(v) {
				return false
			}
		default:
			return false
		}
	}
	// Exactly one of each pair, and a key written once (a repeated key is the duplicate-key
	// rule's business, and the schema's answer on it is left to the schema).
	return effect == 1 && principal+notPrincipal == 1 && action+notAction == 1 && resource+notResource == 1
}

func quickPrincipal(v *jsonpos.Node) bool {
	if v.Kind == jsonpos.String {
		return v.Text == "*"
	}
	if v.Kind != jsonpos.Object || len(v.Members) == 0 {
		return false
	}
	for _, m := range v.Members {
		switch m.Key {
		case "AWS", "Service", "Federated", "CanonicalUser":
			if !quickStrings(m.Value) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// quickStrings: a non-empty string, or a non-empty list of non-empty strings.
func quickStrings(v *jsonpos.Node) bool {
	switch v.Kind {
	case jsonpos.String:
		return v.Text != ""
	case jsonpos.Array:
		if len(v.Items) == 0 {
			return false
		}
		for _, it := range v.Items {
			if it.Kind != jsonpos.String || it.Text == "" {
				return false
			}
		}
		return true
	}
	return false
}

func quickCondition(v *jsonpos.Node) bool {
	if v.Kind != jsonpos.Object || len(v.Members) == 0 {
		return false
	}
	for _, op := range v.Members {
		if op.Value.Kind != jsonpos.Object || len(op.Value.Members) == 0 {
			return false
		}
		for _, kv := range op.Value.Members {
			if !quickScalarOrList(kv.Value) {
				return false
			}
		}
	}
	return true
}

func quickScalar(v *jsonpos.Node) bool {
	return v.Kind == jsonpos.String || v.Kind == jsonpos.Number || v.Kind == jsonpos.Bool
}

func quickScalarOrList(v *jsonpos.Node) bool {
	if quickScalar(v) {
		return true
	}
	if v.Kind != jsonpos.Array || len(v.Items) == 0 {
		return false
	}
	for _, it := range v.Items {
		if !quickScalar(it) {
			return false
		}
	}
	return true
}
