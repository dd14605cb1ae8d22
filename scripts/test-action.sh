#!/usr/bin/env bash
# Runs action.yml's steps locally, as the GitHub runner runs a composite action
# (scripts/ghaction run), in scratch workspaces with the GITHUB_* and RUNNER_* variables set,
# and checks the exit code, the action's outputs, the job summary, the annotations and the
# SARIF log. The uses: step (setup-go) is skipped: this machine's Go builds ssmpolicy from this
# checkout, as the action does from its own for `version: source`.
#
# Both ways of getting ssmpolicy are run: built from source, and downloaded as a release. A
# release here is a directory standing in for GitHub's release downloads (file://), holding an
# archive built with go build under the name .goreleaser.yaml gives it, and its checksums file.
#
# Needs go, curl, sha256sum or shasum, and jq or python3 (the action counts findings with one
# of them).
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$repo" && go build -o "$tmp/ghaction" ./scripts/ghaction) || exit 2

# The runner's OS and architecture, as RUNNER_OS and RUNNER_ARCH name them, and as the
# release archives do.
goos=$(go env GOOS)
goarch=$(go env GOARCH)
case "$goos" in linux) runner_os=Linux ;; darwin) runner_os=macOS ;; *) echo "test-action.sh: no release stand-in for $goos" >&2; exit 2 ;; esac
case "$goarch" in amd64) runner_arch=X64 ;; arm64) runner_arch=ARM64 ;; *) echo "test-action.sh: no release stand-in for $goarch" >&2; exit 2 ;; esac

