#!/bin/sh
# check-dedup-quality.sh BUILD_DIR - pairwise precision and recall of
# angka-dedup on the DTKS fixtures against their ground truth, overall and
# per adversarial situation (issue 13's Done-when).
#
# Runs angka-ingest | angka-normalize | angka-dedup on the two extracts
# fixtures/dtks/dtks_balangan_2023.csv and _2024.csv together, then compares
# "same cluster" with "same person_id" of their .truth.csv files over all
# pairs of rows (a row is named by its file's base name and src_line). The
# truth column situasi names the adversarial situation of a row
# (fixtures/README.md); a situation's pairs are the pairs with at least
# one of its rows ("(none)": the pairs of two rows of no situation, the
# base rows), and the table shows their precision, recall and false
# merges (predicted pairs that are not true pairs).
# Fails on any false merge in any situation, on precision < 0.999 overall,
# and on recall < MIN_R overall: issue 13's 0.995 (DONE_R). The dedup of
# today reaches 0.9975: the two movers with common names and a NIK missing
# one year end in review (0.9811 with [dedup] model = fixed).
# The truth files are read only here, never by the stage.
#
# ANGKA_DEDUP_NORMALIZED=FILE skips ingest and normalize and reads FILE as
# the normalized DTKS rows (for tuning while normalize is being written).
# Without it, and while angka-normalize cannot do --kind dtks yet, the check
# is skipped with a message and exit 0.
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export LC_ALL=C TZ=UTC
DTKS="fixtures/dtks/dtks_balangan_2023.csv fixtures/dtks/dtks_balangan_2024.csv"
TRUTH="$ROOT/fixtures/dtks/dtks_balangan_2023.truth.csv $ROOT/fixtures/dtks/dtks_balangan_2024.truth.csv"
WIL=fixtures/wilayah/wilayah_kalsel_balangan.csv
MIN_P=0.999
MIN_R=0.995
DONE_R=0.995

case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cd "$ROOT"
if [ -n "${ANGKA_DEDUP_NORMALIZED:-}" ]; then
	cp "$ANGKA_DEDUP_NORMALIZED" "$tmp/norm.csv"
	echo "check-dedup-quality: normalized input from $ANGKA_DEDUP_NORMALIZED"
else
	"$BUILD/angka-ingest" -q --kind dtks $DTKS >"$tmp/canon.csv"
	if ! "$BUILD/angka-normalize" -q --kind dtks --wilayah "$WIL" \
	        "$tmp/canon.csv" >"$tmp/norm.csv" 2>"$tmp/norm.err"; then
		if grep -q 'not supported' "$tmp/norm.err"; then
			echo "check-dedup-quality: SKIPPED: angka-normalize cannot" \
			     "do --kind dtks yet ($(cat "$tmp/norm.err"));" \
			     "precision/recall NOT measured"
			exit 0
		fi
		cat "$tmp/norm.err" >&2
		exit 1
	fi
fi
"$BUILD/angka-dedup" ${DEDUP_ARGS:-} -o "$tmp/unique.csv" \
	--duplicates "$tmp/dups.csv" "$tmp/norm.csv" 2>"$tmp/dedup.err" || {
	cat "$tmp/dedup.err" >&2
	exit 1
}
sed 's/^/  /' "$tmp/dedup.err"

# The same bytes whatever the resources: one thread instead of two; the
# spool mostly on disk (0.5 MB in memory: the memory/disk boundary falls
# inside the unique file's first half); sorts spilled to disk (tiny budget).
"$BUILD/angka-dedup" ${DEDUP_ARGS:-} -q -o "$tmp/unique2.csv" \
	--households "$tmp/hh2.csv" --household-counts "$tmp/hc2.csv" \
	"$tmp/norm.csv" || exit 1
# Without a households file the households are visited in another order
# (first appearance, not No KK): the per-desa counts must not change.
"$BUILD/angka-dedup" ${DEDUP_ARGS:-} -q -o "$tmp/unique3.csv" \
	--household-counts "$tmp/hc3.csv" "$tmp/norm.csv" || exit 1
if ! cmp -s "$tmp/hc2.csv" "$tmp/hc3.csv" || [ "$(wc -l <"$tmp/hc3.csv")" -lt 3 ]; then
	echo "check-dedup-quality: household counts depend on --households" >&2
	exit 1
