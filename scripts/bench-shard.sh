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
#   normalize-sh  angka-normalize --shard K/S, K = 0..S-1, JOBS at a time
#                 (xargs -P); the outputs concatenated must equal the
#                 one-process output (cmp)
#   dedup         angka-dedup -v of the normalized file, one process
#   dedup-prep    angka-dedup --recs-out of each normalize shard's output
#                 (a part: its rows read once), JOBS at a time
#   dedup-shard   angka-dedup --recs ... --shard K/S --pairs-out, JOBS at
#                 a time (no CSV read: the parts' recs)
#   dedup-merge   angka-dedup --merge-pairs of the S pair files with the
#                 recs (the rows' text read where it is in the parts);
#                 unique, duplicates and review must equal dedup's (cmp)
# The figures go to stdout (a table) and to results-shard.csv; the last
# lines project 280M rows on 1, 16 and 64 cores from the per-record and
# per-shard figures (see the comment at the projection).
#
# Environment:
#   BENCH_ROWS    rows (default 10000000)
#   BENCH_SHARDS  shards S (default 4)
#   BENCH_JOBS    shards run at a time (default 2, the cores here)
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA_DIR=${ANGKA_BENCH_DIR:-/tmp/angka-bench}
WORK=${BENCH_SHARD_DIR:-/tmp/angka-bench-shard}
ROWS=${BENCH_ROWS:-10000000}
S=${BENCH_SHARDS:-4}
JOBS=${BENCH_JOBS:-2}
TIME=/usr/bin/time
die() { echo "bench-shard: $*" >&2; exit 1; }
case $WORK/ in "$ROOT"/*) die "BENCH_SHARD_DIR must be outside the repository" ;; esac
case $ROWS$S$JOBS in *[!0-9]*) die "BENCH_ROWS, BENCH_SHARDS, BENCH_JOBS: numbers" ;; esac
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
seq 0 $((S - 1)) > "$SCR/ks"
timed normalize-sh sh -c "xargs -P $JOBS -I K '$NB/angka-normalize' --kind dtks -q \
	--wilayah '$WIL' --shard K/$S -o '$SCR/n.K.csv' '$SCR/canon.csv' < '$SCR/ks'"
for k in $(seq 0 $((S - 1))); do cat "$SCR/n.$k.csv"; done | cmp - "$SCR/n.csv" ||
	die "sharded normalize differs"
rm -f "$SCR/canon.csv"
mkdir "$SCR/one" "$SCR/sh"
timed dedup sh -c "cd '$SCR/one' && '$NB/angka-dedup' -v -o u.csv --duplicates d.csv \
	--review r.csv '$SCR/n.csv' 2> err"
rm -f "$SCR/n.csv"
# The normalize shards' outputs are the parts: each read once into its
# recs (the parts after the first have no header: --header-from).
timed dedup-prep sh -c "xargs -P $JOBS -I K sh -c 'hf=; [ K -eq 0 ] ||
	hf=\"--header-from $SCR/n.0.csv\"; exec \"$NB/angka-dedup\" -q \
	--recs-out \"$SCR/sh/recs.K\" \$hf \"$SCR/n.K.csv\"' < '$SCR/ks'"
recs=$(for k in $(seq 0 $((S - 1))); do printf ' --recs %s' "$SCR/sh/recs.$k"; done)
parts=$(for k in $(seq 0 $((S - 1))); do printf ' %s' "$SCR/n.$k.csv"; done)
timed dedup-shard sh -c "xargs -P $JOBS -I K '$NB/angka-dedup' -q --shard K/$S \
	--pairs-out '$SCR/sh/pairs.K' $recs $parts < '$SCR/ks'"
merge=$(for k in $(seq 0 $((S - 1))); do printf ' --merge-pairs %s' "$SCR/sh/pairs.$k"; done)
timed dedup-merge sh -c "cd '$SCR/sh' && '$NB/angka-dedup' -v -o u.csv --duplicates d.csv \
	--review r.csv $merge $recs $parts 2> err"
for f in u.csv d.csv r.csv; do
	cmp "$SCR/one/$f" "$SCR/sh/$f" || die "sharded dedup: $f differs"
done
# dedup -v: "angka-dedup: PASS N.NN s" per pass.
pass() { awk -v p="$2" '$2 == "pass" && $3 == p { print $4 + 0; exit }' "$1"; }
# One shard again with -v: the share of its time spent loading the recs
# (every shard loads every row) against its blocking.
"$NB/angka-dedup" -v --shard 0/$S --pairs-out "$SCR/sh/pairs.v" $recs $parts \
	2> "$SCR/sh/err0"
S_READ=$(pass "$SCR/sh/err0" read)
S_BLOCK=$(pass "$SCR/sh/err0" blocking)
rm -f "$SCR"/n.?.csv "$SCR"/n.??.csv
P_READ=$(pass "$SCR/one/err" read)
P_BLOCK=$(pass "$SCR/one/err" blocking)
P_SCORE=$(pass "$SCR/one/err" scoring)
P_COMMIT=$(pass "$SCR/one/err" commit)
mv "$RES.tmp" "$RES"

awk -v rows="$ROWS" -v s="$S" -v jobs="$JOBS" \
	-v wz="$W_zcat" -v wc="$W_chain" -v cc="$C_chain" \
	-v wi="$W_ingest" -v ci="$C_ingest" -v mi="$M_ingest" \
	-v wn="$W_normalize" -v cn="$C_normalize" -v mn="$M_normalize" \
	-v wns="$W_normalize_sh" -v cns="$C_normalize_sh" \
	-v wd="$W_dedup" -v cd="$C_dedup" -v md="$M_dedup" \
	-v wdp="$W_dedup_prep" -v cdp="$C_dedup_prep" -v mdp="$M_dedup_prep" \
	-v sr="$S_READ" -v sb="$S_BLOCK" \
	-v wds="$W_dedup_shard" -v cds="$C_dedup_shard" -v mds="$M_dedup_shard" \
	-v wdm="$W_dedup_merge" -v cdm="$C_dedup_merge" -v mdm="$M_dedup_merge" \
	-v pr="$P_READ" -v pb="$P_BLOCK" -v ps="$P_SCORE" -v pc="$P_COMMIT" '
function row(n, w, m, c, note) {
	printf "| %s | %.1f | %.0f | %.1f | %s |\n", n, w, m / 1024, c, note
}
BEGIN {
	printf "\n%d rows, %d shards, %d at a time\n\n", rows, s, jobs
	print "| step | wall s | peak MB | CPU s | note |"
	print "|---|---|---|---|---|"
	row("zcat", wz, 0, 0, "baseline")
	row("ingest \\| normalize \\| dedup", wc, 0, cc, sprintf("%.2f x zcat", wc / wz))
	row("ingest to a file", wi, mi, ci, "")
	row("normalize, 1 process", wn, mn, cn, "")
	row("normalize, " s " shards", wns, 0, cns, sprintf("%.2f x faster", wn / wns))
	row("dedup, 1 process", wd, md, cd, sprintf("%.0f bytes/record; read %.1f, blocking %.1f, scoring %.1f, output %.1f s", md * 1024 / rows, pr, pb, ps, pc))
	row("dedup, " s " parts read once (--recs-out)", wdp, mdp, cdp, sprintf("%.1f CPU s per part", cdp / s))
	row("dedup, " s " shards (--recs)", wds, mds, cds, sprintf("%.0f bytes/record per shard; %.1f CPU s each", mds * 1024 / rows, cds / s))
	row("dedup, merge (--recs)", wdm, mdm, cdm, sprintf("%.2f x one process CPU", cdm / cd))
	row("dedup sharded, all three", wdp + wds + wdm, mdm, cdp + cds + cdm, sprintf("wall %.2f x one process", (wdp + wds + wdm) / wd))
	# Projection to 280M rows on C cores, from CPU seconds (the wall
	# time of a shared machine says little), linear in rows (every
	# pass is a scan, a radix sort or per-pair work), one core per
	# process. The CPU of a dedup shard splits into loading the recs of all
	# rows L (every shard) and its share of the blocking B / S, in the
	# proportion of the pass times of one shard run with -v:
	# L = shards / S * read / (read + blocking), B = shards - S L.
	#   1 core: the CPU of the chain.
	#   the chain on 3 cores (the pipe: one stage per core): its
	#   slowest stage.
	#   C cores sharded: ingest + normalize + the recs of the parts over C
	#   cores, C dedup shards at once (L + B / C each), the merge.
	f = 280e6 / rows
	L = (sr + sb > 0) ? cds / s * sr / (sr + sb) : 0
	B = cds - s * L
	print ""
	printf "projection to 280M rows from CPU seconds (per %d rows: parts read once %.1f s, recs load per shard %.1f s, blocking %.1f s, merge %.1f s)\n\n", rows, cdp, L, B, cdm
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
