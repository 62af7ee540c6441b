#!/usr/bin/env bash
# bench-pipeline.sh BUILD_DIR - end-to-end benchmark of
# angka-ingest | angka-normalize --kind dtks | angka-dedup on the national-size
# DTKS-like extract, against zcat and a cut|sort -u of the NIK column.
#
# Data lives OUTSIDE the repository in ${ANGKA_BENCH_DIR:-/tmp/angka-bench}:
# dtks-ROWS.csv and its gzip, generated with scripts/gen-bench-dtks.c as in
# scripts/bench.sh when missing. A region table covering every code in the
# extract (wilayah-ROWS.csv, kode,level,nama,kode_induk with dotted codes) is
# derived from the distinct KDPROP/KDKAB/KDKEC/KDDESA values.
#
# The three commands are run alternately (A B C A B C ...) for BENCH_ROUNDS
# rounds (default 3, at least 2): the machine's speed drifts by up to 2x, so
# only ratios measured in one run compare. Each stage of the pipe runs under
# /usr/bin/time -f '%e %M' so its peak RSS is known; dedup writes its output
# into a scratch directory beside the data (its writes are atomic: temp file
# + rename on the same disk), deleted after each run.
#
# Targets: pipeline and jobs2 (the chain as 'angka run --jobs 2' runs
# it: the task of the steps normalize:dtks and dedup:dtks, one pipe
# ingest | normalize --tee | dedup - with every output the driver asks
# for) median <= 2.5 x zcat; dedup peak RSS < 100 bytes per input record.
#
# Rows run1 and runS (S = BENCH_SHARDS, default 2; BENCH_SHARDS=0 skips
# both): the DTKS steps as the driver itself runs them, 'angka run --jobs 2'
# of a config with the region table and the gzip, [engine] shards = 1 and
# = S. The figure is the driver's own 'dedup:dtks done in' (the pair
# normalize:dtks + dedup:dtks from start to hashed outputs: the pipe, or
# the sharded tasks, their concatenation and the hashes). The run is then
# stopped (SIGSTOP), the sha256 of every output of the two steps taken in
# its run directory, and killed: the later steps (registry indicators)
# are not timed. The two rows' outputs must be equal (else exit 1).
#
# Row runSj1: the sharded run once more with --jobs 1, so its S tasks of
# a phase run one after another instead of side by side: runSj1 / runS
# is the speed-up that running the shards at once gives on this
# machine's cores (each task still uses its own threads). The sharded
# rows also report each phase's median time (run.log's 'phase K (N
# tasks) done in'), and the speed-up per phase.
#
# Environment:
#   ANGKA_BENCH_DIR  data and results directory (default /tmp/angka-bench)
#   BENCH_ROWS       rows (default 10000000). A smaller N uses the first N
#                    rows of the 10M file when it exists, else generates N.
#   BENCH_ROUNDS     rounds (default 3, minimum 2)
#   BENCH_STRICT=1   exit 1 when a target FAILs (default: report only)
#   BENCH_SHARDS     shards of the runS row (default 2; 0: no run rows)
#
# Results: a table on stdout and ${ANGKA_BENCH_DIR}/results-pipeline.csv.
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
BENCH_STRICT=${BENCH_STRICT:-0}
BENCH_SHARDS=${BENCH_SHARDS:-2}
FULL_ROWS=10000000
TIME=/usr/bin/time
MAX_RATIO=2.5
MAX_BYTES_PER_REC=100

die() { echo "bench-pipeline: $*" >&2; exit 1; }

