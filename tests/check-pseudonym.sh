#!/bin/sh
# check-pseudonym.sh BUILD - the shared pseudonymized extract (issue 14,
# items 1 and 10) on the DTKS fixture:
#  1. the key file is refused unless a regular file of the user's, mode
#     0600/0400, 16 to 4096 bytes; the whole key counts (two keys equal in
#     their first 256 bytes give other pseudonyms);
#  2. no NIK of the fixture truth is recovered from the file by any hash an
#     attacker can compute without the key (tests/tools/pseudo_attack.c:
#     FNV-1a, SHA-256, SHA-1, MD5, HMAC keyed by every value of the file),
#     and every combination of the published non-identifier columns is held
#     by at least k rows ([run] k_anonymity: the default 5, then 10);
#  3. no name, date of birth or desa code is published.
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

# 2. The attack and k-anonymity.
awk -F, 'NR > 1 && $4 != "" { print $4 }' "$FIX/dtks/dtks_balangan_2024.truth.csv" |
	LC_ALL=C sort -u >niks.txt
if "$BUILD/tests/pseudo-attack" $S niks.txt 5 >attack.txt 2>&1; then
	ok "no NIK recovered, k >= 5: $(tr '\n' ' ' <attack.txt)"
else
	bad "attack on $S: $(cat attack.txt)"
fi
head -1 $S >hdr.txt
grep -q "^cluster_id,nik,no_kk,jenis_kelamin,kelompok_lahir,kode_kec," hdr.txt &&
	! grep -q "kode_wilayah\|tgl_lahir\|nama\|alamat" hdr.txt &&
	ok "columns: $(cat hdr.txt)" || bad "columns: $(cat hdr.txt)"
grep -F "k-anonymity 5:" out/run.log >/dev/null && ok "run.log: $(grep -o 'k-anonymity 5:.*' out/run.log | head -c 200)" ||
	bad "run.log says nothing of the suppression"
conf "k_anonymity = 10"
"$A" run -q -c test.ini >run.txt 2>&1 || bad "run k=10: $(cat run.txt)"
if "$BUILD/tests/pseudo-attack" $S niks.txt 10 >attack.txt 2>&1; then
	ok "k_anonymity = 10: $(tail -1 attack.txt)"
else
	bad "k = 10: $(cat attack.txt)"
fi

# 3. Nothing personal in clear.
awk -F, 'NR > 1 { print $4; print $5; print $7; print $8 }' \
	"$FIX/dtks/dtks_balangan_2024.truth.csv" | awk 'length($0) >= 8' |
	LC_ALL=C sort -u >pii.txt
grep -F -q -f pii.txt $S && bad "$S holds a NIK, name, birth date or desa" ||
	ok "no NIK, name, birth date or desa code in $S"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
