#!/usr/bin/env bash
# national.sh BUILD_DIR - the national synthetic configuration (make
# national, issue 18): generate, OUTSIDE the repository, SUSENAS for 514
# kabupaten over several years with the matching poverty lines and
# published tables, a national DTKS extract with the fixture's defects, a
# region table and a config, then run it with angka run and print the time
# and peak memory of every step.
#
# Environment (make national passes its variables of the same names):
#   NATIONAL_DIR     where everything goes (default /tmp/angka-national;
#                    must be outside the repository)
#   NATIONAL_ROWS    DTKS rows before the defects (default 1000000)
#   NATIONAL_HH      SUSENAS households per kabupaten and year (default 60)
#   NATIONAL_YEARS   first and last SUSENAS year (default "2019 2024")
#   NATIONAL_RUN=0   generate only, do not run
#   NATIONAL_SHARDS  [engine] shards of the config (default 1; N > 1 runs
#                    the DTKS normalize and dedup as 3N + 2 tasks)
#
# DTKS defects (rates per row, as in scripts/gen-fixtures.c; the rest of
# the extract is gen-bench-dtks.c's: ~0.5% empty NIKs, ~1% repeated
# persons, quoted addresses with ';' and ""): nik_excel_sci 0.5% (NIK as
# 1.27801E+15), nik_excel_trunc 0.5% (16th digit 0), nik_missing 1%,
# nik_punct 0.1% (leading '), date_swap 1% (MM-DD-YYYY when the day is
# <= 12), date_format 1.2% (YYYY-MM-DD), sex_label 2% (LAKI-LAKI /
# PEREMPUAN), name_title 1.2% (H. / , S.Pd), name_spaces 1% (a doubled
# space), exact_dup 2% (the row again, later), cp1252 5 rows (an e-acute
# byte in the name).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${NATIONAL_DIR:-/tmp/angka-national}
ROWS=${NATIONAL_ROWS:-1000000}
HH=${NATIONAL_HH:-60}
read -r Y0 Y1 <<< "${NATIONAL_YEARS:-2019 2024}"
TIME=/usr/bin/time
die() { echo "national: $*" >&2; exit 1; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
case $DIR/ in "$ROOT"/*) die "NATIONAL_DIR must be outside the repository" ;; esac
SHARDS=${NATIONAL_SHARDS:-1}
case $ROWS$HH$Y0$Y1$SHARDS in *[!0-9]*) die "NATIONAL_ROWS, _HH, _YEARS, _SHARDS: numbers" ;; esac
[ -x "$BUILD/angka" ] || die "$BUILD/angka missing (run make first)"
mkdir -p "$DIR/bin" "$DIR/data"
for g in gen-bench-dtks gen-national; do
	if [ ! -x "$DIR/bin/$g" ] || [ "$ROOT/scripts/$g.c" -nt "$DIR/bin/$g" ]; then
		${CC:-cc} -std=c11 -O2 -Wall -Wextra -o "$DIR/bin/$g" \
			"$ROOT/scripts/$g.c" -lm
	fi
done
D=$DIR/data
STAMP="$ROWS $HH $Y0 $Y1 $(cat "$ROOT/scripts/gen-bench-dtks.c" \
	"$ROOT/scripts/gen-national.c" "$0" | cksum | cut -d' ' -f1)"
if [ "$(cat "$D/stamp" 2>/dev/null)" != "$STAMP" ]; then
	rm -f "$D"/*
	echo "national: DTKS $ROWS rows with the fixture's defects" >&2
	"$DIR/bin/gen-bench-dtks" -n "$ROWS" - | awk -F';' -v OFS=';' '
	BEGIN { srand(20241); ncp = 0 }
	NR == 1 { print; next }
	{
		r = rand()
		if (r < 0.005 && $2 != "") $2 = sprintf("%.5E", $2 + 0)
		else if (r < 0.010 && $2 != "") $2 = substr($2, 1, 15) "0"
		else if (r < 0.020) $2 = ""
		else if (r < 0.021 && $2 != "") $2 = "'"'"'" $2
		r = rand()
		split($7, d, "-")
		if (r < 0.010 && d[1] + 0 <= 12 && d[1] != d[2])
			$7 = d[2] "-" d[1] "-" d[3]
		else if (r < 0.022) $7 = d[3] "-" d[2] "-" d[1]
		r = rand()
		if (r < 0.02) $5 = $5 == "L" ? "LAKI-LAKI" : "PEREMPUAN"
		r = rand()
		if (r < 0.006) $4 = "H. " $4
		else if (r < 0.012) $4 = $4 ", S.Pd"
		else if (r < 0.022) sub(/ /, "  ", $4)
		if (ncp < 5 && rand() < 0.0001) { $4 = $4 " JOS\351"; ncp++ }
		print
		if (rand() < 0.02) dup[++nd] = $0
		if (nd && rand() < 0.05) { print dup[nd]; delete dup[nd--] }
	}
	END { while (nd) print dup[nd--] }' > "$D/dtks_national_$Y1.csv"
	# The region table of every code in the extract (as bench-pipeline.sh).
	awk -F';' 'NR > 1 { print $(NF-9) ";" $(NF-8) ";" $(NF-7) ";" $(NF-6) }' \
		"$D/dtks_national_$Y1.csv" | LC_ALL=C sort -u | awk -F';' '
	BEGIN { print "kode,level,nama,kode_induk" }
	{
		p = $1; k = p "." $2; c = k "." $3; d = c "." $4
		if (!(p in s)) { s[p]; print p ",provinsi,Provinsi " p "," }
		if (!(k in s)) { s[k]; print k ",kabupaten,Kabupaten " k "," p }
		if (!(c in s)) { s[c]; print c ",kecamatan,Kecamatan " c "," k }
		if (!(d in s)) { s[d]; print d ",desa,Desa " d "," c }
	}' > "$D/wilayah_national.csv"
	"$DIR/bin/gen-national" "$D/wilayah_national.csv" "$D" "$Y0" "$Y1" "$HH"
	echo "$STAMP" > "$D/stamp"
fi

CFG=$DIR/national.ini
{
	echo "; national synthetic configuration (scripts/national.sh)"
	echo "[angka]"
	echo "name = Indonesia (synthetic)"
	echo "output_dir = out"
	echo "[run]"
	echo "retention = 2"
	echo "[input.wilayah]"
	echo "files = data/wilayah_national.csv"
	echo "[input.penduduk]"
	echo "files = data/penduduk_national.csv"
	echo "[input.garis_kemiskinan]"
	echo "files = data/garis_kemiskinan_national.csv"
	echo "[input.terbitan]"
	echo "files = data/terbitan_national.csv"
	echo "[input.susenas]"
	printf 'files ='
	for ((y = Y0; y <= Y1; y++)); do printf ' data/susenas_national_%d.csv' "$y"; done
	echo
	echo "[input.dtks]"
	echo "files = data/dtks_national_$Y1.csv"
	echo "[registry]"
	echo "tahun = $Y1"
	echo "[indicators]"
	echo "by = kode_wilayah"
	echo "poverty_rule = strict"
	echo "lonely_psu = adjust"
	echo "[trend]"
	echo "alpha = 0.05"
	echo "[chart]"
	echo "formats = none"
	echo "[engine]"
	echo "shards = $SHARDS"
} > "$CFG"
echo "national: $CFG, data in $D ($(du -sh "$D" | cut -f1))" >&2
[ "${NATIONAL_RUN:-1}" = 0 ] && exit 0
# Every stage program through a wrapper (angka run --bindir) that appends
# "PROGRAM wall_s peak_kb" to times.log under GNU time: the time and peak
# memory of each stage process, whatever the driver runs in parallel.
W=$DIR/bin/stages
rm -rf "$W"
mkdir -p "$W"
TIMES=$DIR/times.log
: > "$TIMES"
for b in "$BUILD"/angka-*; do
	[ -x "$b" ] || continue
	n=${b##*/}
	printf '#!/bin/sh\nexec %s -a -o %s -f "%s %%e %%M" %s "$@"\n' \
		"$TIME" "$TIMES" "$n" "$b" > "$W/$n"
	chmod +x "$W/$n"
