#!/usr/bin/env bash
# Benchmark of ssmpolicy audit against the local AWS stand-in (bench/auditfake), with and
# without throttling: wall time, peak RSS, calls the stand-in answered (throttled ones among
# them) and findings. Everything it builds lives in a temporary directory removed at the end.
#
#   bench/audit.sh                       # 1,000 and 10,000 parameters; no limit, and 100 calls/s
#   bench/audit.sh --sizes "10000 30000" --rate 50 --burst 10 --concurrency 8
#
# Environment: BENCH_SIZES, BENCH_RATE, BENCH_BURST, BENCH_CONCURRENCY (the same as the flags).
# The Markdown table goes to standard output, progress to standard error. The script fails when
# the audit exits 2, or its JSON is not complete (every scope complete, no error, one inventory
# row per seeded policy); it asserts nothing about speed.
set -euo pipefail

usage() { sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
note() { printf '%s\n' "$*" >&2; }
die() { note "audit.sh: $*"; exit 1; }

sizes=${BENCH_SIZES:-"1000 10000"}
rate=${BENCH_RATE:-100}
burst=${BENCH_BURST:-20}
concurrency=${BENCH_CONCURRENCY:-4}
while [ $# -gt 0 ]; do
	case $1 in
	--sizes) [ $# -ge 2 ] || die "--sizes needs a value"; sizes=$2; shift ;;
	--rate) [ $# -ge 2 ] || die "--rate needs a value"; rate=$2; shift ;;
	--burst) [ $# -ge 2 ] || die "--burst needs a value"; burst=$2; shift ;;
	--concurrency) [ $# -ge 2 ] || die "--concurrency needs a value"; concurrency=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ssmpolicy-audit-bench.XXXXXX")
fake_pid=
cleanup() {
	if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

note "building ssmpolicy, auditfake and measure in $tmp"
(
	cd "$repo"
	go build -o "$tmp/ssmpolicy" ./cmd/ssmpolicy
	go build -o "$tmp/auditfake" ./bench/auditfake
	go build -o "$tmp/measure" ./bench/measure
)
: >"$tmp/empty"

# field FILE KEY: an integer field of the stand-in's statistics.
field() { sed -n "s/^  \"$2\": \([0-9]*\),*$/\1/p" "$1" | head -n 1; }

echo "| parameters | Advanced | policies | limit (calls/s) | wall s | peak RSS MiB | calls | throttled | calls/s | findings |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
	for limit in 0 "$rate"; do
		note "audit of $n parameters, limit ${limit} calls/s"
		rm -f "$tmp/url" "$tmp/stats.json"
		"$tmp/auditfake" serve -n "$n" -rate "$limit" -burst "$burst" -stats "$tmp/stats.json" >"$tmp/url" &
		fake_pid=$!
		for _ in $(seq 600); do [ -s "$tmp/url" ] && break; sleep 0.1; done
		[ -s "$tmp/url" ] || die "the stand-in did not start"
		url=$(head -n 1 "$tmp/url")
		line=$(cd "$tmp" && env -i PATH="$PATH" HOME="$tmp" AWS_ACCESS_KEY_ID=AKIAAWSFAKE000000000 AWS_SECRET_ACCESS_KEY=fake \
			AWS_REGION=us-east-1 AWS_CONFIG_FILE="$tmp/empty" AWS_SHARED_CREDENTIALS_FILE="$tmp/empty" AWS_EC2_METADATA_DISABLED=true \
			"$tmp/measure" -ok 0,1 -stdout "$tmp/out.json" -- "$tmp/ssmpolicy" audit --endpoint-url "$url" \
			--concurrency "$concurrency" -o json) || die "the audit failed: $line"
		kill -TERM "$fake_pid"
		wait "$fake_pid" || die "the stand-in failed"
		fake_pid=
		read -r wall rss _ <<<"$line"
		policies=$(field "$tmp/stats.json" policies)
		findings=$("$tmp/auditfake" check -policies "$policies" "$tmp/out.json") || die "the audit's output is incomplete"
		calls=$(field "$tmp/stats.json" calls)
		printf '| %s | %s | %s | %s | %.2f | %.1f | %s | %s | %.0f | %s |\n' "$n" "$(field "$tmp/stats.json" advanced)" "$policies" \
			"$([ "$limit" = 0 ] && echo none || echo "$limit")" "$wall" "$(echo "$rss" | awk '{print $1/1024}')" \
			"$calls" "$(field "$tmp/stats.json" throttled)" "$(awk -v c="$calls" -v w="$wall" 'BEGIN{print c/w}')" "$findings"
	done
done