# A release stand-in: one binary, built as the release build sets its version, archived under
# the names .goreleaser.yaml gives the assets of v9.9.9 and v9.9.8, with their checksums files.
stage="$tmp/stage"
mkdir -p "$stage"
(cd "$repo" && go build -trimpath -ldflags "-X main.version=v9.9.9 -X main.commit=0000000release" -o "$stage/ssmpolicy" ./cmd/ssmpolicy) || exit 2
cp "$repo/README.md" "$stage/"
for tag in v9.9.9 v9.9.8; do
  out="$tmp/release/$tag"
  mkdir -p "$out"
  tar -czf "$out/ssmpolicy_${tag#v}_${goos}_${goarch}.tar.gz" -C "$stage" ssmpolicy README.md
  if command -v sha256sum >/dev/null; then
    (cd "$out" && sha256sum ./*.tar.gz | sed 's| \./| |' >"ssmpolicy_${tag#v}_checksums.txt")
  else
    (cd "$out" && shasum -a 256 ./*.tar.gz | sed 's| \./| |' >"ssmpolicy_${tag#v}_checksums.txt")
  fi
done
# v9.9.8's checksums file does not match its archive.
sed -i.orig 's/^[0-9a-f]*/0000000000000000000000000000000000000000000000000000000000000000/' "$tmp/release/v9.9.8/ssmpolicy_9.9.8_checksums.txt"
releases="file://$tmp/release"

ws="$tmp/workspace"
mkdir -p "$ws/policies"
cp "$repo/scripts/testdata/good.json" "$repo/scripts/testdata/bad.json" "$ws/policies/"

passed=0
failed=0
expect() { # expect DESCRIPTION COMMAND...: one assertion
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL [$case]: $what" >&2
    echo "  stdout:" >&2; sed 's/^/    /' "$dir/stdout" >&2
    echo "  stderr:" >&2; sed 's/^/    /' "$dir/stderr" >&2
    echo "  GITHUB_OUTPUT:" >&2; sed 's/^/    /' "$dir/output" >&2
  fi
}

# act NAME INPUT=VALUE...: runs the action in the workspace; sets $dir and $code. The
# variables in act_env (NAME=VALUE) are set for the run too, as the runner would set them.
act_env=()
act() {
  case=$1
  shift
  dir="$tmp/$case"
  mkdir -p "$dir/temp"
  : >"$dir/output"
  : >"$dir/summary"
  (cd "$ws" && env GITHUB_WORKSPACE="$ws" RUNNER_TEMP="$dir/temp" GITHUB_OUTPUT="$dir/output" \
    GITHUB_STEP_SUMMARY="$dir/summary" GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=acme/infra \
    GITHUB_SHA=0123456789abcdef RUNNER_OS="$runner_os" RUNNER_ARCH="$runner_arch" ${act_env[@]+"${act_env[@]}"} \
    "$tmp/ghaction" run "$repo/action.yml" "$@" >"$dir/stdout" 2>"$dir/stderr")
  code=$?
  echo "==> $case: exit $code"
}
out() { sed -n "s/^$1=//p" "$dir/output"; }
has() { grep -qF -- "$2" "$1"; }
json_findings() { # the number of findings the json format reports for the same paths
  (cd "$ws" && "$dir/temp/ssmpolicy-bin/ssmpolicy" check -o json "$@" | sed -n 's/^    "findings": \([0-9]*\),*$/\1/p')
}

act bad "paths=policies"
expect "built from source (no release named)" has "$dir/stdout" "ssmpolicy (devel)"
expect "exit 1 on a security-warning" test "$code" = 1
expect "exit-code output" test "$(out exit-code)" = 1
expect "findings output counts what -o json counts" test "$(out findings)" = "$(json_findings policies)"
expect "at least the principal-wildcard finding" test "$(out findings)" -ge 1
expect "sarif output is the default path" test "$(out sarif)" = "$dir/temp/ssmpolicy.sarif"
expect "SARIF log written" has "$dir/temp/ssmpolicy.sarif" '"version": "2.1.0"'
expect "SARIF has the finding" has "$dir/temp/ssmpolicy.sarif" '"ruleId": "principal-wildcard"'
expect "annotation on bad.json line 7" has "$dir/stdout" "::warning file=$ws/policies/bad.json,line=7,"
expect "annotation titled with the rule" has "$dir/stdout" "title=principal-wildcard::"
expect "job summary written" has "$dir/summary" "### ssmpolicy"
expect "job summary links the line" has "$dir/summary" "(https://github.com/acme/infra/blob/0123456789abcdef/policies/bad.json#L7)"
expect "job summary written once" test "$(grep -c '^### ssmpolicy$' "$dir/summary")" = 1

act good "paths=policies/good.json"
expect "exit 0 on a good policy" test "$code" = 0
expect "exit-code output" test "$(out exit-code)" = 0
expect "findings output" test "$(out findings)" = "$(json_findings policies/good.json)"
expect "no annotation at or above warning for principal-wildcard" test "$(grep -c 'principal-wildcard' "$dir/stdout")" = 0

act paths-on-lines "paths=policies/good.json
policies/bad.json" "sarif-file=reports/out.sarif" "fail-on=error" "output-format=json"
expect "fail-on error passes a security-warning" test "$code" = 0
expect "the log is JSON" has "$dir/stdout" '"summary": {'
expect "both files checked" test "$(out findings)" = "$(json_findings policies/good.json policies/bad.json)"
expect "relative sarif-file resolved in the workspace" test "$(out sarif)" = "$ws/reports/out.sarif"
expect "SARIF written there" has "$ws/reports/out.sarif" '"ruleId": "principal-wildcard"'
expect "job summary written with another format" has "$dir/summary" "principal-wildcard"

act missing "paths=policies/good.json no-such-dir"
expect "exit 2 when a path is missing" test "$code" = 2
expect "exit-code output" test "$(out exit-code)" = 2
expect "the error is annotated" has "$dir/stdout" "::error "
expect "SARIF still written, marked unsuccessful" has "$dir/temp/ssmpolicy.sarif" '"executionSuccessful": false'
expect "job summary lists the error" has "$dir/summary" "#### Errors"

act bad-version "paths=policies" 'version=v1; touch injected'
expect "exit 2 on a malformed version" test "$code" = 2
expect "the version is refused, not run" has "$dir/stdout" "::error title=ssmpolicy::version must be"
expect "nothing injected" test ! -e "$ws/injected"

act release "paths=policies" "version=v9.9.9" "release-url=$releases"
expect "the release's binary ran" has "$dir/stdout" "ssmpolicy v9.9.9 (commit 0000000relea)"
expect "Go not set up for a release" has "$dir/stderr" "skipping \"Set up Go\": if"
expect "exit 1 on a security-warning" test "$code" = 1
expect "exit-code output" test "$(out exit-code)" = 1
expect "SARIF written by the same run" has "$dir/temp/ssmpolicy.sarif" '"ruleId": "principal-wildcard"'
expect "annotations from the same run" has "$dir/stdout" "title=principal-wildcard::"
expect "findings counted" test "$(out findings)" = "$(json_findings policies)"

act_env=(GITHUB_ACTION_REF=v9.9.9)
act release-from-ref "paths=policies/good.json" "release-url=$releases"
expect "uses: ...@v9.9.9 runs release v9.9.9" has "$dir/stdout" "ssmpolicy v9.9.9"
expect "exit 0 on a good policy" test "$code" = 0

act source-despite-ref "paths=policies/good.json" "version=source"
expect "version: source builds from the checkout" has "$dir/stdout" "ssmpolicy (devel)"
expect "exit 0 on a good policy" test "$code" = 0
act_env=()

act bad-checksum "paths=policies" "version=v9.9.8" "release-url=$releases"
expect "exit 2 when the checksum does not match" test "$code" = 2
expect "the mismatch is annotated" has "$dir/stdout" "does not match its checksum"
expect "the binary is not run" test ! -e "$dir/temp/ssmpolicy.sarif"

act no-such-release "paths=policies" "version=v1.2.3" "release-url=$releases"
expect "exit 2 when the release is not there" test "$code" = 2
expect "the missing download is annotated" has "$dir/stdout" "could not download $releases/v1.2.3/"

act bad-url "paths=policies" "version=v9.9.9" "release-url=http://127.0.0.1:9/releases"
expect "exit 2 on a plain-http release URL" test "$code" = 2
expect "refused, not fetched" has "$dir/stdout" "could not download http://127.0.0.1:9/releases/v9.9.9/"

echo "$passed passed, $failed failed"
test "$failed" = 0
