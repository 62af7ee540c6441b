#!/usr/bin/env bash
# bench.sh BUILD_DIR - benchmarks on generated national-size data.
#
# Data lives OUTSIDE the repository in ${ANGKA_BENCH_DIR:-/tmp/angka-bench}:
# a DTKS-like extract of BENCH_ROWS rows (default 10,000,000, ~1.7 GB) and a
# gzip -6 copy, generated once and reused while the generator and row count
# are unchanged. Helper programs are compiled into BUILD_DIR/bench/.
#
# The commands are run alternately (A B C A B C ...) for BENCH_ROUNDS rounds
# (default 3, at least 2), because this machine's speed drifts by up to 2x:
# only ratios measured in one run are comparable. Every command's stdout goes
# to /dev/null. Wall time, CPU time (user + sys) and peak RSS (GNU time) per
# run; the table shows the median wall time, its ratio to the baseline
# command measured in the same run, the median CPU time and its ratio (steadier
# than wall time when other jobs load the machine), MB/s of uncompressed input
# and the largest peak RSS. Targets are checked on wall time.
#
# Environment:
#   ANGKA_BENCH_DIR  data and results directory (default /tmp/angka-bench)
#   BENCH_ROWS       rows of the generated extract (e.g. 200000 for a smoke run)
#   BENCH_ROUNDS     rounds (default 3, minimum 2)
#   BENCH_ONLY       extended regex: run only commands whose name matches
#                    (the baseline always runs)
#   BENCH_STRICT=1   exit 1 when a target FAILs (default: report only)
#   BENCH_EXTRA      a bash file sourced into the ingest suite to add commands
#                    (A/B comparisons of prototype binaries)
#
# Results: a table on stdout and ${ANGKA_BENCH_DIR}/results-SUITE.csv.
#
# Adding a stage: in the "Suites" section at the end, call
#   bench_cmd NAME CMD [ARG...]           a command to time (argv, no shell)
#   bench_target NAME MAX_RATIO MAX_RSS_MB  a PASS/FAIL line
# then bench_run SUITE. BENCH_BASELINE names the command ratios refer to.
# A pipeline can be timed as: bench_cmd NAME sh -c 'a | b'.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
BUILD=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${ANGKA_BENCH_DIR:-/tmp/angka-bench}
BENCH_ROWS=${BENCH_ROWS:-10000000}
BENCH_ROUNDS=${BENCH_ROUNDS:-3}
BENCH_ONLY=${BENCH_ONLY:-}
BENCH_STRICT=${BENCH_STRICT:-0}
BENCH_BASELINE="zcat"
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 1; }

