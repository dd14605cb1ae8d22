#!/usr/bin/env bash
# Lints the GitHub Actions files: the workflows, and action.yml.
#
# actionlint checks workflows, and the metadata of a local action a workflow uses (uses: ./),
# including that its `with:` names declared inputs; it does not lint a composite action's
# steps. So action.yml is checked twice more: scripts/ghaction validates its structure and
# expressions, and writes its steps as a workflow that actionlint then lints like any other
# (expressions and contexts, the inputs of setup-go, and shellcheck on the run: scripts).
#
# actionlint runs shellcheck on run: scripts when shellcheck is installed (Debian: apt-get
# install shellcheck); without it, that part is skipped with a note.
#
# actionlint is pinned and comes from the Go module proxy:
ACTIONLINT=github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null; then
  echo "actionlint.sh: shellcheck is not installed: run: scripts are not checked" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" go install "$ACTIONLINT"
go run ./scripts/ghaction check action.yml

echo "==> actionlint .github/workflows/*.yml"
"$tmp/actionlint" -no-color .github/workflows/*.yml

echo "==> actionlint on the steps of action.yml"
mkdir -p "$tmp/repo/.github/workflows"
go run ./scripts/ghaction workflow action.yml > "$tmp/repo/.github/workflows/action-steps.yml"
(cd "$tmp/repo" && "$tmp/actionlint" -no-color .github/workflows/action-steps.yml) ||
  { echo "(line numbers are those of the generated workflow:)"; cat -n "$tmp/repo/.github/workflows/action-steps.yml"; exit 1; }
echo "actionlint: no problems"
