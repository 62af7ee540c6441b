#!/bin/sh
# show-outputs.sh OUT - list what a published run holds, charts last.
set -eu
OUT=$1
[ -e "$OUT" ] || { echo "no published run at $OUT" >&2; exit 1; }
echo "published run: $OUT -> $(readlink "$OUT" 2>/dev/null || echo "$OUT")"
for d in indicators trend; do
	[ -d "$OUT/$d" ] || continue
	find "$OUT/$d" -maxdepth 1 -type f -name '*.csv' | sort | sed 's/^/  /'
done
if [ -d "$OUT/charts" ]; then
	echo "charts:"
	find "$OUT/charts" -maxdepth 1 -type f -name '*.png' | sort | sed 's/^/  /'
fi
