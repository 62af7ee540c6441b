#!/bin/sh
# check-shard.sh BUILD_DIR - sharded work is the unsharded work (issue 18).
#
# angka-normalize --kind dtks --shard K/N on the ingested DTKS fixtures
# (2023 with its defects and short rows, 2024): for N = 1, 2, 7 and 16 the outputs and
# quarantines of K = 0..N-1 concatenated are byte-identical to the
# unsharded run's (src_line exact, the header only once); bad --shard
# arguments and a sharded stdin are usage errors (exit 2).
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export LC_ALL=C TZ=UTC
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
W=$ROOT/fixtures/wilayah/wilayah_kalsel_balangan.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"
fail() { echo "check-shard: $*" >&2; exit 1; }

"$BUILD/angka-ingest" --kind dtks -q -o c2024.csv \
	"$ROOT/fixtures/dtks/dtks_balangan_2024.csv"
"$BUILD/angka-ingest" --kind dtks -q -o c.csv \
	"$ROOT/fixtures/dtks/dtks_balangan_2023.csv"
# 2023 with a short row every 5 lines: quarantined (field_count).
awk 'NR > 1 && NR % 5 == 0 { print "x,y" } { print }' c.csv > c2023.csv
for y in 2023 2024; do
	"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" \
		-o n$y.csv --quarantine q$y.csv c$y.csv
	for n in 1 2 7 16; do
		k=0 outs= qs=
		while [ $k -lt $n ]; do
			"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" \
				--shard $k/$n -o s$k.csv --quarantine sq$k.csv \
				c$y.csv || fail "$y shard $k/$n failed"
			outs="$outs s$k.csv" qs="$qs sq$k.csv"
			k=$((k + 1))
		done
		# shellcheck disable=SC2086
		cat $outs | cmp -s - n$y.csv || fail "$y: $n shards differ"
		# shellcheck disable=SC2086
		cat $qs | cmp -s - q$y.csv || fail "$y: $n shards' quarantine differs"
		rm -f s*.csv
	done
done
[ "$(wc -l < q2023.csv)" -gt 10 ] || fail "2023 fixture has no quarantined row"

for bad in 2/2 -1/2 1/0 x 1/ 0/100001; do
	st=0
	"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" --shard $bad \
		c2023.csv > /dev/null 2>&1 || st=$?
	[ $st -eq 2 ] || fail "--shard $bad: exit $st, expected 2"
done
st=0
"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" --shard 0/2 - \
	< c2023.csv > /dev/null 2>&1 || st=$?
[ $st -eq 2 ] || fail "--shard on stdin: exit $st, expected 2"
st=0
"$BUILD/angka-normalize" --kind susenas -q --shard 0/2 c2023.csv \
	> /dev/null 2>&1 || st=$?
[ $st -eq 2 ] || fail "--shard on susenas: exit $st, expected 2"
echo "check-shard: normalize shards 1 2 7 16 identical"
