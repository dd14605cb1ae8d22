package awsfake

import (
	"strings"
)

type describeKeyInput struct {
	KeyId string
}

type keyMetadata struct {
	AWSAccountId string
	KeyId        string
	Arn          string
	KeyManager   string
	Description  string
	Enabled      bool
	KeyState     string
	KeyUsage     string
	KeySpec      string
	Origin       string
}

type describeKeyOutput struct {
	KeyMetadata keyMetadata
}

// describeKey accepts the four forms KMS accepts: key id, key ARN, alias
// name (alias/x) and alias ARN (arn:...:alias/x).
func (s *Server) describeKey(c *call) (any, *apiError) {
	var in describeKeyInput
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if in.KeyId == "" {
		return nil, errBadRequest("ValidationException", "KeyId is required")
	}
	k := c.st.resolveKey(in.KeyId)
	if k == nil {
		if strings.Contains(in.KeyId, "alias/") {
			return nil, errBadRequest("NotFoundException", "Alias %s is not found.", in.KeyId)
		}
		return nil, errBadRequest("NotFoundException", "Key '%s' does not exist", in.KeyId)
	}
	return describeKeyOutput{KeyMetadata: keyMetadata{
		AWSAccountId: k.account,
		KeyId:        k.KeyID,
		Arn:          k.ARN,
		KeyManager:   k.Manager,
		Description:  k.Description,
		Enabled:      true,
		KeyState:     "Enabled",
		KeyUsage:     "ENCRYPT_DECRYPT",
		KeySpec:      "SYMMETRIC_DEFAULT",
		Origin:       "AWS_KMS",
	}}, nil
}

func (st *store) resolveKey(id string) *kmsKey {
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 6)
		if len(parts) != 6 {
			return nil
		}
		if alias, ok := strings.CutPrefix(parts[5], "alias/"); ok {
			// An alias ARN names an alias of the key's own account and region.
			k := st.keys[st.aliases["alias/"+alias]]
			if k == nil || k.account != parts[4] || keyRegion(k.ARN) != parts[3] {
				return nil
			}
			return k
		}
		for _, k := range st.keys {
			if k.ARN == id {
				return k
			}
		}
		return nil
	}
	if strings.HasPrefix(id, "alias/") {
		return st.keys[st.aliases[id]]
	}
	return st.keys[id]
}

func keyRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 4 {
		return ""
	}
	return parts[3]
}
