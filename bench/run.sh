#!/usr/bin/env bash
# Performance benchmark: ssmpolicy against conftest running equivalent Rego rules, on generated
# corpora of SSM parameter policies. Anyone can rerun it; everything it builds or generates lives
# in a temporary directory that is removed at the end (unless --keep).
#
#   bench/run.sh                 # sizes 1, 1000, 10000; 3 runs each; both tools
#   bench/run.sh --full          # also 100000 files, and a check that time grows linearly
#   bench/run.sh --quick         # sizes 1 and 200, 1 run, ssmpolicy only (what CI runs)
#   bench/run.sh --no-conftest   # ssmpolicy only
#   bench/run.sh --sizes "1 5000" --runs 5 --seed 2 --keep
#
# Environment: BENCH_SIZES, BENCH_RUNS, BENCH_SEED (the same as the flags); SSMPOLICY=/path and
# CONFTEST=/path to time given binaries instead of building ssmpolicy from this checkout or
# installing conftest v0.71.1; TMPDIR for where corpora go.
#
# The Markdown table goes to standard output, progress to standard error, so
# `bench/run.sh > results.md` keeps the figures. The script fails (exit 1) when a tool crashes
# (ssmpolicy exit 2, any signal) or writes output that is not valid JSON covering every policy
# (after measuring everything else and printing the table, with the reason);
# it asserts nothing about speed, which a shared CI machine cannot measure reliably.
set -euo pipefail

CONFTEST_VERSION=v0.71.1

usage() { sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

note() { printf '%s\n' "$*" >&2; }
die() { note "run.sh: $*"; exit 1; }

sizes=${BENCH_SIZES:-"1 1000 10000"}
runs=${BENCH_RUNS:-3}
seed=${BENCH_SEED:-1}
full=0 quick=0 with_conftest=1 keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--full) full=1 ;;
	--quick) quick=1 ;;
	--no-conftest) with_conftest=0 ;;
	--keep) keep=1 ;;
	--sizes) [ $# -ge 2 ] || die "--sizes needs a value"; sizes=$2; shift ;;
	--runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift ;;
	--seed) [ $# -ge 2 ] || die "--seed needs a value"; seed=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
if [ "$quick" = 1 ]; then
	# Small enough for every CI run; big enough to walk more than one file through the tool.
	sizes="1 200" runs=1 with_conftest=0 full=0
fi
if [ "$full" = 1 ]; then
	case " $sizes " in *" 10000 "*) ;; *) sizes="$sizes 10000" ;; esac
	case " $sizes " in *" 100000 "*) ;; *) sizes="$sizes 100000" ;; esac
fi
for n in $sizes $runs; do
	case $n in '' | *[!0-9]* | 0) die "sizes and --runs must be positive integers, got '$n'" ;; esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ssmpolicy-bench.XXXXXX")
cleanup() {
	if [ "$keep" = 1 ]; then note "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# --- tools -------------------------------------------------------------------------------------
note "building the helpers and ssmpolicy in $tmp"
(
	cd "$repo"
	go build -o "$tmp/gencorpus" ./bench/gencorpus
	go build -o "$tmp/measure" ./bench/measure
	go build -o "$tmp/outcheck" ./bench/outcheck
)
if [ -n "${SSMPOLICY:-}" ]; then
	[ -x "$SSMPOLICY" ] || die "SSMPOLICY=$SSMPOLICY is not an executable"
	ssmpolicy=$SSMPOLICY
else
	ssmpolicy=$tmp/ssmpolicy
	(cd "$repo" && go build -o "$ssmpolicy" ./cmd/ssmpolicy) || die "cannot build ./cmd/ssmpolicy"
fi
ssmpolicy_version=$("$ssmpolicy" version 2>/dev/null | head -n 1 || true)

conftest=
if [ "$with_conftest" = 1 ]; then
	if [ -n "${CONFTEST:-}" ]; then
		[ -x "$CONFTEST" ] || die "CONFTEST=$CONFTEST is not an executable"
		conftest=$CONFTEST
	else
		note "installing conftest $CONFTEST_VERSION (a few minutes on a cold Go cache)"
		GOBIN=$tmp/gobin go install "github.com/open-policy-agent/conftest@$CONFTEST_VERSION"
		conftest=$tmp/gobin/conftest
	fi
	# A rule that silently matched nothing would make conftest look fast.
	"$conftest" verify --no-color --policy "$repo/bench/conftest" >&2 || die "the conftest rules fail their tests"
else
	note "conftest skipped (--no-conftest or --quick): ssmpolicy figures only"
fi

# --- measuring ---------------------------------------------------------------------------------
# Tools run from the temporary directory so that no .ssmpolicy.yaml of the checkout or of the
# caller's working directory changes what ssmpolicy checks.
cd "$tmp"

# median N... prints the median of its arguments (the mean of the middle two for an even count).
median() {
	printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench TOOL SIZE CORPUS: times RUNS runs and appends "tool size median_s maxrss_kib findings"
# to $tmp/results. Exit codes 0 and 1 mean "ran, found something or not". Anything else, or
# output that does not cover SIZE policies, appends "tool size FAILED" and the reason to
# $tmp/failures and returns 1: the other measurements still run (a --full run takes a while),
# and the script fails at the end.
bench() {
	local tool=$1 size=$2 corpus=$3 out="$tmp/out-$1-$2.json"
	local cmd i line wall kib walls=() rss=0 findings why
	case $tool in
	ssmpolicy) cmd=("$ssmpolicy" check -o json "$corpus/manifest.yaml") ;;
	conftest)
		# The policy directories, not the root: the manifest is ssmpolicy's input, and parsing
		# megabytes of YAML that no conftest rule looks at would only slow conftest down.
		cmd=("$conftest" test --policy "$repo/bench/conftest" --no-color -o json "$corpus"/d*/) ;;
	esac
	for ((i = 1; i <= runs; i++)); do
		if ! line=$("$tmp/measure" -stdout "$out" -ok 0,1 -- "${cmd[@]}"); then
			read -r wall kib code <<<"${line:-? ? ?}"
			why="$tool crashed on the corpus of $size: exit code $code after ${wall}s (its stderr is in the progress output)"
			note "run.sh: $why"
			echo "$tool $size FAILED" >>"$tmp/results"
			echo "$why" >>"$tmp/failures"
			return 1
		fi
		read -r wall kib _ <<<"$line"
		walls+=("$wall")
		if [ "$kib" -gt "$rss" ]; then rss=$kib; fi # the worst run: RSS is what must fit
		note "  $tool, $size files, run $i/$runs: ${wall}s, $((kib / 1024)) MiB"
	done
	if ! findings=$("$tmp/outcheck" -tool "$tool" -want "$size" "$out" 2>&1); then
		note "$findings"
		echo "$tool $size FAILED" >>"$tmp/results"
		printf '%s output on the corpus of %s is wrong (median %ss, peak %s MiB):\n%s\n' \
			"$tool" "$size" "$(median "${walls[@]}")" "$((rss / 1024))" "$findings" >>"$tmp/failures"
		return 1
	fi
	echo "$tool $size $(median "${walls[@]}") $rss $findings" >>"$tmp/results"
}

