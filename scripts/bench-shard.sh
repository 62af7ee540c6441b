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
#   dedup         angka-dedup -v of the normalized file, one process
# and for each shard count S of BENCH_SHARDS:
#   normalize-sh-S  angka-normalize --shard K/S, K = 0..S-1, JOBS at a
#                 time (xargs -P); the outputs concatenated must equal
#                 the one-process output (cmp)
#   dedup-prep-S  angka-dedup --recs-out of each normalize shard's output
#                 (a part: its rows read once), JOBS at a time
#   dedup-shard-S angka-dedup --recs ... --shard K/S --pairs-out, JOBS at
#                 a time (no CSV read: the parts' recs; each shard runs
#                 its cells of the work plan, docs/dedup.md)
#   dedup-merge-S angka-dedup --merge-pairs of the S pair files with the
#                 recs (the rows' text read where it is in the parts);
#                 unique, duplicates and review must equal dedup's (cmp)
# The figures go to stdout (tables) and to results-shard.csv: the
# sharded dedup (prepare + shards + merge) against one process, wall and
# CPU, with its speed-up (one process's wall over the sharded wall); the
# last lines project 280M rows on 1, 16 and 64 cores from the per-record
# and per-shard figures of the largest S (see the comment there).
#
# Environment:
#   BENCH_ROWS    rows (default 10000000)
#   BENCH_SHARDS  shard counts S (default "2 4"; the parts are S too)
#   BENCH_JOBS    processes run at a time (default 2, the cores here)
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA_DIR=${ANGKA_BENCH_DIR:-/tmp/angka-bench}
WORK=${BENCH_SHARD_DIR:-/tmp/angka-bench-shard}
ROWS=${BENCH_ROWS:-10000000}
SHARDS=${BENCH_SHARDS:-2 4}
JOBS=${BENCH_JOBS:-2}
TIME=/usr/bin/time
die() { echo "bench-shard: $*" >&2; exit 1; }
case $WORK/ in "$ROOT"/*) die "BENCH_SHARD_DIR must be outside the repository" ;; esac
case $ROWS$JOBS${SHARDS// /} in *[!0-9]*) die "BENCH_ROWS, BENCH_SHARDS, BENCH_JOBS: numbers" ;; esac
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
mkdir "$SCR/one"
timed dedup sh -c "cd '$SCR/one' && '$NB/angka-dedup' -v -o u.csv --duplicates d.csv \
	--review r.csv '$SCR/n.csv' 2> err"
# dedup -v: "angka-dedup: pass PASS N.NN s" per pass.
pass() { awk -v p="$2" '$2 == "pass" && $3 == p { print $4 + 0; exit }' "$1"; }
P_READ=$(pass "$SCR/one/err" read)
P_BLOCK=$(pass "$SCR/one/err" blocking)
P_SCORE=$(pass "$SCR/one/err" scoring)
P_COMMIT=$(pass "$SCR/one/err" commit)
SHARD_ROWS=
for S in $SHARDS; do
	seq 0 $((S - 1)) > "$SCR/ks"
	timed normalize-sh-"$S" sh -c "xargs -P $JOBS -I K '$NB/angka-normalize' --kind dtks -q \
		--wilayah '$WIL' --shard K/$S -o '$SCR/n.K.csv' '$SCR/canon.csv' < '$SCR/ks'"
	for k in $(seq 0 $((S - 1))); do cat "$SCR/n.$k.csv"; done | cmp - "$SCR/n.csv" ||
		die "sharded normalize differs ($S shards)"
	rm -rf "$SCR/sh"
	mkdir "$SCR/sh"
	# The normalize shards' outputs are the parts: each read once into
	# its recs (the parts after the first have no header: --header-from).
	timed dedup-prep-"$S" sh -c "xargs -P $JOBS -I K sh -c 'hf=; [ K -eq 0 ] ||
		hf=\"--header-from $SCR/n.0.csv\"; exec \"$NB/angka-dedup\" -q \
		--recs-out \"$SCR/sh/recs.K\" \$hf \"$SCR/n.K.csv\"' < '$SCR/ks'"
	recs=$(for k in $(seq 0 $((S - 1))); do printf ' --recs %s' "$SCR/sh/recs.$k"; done)
	parts=$(for k in $(seq 0 $((S - 1))); do printf ' %s' "$SCR/n.$k.csv"; done)
	timed dedup-shard-"$S" sh -c "xargs -P $JOBS -I K '$NB/angka-dedup' -q --shard K/$S \
		--pairs-out '$SCR/sh/pairs.K' $recs $parts < '$SCR/ks'"
	merge=$(for k in $(seq 0 $((S - 1))); do printf ' --merge-pairs %s' "$SCR/sh/pairs.$k"; done)
	timed dedup-merge-"$S" sh -c "cd '$SCR/sh' && '$NB/angka-dedup' -v -o u.csv \
		--duplicates d.csv --review r.csv $merge $recs $parts 2> err"
	for f in u.csv d.csv r.csv; do
		cmp "$SCR/one/$f" "$SCR/sh/$f" || die "sharded dedup ($S): $f differs"
	done
	# Shard 0 again with -v: the share of its time spent loading the
	# recs (every shard loads every row) against its blocking (its
	# cells only).
	# shellcheck disable=SC2086
	"$NB/angka-dedup" -v --shard "0/$S" --pairs-out "$SCR/sh/pairs.v" $recs $parts \
		2> "$SCR/sh/err0"
	eval "S_READ_$S=$(pass "$SCR/sh/err0" read) S_BLOCK_$S=$(pass "$SCR/sh/err0" blocking)"
	rm -f "$SCR"/n.?.csv "$SCR"/n.??.csv
	rm -rf "$SCR/sh"
	SHARD_ROWS="$SHARD_ROWS $S"
done
rm -f "$SCR/canon.csv" "$SCR/n.csv"
mv "$RES.tmp" "$RES"

# The figures of shard count S as NAME_S=VALUE words (V[] in awk).
svars() {
	local S=$1 n v
	for n in W_normalize_sh C_normalize_sh W_dedup_prep C_dedup_prep M_dedup_prep \
		W_dedup_shard C_dedup_shard M_dedup_shard W_dedup_merge C_dedup_merge \
		M_dedup_merge S_READ S_BLOCK; do
		v=${n}_$S
		printf ' %s_%s=%s' "$n" "$S" "${!v}"
	done
}
SV=
for S in $SHARD_ROWS; do SV="$SV$(svars "$S")"; done
awk -v rows="$ROWS" -v shards="$SHARD_ROWS" -v jobs="$JOBS" \
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
		s = S[i]
		row("normalize, " s " shards", V["W_normalize_sh_" s], 0, V["C_normalize_sh_" s], sprintf("%.2f x faster", wn / V["W_normalize_sh_" s]))
		row("dedup, " s " parts read once (--recs-out)", V["W_dedup_prep_" s], V["M_dedup_prep_" s], V["C_dedup_prep_" s], sprintf("%.1f CPU s per part", V["C_dedup_prep_" s] / s))
		row("dedup, " s " shards (--recs)", V["W_dedup_shard_" s], V["M_dedup_shard_" s], V["C_dedup_shard_" s], sprintf("%.1f CPU s each; shard 0: load %.1f s, blocking %.1f s", V["C_dedup_shard_" s] / s, V["S_READ_" s], V["S_BLOCK_" s]))
		row("dedup, merge of " s " (--recs)", V["W_dedup_merge_" s], V["M_dedup_merge_" s], V["C_dedup_merge_" s], sprintf("%.2f x one process CPU", V["C_dedup_merge_" s] / cd))
	}
	print ""
	printf "sharded dedup (parts read once, shards, merge; %d processes at a time) against one process\n\n", jobs
	print "| dedup of " rows " rows | wall s | CPU s | speed-up (wall) |"
	print "|---|---|---|---|"
	printf "| 1 process | %.1f | %.1f | 1.00 |\n", wd, cd
	for (i = 1; i <= ns; i++) {
		s = S[i]
		w = V["W_dedup_prep_" s] + V["W_dedup_shard_" s] + V["W_dedup_merge_" s]
		c = V["C_dedup_prep_" s] + V["C_dedup_shard_" s] + V["C_dedup_merge_" s]
		printf "| %d parts and shards + merge | %.1f (%.1f + %.1f + %.1f) | %.1f | %.2f |\n", s, w, V["W_dedup_prep_" s], V["W_dedup_shard_" s], V["W_dedup_merge_" s], c, wd / w
	}
	# Projection to 280M rows on C cores, from CPU seconds (the wall
	# time of a shared machine says little), linear in rows (every
	# pass is a scan, a radix sort or per-pair work), one core per
	# process, from the largest shard count s measured. The CPU of a
	# dedup shard splits into loading the recs of all rows L (every
	# shard) and its cells of the blocking, B over all shards, in the
	# proportion of the pass times of shard 0 run with -v:
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
	s = S[ns]
	f = 280e6 / rows
	cds = V["C_dedup_shard_" s]; sr = V["S_READ_" s]; sb = V["S_BLOCK_" s]
	cdp = V["C_dedup_prep_" s]; cdm = V["C_dedup_merge_" s]; mds = V["M_dedup_shard_" s]
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
