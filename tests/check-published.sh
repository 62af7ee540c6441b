#!/bin/sh
# check-published.sh BUILD - `make run` (config/balangan.ini on the fixtures,
# into a scratch directory, with [output] csv = excel-id) publishes a
# manifest listing every file and every region as a dotted code with its
# name (issue 16), and nothing impossible (issue 15):
#   - no CI outside its indicator's range in any published CSV with
#     ci_lower/ci_upper (poverty.csv, tahunan/, history.csv, sae.csv; P0-P2,
#     shares in [0, 100], gini in [0, 1], counts and money >= 0), every CI
#     contains its estimate (trend.csv: its slope), and the sae_kecamatan
#     chart's intervals lie in [0, 100];
#   - no verdict in changes.csv on a year without an SE (a zero estimate's
#     SE is withheld) and no p-value there either;
#   - no negative fitted value in trend.csv;
#   - registry.csv and the dtks_vs_bps chart show the published BPS number
#     of poor as BPS's and angka's estimate as angka's, and one population
#     year;
#   - the published Gini SEs (gini_se = jackknife, the default) equal the
#     independent delete-one-PSU jackknife of
#     tests/reference/gini_jackknife.py (1e-7 relative, every domain-year
#     with an SE: 110), and angka-indicators --gini-se linearization on the
#     run's normalized data equals its infinitesimal jackknife (1e-7);
#   - the small-area table has every desa of the registry (issue 17) and no
#     value that rests on a registry count the published table hides
#     (tests/tools/sae_disclosure.py).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "$1" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }

sed -e "s|\.\./fixtures/|$ROOT/fixtures/|g" -e "s|^output_dir = .*|output_dir = $T/out|" \
	"$ROOT/config/balangan.ini" >"$T/run.ini"
# The excel-id copies too, so the manifest check below sees excel/.
printf '[output]\ncsv = excel-id\n' >>"$T/run.ini"
if "$B/angka" run -q -c "$T/run.ini" --bindir "$B" >"$T/run.log" 2>&1; then
	ok "angka run on the fixtures"
else
	bad "angka run failed: $(tail -3 "$T/run.log")"
	echo "$pass passed, $fail failed"
	exit 1
fi
O=$T/out
# The manifest lists every file of the run with its sha256 and rows, and
# every published table (excel/ copies too) writes regions as dotted codes
# with nama_wilayah and nama_domain (issue 16), checked independently.
for part in manifest regions; do
	if python3 "$ROOT/tests/tools/check_published_tree.py" "$O" $part >"$T/tree.out" 2>&1; then
		ok "$part: $(sed -n 's/^ok - //p' "$T/tree.out" | tr '\n' ';')"
	else
		bad "$part: $(grep -v '^ok' "$T/tree.out" | head -5)"
	fi
done
# The published tables carry nama_wilayah after kode_wilayah and
# nama_domain after domain (issue 16); the checks below address columns by
# their number without them, so they read a copy of the run with those
# columns dropped (names hold no comma).
cp -RL "$T/out" "$T/plain" && chmod -R u+w "$T/plain"
for f in $(find "$T/plain" -name '*.csv'); do
	for name in nama_domain nama_wilayah; do
		c=$(head -1 "$f" | tr ',' '\n' | grep -n "^$name\$" | cut -d: -f1)
		[ -n "$c" ] || continue
		awk -F, -v OFS=, -v c="$c" '{ for (i = c; i < NF; i++) $i = $(i + 1); NF--; print }' \
			"$f" >"$f.tmp" && mv "$f.tmp" "$f"
	done
done
O=$T/plain

