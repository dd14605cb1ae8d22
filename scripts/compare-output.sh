#!/usr/bin/env bash
# Compares the output of this tree's ssmpolicy with that of a reference commit, byte for byte,
# on a generated corpus: the manifest and the directory walk, in json, text and sarif. It is
# the check that a change to how the report is made (streaming, reading, ordering) changes no
# finding and no byte of any output.
#
#   scripts/compare-output.sh [-n 10000] [-ref COMMIT]     # COMMIT defaults to main
#
# The reference is built from `git archive` of COMMIT into a temporary directory; the corpus
# is bench/gencorpus's (seed 1). Everything is written under a temporary directory, removed at
# the end. It exits 1 when an output differs.
set -euo pipefail
cd "$(dirname "$0")/.."

n=10000
ref=main
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n="$2"; shift 2 ;;
    -ref) ref="$2"; shift 2 ;;
    *) echo "usage: $0 [-n N] [-ref COMMIT]" >&2; exit 2 ;;
  esac
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/ref"
git archive "$ref" | tar -x -C "$tmp/ref"
(cd "$tmp/ref" && go build -o "$tmp/old" ./cmd/ssmpolicy)
go build -o "$tmp/new" ./cmd/ssmpolicy
go run ./bench/gencorpus -n "$n" -seed 1 -out "$tmp/corpus" >/dev/null

status=0
cd "$tmp"
for target in corpus/manifest.yaml corpus; do
  for format in json text sarif; do
    ./old check -o "$format" "$target" >old.out 2>old.err && old=0 || old=$?
    ./new check -o "$format" "$target" >new.out 2>new.err && new=0 || new=$?
    if [ "$old" = "$new" ] && cmp -s old.out new.out && cmp -s old.err new.err; then
      echo "same: $format $target (exit $new, $(wc -c <new.out) bytes)"
    else
      echo "DIFFERENT: $format $target (exit $old -> $new)"
      status=1
    fi
  done
done
exit "$status"
