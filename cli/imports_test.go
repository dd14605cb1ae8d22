package cli

import (
	"go/build"
	"slices"
	"strings"
	"testing"
)

// TestAWSOnlyThroughAWSAPI: the command line, apply and enrichment reach AWS through package
// awsapi only, so that clients, time limits, tracing and error text have one home. Neither
// their code nor their tests import an aws-sdk-go-v2 or smithy-go package.
func TestAWSOnlyThroughAWSAPI(t *testing.T) {
	for _, dir := range []string{".", "../apply", "../enrich", "../enrich/live"} {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		imports := slices.Concat(pkg.Imports, pkg.TestImports, pkg.XTestImports)
		if len(pkg.Imports) == 0 {
			t.Fatalf("%s: no imports found: the test reads the wrong directory", dir)
		}
		for _, imp := range imports {
			if strings.HasPrefix(imp, "github.com/aws/aws-sdk-go-v2") || strings.HasPrefix(imp, "github.com/aws/smithy-go") {
				t.Errorf("%s imports %s: go through package awsapi", dir, imp)
			}
		}
	}
}
