package awsapi

import (
	"strings"
	"testing"
)

func TestParameterName(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  string
	}{
		{in: "arn:aws:ssm:us-east-1:111122223333:parameter/app/db", want: "/app/db"},
		{in: "arn:aws:ssm:us-east-1:111122223333:parameter/x", want: "x"},
		{in: "arn:aws-us-gov:ssm:us-gov-west-1:111122223333:parameter/a/b/c", want: "/a/b/c"},
		{in: "/app/db", want: "/app/db"},
		{in: "x", want: "x"},
		{in: "", wantErr: "empty"},
		{in: "arn:aws:ssm:us-east-1:111122223333:parameter//app/db", wantErr: "double slash"},
		{in: "arn:aws:ssm:us-east-1:111122223333:parameter/", wantErr: "names no parameter"},
		{in: "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default", wantErr: "not a parameter ARN"},
		{in: "arn:aws:kms:us-east-1:111122223333:key/x", wantErr: "not an SSM ARN"},
		{in: "arn:aws:ssm", wantErr: "not an SSM ARN"},
	}
	for _, tt := range tests {
		got, err := ParameterName(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParameterName(%q) error %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParameterName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
