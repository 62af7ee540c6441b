#!/usr/bin/env bash
# bench-shard.sh BUILD_DIR - sharded normalize and dedup against one process
# and against zcat, on the national-size DTKS-like extract, in one run; and
# the projection of the figures to a 280M-row DTSEN extract (issue 18).
#
# Data: ${ANGKA_BENCH_DIR:-/tmp/angka-bench}/dtks-ROWS.csv.gz, made by
# scripts/bench-pipeline.sh (generated here the same way when missing); it
# is only read. Scratch and results in ${BENCH_SHARD_DIR:-/tmp/angka-bench-
# shard} (outside the repository; the big files are deleted at the end).
#
# Steps, each under /usr/bin/time (wall, peak RSS, user + sys CPU):
#   zcat          zcat of the gzip to /dev/null (the baseline)
#   chain         angka-ingest | angka-normalize | angka-dedup -o unique,
#                 one process each (the pipe of bench-pipeline.sh)
#   ingest        angka-ingest to a file (normalize --shard needs a file)
#   normalize     angka-normalize of that file, one process
# and for each shard count S of BENCH_SHARDS:
#   normalize-sh-S  angka-normalize --shard K/S, K = 0..S-1, JOBS at a
#                 time (xargs -P); the outputs concatenated must equal
#                 the one-process output (cmp)
# then BENCH_ROUNDS rounds, each alternating one process and the sharded
# dedup on the same normalized rows (a shared machine's load drifts:
# each round's pair is compared, not a run of one with a run of the
# other minutes later):
#   dedup-1-S-R   angka-dedup -v of the normalized file, one process
#   prep-S-R      angka-dedup --recs-out of each normalize shard's output
#                 (a part: its rows read once), JOBS at a time
#   shards-S-R    angka-dedup --recs ... --shard K/S --pairs-out, JOBS at
#                 a time (no CSV read: the parts' recs; each shard runs
#                 its cells of the work plan, docs/dedup.md)
#   merge-S-R     angka-dedup --merge-pairs of the S pair files with the
#                 recs (the rows' text read where it is in the parts);
#                 unique, duplicates and review must equal one
#                 process's (cmp); its -v pass times (load, pair files,
#                 scoring, output) in the table's note
# and once the same pinned (taskset), the case of a cluster of one-core
# nodes: dedup-pin-S one process on core 0 (its threads share it), and
# prep-pin-S, shards-pin-S, merge-pin-S with every task on a core of its
# own (JOBS at a time, in waves: cores 0..JOBS-1), the merge on core 0.
# The figures go to stdout (tables) and to results-shard.csv: the
# sharded dedup (prepare + shards + merge) against one process, wall and
# CPU, with its speed-up (one process's wall over the sharded wall) per
# round, and the pinned scaling (one core against a core per task); the
# last lines project 280M rows on 1, 16 and 64 cores from the per-record
# and per-shard figures of the largest S (see the comment there).
#
# Environment:
#   BENCH_ROWS    rows (default 10000000)
#   BENCH_SHARDS  shard counts S (default "2 4"; the parts are S too)
#   BENCH_JOBS    processes run at a time (default 2, the cores here;
#                 the pinned runs need as many cores)
#   BENCH_ROUNDS  alternated rounds per S (default 2)
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA_DIR=${ANGKA_BENCH_DIR:-/tmp/angka-bench}
WORK=${BENCH_SHARD_DIR:-/tmp/angka-bench-shard}
ROWS=${BENCH_ROWS:-10000000}
SHARDS=${BENCH_SHARDS:-2 4}
JOBS=${BENCH_JOBS:-2}
ROUNDS=${BENCH_ROUNDS:-2}
TIME=/usr/bin/time
die() { echo "bench-shard: $*" >&2; exit 1; }
case $WORK/ in "$ROOT"/*) die "BENCH_SHARD_DIR must be outside the repository" ;; esac
case $ROWS$JOBS$ROUNDS${SHARDS// /} in
*[!0-9]*) die "BENCH_ROWS, BENCH_SHARDS, BENCH_JOBS, BENCH_ROUNDS: numbers" ;;
esac
# The task commands hold the paths unquoted.
case $WORK in *[!A-Za-z0-9_./+-]*) die "BENCH_SHARD_DIR: letters, digits and _./+- only" ;; esac
{ [ "$JOBS" -ge 1 ] && [ "$ROUNDS" -ge 1 ]; } || die "BENCH_JOBS, BENCH_ROUNDS: at least 1"
[ "$JOBS" -le "$(nproc)" ] || die "BENCH_JOBS $JOBS: more than the $(nproc) cores (the pinned runs)"
command -v taskset > /dev/null || die "taskset (util-linux) is needed"
[ -n "${SHARDS// /}" ] || die "BENCH_SHARDS: at least one shard count"
[ -x "$TIME" ] || die "$TIME (GNU time) is needed"
for b in angka-ingest angka-normalize angka-dedup; do
	[ -x "$BUILD/$b" ] || die "$BUILD/$b missing (run make first)"
done
mkdir -p "$DATA_DIR" "$WORK"
GZ=$DATA_DIR/dtks-$ROWS.csv.gz
if [ ! -s "$GZ" ]; then
	mkdir -p "$BUILD/bench"
	${CC:-cc} -std=c11 -O2 -Wall -Wextra -o "$BUILD/bench/gen-bench-dtks" \
		"$ROOT/scripts/gen-bench-dtks.c"
	echo "bench-shard: generating $ROWS rows into $GZ" >&2
	"$BUILD/bench/gen-bench-dtks" -n "$ROWS" - | gzip -6 > "$GZ.tmp.$$"
	mv "$GZ.tmp.$$" "$GZ"
fi
SCR=$(mktemp -d "$WORK/run.XXXXXX")
trap 'rm -rf "$SCR"' EXIT INT TERM
WIL=$SCR/wilayah.csv
# The region table of every code in the extract, as bench-pipeline.sh
# derives it (the address may hold ';': the codes are counted from the end).
zcat "$GZ" | awk -F';' 'NR > 1 { print $(NF-9) ";" $(NF-8) ";" $(NF-7) ";" $(NF-6) }' |
	LC_ALL=C sort -u | awk -F';' '
	BEGIN { print "kode,level,nama,kode_induk" }
	{
		p = $1; k = p "." $2; c = k "." $3; d = c "." $4
		if (!(p in s)) { s[p]; print p ",provinsi,Provinsi " p "," }
		if (!(k in s)) { s[k]; print k ",kabupaten,Kabupaten " k "," p }
		if (!(c in s)) { s[c]; print c ",kecamatan,Kecamatan " c "," k }
		if (!(d in s)) { s[d]; print d ",desa,Desa " d "," c }
	}' > "$WIL"
cat "$GZ" > /dev/null


RES=$WORK/results-shard.csv
echo "step,wall_s,peak_kb,cpu_s" > "$RES.tmp"
# timed NAME CMD...: run CMD under time; a row in RES, the figures in
# W_<NAME>, M_<NAME>, C_<NAME>.
timed() {
	local name=$1 f=$SCR/t.$1
	shift
	local t0 t1
	t0=$(date +%s%N)
	"$TIME" -f '%e %M %U %S' -o "$f" "$@"
	t1=$(date +%s%N)
	local w m c
	w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	read -r _ m u s < <(tail -n 1 "$f")
	c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	printf -v "W_${name//-/_}" %s "$w"
	printf -v "M_${name//-/_}" %s "$m"
	printf -v "C_${name//-/_}" %s "$c"
	echo "$name,$w,$m,$c" >> "$RES.tmp"
	echo "bench-shard: $name ${w}s ${m}KB cpu ${c}s" >&2
}
# tasks.sh PIN S JOBS TEMPLATE: TEMPLATE (sh) with @K@ = 0..S-1, JOBS at
# a time; PIN 1: in waves of JOBS, the i-th task of a wave on core i
# alone (taskset). Fails if a task fails.
cat > "$SCR/tasks.sh" <<'TASKS'
pin=$1 s=$2 jobs=$3 t=$4
if [ "$pin" = 0 ]; then
	seq 0 $((s - 1)) | xargs -P "$jobs" -I @K@ sh -c "$t"
	exit
fi
k=0 bad=0
while [ $k -lt "$s" ]; do
	pids=
	c=0
	while [ $c -lt "$jobs" ] && [ $((k + c)) -lt "$s" ]; do
		taskset -c $c sh -c "${t//@K@/$((k + c))}" &
		pids="$pids $!"
		c=$((c + 1))
	done
	for p in $pids; do wait "$p" || bad=1; done
	k=$((k + c))
done
exit $bad
TASKS
# Shell pipelines and xargs report the peak of their largest child.
NB=$BUILD
timed zcat sh -c "zcat '$GZ' > /dev/null"
timed chain bash -o pipefail -c "'$NB/angka-ingest' --kind dtks -q '$GZ' |
	'$NB/angka-normalize' --kind dtks -q --wilayah '$WIL' - |
	'$NB/angka-dedup' -q -o '$SCR/chain-unique.csv' -"
rm -f "$SCR/chain-unique.csv"
timed ingest "$NB/angka-ingest" --kind dtks -q -o "$SCR/canon.csv" "$GZ"
timed normalize "$NB/angka-normalize" --kind dtks -q --wilayah "$WIL" \
	-o "$SCR/n.csv" "$SCR/canon.csv"
# dedup -v: "angka-dedup: pass PASS N.NN s" per pass.
pass() { awk -v p="$2" '$2 == "pass" && $3 == p { print $4 + 0; exit }' "$1"; }
# one NAME [taskset -c 0]: one process's dedup of n.csv into $SCR/one.
one() {
	local name=$1
	shift
	rm -rf "$SCR/one"
	mkdir "$SCR/one"
	timed "$name" sh -c "cd $SCR/one && $* $NB/angka-dedup -v -o u.csv \
		--duplicates d.csv --review r.csv $SCR/n.csv 2> err"
}
# sharded TAG PIN: the sharded dedup of the parts n.K.csv (prep, shards,
# merge) into $SCR/sh, its outputs compared with $SCR/one's.
sharded() {
	local tag=$1 pin=$2 k recs='' parts='' merge='' mpin=''
	for k in $(seq 0 $((S - 1))); do
		recs="$recs --recs $SCR/sh/recs.$k"
		parts="$parts $SCR/n.$k.csv"
		merge="$merge --merge-pairs $SCR/sh/pairs.$k"
	done
	[ "$pin" = 0 ] || mpin="taskset -c 0"
	rm -rf "$SCR/sh"
	mkdir "$SCR/sh"
	# The normalize shards' outputs are the parts: each read once into
	# its recs (the parts after the first have no header: --header-from).
	timed prep-"$tag" bash "$SCR/tasks.sh" "$pin" "$S" "$JOBS" "hf=; [ @K@ -eq 0 ] ||
		hf='--header-from $SCR/n.0.csv'; exec $NB/angka-dedup -q \
		--recs-out $SCR/sh/recs.@K@ \$hf $SCR/n.@K@.csv"
	timed shards-"$tag" bash "$SCR/tasks.sh" "$pin" "$S" "$JOBS" "exec $NB/angka-dedup -q \
		--shard @K@/$S --pairs-out $SCR/sh/pairs.@K@ $recs $parts"
	timed merge-"$tag" sh -c "cd $SCR/sh && $mpin $NB/angka-dedup -v -o u.csv \
		--duplicates d.csv --review r.csv $merge $recs $parts 2> err"
	for f in u.csv d.csv r.csv; do
		cmp "$SCR/one/$f" "$SCR/sh/$f" || die "sharded dedup ($tag): $f differs"
	done
	# The merge's passes (wall s): loading the recs, reading the pair
	# files, scoring and clusters, the output (unique to commit).
	local p o=0
	for p in read blocking scoring; do
		printf -v "G_${p^^}_${tag//-/_}" %s "$(pass "$SCR/sh/err" $p)"
	done
	for p in unique households commit; do
		o=$(awk -v a="$o" -v b="$(pass "$SCR/sh/err" $p)" 'BEGIN { print a + b }')
	done
	printf -v "G_OUT_${tag//-/_}" %s "$o"
	# Shard 0 again with -v: the share of its time spent loading the
	# recs (every shard loads every row) against its blocking (its
	# cells only).
	if [ "$pin" = 0 ]; then
		# shellcheck disable=SC2086
		"$NB/angka-dedup" -v --shard "0/$S" --pairs-out "$SCR/sh/pairs.v" $recs $parts \
			2> "$SCR/sh/err0"
		printf -v "S_READ_${tag//-/_}" %s "$(pass "$SCR/sh/err0" read)"
		printf -v "S_BLOCK_${tag//-/_}" %s "$(pass "$SCR/sh/err0" blocking)"
	fi
}
SHARD_ROWS=
for S in $SHARDS; do
	seq 0 $((S - 1)) > "$SCR/ks"
	timed normalize-sh-"$S" sh -c "xargs -P $JOBS -I @K@ '$NB/angka-normalize' --kind dtks -q \
		--wilayah '$WIL' --shard @K@/$S -o '$SCR/n.@K@.csv' '$SCR/canon.csv' < '$SCR/ks'"
	for k in $(seq 0 $((S - 1))); do cat "$SCR/n.$k.csv"; done | cmp - "$SCR/n.csv" ||
		die "sharded normalize differs ($S shards)"
	for r in $(seq 1 "$ROUNDS"); do
		one "dedup-1-$S-$r"
		[ -n "${P_READ:-}" ] || {
			P_READ=$(pass "$SCR/one/err" read)
			P_BLOCK=$(pass "$SCR/one/err" blocking)
			P_SCORE=$(pass "$SCR/one/err" scoring)
			# The output: the unique pass to the commit.
			P_COMMIT=$(awk -v a="$(pass "$SCR/one/err" unique)" \
				-v b="$(pass "$SCR/one/err" households)" \
				-v c="$(pass "$SCR/one/err" commit)" \
				'BEGIN { print a + b + c }')
			v=W_dedup_1_${S}_$r; W_dedup=${!v}
			v=C_dedup_1_${S}_$r; C_dedup=${!v}
			v=M_dedup_1_${S}_$r; M_dedup=${!v}
		}
		sharded "$S-$r" 0
	done
	one "dedup-pin-$S" "taskset -c 0"
	sharded "pin-$S" 1
	rm -f "$SCR"/n.?.csv "$SCR"/n.??.csv
	rm -rf "$SCR/sh" "$SCR/one"
	SHARD_ROWS="$SHARD_ROWS $S"
done
rm -f "$SCR/canon.csv" "$SCR/n.csv"
mv "$RES.tmp" "$RES"

# The figures as NAME=VALUE words (V[] in awk): every timed step of the
# shard counts and the shard 0 pass times.
SV=
for S in $SHARD_ROWS; do
	for n in W_normalize_sh_$S C_normalize_sh_$S W_dedup_pin_$S C_dedup_pin_$S \
		W_prep_pin_$S C_prep_pin_$S W_shards_pin_$S C_shards_pin_$S \
		W_merge_pin_$S C_merge_pin_$S; do
		SV="$SV $n=${!n}"
	done
	for r in $(seq 1 "$ROUNDS"); do
		for n in W_dedup_1 C_dedup_1 W_prep C_prep M_prep W_shards C_shards \
			M_shards W_merge C_merge M_merge S_READ S_BLOCK \
			G_READ G_BLOCKING G_SCORING G_OUT; do
			v=${n}_${S}_$r
			SV="$SV $v=${!v}"
		done
	done
done
awk -v rows="$ROWS" -v shards="$SHARD_ROWS" -v jobs="$JOBS" -v rounds="$ROUNDS" \
	-v wz="$W_zcat" -v wc="$W_chain" -v cc="$C_chain" \
	-v wi="$W_ingest" -v ci="$C_ingest" -v mi="$M_ingest" \
	-v wn="$W_normalize" -v cn="$C_normalize" -v mn="$M_normalize" \
	-v wd="$W_dedup" -v cd="$C_dedup" -v md="$M_dedup" \
	-v pr="$P_READ" -v pb="$P_BLOCK" -v ps="$P_SCORE" -v pc="$P_COMMIT" -v sv="$SV" '
function row(n, w, m, c, note) {
	printf "| %s | %.1f | %.0f | %.1f | %s |\n", n, w, m / 1024, c, note
}
BEGIN {
	nv = split(sv, kv, " ")
	for (i = 1; i <= nv; i++) {
		eq = index(kv[i], "=")
		V[substr(kv[i], 1, eq - 1)] = substr(kv[i], eq + 1) + 0
	}
	ns = split(shards, S, " ")
	printf "\n%d rows, shard counts %s, %d processes at a time\n\n", rows, shards, jobs
	print "| step | wall s | peak MB | CPU s | note |"
	print "|---|---|---|---|---|"
	row("zcat", wz, 0, 0, "baseline")
	row("ingest \\| normalize \\| dedup", wc, 0, cc, sprintf("%.2f x zcat", wc / wz))
	row("ingest to a file", wi, mi, ci, "")
	row("normalize, 1 process", wn, mn, cn, "")
	row("dedup, 1 process", wd, md, cd, sprintf("%.0f bytes/record; read %.1f, blocking %.1f, scoring %.1f, output %.1f s", md * 1024 / rows, pr, pb, ps, pc))
	for (i = 1; i <= ns; i++) {
		s = S[i]; t = s "_1"
		row("normalize, " s " shards", V["W_normalize_sh_" s], 0, V["C_normalize_sh_" s], sprintf("%.2f x faster", wn / V["W_normalize_sh_" s]))
		row("dedup, " s " parts read once (--recs-out)", V["W_prep_" t], V["M_prep_" t], V["C_prep_" t], sprintf("%.1f CPU s per part", V["C_prep_" t] / s))
		row("dedup, " s " shards (--recs)", V["W_shards_" t], V["M_shards_" t], V["C_shards_" t], sprintf("%.1f CPU s each; shard 0: load %.1f s, blocking %.1f s", V["C_shards_" t] / s, V["S_READ_" t], V["S_BLOCK_" t]))
		row("dedup, merge of " s " (--recs)", V["W_merge_" t], V["M_merge_" t], V["C_merge_" t], sprintf("%.2f x one process CPU; load %.1f, pair files %.1f, scoring %.1f, output %.1f s", V["C_merge_" t] / cd, V["G_READ_" t], V["G_BLOCKING_" t], V["G_SCORING_" t], V["G_OUT_" t]))
	}
	print ""
	printf "sharded dedup (parts read once, shards, merge; %d processes at a time) against one process, alternated: each round one process then the sharded run\n\n", jobs
	print "| dedup of " rows " rows | round | 1 process wall s (CPU s) | sharded wall s: prep + shards + merge (CPU s) | speed-up (wall) | CPU x one process |"
	print "|---|---|---|---|---|---|"
	for (i = 1; i <= ns; i++) {
		s = S[i]
		for (r = 1; r <= rounds; r++) {
			t = s "_" r
			w = V["W_prep_" t] + V["W_shards_" t] + V["W_merge_" t]
			c = V["C_prep_" t] + V["C_shards_" t] + V["C_merge_" t]
			printf "| %d parts and shards + merge | %d | %.1f (%.1f) | %.1f = %.1f + %.1f + %.1f (%.1f) | %.2f | %.2f |\n", s, r, V["W_dedup_1_" t], V["C_dedup_1_" t], w, V["W_prep_" t], V["W_shards_" t], V["W_merge_" t], c, V["W_dedup_1_" t] / w, c / V["C_dedup_1_" t]
		}
	}
	print ""
	printf "scaling, one core per task (a cluster of one-core nodes): one process pinned to one core against the sharded run with each task pinned to a core of its own (%d at a time, the merge on one core); not the speed-up on this machine (above)\n\n", jobs
	print "| dedup of " rows " rows | 1 process on 1 core: wall s (CPU s) | sharded, a core per task: wall s: prep + shards + merge (CPU s) | scaling (wall) |"
	print "|---|---|---|---|"
	for (i = 1; i <= ns; i++) {
		s = S[i]
		w = V["W_prep_pin_" s] + V["W_shards_pin_" s] + V["W_merge_pin_" s]
		c = V["C_prep_pin_" s] + V["C_shards_pin_" s] + V["C_merge_pin_" s]
		printf "| %d parts and shards + merge | %.1f (%.1f) | %.1f = %.1f + %.1f + %.1f (%.1f) | %.2f |\n", s, V["W_dedup_pin_" s], V["C_dedup_pin_" s], w, V["W_prep_pin_" s], V["W_shards_pin_" s], V["W_merge_pin_" s], c, V["W_dedup_pin_" s] / w
	}
	# Projection to 280M rows on C cores, from CPU seconds (the wall
	# time of a shared machine says little), linear in rows (every
	# pass is a scan, a radix sort or per-pair work), one core per
	# process, from the largest shard count s measured (round 1). The
	# CPU of a dedup shard splits into loading the recs of all rows L
	# (every shard) and its cells of the blocking, B over all shards, in
	# the proportion of the pass times of shard 0 run with -v:
	# L = shards / s * read / (read + blocking), B = shards - s L.
	# B is the blocking once (each cell is computed by one shard) while
	# s is at most the number of jobs (12); above it the big jobs are
	# cut into key partitions, each computing the keys of its job for all
	# rows, so B at 16 and 64 shards is somewhat higher than projected.
	#   1 core: the CPU of the chain.
	#   the chain on 3 cores (the pipe: one stage per core): its
	#   slowest stage.
	#   C cores sharded: ingest + normalize + the recs of the parts over C
	#   cores, C dedup shards at once (L + B / C each), the merge.
	s = S[ns]; t = s "_1"
	f = 280e6 / rows
	cds = V["C_shards_" t]; sr = V["S_READ_" t]; sb = V["S_BLOCK_" t]
	cdp = V["C_prep_" t]; cdm = V["C_merge_" t]; mds = V["M_shards_" t]
	L = (sr + sb > 0) ? cds / s * sr / (sr + sb) : 0
	B = cds - s * L
	print ""
	printf "projection to 280M rows from CPU seconds (%d shards; per %d rows: parts read once %.1f s, recs load per shard %.1f s, blocking of all shards %.1f s, merge %.1f s)\n\n", s, rows, cdp, L, B, cdm
	print "| 280M rows | cores | projected wall | dedup state per process |"
	print "|---|---|---|---|"
	printf "| one process chain | 1 | %.0f min | %.1f GB |\n", cc * f / 60, md * 1024 * 280e6 / rows / 1e9
	m = ci > cn ? ci : cn; m = m > cd ? m : cd
	printf "| the chain as a pipe | 3 | %.0f min | %.1f GB |\n", m * f / 60, md * 1024 * 280e6 / rows / 1e9
	for (i = 1; i <= 2; i++) {
		C = i == 1 ? 16 : 64
		t = (ci + cn + cdp) * f / C + (L + B / C) * f + cdm * f
		printf "| sharded (%d shards) | %d | %.1f min | %.1f GB |\n", C, C, t / 60, mds * 1024 * 280e6 / rows / 1e9
	}
}' | tee "$WORK/results-shard.md"
