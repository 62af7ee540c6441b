#!/bin/sh
# check-pseudonym.sh BUILD - the shared pseudonymized extract (issue 14,
# item 10) on the DTKS fixture:
#  1. the key file is refused unless a regular file of the user's, mode
#     0600/0400, 16 to 4096 bytes; the whole key counts (two keys equal in
#     their first 256 bytes give other pseudonyms).
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
[run]
pseudonymize_nik = hmac-sha256
key_file = key.txt
$1
[input.wilayah]
files = $FIX/wilayah/wilayah_kalsel_balangan.csv
[input.dtks]
files = $FIX/dtks/dtks_balangan_2024.csv
periods = 2024-06
EOT
}
conf ""
key=a-test-key-of-32-bytes-for-hmac!!
echo "$key" >key.txt

# 1. The key file.
chmod 644 key.txt
"$A" check -q -c test.ini >/dev/null 2>err.txt
st=$?
[ $st -eq 2 ] && grep -q "key_file '.*key.txt' has mode 0644: others may read it" err.txt &&
	ok "check refuses a 0644 key file (exit 2)" || bad "0644 key: exit $st: $(cat err.txt)"
"$A" run -q -c test.ini >/dev/null 2>err.txt
st=$?
[ $st -eq 2 ] && [ ! -e out ] && ok "run refuses a 0644 key file before any step" ||
	bad "run with a 0644 key: exit $st, $(cat err.txt)"
chmod 640 key.txt
"$A" check -q -c test.ini >/dev/null 2>&1 && bad "0640 key accepted" || ok "0640 key refused"
chmod 400 key.txt
"$A" check -q -c test.ini >/dev/null 2>err.txt && ok "0400 key accepted" || bad "0400 key: $(cat err.txt)"
chmod 600 key.txt
if [ "$(id -u)" -eq 0 ]; then
	chown 65534 key.txt
	"$A" check -q -c test.ini >/dev/null 2>err.txt
	st=$?
	[ $st -eq 2 ] && grep -q "owned by uid 65534, not by the user" err.txt &&
		ok "a key file of another user is refused" || bad "other owner: exit $st: $(cat err.txt)"
	chown 0 key.txt
else
	echo "skip: key owned by another user (needs root to chown)"
fi
head -c 4097 /dev/zero | tr '\0' k >long.txt
chmod 600 long.txt
sed -i 's/^key_file = .*/key_file = long.txt/' test.ini
"$A" check -q -c test.ini >/dev/null 2>err.txt
st=$?
[ $st -eq 2 ] && grep -q "longer than 4096 bytes" err.txt &&
	ok "a key over 4096 bytes is refused" || bad "long key: exit $st: $(cat err.txt)"
sed -i 's/^key_file = .*/key_file = key.txt/' test.ini

S=out/shared/dtks_pseudonim.csv
# Keys of 300 bytes equal in their first 256: other pseudonyms.
for last in x y; do
	{ head -c 299 /dev/zero | tr '\0' k; printf %s $last; } >key.txt
	"$A" run -q -c test.ini >run.txt 2>&1 || bad "run: $(cat run.txt)"
	cut -d, -f2 $S >nik-$last.txt
done
if [ -s nik-x.txt ] && ! cmp -s nik-x.txt nik-y.txt; then
	ok "the whole key counts (keys differing in byte 300 differ)"
else
	bad "keys differing after byte 256 give the same pseudonyms"
fi
echo "$key" >key.txt
"$A" run -q -c test.ini >run.txt 2>&1 || bad "run: $(cat run.txt)"
[ -s $S ] && ok "the run writes $S" || bad "no $S"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
