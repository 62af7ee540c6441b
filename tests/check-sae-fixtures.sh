#!/bin/sh
# check-sae-fixtures.sh BUILD_DIR - angka-sae against the true kecamatan and
# desa poverty of the SAE fixtures (fixtures/sae/, see fixtures/README.md).
# The generator fixes a finite population whose desa P0 depends partly on
# the DTKS desil 1-2 share and writes its true P0 per kecamatan and desa;
# fixtures/sae/susenas_sae_balangan_2024.csv holds 10 independent samples
# (REPLIKASI) of 60 desa x 10 households from it. Per sample:
#   - direct estimates (awk, independent of angka): kecamatan P0 = ratio
#     of weighted poor persons to weighted persons, SE by linearization
#     over the PSUs within the stratum (with replacement); desa P0 of the
#     sampled desa, SE by linearization over its 10 households, no FPC;
#   - the covariate desil12_pct = share of DTKS rows in desil 1-2 per area,
#     read from fixtures/dtks/dtks_balangan_2024.csv as recorded (rows
#     without kecamatan/desa codes left out);
#   - kecamatan: angka-sae REML with the 8 kecamatan and, without an
#     estimate, the 157 desa (so desa get the synthetic x'beta of the
#     kecamatan model, as the driver's [sae] step publishes them);
#   - desa: angka-sae REML over the 157 desa on the arcsin scale
#     (--transform arcsin --percent, n_eff = Kish's (sum s)^2 / sum s^2 of
#     the household sizes), unsampled desa synthetic.
# Over the 10 samples the mean squared error against the truth (P0 in
# percentage points) must be smaller for the EBLUP than for the direct
# estimates, for kecamatan and for the sampled desa. Prints the figures.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/angka-sae
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
fx=$root/fixtures
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# desil12_pct per kecamatan and desa from the DTKS extract as recorded. The
# fields are counted from the end: a quoted ALAMAT may hold ';' or a
# newline, the region and DESIL columns come after it.
tr -d '\r' <"$fx/dtks/dtks_balangan_2024.csv" | awk -F';' '
NR > 1 && NF >= 11 && $NF ~ /^20[0-9][0-9]-/ && $(NF - 10) ~ /^0[1-8]$/ &&
$(NF - 9) ~ /^[0-9][0-9][0-9][0-9]$/ {
	k = "63.11." $(NF - 10); d = k "." $(NF - 9); q = ($(NF - 1) <= 2)
	nk[k]++; qk[k] += q; nd[d]++; qd[d] += q
}
END {
	for (k in nk) printf "%s,%.10f\n", k, 100 * qk[k] / nk[k]
	for (d in nd) printf "%s,%.10f\n", d, 100 * qd[d] / nd[d]
}' | LC_ALL=C sort >"$tmp/cov"
ncov=$(wc -l <"$tmp/cov")
if [ "$ncov" -ne 165 ]; then
	echo "FAIL covariates for $ncov areas, expected 8 kecamatan + 157 desa"
	exit 1
fi

# the line of 2024 decides who is poor
line=$(awk -F, '$2 == "2024-03" { print $3 }' \
	"$fx/garis_kemiskinan/garis_kemiskinan_balangan.csv")
truth=$fx/sae/sae_truth_balangan_2024.csv
nrep=$(awk -F, 'NR > 1 { r[$1] = 1 } END { print length(r) }' \
	"$fx/sae/susenas_sae_balangan_2024.csv")