# CIs inside the range, around the estimate, in every published CSV with
# ci_lower and ci_upper (issue 15): columns found by name. Tables with
# indikator and estimate (poverty.csv, tahunan/, history.csv, sae.csv):
# the indicator's range; trend.csv's CI is the slope's (no range): it must
# contain the slope. Prints rows checked and rows outside.
ci_check() {
	awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
	          e = ("estimate" in col) ? col["estimate"] : col["slope"]
	          c = ("indikator" in col) && ("estimate" in col) ? col["indikator"] : 0
	          next }
	{
		lo = $col["ci_lower"]; hi = $col["ci_upper"]; est = $e
		if (lo == "" && hi == "") next
		n++
		top = ""; low = ""
		if (c) {
			ind = $c; low = 0
			if (ind ~ /^(P[012]|porsi_40_bawah|kontribusi_P[012]|share_.*)$/) top = 100
			else if (ind == "gini") top = 1
		}
		if (lo == "" || hi == "" || (low != "" && lo + 0 < low) ||
		    (top != "" && hi + 0 > top) || lo + 0 > est + 0 || hi + 0 < est + 0) {
			bad++
			if (bad <= 3) print "  " FILENAME ": " $0 > "/dev/stderr"
		}
	}
	END { print n + 0, bad + 0 }' "$1"
}
nf=0
for f in $(cd "$O" && find . -name '*.csv' | sort); do
	h=$(head -1 "$O/$f")
	case ",$h," in *,ci_lower,*) ;; *) continue ;; esac
	nf=$((nf + 1))
	set -- $(ci_check "$O/$f")
	if [ "$1" -gt 0 ] && [ "$2" -eq 0 ]; then
		ok "${f#./}: $1 CIs, none outside its indicator's range or missing its estimate"
	else
		bad "${f#./}: $2 of $1 CIs outside the range or not around the estimate"
	fi
done
[ "$nf" -ge 14 ] && ok "$nf published tables with CIs checked" ||
	bad "only $nf published tables with CIs found"
# The sae_kecamatan chart's data (row kode nama direct lo hi rse model lo
# hi rse metode; names quoted, may hold blanks): direct lo hi (columns 5, 6
# around 4) and model lo hi (9, 10 around 8) of P0 within [0, 100].
set -- $(awk '/^#/ { next } { gsub(/"[^"]*"/, "s"); $0 = $0; n++
	for (k = 4; k <= 8; k += 4) if ($(k + 1) != "?" && $(k + 1) != "nan" && $(k + 1) != "") {
		if ($(k + 1) < 0 || $(k + 2) > 100 || $(k + 1) > $k || $(k + 2) < $k) bad++ } }
	END { print n + 0, bad + 0 }' "$O/charts/sae_kecamatan.dat")
if [ "$1" -gt 0 ] && [ "$2" -eq 0 ]; then
	ok "sae_kecamatan chart: $1 kecamatan, every interval in [0, 100] around its estimate"
else
	bad "sae_kecamatan chart: $2 intervals of $1 kecamatan outside [0, 100] or its estimate"
fi

# No verdict on a year without an SE (se_awal, se_akhir: columns 11, 12;
# p_value 18, kesimpulan 20, kesimpulan_holm 23).
set -- $(awk -F, 'NR > 1 && ($11 == "" || $12 == "" || $11 == 0 || $12 == 0) {
	n++; if ($18 != "" || $20 != "" || $23 != "") bad++ }
	END { print n + 0, bad + 0 }' "$O/trend/changes.csv")
if [ "$1" -gt 0 ] && [ "$2" -eq 0 ]; then
	ok "changes.csv: $1 changes with a year without SE, none tested"
else
	bad "changes.csv: $2 of $1 changes with a year without SE carry a verdict"
fi
set -- $(awk -F, 'NR > 1 && $20 != "" { n++ } END { print n + 0 }' "$O/trend/changes.csv")
[ "$1" -gt 100 ] && ok "changes.csv: $1 verdicts" || bad "changes.csv: only $1 verdicts"

