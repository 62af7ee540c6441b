#!/bin/sh
# check-bomb.sh BUILD - decompression and field bombs fail fast, with a clear
# error and bounded memory (issue 14, item 7). Each bomb is a gzip file of
# concatenated members (one member of 1 MiB repeated: ~1 KB each on disk),
# built here, never committed:
#   quoted   a quoted field that never ends (600 MiB)
#   plain    an unquoted field without a line end (600 MiB)
#   fields   one record of 600 Mi empty fields (commas, no line end)
#   record   one record of 600 fields of 1 MiB - 1 each (no line end)
# angka-ingest must exit 1 naming the limit, in under 10 s of CPU (user +
# system: what the bomb costs, whatever else loads the machine; the wall
# time is shown), with a peak RSS under 200 MB (/usr/bin/time -v).
set -u
BUILD=$(cd "$1" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }
cd "$T" || exit 1
if [ ! -x /usr/bin/time ]; then
	echo "skip: no /usr/bin/time"
	exit 0
fi

# Under the sanitizers the shadow memory and allocator quarantine alone
# take some 300 MB and every step is slower: the limits are wider there
# (the plain build is the measure).
rss_max=200000
secs_max=10
if grep -q __asan_init "$BUILD/angka-ingest" 2>/dev/null; then
	rss_max=1000000
	secs_max=60
	echo "note: sanitized build: RSS limit ${rss_max} kB, ${secs_max} s"
fi

# bomb NAME HEAD BYTE [LAST]: HEAD, then 600 times 1 MiB of BYTE (its last
# byte LAST if given), gzip-compressed.
bomb() {
	printf '%s' "$2" | gzip -c >"$1.csv.gz"
	{
		head -c 1048575 /dev/zero | tr '\0' "$3"
		printf '%s' "${4:-$3}"
	} | gzip -9 -c >m.gz
	i=0
	while [ $i -lt 600 ]; do
		cat m.gz m.gz m.gz m.gz m.gz m.gz m.gz m.gz m.gz m.gz
		i=$((i + 10))
	done >>"$1.csv.gz"
}
bomb quoted 'nik,nama
1,"' a
bomb plain 'nik,nama
1,' a
bomb fields 'nik,nama
1' ,
bomb record 'nik,nama
1,' a ,

for b in quoted plain fields record; do
	size=$(wc -c <"$b.csv.gz")
	/usr/bin/time -v -o time.txt timeout 600 "$BUILD/angka-ingest" --kind dtks \
		-o out.csv "$b.csv.gz" 2>err.txt
	st=$?
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' time.txt)
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' time.txt)
	cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' time.txt)
	msg=$(head -c 300 err.txt)
	if [ "$st" -eq 1 ] && grep -q "limit" err.txt; then
		ok "$b bomb ($size bytes of gzip): exit 1: $msg"
	else
		bad "$b bomb: exit $st: $msg"
	fi
	if [ -n "$rss" ] && [ "$rss" -lt $rss_max ]; then
		ok "$b bomb: peak RSS $rss kB, $cpu s CPU, $wall wall"
	else
		bad "$b bomb: peak RSS ${rss:-?} kB (limit $rss_max), $wall"
	fi
	if [ -n "$cpu" ] && awk -v c="$cpu" -v m=$secs_max 'BEGIN { exit !(c < m) }'; then
		ok "$b bomb: failed within $secs_max s of CPU"
	else
		bad "$b bomb: took ${cpu:-?} s of CPU, $wall wall"
	fi
	[ ! -e out.csv ] && ok "$b bomb: no output left" || bad "$b bomb: out.csv left"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