fi
echo "check-dedup-quality: household counts the same with and without --households"
for setting in "threads = 1" "spool_memory_mb = 0.5" "spool_memory_mb = 0" \
	"memory_mb = 0.05"; do
	printf '[dedup]\n%s\n' "$setting" >"$tmp/alt.ini"
	"$BUILD/angka-dedup" ${DEDUP_ARGS:-} -c "$tmp/alt.ini" -q \
		-o "$tmp/unique1.csv" --duplicates "$tmp/dups1.csv" \
		--households "$tmp/hh1.csv" "$tmp/norm.csv" || exit 1
	if ! cmp -s "$tmp/unique.csv" "$tmp/unique1.csv" ||
		! cmp -s "$tmp/dups.csv" "$tmp/dups1.csv" ||
		! cmp -s "$tmp/hh1.csv" "$tmp/hh2.csv"; then
		echo "check-dedup-quality: '$setting' changes the output" >&2
		exit 1
	fi
	echo "check-dedup-quality: '$setting' gives identical files"
done

# Order and name independence: the rows shuffled, the file renamed and
# moved give byte-identical unique, duplicates and review files once
# sorted (same survivors, same cluster ids); src_file rewritten to another
# directory and name keeps every row's cluster id.
"$BUILD/angka-dedup" ${DEDUP_ARGS:-} -q -o "$tmp/uo.csv" --duplicates "$tmp/do.csv" \
	--review "$tmp/ro.csv" "$tmp/norm.csv" || exit 1
mkdir -p "$tmp/moved"
{ head -1 "$tmp/norm.csv"; tail -n +2 "$tmp/norm.csv" |
	awk 'BEGIN { srand(13) } { print rand() "\t" $0 }' | sort -k1,1 |
	cut -f2-; } >"$tmp/moved/other.csv"
"$BUILD/angka-dedup" ${DEDUP_ARGS:-} -q -o "$tmp/us.csv" --duplicates "$tmp/ds.csv" \
	--review "$tmp/rs.csv" "$tmp/moved/other.csv" || exit 1
for f in u d r; do
	sort "$tmp/${f}o.csv" >"$tmp/${f}o.sorted"
	sort "$tmp/${f}s.csv" >"$tmp/${f}s.sorted"
	if ! cmp -s "$tmp/${f}o.sorted" "$tmp/${f}s.sorted"; then
		echo "check-dedup-quality: shuffled rows change the $f file" >&2
		exit 1
	fi
done
sed 's|^fixtures/dtks/dtks_balangan_2024.csv,|2023/dtks.csv,|' "$tmp/norm.csv" \
	>"$tmp/renamed.csv"
"$BUILD/angka-dedup" ${DEDUP_ARGS:-} -q -o "$tmp/ur.csv" "$tmp/renamed.csv" || exit 1
if [ "$(awk -F, 'NR > 1 { print $2, $(NF - 1) }' "$tmp/uo.csv" | sort)" != \
     "$(awk -F, 'NR > 1 { print $2, $(NF - 1) }' "$tmp/ur.csv" | sort)" ]; then
	echo "check-dedup-quality: renaming src_file changes cluster ids" >&2
	exit 1
fi
echo "check-dedup-quality: shuffled, renamed and moved input gives the same files and ids"

# Perubahan and golden records: the 2024 fixture as 2023 (every row) and as 2024
# (every 50th row dropped, the desil of every 37th changed) give files
# byte-identical for the rows shuffled and the file moved; nothing is
# added (but rows dedup cannot link), something removed and changed, and
# every desa balances.
awk 'NR == 1 { print; next } /^fixtures\/dtks\/dtks_balangan_2024.csv,/ {
	sub(/^[^,]*,/, "x/dtks_2023.csv,"); sub(/,[^,]*$/, ",2023"); print }' \
	"$tmp/norm.csv" >"$tmp/two.csv"
awk -F, 'BEGIN { OFS = "," } !/^fixtures\/dtks\/dtks_balangan_2024.csv,/ { next }
         ++n % 50 == 0 { next }
         n % 37 == 0 && !/"/ { $30 = $30 == 1 ? 2 : 1 } { print }' \
	"$tmp/norm.csv" >>"$tmp/two.csv"
{ head -1 "$tmp/two.csv"; tail -n +2 "$tmp/two.csv" |
	awk 'BEGIN { srand(7) } { print rand() "\t" $0 }' | sort -k1,1 |
	cut -f2-; } >"$tmp/moved/two.csv"