case $BENCH_ROWS in ''|*[!0-9]*|0) die "BENCH_ROWS must be a positive number" ;; esac
case $BENCH_ROUNDS in ''|*[!0-9]*) die "BENCH_ROUNDS must be a number" ;; esac
case $BENCH_SHARDS in ''|*[!0-9]*) die "BENCH_SHARDS must be a number" ;; esac
[ "$BENCH_SHARDS" -ne 1 ] || die "BENCH_SHARDS must be 0 or at least 2"
[ "$BENCH_ROUNDS" -ge 2 ] || BENCH_ROUNDS=2
[ -x "$TIME" ] || die "$TIME (GNU time) is needed for peak memory"
case $BENCH_DIR in
"$ROOT"|"$ROOT"/*) die "ANGKA_BENCH_DIR must be outside the repository" ;;
esac
mkdir -p "$BENCH_DIR" "$BUILD/bench"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
BUILD=$(cd "$BUILD" && pwd)
for b in angka angka-ingest angka-normalize angka-dedup; do
	[ -x "$BUILD/$b" ] || die "$BUILD/$b missing (run make first)"
done

filesize() { stat -c %s "$1" 2>/dev/null || echo 0; }
gzip_to() {  # gzip_to SRC DST: gzip -6 SRC into DST atomically
	if command -v pigz >/dev/null 2>&1; then
		pigz -6 -c "$1" >"$2.tmp"
	else
		gzip -6 -c "$1" >"$2.tmp"
	fi
	mv "$2.tmp" "$2"
}

# ------------------------------------------------------------------- data
# The generator, built and called as scripts/bench.sh does.
GEN=$BUILD/bench/gen-bench-dtks
gen_src=$ROOT/scripts/gen-bench-dtks.c
if [ ! -x "$GEN" ] || [ "$gen_src" -nt "$GEN" ]; then
	echo "bench-pipeline: cc scripts/gen-bench-dtks.c" >&2
	${CC:-cc} -std=c11 -O2 -Wall -Wextra -o "$GEN" "$gen_src"
fi
gen_id=$(cksum <"$gen_src" | cut -d' ' -f1)

DTKS=$BENCH_DIR/dtks-$BENCH_ROWS.csv
DTKS_GZ=$DTKS.gz
STAMP=$DTKS.stamp
FULL=$BENCH_DIR/dtks-$FULL_ROWS.csv
stamp_ok() {
	[ -f "$STAMP" ] || return 1
	local g s z
	read -r g s z <"$STAMP" || return 1
	[ "$g" = "$gen_id" ] && [ "$s" = "$(filesize "$DTKS")" ] &&
		[ "$z" = "$(filesize "$DTKS_GZ")" ]
}
if ! stamp_ok; then
	rm -f "$STAMP"
	need_kb=$((BENCH_ROWS / 5 + 1024))
	avail_kb=$(df -Pk "$BENCH_DIR" | awk 'NR == 2 { print $4 }')
	[ "$avail_kb" -gt "$need_kb" ] || die "need ~$((need_kb / 1024)) MB free in $BENCH_DIR"
	# The 10M file is cut only if the same generator made it (its stamp).
	full_gen=$(cut -d' ' -f1 "$FULL.stamp" 2>/dev/null || true)
	if [ "$BENCH_ROWS" -lt "$FULL_ROWS" ] && [ -f "$FULL" ] &&
		[ "$full_gen" = "$gen_id" ]; then
		echo "bench-pipeline: first $BENCH_ROWS rows of $FULL" >&2
		head -n $((BENCH_ROWS + 1)) "$FULL" >"$DTKS.tmp"
	else
		echo "bench-pipeline: generating $BENCH_ROWS rows into $DTKS" >&2
		"$GEN" -n "$BENCH_ROWS" "$DTKS.tmp"
	fi
	mv "$DTKS.tmp" "$DTKS"
	gzip_to "$DTKS" "$DTKS_GZ"
	echo "$gen_id $(filesize "$DTKS") $(filesize "$DTKS_GZ")" >"$STAMP"
fi

DTKS_BYTES=$(filesize "$DTKS")

# The region table: every distinct KDPROP;KDKAB;KDKEC;KDDESA. The address
# (8th column) may be quoted and hold ';', so the codes are counted from the
# end of the line (columns after the address never hold ';'). KDKEC is the
# 2-digit Kemendagri form, as in the NIK.
WIL=$BENCH_DIR/wilayah-$BENCH_ROWS.csv
if [ ! -s "$WIL" ] || [ "$DTKS" -nt "$WIL" ]; then
	echo "bench-pipeline: region table $WIL" >&2
	awk -F';' 'NR > 1 { print $(NF-9) ";" $(NF-8) ";" $(NF-7) ";" $(NF-6) }' "$DTKS" |
		LC_ALL=C sort -u |
		awk -F';' '
		BEGIN { print "kode,level,nama,kode_induk" }
		{
			p = $1; k = p "." $2; c = k "." $3; d = c "." $4
			if (!(p in seen)) { seen[p]; print p ",provinsi,Provinsi " p "," }
			if (!(k in seen)) { seen[k]; print k ",kabupaten,Kabupaten " k "," p }
			if (!(c in seen)) { seen[c]; print c ",kecamatan,Kecamatan " c "," k }
			if (!(d in seen)) { seen[d]; print d ",desa,Desa " d "," c }
		}' >"$WIL.tmp"
	mv "$WIL.tmp" "$WIL"
fi
NREGIONS=$(($(wc -l <"$WIL") - 1))

# --------------------------------------------------------------- commands
SCRATCH=$(mktemp -d "$BENCH_DIR/pipeline-scratch.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT INT TERM
T_ING=$SCRATCH/time.ingest
T_NOR=$SCRATCH/time.normalize
T_DED=$SCRATCH/time.dedup
T_ALL=$SCRATCH/time.all

# jobs2: the chain as 'angka run --jobs 2' runs it (pipeline/plan.c,
# sched.c): the steps normalize:dtks and dedup:dtks as one pipe, ingest
# (with its quarantine) | normalize writing private/normalized/dtks.csv
# and its quarantine and, with --tee, the same bytes to dedup, which
# writes every output of the step (unique, duplicates, review,
# households, golden, household counts). The driver's commands with
# the run directory's paths in the scratch directory ($O); no --config
# (the defaults, as a config without those sections). On 10M rows its
# outputs take 5.9 GB (the table 2.7 GB, the unique file 2.9 GB, the
# golden records of merged persons 79 MB), the pipeline row's unique
# file 2.9 GB more: the scratch directory beside the data needs that
# much free space.
O=$SCRATCH/run
NAMES=(zcat cut-sort pipeline jobs2)
CMDS=(
	"zcat '$DTKS_GZ' >/dev/null"
	"cut -d';' -f2 '$DTKS' | LC_ALL=C sort -u | wc -l >/dev/null"
	"'$TIME' -f '%e %M' -o '$T_ING' '$BUILD/angka-ingest' --kind dtks -q '$DTKS_GZ' |
 '$TIME' -f '%e %M' -o '$T_NOR' '$BUILD/angka-normalize' --kind dtks -q --wilayah '$WIL' - |
 '$TIME' -f '%e %M' -o '$T_DED' '$BUILD/angka-dedup' -q -o '$SCRATCH/unique.csv' -"
	"'$BUILD/angka-ingest' --kind=dtks --quarantine='$O/q.ingest.csv' '$DTKS_GZ' </dev/null 2>'$O/err0' |
 '$BUILD/angka-normalize' --kind=dtks --quarantine='$O/q.normalize.csv' --output='$O/dtks.csv' --wilayah='$WIL' --tee - 2>'$O/err1' |
 '$BUILD/angka-dedup' --output='$O/dtks_unik.csv' --duplicates='$O/duplicates.csv' --review='$O/review.csv' --households='$O/households.csv' --golden='$O/dtks_golden.csv' --household-counts='$O/rumah_tangga_desa.csv' --wilayah='$WIL' - >/dev/null 2>'$O/err2'"
)

# run1, runS: 'angka run --jobs 2' of a config of the region table and
# the gzip with [engine] shards = 1 and S (run_driver).
if [ "$BENCH_SHARDS" -gt 1 ]; then
	for s in 1 "$BENCH_SHARDS"; do
		cat >"$SCRATCH/run$s.ini" <<EOF
; bench-pipeline.sh: the DTKS steps as the driver runs them
[angka]
name = bench
output_dir = $SCRATCH/drv
[run]
retention = 1
[input.wilayah]
files = $WIL
[input.dtks]
files = $DTKS_GZ
[registry]
tahun = 2024
[chart]
formats = none
[engine]
shards = $s
EOF
		NAMES+=("run$s")
		CMDS+=("'$BUILD/angka' run --jobs 2 -c '$SCRATCH/run$s.ini' (timed to 'dedup:dtks done in', then stopped)")
	done
	NAMES+=("run${BENCH_SHARDS}j1")
	CMDS+=("'$BUILD/angka' run --jobs 1 -c '$SCRATCH/run$BENCH_SHARDS.ini' (timed to 'dedup:dtks done in', then stopped)")
fi
# The outputs of normalize:dtks and dedup:dtks in a run directory.
RUN_OUTPUTS="private/normalized/dtks.csv private/quarantine/dtks.ingest.csv
 private/quarantine/dtks.normalize.csv private/dtks_unik.csv
 private/duplicates.csv private/review.csv private/households.csv
 private/dtks_golden.csv indicators/rumah_tangga_desa.csv"

# run_driver S [JOBS]: angka run --jobs JOBS (default 2) with shards = S
# until its dedup:dtks is done; RUN_S is the driver's time for the step
# pair, RUN_PHASES the sharded phases' times (run.log), the outputs'
# sha256 go to $SCRATCH/sums.S[jJOBS] (compared across rows at the end).
run_driver() {
	local s=$1 j=${2:-2} pid st=0 d sums=$SCRATCH/sums.$1
	[ "$j" = 2 ] || sums+=j$j
	rm -rf "$SCRATCH/drv" "$SCRATCH/drv.runs"
	setsid "$BUILD/angka" run --jobs "$j" -c "$SCRATCH/run$s.ini" \
		>"$SCRATCH/drv.out" 2>"$SCRATCH/drv.err" </dev/null &
	pid=$!
	until grep -q 'dedup:dtks  *done in' "$SCRATCH/drv.err"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" || st=$?
			echo "bench-pipeline: angka run (shards $s) ended (exit $st) before dedup:dtks was done" >&2
			cat "$SCRATCH/drv.err" >&2
			exit 1
		fi
		sleep 0.1
	done
	kill -STOP -- "-$pid"
	RUN_S=$(sed -n 's/.*dedup:dtks  *done in \([0-9.]*\) s.*/\1/p' "$SCRATCH/drv.err")
	RUN_KB=0
	d=$SCRATCH/drv.runs/tmp-$pid
	(cd "$d" && sha256sum $RUN_OUTPUTS) >"$sums" ||
		die "cannot hash the outputs in $d"
	RUN_PHASES=$(sed -n 's/.*sharded: phase \([0-9]*\) ([0-9]* tasks*) done in \([0-9.]*\) s.*/\1 \2/p' "$d/run.log")
	kill -KILL -- "-$pid"
	wait "$pid" 2>/dev/null || true
	rm -rf "$SCRATCH/drv" "$SCRATCH/drv.runs"
	RUN_LOG=$(grep -E 'done in' "$SCRATCH/drv.err" | sed 's/^angka: //; s/  */ /g' | paste -sd';' -)
}

