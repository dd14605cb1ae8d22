#!/usr/bin/env bash
# End-to-end test of the pre-commit hook: pre-commit builds ssmpolicy from this checkout with
# its golang language and runs it in a scratch repository, on a good policy (must pass) and a
# bad one (must fail and name the rule).
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

echo "2 passed, 0 failed"
