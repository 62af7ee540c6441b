#!/bin/sh
# run-fixtures.sh BUILD OUT - ingest every shipped fixture into OUT/.
# Replaced by `angka run -c config/balangan.ini` once the driver exists.
set -eu
BUILD=$1
OUT=$2
mkdir -p "$OUT/canonical"
mkdir -p "$OUT/private" && chmod 700 "$OUT/private"
for kind in dtks susenas garis_kemiskinan terbitan kube uep penduduk wilayah; do
	for f in fixtures/$kind/*.csv; do
		case "$f" in *.truth.csv) continue ;; esac
		[ -e "$f" ] || continue
		base=$(basename "$f" .csv)
		"$BUILD/angka-ingest" --kind "$kind" -o "$OUT/canonical/$base.csv" \
			--quarantine "$OUT/private/$base.quarantine.csv" "$f"
	done
done
echo "outputs in $OUT/canonical, quarantine in $OUT/private"
