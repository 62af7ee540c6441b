#!/bin/sh
# check-conservation.sh BUILD - rows balance on every fixture, counted
# independently of angka's own reader: an awk record counter (quote parity,
# CRLF, blank lines) over the raw extract, the outputs and the quarantines.
#   ingest:    records in the extract - 1 header = output rows + quarantine rows
#   normalize: its input rows = output rows + quarantine rows
#   dedup:     its input rows = unique rows + duplicates rows
set -u
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
# CSV records (not lines): a newline inside quotes does not end a record;
# empty lines are not records.
records() {
	awk '{ sub(/\r$/, "") }
	     !inq && $0 == "" { next }
	     { n = gsub(/"/, "\""); if (n % 2) inq = !inq; if (!inq) rec++ }
	     END { print rec + 0 }' "$1"
}
check() {
	if [ "$2" -eq "$3" ]; then pass=$((pass + 1)); echo "ok - $1: $2 = $3"
	else fail=$((fail + 1)); echo "FAIL - $1: $2 != $3"; fi
}
W=$ROOT/fixtures/wilayah/wilayah_kalsel_balangan.csv
for kind in dtks susenas garis_kemiskinan terbitan kube uep penduduk wilayah; do
	for f in "$ROOT"/fixtures/$kind/*.csv; do
		case "$f" in *.truth.csv) continue ;; esac
		b=$(basename "$f" .csv)
		# Rows before the header of a published table are data rows too
		# (quarantined as preamble): count every record but the header.
		raw=$(($(records "$f") - 1))
		extra=""
		[ "$kind" = terbitan ] && extra="-c $T/t.ini"
		printf '[normalize]\nterbitan_region = 63.11\n' >"$T/t.ini"
		"$BUILD/angka-ingest" -q --kind $kind --quarantine "$T/$b.qi" -o "$T/$b.can" "$f" || { fail=$((fail + 1)); echo "FAIL - ingest $b"; continue; }
		out=$(($(records "$T/$b.can") - 1))
		q=$(($(records "$T/$b.qi") - 1))
		check "ingest $b: extract rows = out + quarantined" $raw $((out + q))
		year=""
		[ "$kind" = susenas ] && year="--year $(echo "$b" | grep -o '20[0-9][0-9]')"
		"$BUILD/angka-normalize" -q --kind $kind $extra $year --wilayah "$W" --quarantine "$T/$b.qn" -o "$T/$b.norm" "$T/$b.can" || { fail=$((fail + 1)); echo "FAIL - normalize $b"; continue; }
		nout=$(($(records "$T/$b.norm") - 1))
		nq=$(($(records "$T/$b.qn") - 1))
		check "normalize $b: in = out + quarantined" $out $((nout + nq))
	done
done
b=dtks_balangan_2024
"$BUILD/angka-dedup" -q -o "$T/u.csv" --duplicates "$T/d.csv" --review "$T/r.csv" "$T/$b.norm"
u=$(($(records "$T/u.csv") - 1))
d=$(($(records "$T/d.csv") - 1))
check "dedup $b: in = unique + duplicates" $(($(records "$T/$b.norm") - 1)) $((u + d))
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