case $BENCH_ROWS in ''|*[!0-9]*) die "BENCH_ROWS must be a number" ;; esac
case $BENCH_ROUNDS in ''|*[!0-9]*) die "BENCH_ROUNDS must be a number" ;; esac
[ "$BENCH_ROUNDS" -ge 2 ] || BENCH_ROUNDS=2
[ -x "$TIME" ] || die "$TIME (GNU time) is needed for peak memory"
case $BENCH_DIR in
"$ROOT"|"$ROOT"/*) die "ANGKA_BENCH_DIR must be outside the repository" ;;
esac
mkdir -p "$BENCH_DIR" "$BUILD/bench"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
BUILD=$(cd "$BUILD" && pwd)

# ---------------------------------------------------------------- helpers
# build NAME SRC: compile SRC into $BUILD/bench/NAME when missing or older.
build() {
	local out=$BUILD/bench/$1 src=$ROOT/$2
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
		echo "bench: cc $2" >&2
		${CC:-cc} -std=c11 -O2 -Wall -Wextra -o "$out" "$src" -lcsv -lz
	fi
}
build gen-bench-dtks scripts/gen-bench-dtks.c
build csvcount tests/bench/csvcount.c
GEN=$BUILD/bench/gen-bench-dtks
CSVCOUNT=$BUILD/bench/csvcount

# ------------------------------------------------------------------- data
DTKS=$BENCH_DIR/dtks-$BENCH_ROWS.csv
DTKS_GZ=$DTKS.gz
STAMP=$DTKS.stamp
filesize() { stat -c %s "$1" 2>/dev/null || echo 0; }
gen_id=$(cksum <"$ROOT/scripts/gen-bench-dtks.c" | cut -d' ' -f1)

# The stamp records the generator's checksum and both sizes; anything else
# (a changed generator, an interrupted run) regenerates.
stamp_ok() {
	[ -f "$STAMP" ] || return 1
	local g s z
	read -r g s z <"$STAMP" || return 1
	[ "$g" = "$gen_id" ] && [ "$s" = "$(filesize "$DTKS")" ] &&
		[ "$z" = "$(filesize "$DTKS_GZ")" ]
}

if ! stamp_ok; then
	rm -f "$STAMP"
	need_kb=$((BENCH_ROWS / 5 + 1024))   # ~205 bytes/row for both files
	avail_kb=$(df -Pk "$BENCH_DIR" | awk 'NR == 2 { print $4 }')
	[ "$avail_kb" -gt "$need_kb" ] ||
		die "need ~$((need_kb / 1024)) MB free in $BENCH_DIR"
	echo "bench: generating $BENCH_ROWS rows into $DTKS" >&2
	"$GEN" -n "$BENCH_ROWS" "$DTKS.tmp"
	mv "$DTKS.tmp" "$DTKS"
	got=$("$CSVCOUNT" "$DTKS")
	[ "$got" = "rows $((BENCH_ROWS + 1)) fields $(((BENCH_ROWS + 1) * 20)) bytes $(filesize "$DTKS")" ] ||
		die "generated file does not parse as expected: $got"
	if command -v pigz >/dev/null 2>&1; then
		echo "bench: pigz -6" >&2
		pigz -6 -c "$DTKS" >"$DTKS_GZ.tmp"
	else
		echo "bench: gzip -6 (install pigz to make this faster)" >&2
		gzip -6 -c "$DTKS" >"$DTKS_GZ.tmp"
	fi
	mv "$DTKS_GZ.tmp" "$DTKS_GZ"
	echo "$gen_id $(filesize "$DTKS") $(filesize "$DTKS_GZ")" >"$STAMP"
fi
DTKS_BYTES=$(filesize "$DTKS")

# ---------------------------------------------------------------- harness
CMD_NAMES=()
CMD_LINES=()
TARGETS=()

# bench_cmd NAME CMD [ARG...]: add a command (run with stdout to /dev/null).
bench_cmd() {
	local name=$1
	shift
	if [ "$name" != "$BENCH_BASELINE" ] && [ -n "$BENCH_ONLY" ] &&
		! [[ $name =~ $BENCH_ONLY ]]; then
		return 0
	fi
	CMD_NAMES+=("$name")
	CMD_LINES+=("$(printf '%q ' "$@")")
}

# bench_target NAME MAX_RATIO MAX_RSS_MB: PASS if the median is within
# MAX_RATIO x the baseline and the peak RSS below MAX_RSS_MB ("-": no limit).
bench_target() {
	TARGETS+=("$1 $2 $3")
}

# run_one CMDLINE: sets RUN_S (wall s), RUN_CPU (user + sys s), RUN_KB (peak RSS).
run_one() {
	local tf=$BENCH_DIR/.time.$$ t0 t1 st=0
	t0=$(date +%s%N)
	eval "$TIME -f '%M %U %S' -o \"\$tf\" $1" >/dev/null || st=$?
	t1=$(date +%s%N)
	if [ "$st" -ne 0 ]; then
		echo "bench: command failed (exit $st): $1" >&2
		cat "$tf" >&2 2>/dev/null || true
		rm -f "$tf"
		exit 1
	fi
	RUN_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	local u sy
	read -r RUN_KB u sy < <(tail -n 1 "$tf")
	RUN_CPU=$(awk -v a="$u" -v b="$sy" 'BEGIN { printf "%.2f", a + b }')
	rm -f "$tf"
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 }
	END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# bench_run SUITE: time every command added since the last run, print the
# table and the targets, write results-SUITE.csv; then start a new suite.
bench_run() {
	local suite=$1 n=${#CMD_NAMES[@]} i r
	local -a times kbs cpus
	[ "$n" -gt 0 ] || return 0
	# Warm the page cache so round 1 is not penalised by disk reads.
	cat "$DTKS" "$DTKS_GZ" >/dev/null
	for ((i = 0; i < n; i++)); do times[i]=""; cpus[i]=""; kbs[i]=0; done
	echo "bench: suite $suite, $n commands x $BENCH_ROUNDS rounds, alternated" >&2
	for ((r = 1; r <= BENCH_ROUNDS; r++)); do
		for ((i = 0; i < n; i++)); do
			run_one "${CMD_LINES[i]}"
			times[i]+="$RUN_S "
			cpus[i]+="$RUN_CPU "
			[ "$RUN_KB" -gt "${kbs[i]}" ] && kbs[i]=$RUN_KB
			printf 'bench: round %d %-22s %8.3f s %8.2f cpu s %8d KB\n' \
				"$r" "${CMD_NAMES[i]}" "$RUN_S" "$RUN_CPU" "$RUN_KB" >&2
		done
	done
	local base="" cbase=""
	for ((i = 0; i < n; i++)); do
		if [ "${CMD_NAMES[i]}" = "$BENCH_BASELINE" ]; then
			base=$(echo "${times[i]}" | median)
			cbase=$(echo "${cpus[i]}" | median)
		fi
	done
	local csv=$BENCH_DIR/results-$suite.csv host
	host=$(uname -n)
	local when
	when=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	echo "suite,name,rows,input_bytes,rounds,median_s,min_s,max_s,ratio_to_baseline,baseline,median_cpu_s,cpu_ratio_to_baseline,mb_per_s,peak_rss_kb,times_s,cpu_s,date,host,command" >"$csv.tmp"
	echo
	echo "angka bench, suite $suite: $BENCH_ROWS rows, $((DTKS_BYTES / 1000000)) MB plain," \
		"$(($(filesize "$DTKS_GZ") / 1000000)) MB gzip -6; $BENCH_ROUNDS rounds alternated;" \
		"$(nproc) cores; $when"
	printf '%-22s %9s %9s %9s %8s %9s %6s %10s\n' command "median s" "min s" \
		"x $BENCH_BASELINE" "cpu s" "cpu x" "MB/s" "peak RSS"
	local -A MED RSS
	for ((i = 0; i < n; i++)); do
		local name=${CMD_NAMES[i]} med min max ratio mbs cmed cratio
		med=$(echo "${times[i]}" | median)
		min=$(echo "${times[i]}" | tr ' ' '\n' | grep . | sort -g | head -n 1)
		max=$(echo "${times[i]}" | tr ' ' '\n' | grep . | sort -g | tail -n 1)
		ratio=$(awk -v m="$med" -v b="$base" 'BEGIN { if (b > 0) printf "%.2f", m / b; else print "" }')
		cmed=$(echo "${cpus[i]}" | median)
		cratio=$(awk -v m="$cmed" -v b="$cbase" 'BEGIN { if (b > 0) printf "%.2f", m / b; else print "" }')
		mbs=$(awk -v m="$med" -v s="$DTKS_BYTES" 'BEGIN { if (m > 0) printf "%.0f", s / m / 1e6; else print "" }')
		MED[$name]=$med
		RSS[$name]=${kbs[i]}
		printf '%-22s %9.3f %9.3f %9s %8.2f %9s %6s %7.1f MB\n' "$name" "$med" \
			"$min" "$ratio" "$cmed" "$cratio" "$mbs" \
			"$(awk -v k="${kbs[i]}" 'BEGIN { print k / 1024 }')"
		local cmd=${CMD_LINES[i]% }
		printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"%s"\n' \
			"$suite" "$name" "$BENCH_ROWS" "$DTKS_BYTES" "$BENCH_ROUNDS" \
			"$med" "$min" "$max" "$ratio" "$BENCH_BASELINE" "$cmed" \
			"$cratio" "$mbs" "${kbs[i]}" "${times[i]% }" "${cpus[i]% }" \
			"$when" "$host" "${cmd//\"/\"\"}" >>"$csv.tmp"
	done
	echo
	echo "commands (stdout to /dev/null):"
	for ((i = 0; i < n; i++)); do
		printf '  %-20s %s\n' "${CMD_NAMES[i]}" "${CMD_LINES[i]% }"
	done
	echo
	local t name maxr maxmb fails=0
	for t in "${TARGETS[@]+"${TARGETS[@]}"}"; do
		read -r name maxr maxmb <<<"$t"
		[ -n "${MED[$name]+x}" ] || continue
		local ratio ok=1 why=""
		ratio=$(awk -v m="${MED[$name]}" -v b="$base" 'BEGIN { printf "%.2f", m / b }')
		if [ "$maxr" != "-" ]; then
			if awk -v r="$ratio" -v x="$maxr" 'BEGIN { exit !(r <= x) }'; then
				why="time ${ratio}x $BENCH_BASELINE <= ${maxr}x"
			else
				ok=0
				why="time ${ratio}x $BENCH_BASELINE > ${maxr}x"
			fi
		fi
		if [ "$maxmb" != "-" ]; then
			local mb
			mb=$(awk -v k="${RSS[$name]}" 'BEGIN { printf "%.1f", k / 1024 }')
			if awk -v a="$mb" -v x="$maxmb" 'BEGIN { exit !(a < x) }'; then
				why+="${why:+; }peak ${mb} MB < ${maxmb} MB"
			else
				ok=0
				why+="${why:+; }peak ${mb} MB >= ${maxmb} MB"
			fi
		fi
		if [ "$ok" = 1 ]; then
			echo "PASS $name: $why"
		else
			echo "FAIL $name: $why"
			fails=$((fails + 1))
		fi
	done
	mv "$csv.tmp" "$csv"
	echo "results: $csv"
	CMD_NAMES=()
	CMD_LINES=()
	TARGETS=()
	BENCH_FAILS=$((${BENCH_FAILS:-0} + fails))
}

# ----------------------------------------------------------------- suites
# ingest: the reader's floor (zcat, bare libcsv) against angka-ingest.
# Note: angka-ingest -o PATH writes a temp file beside PATH and renames it,
# so output to /dev/null goes through stdout (the harness redirects it).
BENCH_BASELINE="zcat"
bench_cmd zcat zcat "$DTKS_GZ"
bench_cmd csvcount-gz "$CSVCOUNT" "$DTKS_GZ"
bench_cmd csvcount-plain "$CSVCOUNT" "$DTKS"
bench_cmd ingest-gz "$BUILD/angka-ingest" --kind dtks -q "$DTKS_GZ"
bench_cmd ingest-plain "$BUILD/angka-ingest" --kind dtks -q "$DTKS"
bench_target ingest-gz 1.5 50
bench_target ingest-plain - 50
# BENCH_EXTRA=FILE: bash sourced here to add commands to this suite, e.g. a
# prototype binary for an A/B comparison in the same alternated run:
#   bench_cmd proto-gz /tmp/angka-proto/build/angka-ingest --kind dtks -q "$DTKS_GZ"
if [ -n "${BENCH_EXTRA:-}" ]; then
	# shellcheck disable=SC1090
	. "$BENCH_EXTRA"
fi
bench_run ingest

# Later stages (normalize, dedup) add their suite here, e.g.:
#   BENCH_BASELINE="zcat"
#   bench_cmd zcat zcat "$DTKS_GZ"
#   bench_cmd normalize "$BUILD/angka-normalize" ... "$CANONICAL"
#   bench_target normalize 2.0 50
#   bench_run normalize

if [ "${BENCH_FAILS:-0}" -gt 0 ] && [ "$BENCH_STRICT" = 1 ]; then
	exit 1
fi
exit 0
