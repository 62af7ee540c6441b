#!/bin/sh
# check-sae-reference.sh BUILD_DIR - compare angka-sae with the independent
# base-R Fay-Herriot implementation in tests/reference/sae_reference.R
# (expected values committed under tests/reference/sae/expected/; R is not
# needed here). For every case (arcsin: percentages on the arcsin scale,
# back-transformed, delta-method MSE) of tests/reference/sae/cases.csv the EBLUP,
# MSE, gamma and synthetic value of every area, the variance of the area
# effects, the coefficients, their SEs and the log-likelihood must agree to
# 1e-6 relative (differences below 1e-12 absolute pass: A = 0 at the bound).
# Exits 1 on failure.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/angka-sae
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
ref=$root/tests/reference/sae
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
tail -n +2 "$ref/cases.csv" | while IFS=, read -r case data method factor transform; do
	m=$(echo "$method" | tr 'A-Z' 'a-z')
	set -- --area kode --estimate y --se se --method "$m" -q \
	       --model "$tmp/$case.model"
	for x in $(head -n 1 "$ref/data/$data.csv" | tr ',' '\n' | grep '^x[0-9]*$'); do
		set -- "$@" --covariate "$x"
	done
	[ "$factor" = 1 ] && set -- "$@" --factor wilayah
	[ "$transform" = arcsin ] && set -- "$@" --transform arcsin --percent
	if ! "$bin" "$@" -o "$tmp/$case.out" "$ref/data/$data.csv" 2>"$tmp/$case.err"; then
		echo "FAIL $case: angka-sae failed" >&2
		cat "$tmp/$case.err" >&2
		echo x >>"$tmp/failed"
		continue
	fi
	awk -F, -v case="$case" '
	function abs(x) { return x < 0 ? -x : x }
	function cmp(a, b, what,    d, m) {
		if (a == "" && b == "") return 0
		if (a == "" || b == "") { printf "FAIL %s %s: angka %s, R %s\n", case, what, a, b; return 1 }
		d = abs(a - b); m = abs(a) > abs(b) ? abs(a) : abs(b)
		if (m > 0 && d / m > maxrel) maxrel = d / m
		if (d <= 1e-12) return 0
		if (d <= 1e-6 * m) return 0
		printf "FAIL %s %s: angka %.17g, R %.17g (rel %.3g)\n", case, what, a, b, d / m
		return 1
	}
	FILENAME ~ /_model\.csv$/ { if (FNR > 1) { rm[$1] = $2; nm++ }; next }
	FILENAME ~ /\.model$/ {
		if ($1 == "fit" && $2 == "refvar") am["refvar"] = $3
		if ($1 == "fit" && $2 == "loglik") am["loglik"] = $3
		if ($1 == "coef") { am[$2] = $3; am["se:" $2] = $4 }
		next
	}
	FILENAME ~ /expected/ { if (FNR > 1) { e[$1] = $2; ms[$1] = $3; g[$1] = $4; s[$1] = $5; me[$1] = $6; n++ }; next }
	FNR == 1 { next }
	{
		k = $1; seen[k] = 1
		if (!(k in e)) { printf "FAIL %s: area %s not in R\n", case, k; bad++; next }
		bad += cmp($4, e[k], k " eblup")
		bad += cmp($5, ms[k], k " mse")
		bad += cmp($8, g[k], k " gamma")
		bad += cmp($9, s[k], k " synthetic")
		if ($11 != me[k]) { printf "FAIL %s %s metode: angka %s, R %s\n", case, k, $11, me[k]; bad++ }
	}
	END {
		for (k in e) if (!(k in seen)) { printf "FAIL %s: no angka row for %s\n", case, k; bad++ }
		for (k in rm) {
			if (!(k in am)) { printf "FAIL %s: no angka value %s\n", case, k; bad++; continue }
			bad += cmp(am[k], rm[k], k)
		}
		printf "%s %s: %d areas, %d model values vs R, max rel diff %.3g\n", bad ? "FAIL" : "ok  ", case, n, nm, maxrel
		exit bad ? 1 : 0
	}' "$ref/expected/${case}_model.csv" "$tmp/$case.model" "$ref/expected/$case.csv" "$tmp/$case.out" || echo x >>"$tmp/failed"
done
if [ -e "$tmp/failed" ]; then
	echo "check-sae-reference: FAILED" >&2
	exit 1
fi
echo "check-sae-reference: all cases agree with the R reference"
