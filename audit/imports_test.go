package audit

import (
	"go/build"
	"strings"
	"testing"
)

// TestAWSOnlyThroughAWSAPI: audit reaches AWS through package awsapi only, so that its calls
// have the clients, limits, retries and error text of every other command, and so that what
// it can call is what awsapi offers: reads. (Its tests build credentials for the stand-in.)
func TestAWSOnlyThroughAWSAPI(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.Imports) == 0 {
		t.Fatal("no imports found: the test reads the wrong directory")
	}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "github.com/aws/") {
			t.Errorf("audit imports %s: go through package awsapi", imp)
		}
	}
}
