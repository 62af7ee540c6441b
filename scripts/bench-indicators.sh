#!/bin/sh
# bench-indicators.sh BUILD_DIR - time angka-indicators on a national-size
# synthetic SUSENAS (scripts/gen-bench-susenas.c: ~300,000 households, 514
# kabupaten domains, 29,812 PSUs, 1,028 strata): all survey indicators with
# SEs for total, perkotaan/perdesaan and every kabupaten. When Rscript with
# the survey package is installed, time R's svydesign + svymean + svyby
# (P0, P1, P2 and mean kapita by kode_kab) on the same data and design in
# the same run and print the ratio. Data go to ${ANGKA_BENCH_DIR:-/tmp/angka-bench}.
# Times are wall-clock seconds from /usr/bin/time -f '%e %M' (peak RSS in KB).
set -eu
build=${1:-build}
dir=${ANGKA_BENCH_DIR:-/tmp/angka-bench}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir" "$build"
gen=$build/gen-bench-susenas
if [ ! -x "$gen" ] || [ "$root/scripts/gen-bench-susenas.c" -nt "$gen" ]; then
	${CC:-cc} -std=c11 -O2 -o "$gen" "$root/scripts/gen-bench-susenas.c" -lm
fi
if [ ! -s "$dir/susenas.csv" ] || [ ! -s "$dir/lines.csv" ]; then
	"$gen" "$dir"
fi
timef() { # LABEL CMD... : prints LABEL seconds peak_kb
	label=$1; shift
	/usr/bin/time -f "%e %M" -o "$dir/time.$$" "$@" >/dev/null 2>"$dir/err.$$" || {
		cat "$dir/err.$$" >&2; return 1; }
	set -- $(tail -n 1 "$dir/time.$$")
	echo "$label $1 $2"
	rm -f "$dir/time.$$" "$dir/err.$$"
}
echo "# indicators benchmark: $(tail -n +2 "$dir/susenas.csv" | wc -l) households"
a=$(timef angka "$build/angka-indicators" -q --lines "$dir/lines.csv" \
	--by kode_kab -o "$dir/angka-out.csv" "$dir/susenas.csv")
set -- $a
angka_s=$2
echo "angka-indicators (all indicators, SEs, 517 domains): $2 s, peak RSS $3 KB"
b=$(timef angka_nodist "$build/angka-indicators" -q --no-distribution \
	--lines "$dir/lines.csv" --by kode_kab -o "$dir/angka-out2.csv" "$dir/susenas.csv")
set -- $b
angka_nd_s=$2
echo "angka-indicators --no-distribution: $2 s, peak RSS $3 KB"
if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(survey)' >/dev/null 2>&1; then
	cat >"$dir/bench.R" <<'REOF'
suppressMessages(library(survey))
args <- commandArgs(TRUE)
d <- read.csv(args[1], colClasses = c(kode_kab = "character", kode_wilayah = "character"))
l <- read.csv(args[2], colClasses = c(kode_wilayah = "character"))
d$dn <- ifelse(d$daerah == 1, "perkotaan", "perdesaan")
d$z <- l$garis_kemiskinan[match(paste(d$kode_wilayah, d$dn), paste(l$kode_wilayah, l$daerah))]
poor <- d$kapita < d$z
d$g0 <- as.numeric(poor); d$g1 <- ifelse(poor, (d$z - d$kapita) / d$z, 0); d$g2 <- d$g1^2
t0 <- proc.time()[["elapsed"]]
des <- svydesign(ids = ~psu, strata = ~strata, weights = ~bobot, nest = TRUE, data = d)
m <- svymean(~g0 + g1 + g2 + kapita, des)
b <- svyby(~g0 + g1 + g2 + kapita, ~kode_kab, des, svymean)
cat("R estimation (svydesign + svymean + svyby):", proc.time()[["elapsed"]] - t0, "s\n")
REOF
	r=$(timef R Rscript "$dir/bench.R" "$dir/susenas.csv" "$dir/lines.csv")
	set -- $r
	echo "R survey (read.csv + svydesign + svymean + svyby): $2 s, peak RSS $3 KB"
	# Like for like: R computes the FGT means and the mean expenditure
	# with SEs (total and per kabupaten); angka --no-distribution computes
	# those and more (totals, perkotaan/perdesaan, contributions), but not
	# the median, Gini and bottom-40 share that need sorted distributions.
	awk -v r="$2" -v a="$angka_nd_s" -v f="$angka_s" 'BEGIN {
		x = r / (a > 0 ? a : 0.01); y = r / (f > 0 ? f : 0.01)
		printf "ratio R / angka, same estimates (--no-distribution): %.0fx (target >= 100x): %s\n", x, (x >= 100 ? "PASS" : "FAIL")
		printf "ratio R / angka, all indicators incl. median and Gini: %.0fx\n", y }'
else
	echo "R survey not installed: ratio skipped"
fi
