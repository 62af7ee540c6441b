#!/bin/sh
# check-garis-driver.sh BUILD - the driver's [garis] steps on the fixtures
# (SUSENAS 2022-2024, consumption module 2023 and 2024):
#  1. source = hitung: garis:<year> runs for 2023 and 2024 (not 2022, which
#     has no consumption module) and indicators/garis_kemiskinan_hitung.csv and
#     komoditas_gk.csv are published; the published GK equals the reference
#     (tests/reference/garis); the 2023 and 2024 indicators read the computed
#     lines, 2022 the input lines;
#  2. a rerun reuses every step;
#  3. source = input: the same computed tables, but P0 of 2024 is again the
#     one with the input line (4.90), above the one with the computed line;
#  4./5. trend's history and changes carry the computed lines, the chart
#     komoditas_gk draws the 10 largest contributions (see below).
set -u
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIX=$ROOT/fixtures
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }
K=$FIX/konsumsi
cat >"$T/g.ini" <<EOF
[angka]
name = garis
output_dir = out
[input.garis_kemiskinan]
files = $FIX/garis_kemiskinan/garis_kemiskinan_balangan.csv
[input.susenas]
files = $FIX/susenas/susenas_balangan_2022.csv $FIX/susenas/susenas_balangan_2023.csv
        $FIX/susenas/susenas_balangan_2024.csv
[garis]
source = hitung
kalori = $K/komoditas_makanan.csv
rasio = $K/rasio_kebutuhan_dasar.csv
ihk = $K/ihk_balangan.csv
makanan = $K/konsumsi_makanan_balangan_2023.csv $K/konsumsi_makanan_balangan_2024.csv
bukan_makanan = $K/konsumsi_bukan_makanan_balangan_2023.csv
                $K/konsumsi_bukan_makanan_balangan_2024.csv
EOF
cd "$T" || exit 1
if "$BUILD/angka" run -q -c g.ini >run.out 2>&1; then ok "run with [garis] source = hitung"; else bad "run failed"; cat run.out; fi
O=out/indicators
steps=$(grep -o 'garis:susenas_balangan_20[0-9]*: runs' out/run.log | sort | tr '\n' ' ')
[ "$steps" = "garis:susenas_balangan_2023: runs garis:susenas_balangan_2024: runs " ] &&
	ok "garis steps for 2023 and 2024 only" || bad "garis steps: $steps"
ref=$(awk -F, '$1 == "total" && $2 == "GK" { print $3 }' "$ROOT/tests/reference/garis/expected_2024.csv")
got=$(awk -F, '$1 == 2024 && $3 == "total" && $4 == "GK" { print $5 }' $O/garis_kemiskinan_hitung.csv)
awk -v a="$got" -v b="$ref" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d / b < 1e-9) }' &&
	ok "published GK 2024 $got = reference" || bad "published GK 2024 '$got', reference $ref"
n=$(awk -F, 'NR > 1 && $3 == "total"' $O/komoditas_gk.csv | wc -l)
[ "$n" -eq 206 ] && ok "komoditas_gk.csv: 103 commodities x 2 years (total)" || bad "komoditas_gk.csv total rows $n"
grep -q 'indicators:susenas_balangan_2024: .*--lines=private/garis_hitung/susenas_balangan_2024.csv' out/run.log &&
grep -q 'indicators:susenas_balangan_2022: .*--lines=private/normalized/garis_kemiskinan.csv' out/run.log &&
	ok "indicators 2023/2024 read the computed lines, 2022 the input lines" || bad "indicators lines"
# 4. trend: the computed lines join the history (as published, text for
#    text) and changes.csv tests GK 2023 -> 2024 (perubahan = the
#    difference, to 1e-9).
hist=$(awk -F, '$4 == "total" && $5 == "GK" && $15 == "hitung" { printf "%s:%s:%s ", $1, $6, $7 }' out/trend/history.csv)
pub=$(awk -F, '$3 == "total" && $4 == "GK" { printf "%s:%s:%s ", $1, $5, $6 }' $O/garis_kemiskinan_hitung.csv)
[ -n "$pub" ] && [ "$hist" = "$pub" ] && ok "history GK hitung = garis_kemiskinan_hitung.csv ($hist)" ||
	bad "history GK '$hist', published '$pub'"
awk -F, -v h="$hist" 'BEGIN { split(h, r, "[: ]"); want = r[5] - r[2] }
	$2 == "total" && $3 == "GK" && $4 == "tahunan" && $5 == 2023 && $6 == 2024 {
		d = $9 - want; if (d < 0) d = -d; found = d / want < 1e-9 }
	END { exit !found }' out/trend/changes.csv &&
	ok "changes.csv GK 2023 -> 2024 = the difference" || bad "changes.csv GK row"
# 5. chart komoditas_gk: the 10 largest 2024 shares of the total line,
#    largest last in the .dat (on top), as sort ranks them.
wantc=$(awk -F, '$1 == 2024 && $3 == "total" { print $8 "," $5 }' $O/komoditas_gk.csv |
	sort -t, -k1,1g | tail -10 | cut -d, -f2 | tr '\n' ' ')
gotc=$(awk '!/^#/ { gsub(/"/, "", $2); print $2 }' out/charts/komoditas_gk.dat | tr '\n' ' ')
[ -n "$wantc" ] && [ "$gotc" = "$wantc" ] && ok "chart komoditas_gk: top 10 $gotc" ||
	bad "chart komoditas_gk '$gotc', expected '$wantc'"
p0h=$(awk -F, '$1 == 2024 && $3 == "total" && $4 == "P0" { print $5 }' $O/poverty.csv)
if "$BUILD/angka" run -c g.ini 2>&1 | grep -q ' runs'; then bad "rerun ran a step"; else ok "rerun reuses every step"; fi
sed -i 's/^source = hitung/source = input/' g.ini
"$BUILD/angka" run -q -c g.ini >run.out 2>&1 || { bad "run with source = input"; cat run.out; }
p0i=$(awk -F, '$1 == 2024 && $3 == "total" && $4 == "P0" { print $5 }' $O/poverty.csv)
got2=$(awk -F, '$1 == 2024 && $3 == "total" && $4 == "GK" { print $5 }' $O/garis_kemiskinan_hitung.csv)
awk -v h="$p0h" -v i="$p0i" 'BEGIN { exit !(h != "" && i != "" && h + 0 < i + 0 && i > 4.89 && i < 4.91) }' &&
	[ "$got2" = "$got" ] &&
	ok "source = input: P0 2024 $p0i (input line), with the computed lines $p0h" ||
	bad "source = input: P0 $p0i, hitung $p0h, GK $got2"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