: >"$tmp/results"
: >"$tmp/failures"
# The load before and after goes into the report: on a shared machine it says more about how far
# to trust the figures than anything else.
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load averages*: //'; }
load_before=$(loadavg)
for size in $sizes; do
	corpus=$tmp/corpus-$size
	if [ "$size" = 1 ]; then
		# One clean policy: the latency a pre-commit hook sees for the file just edited.
		"$tmp/gencorpus" -single -seed "$seed" -out "$corpus"
	else
		"$tmp/gencorpus" -n "$size" -seed "$seed" -out "$corpus"
	fi
	note "corpus of $size: $(du -sh "$corpus" | cut -f1)"
	bench ssmpolicy "$size" "$corpus" || true # recorded in $tmp/failures
	if [ "$with_conftest" = 1 ]; then bench conftest "$size" "$corpus" || true; fi
	# 100,000 small files take about 400 MB of blocks: keep /tmp small unless asked not to.
	if [ "$keep" = 0 ]; then rm -rf "$corpus"; fi
done

load_after=$(loadavg)

# --- report ------------------------------------------------------------------------------------
echo "## ssmpolicy benchmark"
echo
echo "$(uname -sm), $( (nproc || sysctl -n hw.ncpu) 2>/dev/null) CPU, $(go env GOVERSION); seed $seed, median of $runs run(s)."
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
if [ -n "$cpu" ]; then echo "CPU: $cpu."; fi
echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after."
echo "ssmpolicy: ${ssmpolicy_version:-unknown version}${conftest:+; conftest $CONFTEST_VERSION ($("$conftest" --version 2>/dev/null | tr '\n' ' ' | sed 's/ *$//'))}."
echo
echo "| tool | files | median wall s | files/s | peak RSS MiB | findings | files/s vs conftest |"
echo "|---|---:|---:|---:|---:|---:|---:|"
awk -v results="$tmp/results" '
	BEGIN {
		while ((getline line < results) > 0) {
			split(line, f, " ")
			n++; tool[n] = f[1]; size[n] = f[2]; wall[n] = f[3]; kib[n] = f[4]; found[n] = f[5]
			if (wall[n] == "FAILED") continue
			# A wall time under the clock resolution still ran: count it as 1 ms.
			rate[n] = size[n] / (wall[n] > 0 ? wall[n] : 0.001)
			if (f[1] == "conftest") crate[f[2]] = rate[n]
		}
		for (i = 1; i <= n; i++) {
			if (wall[i] == "FAILED") {
				printf "| %s | %d | FAILED | | | | |\n", tool[i], size[i]
				continue
			}
			ratio = "-"
			if (tool[i] == "ssmpolicy" && (size[i] in crate)) ratio = sprintf("%.2fx", rate[i] / crate[size[i]])
			printf "| %s | %d | %.3f | %.0f | %.1f | %d | %s |\n", tool[i], size[i], wall[i], rate[i], kib[i] / 1024, found[i], ratio
		}
	}'

echo
echo "findings: ssmpolicy's findings at every level; conftest's deny messages (its rules cannot see the"
echo "manifest). peak RSS: the highest of the runs."

# Linearity: at 100,000 files the time per file should stay what it is at 10,000. A tool that
# sorts, deduplicates or re-reads quadratically shows it here first.
if [ "$full" = 1 ]; then
	echo
	echo "Time per file at 100000 files relative to 10000 (1.00 = linear; above 1.5 flagged):"
	echo
	awk -v results="$tmp/results" '
		BEGIN {
			while ((getline line < results) > 0) {
				split(line, f, " ")
				if (f[3] != "FAILED") w[f[1], f[2]] = f[3]
				t[f[1]] = 1
			}
			for (tool in t) {
				if (!(((tool, 10000) in w) && ((tool, 100000) in w)) || w[tool, 10000] <= 0) {
					printf "- %s: not measured at both sizes\n", tool
					continue
				}
				r = (w[tool, 100000] / 100000) / (w[tool, 10000] / 10000)
				printf "- %s: %.2f (%s)\n", tool, r, r <= 1.5 ? "linear" : "SUPERLINEAR"
			}
		}'
fi

if [ -s "$tmp/failures" ]; then
	echo
	echo "**Failed:**"
	echo
	echo '```'
	cat "$tmp/failures"
	echo '```'
	exit 1
fi
