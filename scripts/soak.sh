#!/usr/bin/env bash
# Soak test: feeds every reader hostile input (bench/hostile writes it: one-line flow YAML of
# half a megabyte, deep nesting, billion laughs, 100,000 keys, amplifying joins, a Terraform
# module cycle, several YAML documents, binary, invalid UTF-8, UTF-16, ...) through the built
# `ssmpolicy check`, each run under a memory limit and a time limit (timeout).
#
#   scripts/soak.sh [--scale 1] [--timeout 60] [--mem-mib 1024] [--keep]
#
# The memory limit is on peak RSS (what the run really used, from getrusage), and is enforced
# as well by ulimit -v at --mem-mib plus 3 GiB: a Go program reserves nearly 2 GiB of address
# space before it uses any, so an address-space limit alone would measure the reservation.
#
# Environment: SSMPOLICY=/path to test a given binary instead of building this checkout;
# TMPDIR for where the inputs go.
#
# Prints one line per input: exit code, expected exit codes, wall seconds, peak RSS in MiB. Fails
# (exit 1) when any run crashes (an exit code other than 0, 1 or 2, a panic or a Go runtime
# fatal error such as out of memory), is stopped by the time limit, uses more memory than the
# limit, or ends with an exit code other than the one expected for that input. Nothing is
# asserted about speed beyond the limit.
set -euo pipefail

scale=1 limit=60 mem_mib=1024 keep=0
usage() { sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while [ $# -gt 0 ]; do
	case $1 in
	--scale) scale=$2; shift ;;
	--timeout) limit=$2; shift ;;
	--mem-mib) mem_mib=$2; shift ;;
	--keep) keep=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
work=$(mktemp -d "${TMPDIR:-/tmp}/ssmpolicy-soak.XXXXXX")
if [ "$keep" = 1 ]; then
	echo "inputs and outputs kept in $work" >&2
else
	trap 'rm -rf "$work"' EXIT
fi

bin=${SSMPOLICY:-}
if [ -z "$bin" ]; then
	bin=$work/ssmpolicy
	(cd "$repo" && go build -o "$bin" ./cmd/ssmpolicy)
fi
(cd "$repo" && go build -o "$work/measure" ./bench/measure && go run ./bench/hostile -out "$work/in" -scale "$scale")

# The exit codes each input may end with: 1 where the point is that a problem is reported
# (a second YAML document, a YAML policy file, UTF-16, binary meant as a policy), 0 or 1
# where the input is valid and only the reader's cost is measured, 2 where the tool cannot
# do its job and says so.
expect() {
	case $1 in
	multi-document.yaml | flow-oneline-policy.yaml | utf16le.json | invalid-utf8.json | \
		deep-array.json | deep-flow.yaml | billion-laughs.yaml | dup-keys.json | \
		embedded-deep.yaml | join-huge.template.yaml | join-nested.template.yaml | \
		sub-chain.template.yaml | deep-block.yaml | binary.json) echo 1 ;;
	empty.json | bom-only.json) echo 0 ;;
	*) echo 0,1 ;;
	esac
}

failed=0
printf '%-28s %5s %8s %8s %9s\n' input exit expected wall_s peak_mib
for f in "$work"/in/*; do
	name=$(basename "$f")
	want=$(expect "$name")
	set +e
	line=$( (
		ulimit -v $(((mem_mib + 3072) * 1024))
		"$work/measure" -ok 0,1,2 -stdout "$work/$name.out" -stderr "$work/$name.err" -- \
			timeout --kill-after=5 "$limit" "$bin" check --no-color "$f"
	) 2>/dev/null)
	set -e
	read -r wall rss code <<<"${line:-0 0 -1}"
	verdict=ok
	case ,$want, in *,$code,*) ;; *) verdict="unexpected exit" ;; esac
	[ $((rss / 1024)) -gt "$mem_mib" ] && verdict="memory over ${mem_mib} MiB"
	case $code in 124 | 137 | -1) verdict="time limit (${limit}s) or killed" ;; esac
	if grep -qE '^(panic:|fatal error:)|runtime: out of memory|goroutine [0-9]+ \[' "$work/$name.err" 2>/dev/null; then
		verdict="crash: $(grep -m1 -E 'panic:|fatal error:|out of memory' "$work/$name.err")"
	fi
	printf '%-28s %5s %8s %8s %9s  %s\n' "$name" "$code" "$want" "$wall" $((rss / 1024)) "$verdict"
	if [ "$verdict" != ok ]; then
		failed=1
		head -c 600 "$work/$name.err" | sed 's/^/    /' >&2
	fi
done
if [ "$failed" = 1 ]; then
	echo "soak: FAILED" >&2
	exit 1
fi
echo "soak: every input ended within ${limit}s and ${mem_mib} MiB of RSS with its expected exit code"
