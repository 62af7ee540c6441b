#!/bin/sh
# check-sae-truth.sh BUILD_DIR - angka-sae against known truth, by Monte
# Carlo. 40 populations (awk, seeds 1..40) of 150 areas each are drawn from
# a Fay-Herriot model: theta_i = 2 + 0.6 x1 - 0.4 x2 + u_i, u_i ~ N(0, 1),
# direct y_i = theta_i + e_i, e_i ~ N(0, D_i), D_i in [0.3, 4]; every third
# area has no direct estimate (synthetic). Over all replicates, for REML
# and ML:
#   - the EBLUP's mean squared error against theta is below the direct
#     estimates' (areas with a direct estimate);
#   - the mean estimated MSE (Prasad-Rao / Datta-Lahiri) is within 10 % of
#     the empirical mean squared error of the EBLUPs, and within 15 % for
#     the synthetic areas (A + x'Qx).
# Each replicate is also ratio-benchmarked (--benchmark) to 1.1 x its mean
# direct estimate, a value that depends on the data only: the mean
# mse_bench is within 10 % of the empirical mean squared error of
# eblup_bench (fitted areas).
# The MSE is an expectation over repeated samples, so it is compared with
# the empirical error averaged over replicates, not within one draw (the
# error of A is shared by all areas of one draw). Prints the figures.
set -u
build=${1:-build}
bin=$build/angka-sae
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for m in reml ml; do
	: >"$tmp/acc.$m"
done
rep=1
while [ $rep -le 40 ]; do
	awk -v seed="$rep" 'function n01() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
	BEGIN {
		srand(seed); print "kode,y,se,x1,x2,theta,bench"
		for (i = 1; i <= 150; i++) {
			x1[i] = rand() * 10; x2[i] = rand() * 10
			th[i] = 2 + 0.6 * x1[i] - 0.4 * x2[i] + n01()
			D[i] = 0.3 + 3.7 * rand()
			y[i] = th[i] + n01() * sqrt(D[i])
			if (i % 3) { sy += y[i]; ny++ }
		}
		# a benchmark that depends on the data only: 1.1 x the mean
		# direct estimate
		b = 1.1 * sy / ny
		for (i = 1; i <= 150; i++)
			if (i % 3 == 0) printf "a%03d,,,%.6f,%.6f,%.10f,%.10f\n", i, x1[i], x2[i], th[i], b
			else printf "a%03d,%.10f,%.10f,%.6f,%.6f,%.10f,%.10f\n", i, y[i], sqrt(D[i]), x1[i], x2[i], th[i], b
	}' >"$tmp/d.csv"
	for m in reml ml; do
		"$bin" -q --area kode --estimate y --se se --covariate x1 \
			--covariate x2 --method $m --benchmark bench \
			-o "$tmp/o.csv" "$tmp/d.csv" ||
			{ echo "FAIL replicate $rep $m: angka-sae failed"; exit 1; }
		# per replicate: sums of squared errors and of estimated MSEs
		awk -F, 'FNR == 1 { next } NR == FNR { th[$1] = $6; next }
		{	t = th[$1]
			if ($11 == "eblup") { n++; sd += ($2 - t)^2; se += ($4 - t)^2; em += $5
				sb += ($14 - t)^2; eb += $15 }
			else { k++; ss += ($4 - t)^2; es += $5 } }
		END { printf "%d %.17g %.17g %.17g %d %.17g %.17g %.17g %.17g\n", n, sd, se, em, k, ss, es, sb, eb }' \
			"$tmp/d.csv" "$tmp/o.csv" >>"$tmp/acc.$m"
	done
	rep=$((rep + 1))
done
fail=0
for m in reml ml; do
	awk -v tag="$m" '{ n += $1; sd += $2; se += $3; em += $4; k += $5; ss += $6; es += $7; sb += $8; eb += $9 }
	END {
		d = sd / n; b = se / n; r = (em / n) / b; rs = (es / k) / (ss / k); rb = eb / sb
		printf "%s, %d replicates: %d fitted areas: MSE direct %.4f, EBLUP %.4f (%.0f%% lower), estimated/empirical MSE %.3f; %d synthetic: estimated/empirical %.3f\n", tag, NR, n, d, b, 100 * (1 - b / d), r, k, rs
		printf "%s, benchmarked to 1.1 x the mean direct estimate: fitted areas MSE %.4f, mse_bench estimated/empirical %.3f\n", tag, sb / n, rb
		bad = 0
		if (rb < 0.9 || rb > 1.1) { print "FAIL " tag ": benchmarked MSE off by more than 10 %"; bad = 1 }
		if (!(b < d)) { print "FAIL " tag ": EBLUP not closer to the truth"; bad = 1 }
		if (r < 0.9 || r > 1.1) { print "FAIL " tag ": estimated MSE off by more than 10 %"; bad = 1 }
		if (rs < 0.85 || rs > 1.15) { print "FAIL " tag ": synthetic MSE off by more than 15 %"; bad = 1 }
		exit bad
	}' "$tmp/acc.$m" || fail=1
done
[ $fail -eq 0 ] && echo "check-sae-truth: EBLUP closer to the truth, MSE estimates unbiased within bounds"
exit $fail
