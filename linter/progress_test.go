package linter

import (
	"context"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/input"
)

// At the end of a run the progress counters agree with the report's summary.
func TestProgressCounts(t *testing.T) {
	dir := write(t, map[string]string{
		"a.json":       tierPolicy,
		"b.json":       `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ssm:*", "Resource": "*"}]}`,
		"package.json": `{"name": "not a policy"}`,
		"ssmpolicy.yaml": `resources:
  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app
    parameter: {tier: Standard, type: String}
    policy: a.json
`,
	})
	p := &Progress{}
	rep := newEngine(t, Config{}).Run(context.Background(), RunOptions{Paths: []string{dir}, Reader: newReader(t, input.Context{}), Progress: p})
	files, targets, findings := p.Counts()
	s := rep.Summary
	if files != int64(s.Files) || targets != int64(s.Targets) || findings != int64(s.Findings) || s.Findings == 0 {
		t.Errorf("progress %d files, %d targets, %d findings; summary %+v", files, targets, findings, s)
	}
}