# min_cell 1: every desa count shown, for the balance below.
printf '[registry]\nmin_cell = 1\n' >"$tmp/mc.ini"
for v in a b; do
	in=$tmp/two.csv
	[ $v = b ] && in=$tmp/moved/two.csv
	"$BUILD/angka-dedup" ${DEDUP_ARGS:-} -c "$tmp/mc.ini" -q -o "$tmp/u2$v.csv" \
		--perubahan "$tmp/p$v.csv" --perubahan-desa "$tmp/pd$v.csv" \
		--golden "$tmp/g$v.csv" "$in" || exit 1
done
for f in p pd g; do
	if ! cmp -s "$tmp/${f}a.csv" "$tmp/${f}b.csv"; then
		echo "check-dedup-quality: shuffled rows change the $f file of two periods" >&2
		exit 1
	fi
done
# Every tambah is a row dedup cannot link to its 2023 copy (no NIK, a
# placeholder name): a hapus of the same cluster id.
new=$(awk -F, '$3 == "tambah" { t[$4] = 1 } $3 == "hapus" { h[$4] = 1 }
	END { for (k in t) if (!(k in h)) n++; print n + 0 }' "$tmp/pa.csv")
tot=$(awk -F, '$1 == "total" { print ($7 > $6) " " ($11 > 0) }' "$tmp/pda.csv")
bal=$(awk -F, 'NR > 1 && $5 + $6 - $7 + $8 - $9 != $10' "$tmp/pda.csv")
if [ "$new" != 0 ] || [ "$tot" != "1 1" ] || [ -n "$bal" ]; then
	echo "check-dedup-quality: perubahan: $new tambah without a hapus, totals '$tot' (want more hapus than tambah, some ubah), unbalanced: $bal" >&2
	exit 1
fi
echo "check-dedup-quality: perubahan and golden records are the same for shuffled rows; $(awk -F, '$1 == "total" { print $6 " tambah (unlinked), " $7 " hapus, " $8 " pindah, " $11 " ubah" }' "$tmp/pda.csv")"

# A failed run replaces nothing: with --duplicates unwritable, the
# households file from before stays as it was.
echo "old" >"$tmp/hh_keep.csv"
if "$BUILD/angka-dedup" -q -o "$tmp/u_fail.csv" --households "$tmp/hh_keep.csv" \
	--duplicates "$tmp/no/such/dir/d.csv" "$tmp/norm.csv" 2>"$tmp/fail.err"; then
	echo "check-dedup-quality: an unwritable --duplicates did not fail" >&2
	exit 1
fi
if [ "$(cat "$tmp/hh_keep.csv")" != old ] || [ -e "$tmp/u_fail.csv" ]; then
	echo "check-dedup-quality: a failed run replaced an output" >&2
	exit 1
fi
# A full disk while the unique file's two halves are written is reported as
# such (write and pwrite fail through the fault-injection shim).
if [ -e "$BUILD/tests/libfailwrite.so" ]; then
	if ASAN_OPTIONS=verify_asan_link_order=0 \
		LD_PRELOAD="$BUILD/tests/libfailwrite.so" ANGKA_FAILWRITE=u_full \
		"$BUILD/angka-dedup" -q -o "$tmp/u_full.csv" "$tmp/norm.csv" \
		2>"$tmp/full.err"; then
		echo "check-dedup-quality: a full disk did not fail the run" >&2
		exit 1
	fi
	if ! grep -q "No space left on device" "$tmp/full.err" ||
		[ -e "$tmp/u_full.csv" ]; then
		echo "check-dedup-quality: full disk not reported as such:" >&2
		cat "$tmp/full.err" >&2
		exit 1
	fi
fi
echo "check-dedup-quality: failed runs replace nothing; a full disk is named"

# Row -> cluster, per file: the base name of src_file and src_line (the
# 1st and 2nd fields), cluster_id the next to last (unique) or the 3rd
# (duplicates). A record of unique.csv may span lines (a quoted newline):
# lines are joined until the quotes balance. For a situation S and a group
# of n rows (a cluster, a person, or their intersection) of which s are of
# S, the pairs with at least one row of S are C(n,2) - C(n-s,2); the pairs
# of two rows of no situation C(s,2).
awk -F, -v minp="$MIN_P" -v minr="$MIN_R" -v doner="$DONE_R" '
function pairs(n) { return n * (n - 1) / 2 }
function spairs(n, s) { return pairs(n) - pairs(n - s) }
function base(f) { sub(/.*\//, "", f); return f }
FILENAME == ARGV[1] {
	if (FNR == 1) next
	if (pend != "") { $0 = pend "\n" $0; pend = "" }
	q = gsub(/"/, "\"", $0)
	if (q % 2) { pend = $0; next }
	cl[base($1) "," $2] = $(NF - 1); next
}
FILENAME == ARGV[2] { if (FNR > 1) cl[base($1) "," $2] = $3; next }
FNR == 1 {
	ex = base(FILENAME); sub(/\.truth\.csv$/, ".csv", ex)
	for (i = 1; i <= NF; i++) if ($i == "situasi") sitcol = i
	if (!sitcol) { print "check-dedup-quality: no situasi column in " FILENAME; bad = 1 }
	next
}
{
	k = ex "," $1
	if (!(k in cl)) { printf "row %s missing from the output\n", k; bad = 1; next }
	n++; c = cl[k]; p = $2
	nc[c]++; np[p]++; ncp[c SUBSEP p]++
	ns = split($sitcol, s, "|")
	if (!ns) { ns = 1; s[1] = "(none)" }
	for (i = 1; i <= ns; i++) {
		S = s[i]; rows[S]++
		if (!(S in seen)) { seen[S] = 1; order[++nsit] = S }
		sc[S, c]++; sp[S, p]++; scp[S, c SUBSEP p]++
	}
}
END {
	if (bad) exit 1
	for (k in nc) pred += pairs(nc[k])
	for (k in np) truth += pairs(np[k])
	for (k in ncp) tp += pairs(ncp[k])
	# (none): the pairs of two rows of no situation
	for (k in sc) { split(k, a, SUBSEP); P[a[1]] += a[1] == "(none)" ? pairs(sc[k]) : spairs(nc[a[2]], sc[k]) }
	for (k in sp) { split(k, a, SUBSEP); T[a[1]] += a[1] == "(none)" ? pairs(sp[k]) : spairs(np[a[2]], sp[k]) }
	for (k in scp) {
		split(k, a, SUBSEP)
		TP[a[1]] += a[1] == "(none)" ? pairs(scp[k]) : spairs(ncp[a[2] SUBSEP a[3]], scp[k])
	}
	prec = pred ? tp / pred : 1
	rec = truth ? tp / truth : 1
	printf "check-dedup-quality: rows %d, predicted pairs %d, true pairs %d, correct %d\n", n, pred, truth, tp
	printf "  %-18s %6s %6s %6s %7s %9s %7s %6s\n", "situasi", "rows", "pred", "true", "correct", "precision", "recall", "false"
	# sorted by name: the order of the rows does not matter
	for (i = 2; i <= nsit; i++)
		for (j = i; j > 1 && order[j - 1] > order[j]; j--) { t = order[j]; order[j] = order[j - 1]; order[j - 1] = t }
	for (i = 1; i <= nsit; i++) {
		S = order[i]
		pr = P[S] ? sprintf("%.4f", TP[S] / P[S]) : "-"
		rc = T[S] ? sprintf("%.4f", TP[S] / T[S]) : "-"
		fm = P[S] - TP[S]
		printf "  %-18s %6d %6d %6d %7d %9s %7s %6d\n", S, rows[S], P[S], T[S], TP[S], pr, rc, fm
		if (fm > 0 && S != "(none)") falsem = falsem sprintf(" %s (%d)", S, fm)
		if (TP[S] < T[S]) missr = missr sprintf(" %s %d of %d", S, TP[S], T[S])
	}
	printf "  %-18s %6d %6d %6d %7d %9.4f %7.4f %6d\n", "overall", n, pred, truth, tp, prec, rec, pred - tp
	printf "check-dedup-quality: precision %.4f (min %s), recall %.4f (min %s; issue 13: %s, %s)\n", prec, minp, rec, minr, doner, (rec >= doner) ? "met" : "NOT MET"
	if (missr != "") print "check-dedup-quality: situations with missed pairs (correct of true):" missr
	if (falsem != "") print "check-dedup-quality: false merges in:" falsem
	if (falsem != "" || prec < minp || rec < minr) { print "check-dedup-quality: FAILED"; exit 1 }
	print "check-dedup-quality: ok"
}' "$tmp/unique.csv" "$tmp/dups.csv" $TRUTH
