#!/bin/sh
# check-fixtures.sh BUILD - `make fixtures` regenerates the committed fixtures
# bit for bit: run the generator into a scratch directory and compare every
# file it writes with the committed copy.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
cc -std=c11 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L \
	-o "$T/gen" "$ROOT/scripts/gen-fixtures.c" -lm || { echo "FAIL - generator does not build"; echo "0 passed, 1 failed"; exit 1; }
mkdir "$T/out"
"$T/gen" "$ROOT/fixtures/ref" "$T/out" 2>/dev/null || { echo "FAIL - generator failed"; echo "0 passed, 1 failed"; exit 1; }
n=0
for f in $(cd "$T/out" && find . -type f | sort); do
	n=$((n + 1))
	if cmp -s "$T/out/$f" "$ROOT/fixtures/$f"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL - fixtures/$f differs from the generator's output"
	fi
done
[ $n -ge 15 ] && echo "ok - $n generated fixture files identical to the committed ones" || { fail=$((fail + 1)); echo "FAIL - only $n files generated"; }
size=$(du -sk "$ROOT/fixtures" | cut -f1)
if [ "$size" -lt 5120 ]; then pass=$((pass + 1)); echo "ok - fixtures take $size KB (< 5 MB)"; else fail=$((fail + 1)); echo "FAIL - fixtures take $size KB"; fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
