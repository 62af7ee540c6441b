#!/bin/sh
# check-degraded.sh BUILD - a degraded result is loud (issue 14, item 9):
# dedup capped by [dedup] max_pairs publishes, but its warning reaches the
# driver's stderr under --quiet and the step's "warnings" in
# manifest.json; with [dedup] fail_on_cap = yes the run fails (exit 1)
# and the published run stays as it was.
set -u
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIX=$ROOT/fixtures
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }
cd "$T" || exit 1
A="$BUILD/angka"
conf() {
	cat >test.ini <<EOT
[angka]
output_dir = out
[input.wilayah]
files = $FIX/wilayah/wilayah_kalsel_balangan.csv
[input.dtks]
files = $FIX/dtks/dtks_balangan_2024.csv
periods = 2024-06
[dedup]
max_pairs = 1000
$1
EOT
}
conf ""
"$A" run -q -c test.ini >out.txt 2>err.txt
st=$?
[ $st -eq 0 ] && ok "a capped dedup still publishes (exit 0)" || bad "exit $st: $(cat err.txt)"
grep -q "angka: step 'dedup:dtks': angka-dedup: warning: blocking degraded, duplicates may be missed: max_pairs 1000 reached" err.txt &&
	ok "the warning reaches stderr under --quiet" || bad "stderr: $(cat err.txt)"
grep -q '"warnings": \[.*"angka-dedup: warning: blocking degraded, duplicates may be missed: max_pairs 1000' out/manifest.json &&
	ok "the manifest lists it under the dedup step" || bad "manifest: $(grep -o '"warnings[^]]*' out/manifest.json)"
before=$(readlink out)
conf "fail_on_cap = yes"
"$A" run -q -c test.ini >out.txt 2>err.txt
st=$?
[ $st -eq 1 ] && grep -q "blocking degraded (\[dedup\] fail_on_cap)" err.txt &&
	ok "fail_on_cap: the run fails (exit 1)" || bad "fail_on_cap: exit $st: $(cat err.txt)"
[ "$(readlink out)" = "$before" ] && ok "the published run is unchanged" || bad "out moved"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
