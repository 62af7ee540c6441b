#!/bin/sh
# check-hash-log.sh BUILD_DIR - the driver's output hashes when the stages
# log what they wrote (ANGKA_HASH_LOG, stages/common/csv_writer.h;
# pipeline/hash.c).
#
# angka run --jobs 2 on the DTKS fixtures (normalize:dtks | dedup:dtks as
# one pipe, the other steps alone): every output hash recorded in
# .angka-state is the sha256 of the published file. The stages' log is
# private and temporary: none is left in the run, and the stages see no
# hash log the caller set. Then angka-dedup behind a wrapper (--bindir)
# that, after dedup committed its files, edits one of them in place (same
# size), appends to another, and adds malformed lines and lines of a
# wrong identity to the log: the driver must record the real hashes of
# what it publishes (an edited file has another ctime than its line).
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export LC_ALL=C TZ=UTC
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"
fail() { echo "check-hash-log: $*" >&2; exit 1; }

conf() {
	cat > "$1" <<EOF
[angka]
name = check-hash-log
output_dir = $2
[input.wilayah]
files = $ROOT/fixtures/wilayah/wilayah_kalsel_balangan.csv
[input.dtks]
files = $ROOT/fixtures/dtks/dtks_balangan_2023.csv $ROOT/fixtures/dtks/dtks_balangan_2024.csv
[registry]
tahun = 2024
[chart]
formats = none
EOF
}

# Every "path=hash" of .angka-state in run $1 against sha256sum of the
# published file (directories are hashed by the driver's own rule: not
# checked here); the number checked on stdout.
check_state() {
	n=0
	for kv in $(cut -f4 "$1/.angka-state" | tr ';' '\n'); do
		f=${kv%=*} h=${kv##*=}
		[ -f "$1/$f" ] || continue
		real=$(sha256sum < "$1/$f" | cut -d' ' -f1)
		[ "$real" = "$h" ] ||
			fail "$2: the hash recorded for $f is $h, its sha256 $real"
		n=$((n + 1))
	done
	echo "$n"
}

# 1. The stages' own hashes; a hash log in the caller's environment is
# not the driver's: nothing is written to it.
conf run1.ini out1
ANGKA_HASH_LOG=$tmp/caller.log "$BUILD/angka" run -q --jobs 2 -c run1.ini \
	2> run1.err || fail "angka run: $(cat run1.err)"
n1=$(check_state out1 "angka run")
[ "$n1" -ge 10 ] || fail "angka run: only $n1 output hashes checked"
[ ! -e caller.log ] || fail "the caller's ANGKA_HASH_LOG was written to"
left=$(find out1.runs -name '.angka-hashes*' | head -n 1)
[ -z "$left" ] || fail "a hash log was left in the run: $left"

# 2. A stage's outputs changed after it logged them, and a log with
# garbage and wrong identities: never trusted.
mkdir bin
for p in "$BUILD"/angka-*; do
	ln -s "$p" "bin/$(basename "$p")"
done
rm bin/angka-dedup
cat > bin/angka-dedup <<EOF
#!/bin/sh
"$BUILD/angka-dedup" "\$@" || exit \$?
[ -n "\${ANGKA_HASH_LOG:-}" ] || exit 0
cp "\$ANGKA_HASH_LOG" "$tmp/seen.log"
# Another byte in place (same size), and a row more.
printf X | dd of=private/duplicates.csv bs=1 seek=0 conv=notrunc 2>/dev/null
echo "extra,row" >> private/households.csv
{
	echo "garbage"
	echo "1 2 3 4.5 6.7 zz"
	echo "1 2 3 4.1000000000 6.7 $(printf '%064d' 0)"
	# The file's identity but one nanosecond off, a wrong hash.
	stat -c '%d %i %s' private/review.csv | tr '\n' ' '
	printf '%s.%09d ' "\$(stat -c %Y private/review.csv)" 0
	printf '%s.%09d %s\n' "\$(stat -c %Z private/review.csv)" 1 \
		"$(printf '%064d' 0)"
} >> "\$ANGKA_HASH_LOG"
EOF
chmod +x bin/angka-dedup
conf run2.ini out2
"$BUILD/angka" run -q --jobs 2 --bindir "$tmp/bin" -c run2.ini 2> run2.err ||
	fail "angka run, edited outputs: $(cat run2.err)"
[ -s seen.log ] || fail "angka-dedup saw no ANGKA_HASH_LOG in the pipe"
head -c 1 out2/private/duplicates.csv | grep -q X ||
	fail "the wrapper's edit is not in the published duplicates.csv"
tail -n 1 out2/private/households.csv | grep -q '^extra,row$' ||
	fail "the wrapper's row is not in the published households.csv"
n2=$(check_state out2 "angka run, edited outputs")
[ "$n2" -eq "$n1" ] || fail "edited outputs: $n2 hashes checked, not $n1"
# The stages logged the table and the unique file: their lines hold the
# bytes published.
for f in private/normalized/dtks.csv private/dtks_unik.csv; do
	h=$(sha256sum < "out2/$f" | cut -d' ' -f1)
	grep -q " $h\$" seen.log || fail "no line in the stages' log for $f"
done
echo "check-hash-log: $n1 recorded output hashes are the files' sha256 (stages' log; edited outputs, bogus lines)"