# run_one I: run command I under bash with pipefail; sets RUN_S, RUN_KB.
run_one() {
	local t0 t1 st=0
	case ${NAMES[$1]} in
	run[0-9]*j1) local n=${NAMES[$1]#run}; run_driver "${n%j1}" 1; return ;;
	run[0-9]*) run_driver "${NAMES[$1]#run}"; return ;;
	esac
	rm -rf "$SCRATCH"/unique.csv* "$O" "$T_ING" "$T_NOR" "$T_DED"
	mkdir "$O"
	t0=$(date +%s%N)
	"$TIME" -f '%e %M' -o "$T_ALL" bash -o pipefail -c "${CMDS[$1]}" || st=$?
	t1=$(date +%s%N)
	if [ "$st" -ne 0 ]; then
		echo "bench-pipeline: command failed (exit $st): ${CMDS[$1]}" >&2
		cat "$T_ING" "$T_NOR" "$T_DED" "$O"/err* 2>/dev/null >&2 || true
		exit 1
	fi
	RUN_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	RUN_KB=$(tail -n 1 "$T_ALL" | awk '{ print $2 }')
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 }
	END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { tr ' ' '\n' | grep . | sort -g | tail -n 1; }

# Warm the page cache so round 1 is not penalised by disk reads.
cat "$DTKS" "$DTKS_GZ" >/dev/null
declare -A TIMES KBS PH NPH
for n in "${NAMES[@]}" ingest normalize dedup sync; do TIMES[$n]=""; KBS[$n]=""; done
echo "bench-pipeline: $BENCH_ROWS rows, $NREGIONS regions, ${#NAMES[@]} commands x $BENCH_ROUNDS rounds, alternated" >&2
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	for ((i = 0; i < ${#NAMES[@]}; i++)); do
		run_one "$i"
		name=${NAMES[i]}
		TIMES[$name]+="$RUN_S "
		KBS[$name]+="$RUN_KB "
		extra=""
		if [ "$name" = pipeline ]; then
			for s in ingest normalize dedup; do
				f=$SCRATCH/time.$s
				read -r se kb < <(tail -n 1 "$f")
				TIMES[$s]+="$se "
				KBS[$s]+="$kb "
				extra+=" $s ${se}s ${kb}KB"
			done
			# The stages write atomically but do not fsync (the
			# driver syncs a run once, before publishing it): the
			# disk write left over (syncfs of the file system that
			# holds unique.csv) is timed here, apart, so that the
			# figure is known and the next command starts on a
			# quiet disk.
			t0=$(date +%s%N)
			sync -f "$SCRATCH/unique.csv"
			t1=$(date +%s%N)
			se=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
			TIMES[sync]+="$se "
			KBS[sync]+="0 "
			extra+=" (then sync ${se}s)"
		fi
		case $name in run[0-9]*)
			extra=" ($RUN_LOG)"
			while read -r ph se; do
				[ -n "$ph" ] || continue
				PH[$name.$ph]+="$se "
				NPH[$name]=$((ph + 1))
			done <<<"$RUN_PHASES"
			;;
		esac
		printf 'bench-pipeline: round %d %-9s %8.3f s%s\n' "$r" "$name" "$RUN_S" "$extra" >&2
	done
done
rm -rf "$SCRATCH"/unique.csv* "$O"

# ----------------------------------------------------------------- report
when=$(date -u +%Y-%m-%dT%H:%M:%SZ)
host=$(uname -n)
base=$(echo "${TIMES[zcat]}" | median)
csv=$BENCH_DIR/results-pipeline.csv
echo "suite,name,rows,input_bytes,rounds,median_s,ratio_to_zcat,peak_rss_kb,bytes_per_record,times_s,date,host,command" >"$csv.tmp"
echo
echo "angka bench, suite pipeline: $BENCH_ROWS rows, $((DTKS_BYTES / 1000000)) MB plain," \
	"$(($(filesize "$DTKS_GZ") / 1000000)) MB gzip; $NREGIONS regions;" \
	"$BENCH_ROUNDS rounds alternated; $(nproc) cores; $when"
printf '%-10s %9s %8s %11s %9s\n' command "median s" "x zcat" "peak RSS" "B/record"
declare -A MED PEAK
for name in "${NAMES[@]}" ingest normalize dedup sync; do
	med=$(echo "${TIMES[$name]}" | median)
	kb=$(echo "${KBS[$name]}" | maxof)
	ratio=$(awk -v m="$med" -v b="$base" 'BEGIN { printf "%.2f", m / b }')
	bpr=$(awk -v k="$kb" -v n="$BENCH_ROWS" 'BEGIN { printf "%.1f", k * 1024 / n }')
	MED[$name]=$med
	PEAK[$name]=$kb
	label=$name
	case $name in ingest|normalize|dedup) label="  $name" ;; sync) label="+ sync" ;; esac
	case $name in
	run[0-9]*)  # no peak: the driver's children are not timed
		printf '%-10s %9.3f %8s %11s %9s\n' "$label" "$med" "$ratio" - - ;;
	*)
		printf '%-10s %9.3f %8s %8.1f MB %9s\n' "$label" "$med" "$ratio" \
			"$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$bpr" ;;
	esac
	case $name in
	zcat) cmd=${CMDS[0]} ;; cut-sort) cmd=${CMDS[1]} ;; pipeline) cmd=${CMDS[2]} ;;
	jobs2) cmd=${CMDS[3]} ;;
	run[0-9]*j1) cmd="angka run --jobs 1, [engine] shards = ${name#run}: the step pair's 'done in'"
		cmd=${cmd/ = ${name#run}/ = ${name:3:-2}} ;;
	run[0-9]*) cmd="angka run --jobs 2, [engine] shards = ${name#run}: the step pair's 'done in'" ;;
	sync) cmd="sync -f unique.csv (syncfs) after the pipeline (not part of its time)" ;;
	*) cmd="(stage of pipeline)" ;;
	esac
	cmd=${cmd//$'\n'/}
	printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"%s"\n' pipeline "$name" \
		"$BENCH_ROWS" "$DTKS_BYTES" "$BENCH_ROUNDS" "$med" "$ratio" "$kb" "$bpr" \
		"${TIMES[$name]% }" "$when" "$host" "${cmd//\"/\"\"}" >>"$csv.tmp"
done
echo
echo "commands:"
for ((i = 0; i < ${#NAMES[@]}; i++)); do
	printf '  %-9s %s\n' "${NAMES[i]}" "${CMDS[i]//$'\n'/}"
done
echo "  (stage times are /usr/bin/time %e inside the pipe: they overlap)"
echo "  (+ sync: writing the unique file to disk afterwards; the stages do not fsync"
echo "   by default, the driver syncs each run once before publishing it)"
echo

fails=0
differ=0
ratio=$(awk -v m="${MED[pipeline]}" -v b="$base" 'BEGIN { printf "%.2f", m / b }')
if awk -v r="$ratio" -v x="$MAX_RATIO" 'BEGIN { exit !(r <= x) }'; then
	echo "PASS pipeline: time ${ratio}x zcat <= ${MAX_RATIO}x"
else
	echo "FAIL pipeline: time ${ratio}x zcat > ${MAX_RATIO}x"
	fails=$((fails + 1))
fi
ratio=$(awk -v m="${MED[jobs2]}" -v b="$base" 'BEGIN { printf "%.2f", m / b }')
if awk -v r="$ratio" -v x="$MAX_RATIO" 'BEGIN { exit !(r <= x) }'; then
	echo "PASS jobs2: time ${ratio}x zcat <= ${MAX_RATIO}x"
else
	echo "FAIL jobs2: time ${ratio}x zcat > ${MAX_RATIO}x"
	fails=$((fails + 1))
fi
if [ "$BENCH_SHARDS" -gt 1 ]; then
	S=$BENCH_SHARDS
	# speedup BASE ROW: sp (median BASE / median ROW) and per (the same
	# round by round).
	speedup() {
		sp=$(awk -v a="${MED[$1]}" -v b="${MED[$2]}" 'BEGIN { printf "%.2f", a / b }')
		per=$(paste -d' ' <(echo "${TIMES[$1]}" | tr ' ' '\n' | grep .) \
			<(echo "${TIMES[$2]}" | tr ' ' '\n' | grep .) |
			awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), $1 / $2 }')
	}
	speedup run1 "run$S"
	echo "run$S: the DTKS steps as 'angka run --jobs 2' runs them, shards = $S" \
		"against shards = 1: median ${MED[run$S]} s against ${MED[run1]} s," \
		"speed-up ${sp} x (per round: $per)"
	J=run${S}j1
	speedup "$J" "run$S"
	echo "run$S against $J: the sharded run with its tasks side by side" \
		"(--jobs 2) against one at a time (--jobs 1): median ${MED[run$S]} s" \
		"against ${MED[$J]} s, speed-up ${sp} x (per round: $per)"
	echo "  phase   --jobs 1   --jobs 2   speed-up   (median s of run.log's 'phase K done in')"
	for ((ph = 0; ph < ${NPH[run$S]:-0}; ph++)); do
		a=$(echo "${PH[$J.$ph]:-}" | median)
		b=$(echo "${PH[run$S.$ph]:-}" | median)
		[ -n "$a" ] && [ -n "$b" ] || continue
		printf '  %5d %10.2f %10.2f %9.2f x\n' "$ph" "$a" "$b" \
			"$(awk -v a="$a" -v b="$b" 'BEGIN { print (b > 0 ? a / b : 0) }')"
	done
	for f in "$S" "${S}j1"; do
		if cmp -s "$SCRATCH/sums.1" "$SCRATCH/sums.$f"; then
			echo "PASS run$f: its $(wc -l <"$SCRATCH/sums.1") outputs equal those of shards = 1 (sha256)"
		else
			echo "FAIL run$f: outputs differ from shards = 1:"
			diff "$SCRATCH/sums.1" "$SCRATCH/sums.$f" || true
			fails=$((fails + 1))
			differ=1
		fi
	done
fi
bpr=$(awk -v k="${PEAK[dedup]}" -v n="$BENCH_ROWS" 'BEGIN { printf "%.1f", k * 1024 / n }')
if awk -v b="$bpr" -v x="$MAX_BYTES_PER_REC" 'BEGIN { exit !(b < x) }'; then
	echo "PASS dedup: peak ${bpr} B/record < ${MAX_BYTES_PER_REC} B/record"
else
	echo "FAIL dedup: peak ${bpr} B/record >= ${MAX_BYTES_PER_REC} B/record"
	fails=$((fails + 1))
fi
mv "$csv.tmp" "$csv"
echo "results: $csv"
[ "$differ" = 0 ] || exit 1
if [ "$fails" -gt 0 ] && [ "$BENCH_STRICT" = 1 ]; then
	exit 1
fi
exit 0