# No negative fitted value (fit_akhir: column 15).
set -- $(awk -F, 'NR > 1 && $15 != "" { n++; if ($15 + 0 < 0) bad++ }
	END { print n + 0, bad + 0 }' "$O/trend/trend.csv")
if [ "$1" -gt 50 ] && [ "$2" -eq 0 ]; then
	ok "trend.csv: $1 fitted values, none negative"
else
	bad "trend.csv: $2 of $1 fitted values negative"
fi

# The registry and dtks_vs_bps: the published BPS figure is the terbitan
# table's, angka's estimate is poverty.csv's, one population year per table.
pub=$(awk -F, '$3 == "63.11" && $4 == "2024-03" { print $7 }' "$O/private/normalized/terbitan.csv")
hit=$(awk -F, '$1 == 2024 && $3 == "total" && $4 == "jumlah_miskin" { print $5 }' "$O/indicators/poverty.csv")
set -- $(awk -v p="$pub" -v h="$hit" '$1 == 2024 { print ($3 == p + 0 && $4 == h + 0 ? "yes" : "no"), $3, $4 }' "$O/charts/dtks_vs_bps.dat")
if [ -n "$pub" ] && [ "${1:-}" = yes ]; then
	ok "dtks_vs_bps: 2024 BPS bar $2 is the published figure, angka's bar $3 its estimate"
else
	bad "dtks_vs_bps: 2024 bars '${2:-}' '${3:-}', published '$pub', estimate '$hit'"
fi
set -- $(awk -F, '$4 == "jumlah_miskin_bps" && $2 == "63.11" { b = $5 } $4 == "jumlah_miskin_hitung" && $2 == "63.11" { h = $5 }
	END { print b + 0, h + 0 }' "$O/indicators/registry.csv")
[ "$1" = "$pub" ] && [ "$2" = "$(awk -v h="$hit" 'BEGIN { print h + 0 }')" ] &&
	ok "registry: jumlah_miskin_bps $1 (published), jumlah_miskin_hitung $2" ||
	bad "registry: jumlah_miskin_bps $1, jumlah_miskin_hitung $2, published $pub"
n=$(awk -F, '$4 == "penduduk" || $4 == "share_penduduk_pct" { print $NF }' "$O/indicators/registry.csv" | sort -u | wc -l)
[ "$n" -eq 1 ] && ok "registry: one population year ($(awk -F, '$4 == "penduduk" { print $NF; exit }' "$O/indicators/registry.csv"))" ||
	bad "registry: $n population years in one table"

# Gini SEs against the independent reference: the published jackknife, then
# the linearization on the same normalized data.
N=$T/out/private/normalized
if "$B/angka-indicators" -q --gini-se linearization --by kode_wilayah \
	--lines "$N/garis_kemiskinan.csv" -o "$T/lin.csv" "$N"/susenas_*.csv; then
	ok "angka-indicators --gini-se linearization on the run's data"
else
	bad "angka-indicators --gini-se linearization failed"
fi
for m in jk lin; do
	set -- $(awk -F, -v m=$m '
		NR == FNR { if (FNR > 1) { ref[$1 "," $2] = m == "jk" ? $6 : $5; g[$1 "," $2] = $4 }
		            next }
		FNR == 1 || $4 != "gini" || $6 == "" { next }
		{
			k = $1 "," $3
			if (!(k in ref)) { miss++; next }
			n++
			d = $6 / ref[k] - 1; if (d < 0) d = -d
			e = $5 / g[k] - 1; if (e < 0) e = -e
			if (d > 1e-7 || e > 1e-12) { bad++; print "  " m " " k " " $6 " " ref[k] > "/dev/stderr" }
		}
		END { print n + 0, bad + 0, miss + 0 }' \
		"$ROOT/tests/reference/expected/gini_jackknife.csv" \
		"$([ $m = jk ] && echo "$O/indicators/poverty.csv" || echo "$T/lin.csv")")
	if [ "$1" -eq 110 ] && [ "$2" -eq 0 ] && [ "$3" -eq 0 ]; then
		ok "gini: $1 SEs equal the independent $m reference (1e-7)"
	else
		bad "gini $m: $2 of $1 SEs differ from the reference, $3 domains not in it"
	fi
done
# Small-area estimates: every desa, nothing a hidden count gives back.
if r=$(python3 "$ROOT/tests/tools/sae_disclosure.py" "$T/out" 2>&1); then
	ok "sae: $r"
else
	bad "sae: $r"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