done
rm -rf "$DIR/out" "$DIR/out.runs"
st=0
"$TIME" -f '%e %M' -o "$DIR/time.run" "$BUILD/angka" run --bindir "$W" \
	-c "$CFG" > "$DIR/run.out" 2> "$DIR/run.err" || st=$?
read -r wall kb < <(tail -n 1 "$DIR/time.run")
if [ "$st" -ne 0 ]; then
	tail -n 20 "$DIR/run.err" >&2
	die "angka run exit $st"
fi
dtks_rows=$(($(wc -l < "$D/dtks_national_$Y1.csv") - 1))
sus_rows=$(cat "$D"/susenas_national_*.csv | grep -vc '^URUT')
{
	echo
	echo "national run: DTKS $dtks_rows rows, SUSENAS $sus_rows households"
	echo "($((Y1 - Y0 + 1)) years x 514 kabupaten), charts off, shards $SHARDS; angka run ${wall} s wall"
	echo
	echo "| stage program | processes | wall s (sum) | wall s (max) | peak MB (max) |"
	echo "|---|---|---|---|---|"
	awk '$1 ~ /^angka-/ && NF == 3 { n[$1]++; s[$1] += $2; if ($2 > m[$1]) m[$1] = $2
		if ($3 > k[$1]) k[$1] = $3 }
	END { for (p in n) printf "| %s | %d | %.1f | %.1f | %.0f |\n", p, n[p], s[p], m[p], k[p] / 1024 }' \
		"$TIMES" | sort
	echo
	echo "| step (manifest) | wall s |"
	echo "|---|---|"
	python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
for s in m["steps"]:
    print("| %s | %.1f |" % (s["name"], s["wall_seconds"]))' "$DIR/out/manifest.json"
} | tee "$DIR/results-national.md"
