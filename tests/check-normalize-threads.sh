#!/bin/sh
# check-normalize-threads.sh BUILD - angka-normalize --kind dtks gives the
# same output, --tee copy, quarantine and stderr whatever the number of
# worker threads (ANGKA_NORMALIZE_THREADS 0, i.e. rows normalized by the
# reading thread, then 1, 2 and 3). The input spans many batches of rows
# (2048 each): both DTKS fixtures (two src_files, so two period notes),
# with a record of the wrong field count every 997 rows (quarantined by
# the reading thread, between rows the workers quarantine), invalid NIKs
# quarantined and max_warnings high enough that the warnings' order and
# the "more warnings not shown" count are both compared. The region table
# loads on a thread of its own while rows are read: a bad table (alone or
# with a missing input) gives the same error and exit status.
set -eu
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
cd "$T"
cp "$ROOT/fixtures/dtks/dtks_balangan_2023.csv" "$ROOT/fixtures/dtks/dtks_balangan_2024.csv" .
"$BUILD/angka-ingest" -q --kind dtks dtks_balangan_2023.csv dtks_balangan_2024.csv > ing.csv
awk 'NR > 1 && NR % 997 == 0 { print "x,1,2" } { print }' ing.csv > in.csv
rows=$(wc -l < in.csv)
[ "$rows" -gt 10000 ] || { echo "FAIL - only $rows input lines"; exit 1; }
printf '[normalize]\ninvalid_nik = quarantine\nmax_warnings = 150\n' > n.ini
W=$ROOT/fixtures/wilayah/wilayah_kalsel_balangan.csv
for t in 0 1 2 3; do
	ANGKA_NORMALIZE_THREADS=$t "$BUILD/angka-normalize" --kind dtks -c n.ini \
		--wilayah "$W" --quarantine "q$t.csv" -o "out$t.csv" --tee in.csv \
		> "tee$t.csv" 2> "err$t.txt" || { echo "FAIL - threads $t: exit $?"; fail=1; }
done
cmp -s out0.csv tee0.csv || { echo "FAIL - --tee copy differs"; fail=1; }
nq=$(($(wc -l < q0.csv) - 1))
nw=$(grep -c "more warnings not shown" err0.txt || true)
if [ "$nq" -lt 40 ] || [ "$nw" -ne 1 ]; then
	echo "FAIL - too few quarantined rows ($nq) or no warnings cut (max_warnings)"
	fail=1
fi
for t in 1 2 3; do
	for f in out q tee; do
		if cmp -s "${f}0.csv" "$f$t.csv"; then
			echo "ok - $t worker threads: $f equals the unthreaded run's"
		else
			echo "FAIL - $t worker threads: $f differs"
			diff "${f}0.csv" "$f$t.csv" | head -5
			fail=1
		fi
	done
	if cmp -s err0.txt "err$t.txt"; then
		echo "ok - $t worker threads: stderr equals the unthreaded run's"
	else
		echo "FAIL - $t worker threads: stderr differs"
		diff err0.txt "err$t.txt" | head -5
		fail=1
	fi
done
printf 'kode,level\n63,1\n' > bad.csv
for t in 0 2; do
	for in in in.csv missing.csv; do
		ANGKA_NORMALIZE_THREADS=$t "$BUILD/angka-normalize" --kind dtks \
			--wilayah bad.csv -o "bad$t.csv" "$in" > /dev/null \
			2> "berr$t-$in.txt" && echo "exit 0" >> "berr$t-$in.txt"
		echo "exit $?" >> "berr$t-$in.txt"
	done
done
for in in in.csv missing.csv; do
	if cmp -s "berr0-$in.txt" "berr2-$in.txt" && [ ! -e bad0.csv ] &&
	   [ ! -e bad2.csv ] && grep -q "region table needs" "berr2-$in.txt"; then
		echo "ok - a bad region table with $in: same error, no output"
	else
		echo "FAIL - a bad region table with $in: errors differ"
		cat "berr0-$in.txt" "berr2-$in.txt"
		fail=1
	fi
done
exit $fail
