#!/bin/sh
# check-chart.sh - render every chart in every format from the golden-case
# inputs and check the images: each PNG is 1890 x 1063 pixels (16 x 9 cm at
# 300 dpi) and not blank (decoded by build/tests/test_chart_png), each SVG
# and PDF starts with its magic, each PDF's text (pdftotext -bbox,
# poppler-utils) is at the SVG's point sizes with no two words' boxes
# overlapping and no region code where a name goes, no temporary file is
# left, and the .gp
# re-renders by itself from the output directory (the editor's workflow).
# `available` draws the charts whose inputs are given, in table order.
#
# Usage: tests/check-chart.sh BUILD_DIR
set -u
build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd) || exit 2
root=$(cd "$(dirname "$0")/.." && pwd)
png=$build/tests/test_chart_png
[ -x "$png" ] || { echo "missing $png (run make test)"; exit 1; }
cases=$root/tests/cases/chart
out=$(mktemp -d "${TMPDIR:-/tmp}/angka-chart.XXXXXX") || exit 2
trap 'rm -rf "$out"' EXIT INT TERM
fail=0
charts="p0_trend miskin_p0 p1_p2 dtks_kecamatan dtks_vs_bps program_kecamatan sae_kecamatan komoditas_gk"
sae=$root/tests/cases/sae/0012-long-mode/files/sae.csv

for lang in id en; do
	dir=$out/$lang
	if ! LC_ALL=C "$build/angka-chart" -q --outdir "$dir" --lang "$lang" \
		--history "$cases/0001/history.csv" \
		--registry "$cases/0002/registry.csv" \
		--programmes "$cases/0002/programmes.csv" \
		--sae "$sae" \
		--komoditas "$cases/0011/komoditas_gk.csv" \
		--wilayah "$root/fixtures/wilayah/wilayah_kalsel_balangan.csv" \
		all 2>"$out/err"; then
		echo "FAIL angka-chart ($lang):"; cat "$out/err"; fail=1; continue
	fi
	if [ -s "$out/err" ]; then
		echo "FAIL angka-chart ($lang) printed:"; cat "$out/err"; fail=1
	fi
	for c in $charts; do
		# A chart draws many pixels: at least 2 % of the canvas.
		"$png" "$dir/$c.png" 1890 1063 40000 || fail=1
		head -c 200 "$dir/$c.svg" | grep -q '<svg' ||
			{ echo "FAIL $lang/$c.svg is not SVG"; fail=1; }
		head -c 5 "$dir/$c.pdf" | grep -q '%PDF-' ||
			{ echo "FAIL $lang/$c.pdf is not PDF"; fail=1; }
		for f in gp dat; do
			[ -s "$dir/$c.$f" ] || { echo "FAIL no $lang/$c.$f"; fail=1; }
		done
		# The PDF's words as poppler reads them: at the SVG's point
		# sizes, no two overlapping (tests/tools/pdf_text.py), and no
		# region code where a name belongs.
		python3 "$root/tests/tools/pdf_text.py" "$dir/$c.pdf" "$dir/$c.svg" \
			>"$out/pdf" 2>&1 || { echo "FAIL $lang/$c.pdf text:"; cat "$out/pdf"; fail=1; }
		codes=$(pdftotext "$dir/$c.pdf" - | grep -oE '(^|[^0-9.,])([0-9]{2}(\.[0-9]{2}){2,}|[0-9]{6,10})([^0-9.,]|$)' | head -3)
		[ -z "$codes" ] || { echo "FAIL $lang/$c.pdf shows region codes: $codes"; fail=1; }
	done
	left=$(find "$dir" -name '.*' -type f)
	[ -z "$left" ] || { echo "FAIL temporary files left: $left"; fail=1; }
done

# The script alone re-renders the chart in its directory.
if command -v gnuplot >/dev/null 2>&1; then
	rm -f "$out/id/p0_trend.png"
	(cd "$out/id" && LC_ALL=C gnuplot p0_trend.gp 2>"$out/err") ||
		{ echo "FAIL gnuplot p0_trend.gp:"; cat "$out/err"; fail=1; }
	"$png" "$out/id/p0_trend.png" 1890 1063 40000 || fail=1
fi

# Size options: 12 x 7 cm at 150 dpi is 709 x 413 pixels.
printf '[chart]\nwidth_cm = 12\nheight_cm = 7\ndpi = 150\nformats = png\n' \
	>"$out/small.ini"
"$build/angka-chart" -q -c "$out/small.ini" --outdir "$out/small" \
	--history "$cases/0001/history.csv" p0_trend || fail=1
"$png" "$out/small/p0_trend.png" 709 413 5000 || fail=1

# `available`: the charts whose inputs are on the command line, in the
# order of the table (what the driver draws); a path from the config does
# not count.
hist="--history $cases/0001/history.csv"
reg="--registry $cases/0002/registry.csv"
prog="--programmes $cases/0002/programmes.csv"
saef="--sae $sae"
kom="--komoditas $cases/0011/komoditas_gk.csv"
printf '[chart]\nhistory = %s\n' "$cases/0001/history.csv" >"$out/hist.ini"
available() {
	expect=$1
	shift
	rm -rf "$out/avail"
	if ! LC_ALL=C "$build/angka-chart" --outdir "$out/avail" --formats svg \
		"$@" available 2>"$out/err"; then
		echo "FAIL available $*:"; cat "$out/err"; fail=1; return
	fi
	got=$(sed -n 's|^angka-chart: wrote .*/\([a-z0-9_]*\)\.{.*|\1|p' "$out/err" |
		tr '\n' ' ')
	[ "$got" = "$expect " ] ||
		{ echo "FAIL available $*: drew '$got', expected '$expect '"; fail=1; }
}
# shellcheck disable=SC2086
{
available "p0_trend miskin_p0 p1_p2" $hist
available "dtks_kecamatan" $reg
available "dtks_kecamatan program_kecamatan" $reg $prog
available "p0_trend miskin_p0 p1_p2 dtks_kecamatan dtks_vs_bps" $hist $reg
available "p0_trend miskin_p0 p1_p2 dtks_kecamatan dtks_vs_bps program_kecamatan" $hist $reg $prog
available "sae_kecamatan" $saef
available "komoditas_gk" $kom
available "$charts" $hist $reg $prog $saef $kom
available "dtks_kecamatan" -c "$out/hist.ini" $reg
}
"$build/angka-chart" --outdir "$out/avail" available 2>/dev/null
st=$?
[ $st = 2 ] || { echo "FAIL available without inputs: exit $st, expected 2"; fail=1; }
exit $fail
