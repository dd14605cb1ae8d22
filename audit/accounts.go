package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/apply"
)

// Account is one account of an --accounts file.
type Account struct {
	ID   string
	Name string
}

// ParseAccounts reads an --accounts file: either the JSON that `aws organizations
// list-accounts` prints (accounts whose Status or State is not ACTIVE are left out), or text
// with one account id per line, optionally followed by a name, with # comments and blank
// lines. name is the file's name, for errors. An account listed twice is an error, so that a
// mistake in a hand-kept list is seen.
func ParseAccounts(name string, src []byte) ([]Account, error) {
	var out []Account
	seen := map[string]string{}
	// add takes the account found at where: "file:line", or "file, Accounts item n".
	add := func(where, id, label string) error {
		if !apply.IsAccountID(id) {
			return fmt.Errorf("%s: %q is not a 12-digit account id", where, id)
		}
		if prev, dup := seen[id]; dup {
			return fmt.Errorf("%s: account %s is already listed (%s)", where, id, prev)
		}
		seen[id] = where
		out = append(out, Account{ID: id, Name: label})
		return nil
	}
	if trimmed := bytes.TrimSpace(src); len(trimmed) > 0 && trimmed[0] == '{' {
		var doc struct {
			Accounts *[]struct {
				ID     string `json:"Id"`
				Name   string `json:"Name"`
				Status string `json:"Status"`
				State  string `json:"State"`
			} `json:"Accounts"`
		}
		if err := json.Unmarshal(trimmed, &doc); err != nil {
			return nil, fmt.Errorf("%s: not the JSON of aws organizations list-accounts: %v", name, err)
		}
		if doc.Accounts == nil {
			return nil, fmt.Errorf("%s: no \"Accounts\" list (want the JSON of aws organizations list-accounts)", name)
		}
		for i, a := range *doc.Accounts {
			if (a.Status != "" && a.Status != "ACTIVE") || (a.State != "" && a.State != "ACTIVE") {
				continue
			}
			if err := add(fmt.Sprintf("%s, Accounts item %d", name, i+1), a.ID, a.Name); err != nil {
				return nil, err
			}
		}
	} else {
		sc := bufio.NewScanner(bytes.NewReader(src))
		for line := 1; sc.Scan(); line++ {
			text, _, _ := strings.Cut(sc.Text(), "#")
			fields := strings.Fields(text)
			if len(fields) == 0 {
				continue
			}
			if err := add(fmt.Sprintf("%s:%d", name, line), fields[0], strings.Join(fields[1:], " ")); err != nil {
				return nil, err
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s lists no account", name)
	}
	return out, nil
}
