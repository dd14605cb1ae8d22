#!/usr/bin/env bash
# End-to-end test of the pre-commit hook: pre-commit builds ssmpolicy from this checkout with
# its golang language and runs it in a scratch repository, on a good policy (must pass) and a
# bad one (must fail and name the rule); then on what is staged, as a commit runs it: a policy
# staged without the manifest that names it must fail with the finding only that manifest's
# facts make (resource-mismatch), and an unrelated staged file must pass.
#
# Needs git, go and pre-commit (Debian: apt-get install pre-commit); it installs nothing.
# try-repo builds the checkout's HEAD plus its uncommitted changes to tracked files; pass
# --ref REV to build a commit as it is.
#
#   scripts/test-precommit.sh [--ref REV]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
ref_args=()
if [ "${1:-}" = "--ref" ]; then
  ref_args=(--ref "$(git -C "$repo" rev-parse "${2:?--ref needs a revision}")")
fi
for tool in git go pre-commit; do
  command -v "$tool" >/dev/null || { echo "test-precommit: $tool is not installed" >&2; exit 2; }
done

tmp=$(mktemp -d)
# Go leaves its module files read-only; make them writable so the cleanup can remove them.
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME="$tmp/pre-commit-home"
# pre-commit builds with GOPATH inside its own environment, which would download every module
# again; the module cache is shared instead (the build itself is still pre-commit's).
GOMODCACHE=$(go env GOMODCACHE)
export GOMODCACHE
# The user's global git configuration must not change what the scratch repository does.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

work="$tmp/work"
mkdir -p "$work"
cd "$work"
git init -q
git config user.email test@example.com
git config user.name test

cp "$repo/scripts/testdata/good.json" "$repo/scripts/testdata/bad.json" .
git add good.json bad.json

fail() { echo "test-precommit: FAIL: $*" >&2; exit 1; }

echo "==> pre-commit try-repo ... --files good.json (must pass)"
if ! pre-commit try-repo "$repo" ssmpolicy "${ref_args[@]}" --files good.json >"$tmp/good.log" 2>&1; then
  cat "$tmp/good.log"
  fail "the hook failed on good.json"
fi
grep -q 'ssmpolicy.*Passed' "$tmp/good.log" || { cat "$tmp/good.log"; fail "no 'Passed' line for good.json"; }

echo "==> pre-commit try-repo ... --files bad.json (must fail with principal-wildcard)"
if pre-commit try-repo "$repo" ssmpolicy "${ref_args[@]}" --files bad.json >"$tmp/bad.log" 2>&1; then
  cat "$tmp/bad.log"
  fail "the hook passed bad.json"
fi
grep -q 'ssmpolicy.*Failed' "$tmp/bad.log" || { cat "$tmp/bad.log"; fail "no 'Failed' line for bad.json"; }
grep -q 'bad.json:7:[0-9]*: security-warning principal-wildcard' "$tmp/bad.log" ||
  { cat "$tmp/bad.log"; fail "the output does not name principal-wildcard at bad.json:7"; }

# A commit that stages only a policy file: the hook is given that file alone, and finds the
# manifest that names it in the repository.
mkdir -p infra/policies
cat >infra/manifest.yaml <<'YAML'
resources:
  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app/db
    parameter: {tier: Advanced, type: String}
    policy: policies/db.json
YAML
policy() {
  cat <<JSON
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "PartnerReads", "Effect": "Allow", "Principal": {"AWS": "444455556666"},
    "Action": ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"],
    "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/$1"
  }]
}
JSON
}
policy app/db >infra/policies/db.json
git add -A
git commit -qm "policies" --no-verify

echo "==> a commit staging only the policy, which names another parameter (must fail with resource-mismatch)"
policy app/other >infra/policies/db.json
git add infra/policies/db.json
# No --files and no --all-files: the hook runs on what is staged, as on a commit.
if pre-commit try-repo "$repo" ssmpolicy "${ref_args[@]}" >"$tmp/staged.log" 2>&1; then
  cat "$tmp/staged.log"
  fail "the hook passed a policy whose manifest names another parameter"
fi
grep -q 'ssmpolicy.*Failed' "$tmp/staged.log" || { cat "$tmp/staged.log"; fail "no 'Failed' line for the staged policy"; }
grep -q 'infra/policies/db.json:6:[0-9]*: error resource-mismatch: ' "$tmp/staged.log" &&
  grep -q '= note: facts from infra/manifest.yaml:2:5' "$tmp/staged.log" ||
  { cat "$tmp/staged.log"; fail "the output does not name resource-mismatch in the manifest's context"; }
git checkout -q HEAD -- infra/policies/db.json

echo "==> a commit staging only an unrelated file (must pass)"
echo '{"name": "tool", "version": "1.0.0"}' >package.json
git add package.json
if ! pre-commit try-repo "$repo" ssmpolicy "${ref_args[@]}" >"$tmp/unrelated.log" 2>&1; then
  cat "$tmp/unrelated.log"
  fail "the hook failed on an unrelated file"
fi
grep -q 'ssmpolicy.*Passed' "$tmp/unrelated.log" || { cat "$tmp/unrelated.log"; fail "no 'Passed' line for the unrelated file"; }

echo "4 passed, 0 failed"
