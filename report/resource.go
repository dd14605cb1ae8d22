package report

import "strings"

// A finding of a policy read from AWS (audit) names no file: its File is the ARN of the
// resource the policy is on, its positions are in the policy text as AWS returned it, and its
// pointer is the element inside that policy. Such a name is never resolved as a path: SARIF
// takes the ARN as the artifact's URI (an ARN is an absolute URI of scheme arn), GitHub
// annotations carry no file property and name the resource in their title, Markdown shows it
// unlinked.

// isResource reports whether a finding's file is a resource ARN rather than a path. A
// relative path that starts with "arn:" would be taken for one; no input a check reads is
// named so.
func isResource(file string) bool { return strings.HasPrefix(file, "arn:") }
