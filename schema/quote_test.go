package schema

import (
	"strings"
	"testing"
)

// TestMessagesQuoteShortly: a value or key that is not what the grammar expects is quoted by
// its first characters only, however long it is (findings become public annotations). The
// number too large for a float64 used to crash the validator.
func TestMessagesQuoteShortly(t *testing.T) {
	secret := "SECRET" + strings.Repeat("x", 5000) + "TAIL"
	number := "1" + strings.Repeat("0", 5000)
	for i, src := range []string{
		`{"Version": "2012-10-17", "Statement": [{"Effect": "` + secret + `", "Principal": "*", "Action": "ssm:GetParameter", "Resource": "*"}]}`,
		`{"Version": "2012-10-17", "` + secret + `": 1, "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ssm:GetParameter", "Resource": "*"}]}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"` + secret + `": "1"}, "Action": "ssm:GetParameter", "Resource": "*"}]}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": ` + number + `, "Principal": "*", "Action": "ssm:GetParameter", "Resource": "*"}]}`,
	} {
		vs := policySchema(t).Validate(mustParse(t, src))
		if len(vs) == 0 {
			t.Fatalf("no violation for %.60s...", src)
		}
		cut := false
		for _, v := range vs {
			if len(v.Message) > 300 || strings.Contains(v.Message, "TAIL") || strings.Contains(v.Message, strings.Repeat("0", 100)) {
				t.Errorf("message quotes too much (%d bytes): %.200s", len(v.Message), v.Message)
			}
			cut = cut || strings.Contains(v.Message, "characters)")
		}
		if !cut && i < 3 {
			t.Errorf("no message says the value was cut: %v", vs)
		}
	}
}