[ "$nrep" -eq 10 ] || { echo "FAIL $nrep samples, expected 10"; exit 1; }
: >"$tmp/acc"
rep=1
while [ "$rep" -le "$nrep" ]; do
	# direct estimates: kec.csv (8 rows) and desa.csv (the sampled desa)
	awk -F, -v rep="$rep" -v z="$line" -v out="$tmp" '
	NR == 1 { next }
	$1 == rep {
		n++; k[n] = "63.11.0" substr($5, 2, 1)
		c = $6; d[n] = substr(c, 1, 2) "." substr(c, 3, 2) "." substr(c, 5, 2) "." substr(c, 7, 4)
		p[n] = $7; s[n] = $9; w[n] = $10; y[n] = ($11 < z)
		ws = w[n] * s[n]; K[k[n]] += ws; KY[k[n]] += ws * y[n]
		D[d[n]] += s[n]; DY[d[n]] += s[n] * y[n]; DS2[d[n]] += s[n] * s[n]
		DN[d[n]]++; DK[d[n]] = k[n]
	}
	END {
		for (i = 1; i <= n; i++) {
			r = KY[k[i]] / K[k[i]]
			zp[p[i]] += w[i] * s[i] * (y[i] - r) / K[k[i]]; pk[p[i]] = k[i]
			rd = DY[d[i]] / D[d[i]]
			e = s[i] * (y[i] - rd) / D[d[i]]; V[d[i]] += e * e
		}
		for (q in zp) { m[pk[q]]++; sz[pk[q]] += zp[q]; sz2[pk[q]] += zp[q] ^ 2 }
		f = out "/kec.csv"; g = out "/desa.csv"
		for (a in K) {
			v = m[a] / (m[a] - 1) * (sz2[a] - sz[a] ^ 2 / m[a])
			printf "%s,%.12f,%.12f\n", a, 100 * KY[a] / K[a], 100 * sqrt(v) >f
		}
		for (a in D) {
			v = DN[a] / (DN[a] - 1) * V[a]
			printf "%s,%.12f,%.12f,%.6f\n", a, 100 * DY[a] / D[a], 100 * sqrt(v), D[a] ^ 2 / DS2[a] >g
		}
	}' "$fx/sae/susenas_sae_balangan_2024.csv"
	# the area tables for angka-sae: every area of the registry, the
	# direct estimate where there is one
	awk -F, -v lvl=kec 'FILENAME ~ /cov$/ { x[$1] = $2; ord[++n] = $1; next }
	{ est[$1] = $2; se[$1] = $3 }
	END { print "kode,p0,se,desil12"
	      for (i = 1; i <= n; i++) { a = ord[i]
	          if (a in est) print a "," est[a] "," se[a] "," x[a]
	          else if (length(a) > 8) print a ",,," x[a] } }' \
		"$tmp/cov" "$tmp/kec.csv" >"$tmp/k.csv"
	awk -F, 'FILENAME ~ /cov$/ { if (length($1) > 8) { x[$1] = $2; ord[++n] = $1 }; next }
	{ est[$1] = $2; se[$1] = $3; ne[$1] = $4 }
	END { print "kode,p0,se,neff,desil12"
	      for (i = 1; i <= n; i++) { a = ord[i]
	          if (a in est) print a "," est[a] "," se[a] "," ne[a] "," x[a]
	          else print a ",,,," x[a] } }' \
		"$tmp/cov" "$tmp/desa.csv" >"$tmp/d.csv"
	"$bin" -q --area kode --estimate p0 --se se --covariate desil12 \
		-o "$tmp/ko.csv" "$tmp/k.csv" ||
		{ echo "FAIL sample $rep: angka-sae (kecamatan) failed"; exit 1; }
	"$bin" -q --area kode --estimate p0 --se se --covariate desil12 \
		--transform arcsin --percent --n-eff neff \
		-o "$tmp/do.csv" "$tmp/d.csv" ||
		{ echo "FAIL sample $rep: angka-sae (desa) failed"; exit 1; }
	# squared errors against the truth (percentage points)
	awk -F, 'FILENAME == ARGV[1] { if (FNR > 1) t[$2] = 100 * $5 / $4; next }
	FNR == 1 { next }
	FILENAME == ARGV[2] {
		if (length($1) <= 8) { nk++; kd += ($2 - t[$1]) ^ 2; ke += ($4 - t[$1]) ^ 2 }
		else syn[$1] = $4
		next }
	{	if ($2 == "") next
		nd++; dd += ($2 - t[$1]) ^ 2; de += ($4 - t[$1]) ^ 2
		ds += (syn[$1] - t[$1]) ^ 2 }
	END { printf "%d %.17g %.17g %d %.17g %.17g %.17g\n", nk, kd, ke, nd, dd, de, ds }' \
		"$truth" "$tmp/ko.csv" "$tmp/do.csv" >>"$tmp/acc"
	rep=$((rep + 1))
done
awk '{ nk += $1; kd += $2; ke += $3; nd += $4; dd += $5; de += $6; ds += $7 }
END {
	printf "kecamatan, %d samples x 8: MSE direct %.3f, EBLUP %.3f (%.0f%% lower)\n", NR, kd / nk, ke / nk, 100 * (1 - ke / kd)
	printf "sampled desa, %d estimates: MSE direct %.3f, desa EBLUP (arcsin) %.3f (%.0f%% lower), kecamatan-model synthetic %.3f (%.0f%% lower)\n", nd, dd / nd, de / nd, 100 * (1 - de / dd), ds / nd, 100 * (1 - ds / dd)
	bad = 0
	if (!(ke < kd)) { print "FAIL kecamatan: EBLUP not closer to the truth than the direct estimates"; bad = 1 }
	if (!(de < dd)) { print "FAIL desa: EBLUP not closer to the truth than the direct estimates"; bad = 1 }
	exit bad
}' "$tmp/acc" || fail=1
[ $fail -eq 0 ] && echo "check-sae-fixtures: EBLUP closer to the true kecamatan and desa P0 than the direct estimates"
exit $fail
