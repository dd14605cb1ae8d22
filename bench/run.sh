#!/usr/bin/env bash
# Performance benchmark: ssmpolicy against conftest running equivalent Rego rules, on generated
# corpora of SSM parameter policies and on two everyday cases (a pre-commit run on 3 files of a
# 500-file repository with a manifest, and that repository checked whole). Anyone can rerun it;
# everything it builds or generates lives in a temporary directory that is removed at the end
# (unless --keep).
#
#   bench/run.sh                 # sizes 1, 1000, 10000 and the two repository cases; 3 runs each
#   bench/run.sh --full          # also 100000 files, and a check that time grows linearly
#   bench/run.sh --quick         # sizes 1 and 200 and the repository cases (of 200), 1 run,
#                                # ssmpolicy only, no reference build (what CI runs)
#   bench/run.sh --no-conftest   # ssmpolicy only
#   bench/run.sh --ref COMMIT    # compare findings with ssmpolicy built from COMMIT
#   bench/run.sh --no-compare    # do not build the reference or compare findings
#   bench/run.sh --sizes "1 5000" --runs 5 --seed 2 --keep
#
# No change in findings: ssmpolicy is also built from a reference commit (default below,
# REF_COMMIT) and both binaries check the corpus of 10000 (or the largest size given); their
# `-o json` outputs must be the same bytes. The reference is timed there too, as a row of its own.
#
# Environment: BENCH_SIZES, BENCH_RUNS, BENCH_SEED, BENCH_REF (the same as the flags);
# SSMPOLICY=/path, SSMPOLICY_REF=/path and CONFTEST=/path to time given binaries instead of
# building ssmpolicy from this checkout and from the reference commit or installing conftest
# v0.71.1; TMPDIR for where corpora go.
#
# The Markdown table goes to standard output, progress to standard error, so
# `bench/run.sh > results.md` keeps the figures. The script fails (exit 1) when a tool crashes
# (ssmpolicy exit 2, any signal), writes output that is not valid JSON covering every policy, or
# when the reference's findings differ (after measuring everything else and printing the table,
# with the reason); it asserts nothing about speed, which a shared CI machine cannot measure
# reliably.
set -euo pipefail

CONFTEST_VERSION=v0.71.1

# REF_COMMIT is the reference the findings are compared with: the commit before the engine was
# reworked for speed (built-ins, streamed output), whose findings that work keeps. Move it on when
# a change of findings is intended, and say so in the commit.
REF_COMMIT=73f2a03afa36f0f42858105963e1ac3e4edb15ef

usage() { sed -n '2,31s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

note() { printf '%s\n' "$*" >&2; }
die() { note "run.sh: $*"; exit 1; }

sizes=${BENCH_SIZES:-"1 1000 10000"}
runs=${BENCH_RUNS:-3}
seed=${BENCH_SEED:-1}
ref=${BENCH_REF:-$REF_COMMIT}
repo_size=500 # the policies of the everyday cases' repository
full=0 quick=0 with_conftest=1 keep=0 compare=1 ref_given=0
if [ -n "${BENCH_REF:-}${SSMPOLICY_REF:-}" ]; then ref_given=1; fi
while [ $# -gt 0 ]; do
	case $1 in
	--full) full=1 ;;
	--quick) quick=1 ;;
	--no-conftest) with_conftest=0 ;;
	--keep) keep=1 ;;
	--sizes) [ $# -ge 2 ] || die "--sizes needs a value"; sizes=$2; shift ;;
	--runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift ;;
	--seed) [ $# -ge 2 ] || die "--seed needs a value"; seed=$2; shift ;;
	--ref) [ $# -ge 2 ] || die "--ref needs a commit"; ref=$2; ref_given=1; shift ;;
	--no-compare) compare=0 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
if [ "$quick" = 1 ]; then
	# Small enough for every CI run; big enough to walk more than one file through the tool.
	# A shallow CI clone may not hold the reference commit, and building it costs more than the
	# rest: compared only when --ref is given.
	sizes="1 200" runs=1 with_conftest=0 full=0 repo_size=200
	if [ "$ref_given" = 0 ]; then compare=0; fi
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

# The reference: ssmpolicy as it was at $ref, built from `git archive` (which changes nothing in
# the checkout or its repository) in the temporary directory.
reference=
if [ "$compare" = 1 ]; then
	if [ -n "${SSMPOLICY_REF:-}" ]; then
		[ -x "$SSMPOLICY_REF" ] || die "SSMPOLICY_REF=$SSMPOLICY_REF is not an executable"
		reference=$SSMPOLICY_REF ref_name="the binary SSMPOLICY_REF=$SSMPOLICY_REF"
	else
		git -C "$repo" cat-file -e "$ref^{commit}" 2>/dev/null ||
			die "reference commit $ref is not in this clone (a shallow one?): fetch it, give --ref COMMIT or SSMPOLICY_REF, or --no-compare"
		ref_name=$(git -C "$repo" rev-parse --short=12 "$ref^{commit}")
		note "building the reference ssmpolicy from $ref_name"
		mkdir "$tmp/ref-src"
		git -C "$repo" archive "$ref^{commit}" | tar -x -C "$tmp/ref-src"
		reference=$tmp/ssmpolicy-ref
		(cd "$tmp/ref-src" && go build -o "$reference" ./cmd/ssmpolicy) || die "cannot build the reference ssmpolicy at $ref_name"
		rm -rf "$tmp/ref-src"
	fi
