#!/bin/sh
# check-indicators-reference.sh BUILD_DIR - compare angka-indicators with the
# R survey reference values in tests/reference/expected/ (made by
# tests/reference/survey_reference.R; R is not needed here). Every estimate,
# SE, CI bound and design effect must agree to 1e-9 relative, except the
# CIs of P0-P2 from R's svyciprop (logit: an IRLS fit; beta: qbeta), 1e-6;
# an SE that is zero in exact arithmetic comes out of both engines as
# rounding noise, so differences below 1e-12 x |estimate| also pass. df
# must be equal. The Gini's SE there is the linearized one (--gini-se
# linearization); the delete-one-PSU jackknife (angka's default) is compared
# with R survey's JKn replicates in expected/<case>_gini_jkn.csv
# (tests/reference/gini_jkn_reference.R), 1e-9. Exits 1 on failure.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/angka-indicators
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
ref=$root/tests/reference
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
worst=0
# case,data,by,rule,lonely,fpc,level,expect_fail,ci
tail -n +2 "$ref/cases.csv" | while IFS=, read -r case data by rule lonely fpc level expect_fail ci; do
	set -- --value y --weight w --hhsize size --strata strata --psu psu \
	       --line z --lonely-psu "$lonely" --level "$level" --ci "$ci" -q \
	       --gini-se linearization
	[ -n "$by" ] && set -- "$@" --by "$by"
	[ "$rule" = weak ] && set -- "$@" --weak
	[ "$fpc" = 1 ] && set -- "$@" --fpc fpc
	"$bin" "$@" "$ref/data/$data.csv" >"$tmp/$case.out" 2>"$tmp/$case.err"
	st=$?
	if [ "$expect_fail" = 1 ]; then
		if [ $st -ne 1 ] || ! grep -q 'only one PSU' "$tmp/$case.err"; then
			echo "FAIL $case: expected exit 1 with a lonely-PSU error, got $st" >&2
			cat "$tmp/$case.err" >&2
			echo x >>"$tmp/failed"
		else
			echo "ok   $case (fails as R does)"
		fi
		continue
	fi
	if [ $st -ne 0 ]; then
		echo "FAIL $case: exit $st" >&2
		cat "$tmp/$case.err" >&2
		echo x >>"$tmp/failed"
		continue
	fi
	awk -F, -v case="$case" -v ci="$ci" '
	function abs(x) { return x < 0 ? -x : x }
	function cmp(a, b, what, scale, tol,    d, m) {
		if (a == "" && b == "") return 0
		if (a == "" || b == "") { printf "FAIL %s %s: angka %s, R %s\n", case, what, a, b; return 1 }
		d = abs(a - b); m = abs(a) > abs(b) ? abs(a) : abs(b)
		if (d <= 1e-12 * abs(scale) || d <= 1e-300) return 0
		if (m > 0 && d / m > maxrel) maxrel = d / m
		if (d <= (tol ? tol : 1e-9) * m) return 0
		printf "FAIL %s %s: angka %.17g, R %.17g (rel %.3g)\n", case, what, a, b, d / m
		return 1
	}
	FNR == 1 { next }
	NR == FNR { key = $1 "|" $2; e[key] = $3; s[key] = $4; lo[key] = $5; hi[key] = $6; df[key] = $7; de[key] = $8; ne[key] = $9; n++; next }
	{
		key = $3 "|" $4
		if (!(key in e)) next
		seen[key] = 1
		citol = (ci != "wald" && $4 ~ /^P[012]$/) ? 1e-6 : 0
		bad += cmp($5, e[key], key " estimate", 0)
		bad += cmp($6, s[key], key " se", e[key])
		bad += cmp($7, lo[key], key " ci_lower", e[key], citol)
		bad += cmp($8, hi[key], key " ci_upper", e[key], citol)
		bad += cmp($14, de[key], key " deff", 0)
		bad += cmp($15, ne[key], key " n_eff", 0)
		if ($13 != df[key]) { printf "FAIL %s %s df: angka %s, R %s\n", case, key, $13, df[key]; bad++ }
	}
	END {
		for (k in e) if (!(k in seen)) { printf "FAIL %s: no angka row for %s\n", case, k; bad++ }
		printf "%s %s: %d values vs R, max rel diff %.3g\n", bad ? "FAIL" : "ok  ", case, n, maxrel
		exit bad ? 1 : 0
	}' "$ref/expected/$case.csv" "$tmp/$case.out" || echo x >>"$tmp/failed"
	# the jackknife (the last --gini-se wins)
	"$bin" "$@" --gini-se jackknife "$ref/data/$data.csv" >"$tmp/$case.jk" 2>"$tmp/$case.err" ||
		{ echo "FAIL $case: --gini-se jackknife: exit $?" >&2; echo x >>"$tmp/failed"; continue; }
	awk -F, -v case="$case" '
	function abs(x) { return x < 0 ? -x : x }
	NR == FNR { if (FNR > 1) { e[$1] = $2; s[$1] = $3; n++ } next }
	$4 != "gini" { next }
	{
		seen[$3] = 1
		if (!($3 in e)) { printf "FAIL %s: gini %s not in R\n", case, $3; bad++; next }
		if (abs($5 - e[$3]) > 1e-12 * abs(e[$3])) { printf "FAIL %s gini %s estimate: angka %s, R %s\n", case, $3, $5, e[$3]; bad++ }
		if (($6 == "") != (s[$3] == "")) { printf "FAIL %s gini %s jackknife se: angka %s, R %s\n", case, $3, $6, s[$3]; bad++; next }
		if ($6 == "") next
		d = abs($6 - s[$3]) / abs(s[$3]); if (d > maxrel) maxrel = d
		if (d > 1e-9) { printf "FAIL %s gini %s jackknife se: angka %.17g, R %.17g (rel %.3g)\n", case, $3, $6, s[$3], d; bad++ }
	}
	END {
		for (k in e) if (!(k in seen)) { printf "FAIL %s: no angka gini row for %s\n", case, k; bad++ }
		printf "%s %s: %d Gini jackknife SEs vs R JKn, max rel diff %.3g\n", bad ? "FAIL" : "ok  ", case, n, maxrel
		exit bad ? 1 : 0
	}' "$ref/expected/${case}_gini_jkn.csv" "$tmp/$case.jk" || echo x >>"$tmp/failed"
done
if [ -e "$tmp/failed" ]; then
	echo "check-indicators-reference: FAILED" >&2
	exit 1
fi
echo "check-indicators-reference: all cases agree with R survey"
