#!/bin/sh
# check-garis-reference.sh BUILD_DIR - angka-garis against the independent
# computation of tests/reference/garis_reference.py (Python 3; its output is
# committed under tests/reference/garis/, Python is not needed here), on the
# Balangan fixtures of 2023 and 2024:
#   - GK, GKM, GKNM per area and total, and their jackknife SEs, agree to
#     1e-9 relative; so does every commodity's contribution;
#   - a +10 % unit value of rice (001) and of kretek filter cigarettes (051):
#     angka's scenario GK equals the reference's re-run of the whole method
#     (1e-9), and the change equals the commodity's share of GK x 10 %;
#   - the computed total line is within 2 jackknife SEs of the fixture's
#     input line (garis_kemiskinan/).
# Exits 1 on failure.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/angka-garis
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
fx=$root/fixtures
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
for y in 2023 2024; do
	set -- --susenas "$fx/susenas/susenas_balangan_$y.csv" \
		--makanan "$fx/konsumsi/konsumsi_makanan_balangan_$y.csv" \
		--bukan-makanan "$fx/konsumsi/konsumsi_bukan_makanan_balangan_$y.csv" \
		--kalori "$fx/konsumsi/komoditas_makanan.csv" \
		--rasio "$fx/konsumsi/rasio_kebutuhan_dasar.csv" \
		--ihk "$fx/konsumsi/ihk_balangan.csv" \
		--garis "$fx/garis_kemiskinan/garis_kemiskinan_balangan.csv" \
		--tahun "$y" -q
	"$bin" "$@" -o "$tmp/l$y.csv" --kontribusi "$tmp/k$y.csv" \
		--price 001=+10% --whatif "$tmp/w001_$y.csv" || { echo "FAIL $y: angka-garis failed"; fail=1; continue; }
	"$bin" "$@" --no-se -o /dev/null --price 051=+10% \
		--whatif "$tmp/w051_$y.csv" || { echo "FAIL $y: angka-garis (051) failed"; fail=1; continue; }
	z=$(awk -F, -v p="$y-03" '$2 == p { print $3 }' "$fx/garis_kemiskinan/garis_kemiskinan_balangan.csv")
	awk -F, -v y="$y" -v z="$z" '
	function abs(x) { return x < 0 ? -x : x }
	function rel(a, b,   m) { m = abs(a) > abs(b) ? abs(a) : abs(b); return m > 0 ? abs(a - b) / m : 0 }
	function cmp(a, b, what) {
		n++
		if (a == "" || b == "" || rel(a, b) > 1e-9) { printf "FAIL %s %s: angka %s, reference %s\n", y, what, a, b; bad = 1 }
		if (rel(a, b) > maxrel) maxrel = rel(a, b)
	}
	FILENAME ~ /expected/ && FNR > 1 { ref[$1 "," $2] = $3; rse[$1 "," $2] = $4; next }
	FILENAME ~ /\/l[0-9]/ && FNR > 1 && $4 != "porsi_makanan_pct" {
		k = $3 "," $4; seen[k] = 1
		cmp($5, ref[k], k); cmp($6, rse[k], k " se")
		gk[$3] = $5; if ($3 == "total" && $4 == "GK") { tot = $5; se = $6 }
		next
	}
	FILENAME ~ /\/k[0-9]/ && FNR > 1 && $3 != "total" {
		k = $3 ",kontribusi:" $5
		if (k in ref) { cmp($7, ref[k], k); share[$3 "," $5] = $8; nk++ }
		else if ($7 != 0) { printf "FAIL %s %s: angka %s, not in the reference\n", y, k, $7; bad = 1 }
		next
	}
	FILENAME ~ /\/w/ && FNR > 1 && $4 == "GK" && $3 != "total" {
		c = FILENAME; sub(/.*\/w/, "", c); sub(/_.*/, "", c)
		cmp($6, ref[$3 ",gk_harga:" c], $3 " GK with " c " +10%")
		# the change is the share x the price change
		d = $6 - $5; want = share[$3 "," c] / 100 * 0.10 * $5
		if (rel(d, want) > 1e-9) { printf "FAIL %s %s: GK change %s, share x 10%% %s\n", y, $3, d, want; bad = 1 }
		nw++
	}
	END {
		for (k in ref) if (k !~ /:/ && !(k in seen)) { printf "FAIL %s: %s missing\n", y, k; bad = 1 }
		if (nk < 100 || nw != 4) { printf "FAIL %s: only %d contributions, %d what-ifs compared\n", y, nk, nw; bad = 1 }
		if (abs(tot - z) > 2 * se) { printf "FAIL %s: GK %s is more than 2 SE (%s) from the input line %s\n", y, tot, se, z; bad = 1 }
		printf "%s %d: %d values agree (max rel. difference %.3g); GK total %.0f vs input line %s (%.2f SE)\n",
		       bad ? "FAIL" : "ok", y, n, maxrel, tot, z, (tot - z) / se
		exit bad
	}' "$root/tests/reference/garis/expected_$y.csv" "$tmp/l$y.csv" "$tmp/k$y.csv" \
		"$tmp/w001_$y.csv" "$tmp/w051_$y.csv" || fail=1
done
exit $fail
