#!/bin/sh
# run-tests.sh - run every test of angka against one build directory:
#   1. each unit test program BUILD_DIR/tests/test_*  (one result each)
#   2. the golden cases, tests/run-cases.sh BUILD_DIR  (one result per case)
#   3. each tests/check-*.sh BUILD_DIR                 (one result each)
# and end with the line "N passed, N failed"; exit 1 if anything failed.
# Run from anywhere; tests run with the repository root as the working
# directory (the unit tests read tests/fuzz/ from there).
#
# Usage: tests/run-tests.sh BUILD_DIR
set -u
if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" 2>/dev/null && pwd) || { echo "$0: no build dir '$1'" >&2; exit 2; }
cd "$root" || exit 2

pass=0
fail=0
log=$(mktemp "${TMPDIR:-/tmp}/angka-tests.XXXXXX") || exit 2
trap 'rm -f "$log"' EXIT INT TERM

# run NAME CMD...: one result; the output is shown only on failure.
run() {
	name=$1
	shift
	"$@" >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name (exit $rc)"
		sed 's/^/    /' "$log"
	fi
}

found=0
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	case $t in *.d|*.o) continue ;; esac
	found=1
	run "unit $(basename "$t")" "$t"
done
if [ $found -eq 0 ]; then
	echo "FAIL no unit tests in $build/tests (run make first)"
	fail=$((fail + 1))
fi

# The golden cases count one result per case.
tests/run-cases.sh "$build" >"$log" 2>&1
st=$?
summary=$(tail -n 1 "$log")
case $summary in
*" passed, "*" failed")
	p=${summary%% passed*}
	f=${summary#*passed, }
	f=${f%% failed}
	pass=$((pass + p))
	fail=$((fail + f))
	echo "cases: $summary"
	if [ $st -ne 0 ] || [ "$f" -ne 0 ]; then
		sed '$d' "$log"
		[ "$f" -ne 0 ] || fail=$((fail + 1))
	fi
	;;
*)
	fail=$((fail + 1))
	echo "FAIL tests/run-cases.sh (exit $st)"
	sed 's/^/    /' "$log"
	;;
esac

for c in tests/check-*.sh; do
	[ -f "$c" ] || continue
	run "$c" sh "$c" "$build"
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
