#!/bin/sh
# check-garis-indicators.sh BUILD_DIR - the computed lines feed
# angka-indicators: angka-garis --lines writes the 2024 fixture lines (per
# area and total) in the normalized format, angka-indicators computes P0,
# P1, P2 and the number of poor of the normalized 2024 SUSENAS with them,
# and these agree (1e-9 relative) with the baseline that angka-garis's own
# what-if reports (each household against its area's line). angka-garis
# reading the normalized SUSENAS and normalized lines (as the driver passes
# them) writes the same lines as from the raw files. Exits 1 on failure.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
fx=$root/fixtures
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$build/angka-garis" --susenas "$fx/susenas/susenas_balangan_2024.csv" \
	--makanan "$fx/konsumsi/konsumsi_makanan_balangan_2024.csv" \
	--bukan-makanan "$fx/konsumsi/konsumsi_bukan_makanan_balangan_2024.csv" \
	--kalori "$fx/konsumsi/komoditas_makanan.csv" \
	--rasio "$fx/konsumsi/rasio_kebutuhan_dasar.csv" \
	--ihk "$fx/konsumsi/ihk_balangan.csv" \
	--garis "$fx/garis_kemiskinan/garis_kemiskinan_balangan.csv" \
	--tahun 2024 -q --no-se -o /dev/null --lines "$tmp/lines.csv" \
	--price 001=+10% --whatif "$tmp/whatif.csv" || { echo "FAIL angka-garis"; exit 1; }
"$build/angka-ingest" --kind susenas "$fx/susenas/susenas_balangan_2024.csv" 2>/dev/null |
	"$build/angka-normalize" --kind susenas --year 2024 - >"$tmp/sus.csv" 2>/dev/null ||
	{ echo "FAIL ingest | normalize"; exit 1; }
"$build/angka-ingest" --kind garis_kemiskinan "$fx/garis_kemiskinan/garis_kemiskinan_balangan.csv" 2>/dev/null |
	"$build/angka-normalize" --kind garis_kemiskinan - >"$tmp/gk.csv" 2>/dev/null ||
	{ echo "FAIL ingest | normalize (lines)"; exit 1; }
"$build/angka-garis" --susenas "$tmp/sus.csv" \
	--makanan "$fx/konsumsi/konsumsi_makanan_balangan_2024.csv" \
	--bukan-makanan "$fx/konsumsi/konsumsi_bukan_makanan_balangan_2024.csv" \
	--kalori "$fx/konsumsi/komoditas_makanan.csv" \
	--rasio "$fx/konsumsi/rasio_kebutuhan_dasar.csv" \
	--ihk "$fx/konsumsi/ihk_balangan.csv" --garis "$tmp/gk.csv" \
	--tahun 2024 -q --no-se -o /dev/null --lines "$tmp/lines_norm.csv" ||
	{ echo "FAIL angka-garis on normalized input"; exit 1; }
cmp -s "$tmp/lines.csv" "$tmp/lines_norm.csv" ||
	{ echo "FAIL lines from normalized input differ:"; diff "$tmp/lines.csv" "$tmp/lines_norm.csv"; exit 1; }
echo "ok - the same lines from the raw and the normalized SUSENAS and lines"
"$build/angka-indicators" --lines "$tmp/lines.csv" -o "$tmp/pov.csv" "$tmp/sus.csv" 2>"$tmp/err" ||
	{ echo "FAIL angka-indicators"; cat "$tmp/err"; exit 1; }
awk -F, '
function abs(x) { return x < 0 ? -x : x }
FNR == 1 { next }
FILENAME ~ /whatif/ { g[$3 "," $4] = $5; next }
$2 == "63.11" && ($4 == "P0" || $4 == "P1" || $4 == "P2" || $4 == "jumlah_miskin") {
	k = $3 "," $4
	if (!(k in g)) next
	n++
	m = abs($5) > abs(g[k]) ? abs($5) : abs(g[k])
	if (m > 0 && abs($5 - g[k]) / m > 1e-9) { printf "FAIL %s: indicators %s, garis %s\n", k, $5, g[k]; bad = 1 }
}
END {
	if (n != 12) { printf "FAIL %d values compared, expected 12\n", n; bad = 1 }
	if (!bad) printf "ok - P0-P2 and the poor of 2024 with the computed lines: indicators = garis (%d values)\n", n
	exit bad
}' "$tmp/whatif.csv" "$tmp/pov.csv"