fi

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
# Tools run from the temporary directory (the corpora) or from the generated repository, so
# that no .ssmpolicy.yaml of the checkout or of the caller's working directory changes what
# ssmpolicy checks.
cd "$tmp"

# median N... prints the median of its arguments (the mean of the middle two for an even count).
median() {
	printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench TOOL CASE LABEL FILES DIR COMMAND...: times RUNS runs of COMMAND in DIR and appends
# "case<TAB>label<TAB>tool<TAB>files<TAB>median_s<TAB>maxrss_kib<TAB>findings" to $tmp/results;
# its JSON output is kept as $tmp/out-TOOL-CASE.json. TOOL is ssmpolicy, conftest or reference
# (checked as ssmpolicy). Exit codes 0 and 1 mean "ran, found something or not". Anything else,
# or output that does not cover FILES policies, records FAILED and the reason in $tmp/failures
# and returns 1: the other measurements still run (a --full run takes a while), and the script
# fails at the end.
bench() {
	local tool=$1 case=$2 label=$3 files=$4 dir=$5 out="$tmp/out-$1-$2.json"
	shift 5
	local i line wall kib code walls=() rss=0 findings why kind=$tool
	if [ "$tool" = reference ]; then kind=ssmpolicy; fi
	for ((i = 1; i <= runs; i++)); do
		if ! line=$(cd "$dir" && "$tmp/measure" -stdout "$out" -ok 0,1 -- "$@"); then
			read -r wall kib code <<<"${line:-? ? ?}"
			why="$tool crashed on $label: exit code $code after ${wall}s (its stderr is in the progress output)"
			note "run.sh: $why"
			printf '%s\t%s\t%s\t%s\tFAILED\n' "$case" "$label" "$tool" "$files" >>"$tmp/results"
			echo "$why" >>"$tmp/failures"
			return 1
		fi
		read -r wall kib _ <<<"$line"
		walls+=("$wall")
		if [ "$kib" -gt "$rss" ]; then rss=$kib; fi # the worst run: RSS is what must fit
		note "  $tool, $label, run $i/$runs: ${wall}s, $((kib / 1024)) MiB"
	done
	if ! findings=$("$tmp/outcheck" -tool "$kind" -want "$files" "$out" 2>&1); then
		note "$findings"
		printf '%s\t%s\t%s\t%s\tFAILED\n' "$case" "$label" "$tool" "$files" >>"$tmp/results"
		printf '%s output on %s is wrong (median %ss, peak %s MiB):\n%s\n' \
			"$tool" "$label" "$(median "${walls[@]}")" "$((rss / 1024))" "$findings" >>"$tmp/failures"
		return 1
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$label" "$tool" "$files" "$(median "${walls[@]}")" "$rss" "$findings" >>"$tmp/results"
}

# same_findings CASE: the reference's `-o json` on CASE must be the current binary's, byte for
# byte; else the first differing lines go to $tmp/failures.
same_findings() {
	local cur="$tmp/out-ssmpolicy-$1.json" old="$tmp/out-reference-$1.json"
	[ -f "$cur" ] && [ -f "$old" ] || return 0 # a run that failed is reported already
	if cmp -s "$old" "$cur"; then
		compared="the \`-o json\` outputs of ssmpolicy and of the reference ($ref_name) on the corpus of $1 are the same bytes ($(wc -c <"$cur" | tr -d ' ') bytes)."
		return 0
	fi
	compared="the \`-o json\` outputs of ssmpolicy and of the reference ($ref_name) on the corpus of $1 DIFFER."
	{
		echo "findings changed: ssmpolicy's -o json on the corpus of $1 is not the reference's ($ref_name); first differences:"
		diff -u "$old" "$cur" | sed -n '1,40p' || true # diff exits 1 on a difference
	} >>"$tmp/failures"
}

# The corpus the findings are compared on: 10000 when measured, else the largest size.
compare_size=
if [ -n "$reference" ]; then
	for size in $sizes; do
		if [ "$size" = 10000 ]; then compare_size=10000; break; fi
		if [ "$size" -gt "${compare_size:-0}" ]; then compare_size=$size; fi
	done
fi
compared="findings not compared with a reference (--quick or --no-compare)."

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
		label="1 policy"
	else
		"$tmp/gencorpus" -n "$size" -seed "$seed" -out "$corpus"
		label="$size policies"
	fi
	note "corpus of $size: $(du -sh "$corpus" | cut -f1)"
	bench ssmpolicy "$size" "$label" "$size" "$tmp" "$ssmpolicy" check -o json "$corpus/manifest.yaml" || true # recorded in $tmp/failures
	if [ "$size" = "$compare_size" ]; then
		bench reference "$size" "$label" "$size" "$tmp" "$reference" check -o json "$corpus/manifest.yaml" || true
		same_findings "$size"
	fi
	# conftest gets the policy directories, not the root: the manifest is ssmpolicy's input, and
	# parsing megabytes of YAML that no conftest rule looks at would only slow conftest down.
	if [ -n "$conftest" ]; then
		bench conftest "$size" "$label" "$size" "$tmp" "$conftest" test --policy "$repo/bench/conftest" --no-color -o json "$corpus"/d*/ || true
	fi
	# 100,000 small files take about 400 MB of blocks: keep /tmp small unless asked not to.
	if [ "$keep" = 0 ]; then rm -rf "$corpus"; fi
done

# The everyday cases: a repository of 500 policies (200 with --quick) and their manifest. A
# pre-commit hook gives ssmpolicy only the 3 staged policy files; it finds the manifest that names
# them by its search of the project (the repository), and checks them with the manifest's facts.
# Then the whole repository, as a CI job checks it.
project=$tmp/repository-$repo_size
"$tmp/gencorpus" -n "$repo_size" -seed "$seed" -out "$project"
git init -q "$project" 2>/dev/null || mkdir "$project/.git" # a repository root bounds the search
staged=(d000/p000000.json d000/p000001.json d000/p000002.json)
label="pre-commit: 3 files of a repository of $repo_size"
bench ssmpolicy pre-commit "$label" 3 "$project" "$ssmpolicy" check -o json "${staged[@]}" || true
if [ -n "$conftest" ]; then
	bench conftest pre-commit "$label" 3 "$project" "$conftest" test --policy "$repo/bench/conftest" --no-color -o json "${staged[@]}" || true
fi
label="a repository of $repo_size, checked whole"
bench ssmpolicy repository "$label" "$repo_size" "$project" "$ssmpolicy" check -o json . || true
if [ -n "$conftest" ]; then
	bench conftest repository "$label" "$repo_size" "$project" "$conftest" test --policy "$repo/bench/conftest" --no-color -o json "$project"/d*/ || true
fi

load_after=$(loadavg)

# --- report ------------------------------------------------------------------------------------
echo "## ssmpolicy benchmark"
echo
echo "$(uname -sm), $( (nproc || sysctl -n hw.ncpu) 2>/dev/null) CPU, $(go env GOVERSION); seed $seed, median of $runs run(s)."
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
if [ -n "$cpu" ]; then echo "CPU: $cpu."; fi
echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after."
echo "ssmpolicy: ${ssmpolicy_version:-unknown version}${conftest:+; conftest $CONFTEST_VERSION ($("$conftest" --version 2>/dev/null | tr '\n' ' ' | sed 's/ *$//'))}."
if [ -n "$reference" ]; then echo "reference: ssmpolicy at $ref_name."; fi
echo
echo "| case | tool | files | median wall s | files/s | peak RSS MiB | findings | files/s vs conftest |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
awk -F'\t' -v results="$tmp/results" '
	BEGIN {
		while ((getline line < results) > 0) {
			split(line, f, "\t")
			n++; id[n] = f[1]; label[n] = f[2]; tool[n] = f[3]; size[n] = f[4]; wall[n] = f[5]; kib[n] = f[6]; found[n] = f[7]
			if (wall[n] == "FAILED") continue
			# A wall time under the clock resolution still ran: count it as 1 ms.
			rate[n] = size[n] / (wall[n] > 0 ? wall[n] : 0.001)
			if (tool[n] == "conftest") crate[id[n]] = rate[n]
		}
		for (i = 1; i <= n; i++) {
			if (wall[i] == "FAILED") {
				printf "| %s | %s | %d | FAILED | | | | |\n", label[i], tool[i], size[i]
				continue
			}
			ratio = "-"
			if (tool[i] != "conftest" && (id[i] in crate)) ratio = sprintf("%.2fx", rate[i] / crate[id[i]])
			printf "| %s | %s | %d | %.3f | %.0f | %.1f | %d | %s |\n", label[i], tool[i], size[i], wall[i], rate[i], kib[i] / 1024, found[i], ratio
		}
	}'

echo
echo "findings: ssmpolicy's findings at every level; conftest's deny messages (its rules cannot see the"
echo "manifest). peak RSS: the highest of the runs. reference: ssmpolicy built from the reference commit."
echo "No change in findings: $compared"

# Linearity: at 100,000 files the time per file should stay what it is at 10,000. A tool that
# sorts, deduplicates or re-reads quadratically shows it here first.
if [ "$full" = 1 ]; then
	echo
	echo "Time per file at 100000 files relative to 10000 (1.00 = linear; above 1.5 flagged):"
	echo
	awk -F'\t' -v results="$tmp/results" '
		BEGIN {
			while ((getline line < results) > 0) {
				split(line, f, "\t")
				if (f[5] != "FAILED") w[f[3], f[1]] = f[5]
				t[f[3]] = 1
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
