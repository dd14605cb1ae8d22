package audit_test

import (
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/audit"
)

func TestParseAccounts(t *testing.T) {
	text := "# accounts to audit\n111122223333 prod\n\n222233334444   # staging, no name\n333344445555 data lake\n"
	got, err := audit.ParseAccounts("accounts.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []audit.Account{{"111122223333", "prod"}, {"222233334444", ""}, {"333344445555", "data lake"}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("account %d: %+v, want %+v", i, got[i], want[i])
		}
	}

	org := `{"Accounts": [
		{"Id": "111122223333", "Name": "prod", "Status": "ACTIVE"},
		{"Id": "222233334444", "Name": "gone", "Status": "SUSPENDED"},
		{"Id": "333344445555", "Name": "new", "State": "ACTIVE"}]}`
	got, err = audit.ParseAccounts("org.json", []byte(org))
	if err != nil || len(got) != 2 || got[0].ID != "111122223333" || got[1].Name != "new" {
		t.Errorf("organizations JSON: %+v, %v", got, err)
	}

	for _, bad := range []struct{ src, want string }{
		{"11112222333\n", `accounts.txt:1: "11112222333" is not a 12-digit account id`},
		{"111122223333\n111122223333 again\n", "accounts.txt:2: account 111122223333 is already listed (accounts.txt:1)"},
		{"# nothing\n", "lists no account"},
		{`{"Roles": []}`, `no "Accounts" list`},
		{`{"Accounts": [{"Id": "x"}]}`, "Accounts item 1"},
	} {
		if _, err := audit.ParseAccounts("accounts.txt", []byte(bad.src)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: error %v, want %q", bad.src, err, bad.want)
		}
	}
}
