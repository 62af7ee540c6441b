#!/bin/sh
# build.sh - build the libFuzzer targets into build-fuzz/ and run them.
#
# Each target is compiled with the library sources directly (no libangka.a:
# the whole library gets the fuzzer instrumentation). Then every target runs
# for FUZZ_SECONDS (default 600; 0 = build only), all targets at once, with
# a scratch corpus build-fuzz/corpus/<target>/ (new inputs go there) over the
# committed seeds tests/fuzz/corpus/<target>/. Crashers land in
# build-fuzz/artifacts/<target>/; copy them to tests/fuzz/regress/<target>/
# so that the unit tests replay them.
#
# Usage: tests/fuzz/build.sh [TARGET...]   (default: all fuzz_*.c)
# Env: CC (clang), FUZZ_SECONDS, FUZZ_FLAGS (extra libFuzzer flags).
set -eu
cd "$(dirname "$0")/../.."
CC=${CC:-clang}
case $CC in *clang*) ;; *) CC=clang ;; esac
SECONDS_=${FUZZ_SECONDS:-600}
OUT=build-fuzz
mkdir -p "$OUT"

targets=${*:-$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c; done)}
# shellcheck disable=SC2046
PKG=$(pkg-config --cflags --libs zlib libisal inih gsl nettle minizip expat)
for t in $targets; do
	echo "fuzz: building $OUT/$t" >&2
	# A target of a stage says "FUZZ_STAGE: name" in its comment: the
	# stage's sources (not its main.c) are compiled in.
	stage=$(sed -n 's/.*FUZZ_STAGE: \([a-z]*\).*/\1/p' "tests/fuzz/$t.c" | head -n 1)
	extra=""
	if [ -n "$stage" ]; then
		extra="-Istages/$stage $(ls stages/$stage/*.c | grep -v '/main\.c$')"
	fi
	# shellcheck disable=SC2086
	$CC -std=c11 -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_GNU_SOURCE -Istages/common \
		-o "$OUT/$t" stages/common/*.c $extra "tests/fuzz/$t.c" \
		$PKG -lcsv -lreadstat -lpthread -lm
done
[ "$SECONDS_" -gt 0 ] || exit 0

pids=""
for t in $targets; do
	mkdir -p "$OUT/corpus/$t" "$OUT/artifacts/$t" "tests/fuzz/corpus/$t"
	echo "fuzz: running $t for ${SECONDS_}s (log $OUT/$t.log)" >&2
	# shellcheck disable=SC2086
	"$OUT/$t" -max_len=65536 -max_total_time="$SECONDS_" -print_final_stats=1 \
		-artifact_prefix="$OUT/artifacts/$t/" ${FUZZ_FLAGS:-} \
		"$OUT/corpus/$t" "tests/fuzz/corpus/$t" >"$OUT/$t.log" 2>&1 &
	pids="$pids $!"
done
fail=0
for p in $pids; do
	wait "$p" || fail=1
done
for t in $targets; do
	echo "== $t: $(grep -E 'stat::number_of_executed_units' "$OUT/$t.log" || echo 'no stats')"
	ls "$OUT/artifacts/$t" 2>/dev/null | sed "s|^|   crasher: $OUT/artifacts/$t/|"
done
exit $fail
