#!/bin/sh
# check-shard.sh BUILD_DIR - sharded work is the unsharded work (issue 18).
#
# angka-normalize --kind dtks --shard K/N on the ingested DTKS fixtures
# (2023 with its defects and short rows, 2024): for N = 1, 2, 7 and 16 the outputs and
# quarantines of K = 0..N-1 concatenated are byte-identical to the
# unsharded run's (2024: N = 7 only; src_line exact, the header once;
# a plain file is read from the shard's first byte, a gzip from the start;
# with angka-ingest's --index, from the nearest mark, a stale one refused); bad --shard
# arguments and a sharded stdin are usage errors (exit 2).
#
# angka-dedup --shard K/N --pairs-out, then --merge-pairs of the N pair
# files: every output (unique, duplicates, review, households, counts,
# perubahan, perubahan per desa, golden) and the summary on stderr are
# byte-identical to one process for N = 1, 2, 7 and 16 on the two DTKS
# fixture years together; also under model = fixed (7 shards), with tiny
# max_pairs_per_block (5 shards, blocks skipped: the files only, the
# per-block warnings come from the shards), and on golden case dedup/0019
# with the clerk's decisions (3 shards). A merge missing a shard, given one twice, of another
# input, of a cut file, or reaching max_pairs is a data error (exit 1);
# so is one missing a cell of the work plan, given a cell twice or a cell
# from another shard, of a pair file of version 2, or with the exact
# pass's rows in another job's cell. Pair files with CRLF line ends or a
# quoted field (read by the CSV reader, not the merge's own splitter)
# merge to the same outputs and refusals.
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export LC_ALL=C TZ=UTC
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
W=$ROOT/fixtures/wilayah/wilayah_kalsel_balangan.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"
fail() { echo "check-shard: $*" >&2; exit 1; }

"$BUILD/angka-ingest" --kind dtks -q -o c2024.csv \
	"$ROOT/fixtures/dtks/dtks_balangan_2024.csv"
"$BUILD/angka-ingest" --kind dtks -q -o c.csv \
	"$ROOT/fixtures/dtks/dtks_balangan_2023.csv"
# 2023 with a short row every 5 lines: quarantined (field_count).
awk 'NR > 1 && NR % 5 == 0 { print "x,y" } { print }' c.csv > c2023.csv
for y in 2023 2024; do
	"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" \
		-o n$y.csv --quarantine q$y.csv c$y.csv
	ns="1 2 7 16"
	[ $y = 2023 ] || ns=7
	for n in $ns; do
		k=0 outs= qs=
		while [ $k -lt $n ]; do
			"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" \
				--shard $k/$n -o s$k.csv --quarantine sq$k.csv \
				c$y.csv || fail "$y shard $k/$n failed"
			outs="$outs s$k.csv" qs="$qs sq$k.csv"
			k=$((k + 1))
		done
		# shellcheck disable=SC2086
		cat $outs | cmp -s - n$y.csv || fail "$y: $n shards differ"
		# shellcheck disable=SC2086
		cat $qs | cmp -s - q$y.csv || fail "$y: $n shards' quarantine differs"
		rm -f s*.csv
	done
done
[ "$(wc -l < q2023.csv)" -gt 10 ] || fail "2023 fixture has no quarantined row"
grep -q "$(printf '\r')" c2024.csv || fail "no record with a line end inside quotes"
# With the record index of angka-ingest --index (a mark every 5 rows):
# the same shards, read from the nearest mark (2023 unmodified: N = 2,
# 7 and 16; 2024: N = 7).
for y in 2023 2024; do
	"$BUILD/angka-ingest" --kind dtks -q -o i$y.csv --index i$y.idx \
		--index-every 5 "$ROOT/fixtures/dtks/dtks_balangan_$y.csv"
	"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" \
		-o ni.csv --quarantine nq.csv i$y.csv
	ns="2 7 16"
	[ $y = 2023 ] || ns=7
	for n in $ns; do
		k=0 outs= qs=
		while [ $k -lt $n ]; do
			"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" \
				--shard $k/$n --index i$y.idx -o s$k.csv \
				--quarantine sq$k.csv i$y.csv ||
				fail "$y indexed shard $k/$n failed"
			outs="$outs s$k.csv" qs="$qs sq$k.csv"
			k=$((k + 1))
		done
		# shellcheck disable=SC2086
		cat $outs | cmp -s - ni.csv || fail "$y: $n indexed shards differ"
		# shellcheck disable=SC2086
		cat $qs | cmp -s - nq.csv ||
			fail "$y: $n indexed shards' quarantine differs"
		rm -f s*.csv
	done
done
# A stale index (the input grew) is refused: exit 1.
tail -n 1 i2023.csv >> i2023.csv
st=0
"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" --shard 1/2 \
	--index i2023.idx -o s.csv i2023.csv 2>/dev/null || st=$?
[ $st -eq 1 ] || fail "stale index: exit $st, expected 1"
rm -f i20*.csv i20*.idx ni.csv nq.csv

# A gzip is read from the start (no seek): the same shards.
gzip -c c2023.csv > c.csv.gz
k=0 outs=
while [ $k -lt 3 ]; do
	"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" --shard $k/3 \
		-o s$k.csv c.csv.gz || fail "gzip shard $k/3 failed"
	outs="$outs s$k.csv"
	k=$((k + 1))
done
# shellcheck disable=SC2086
cat $outs | cmp -s - n2023.csv || fail "gzip: 3 shards differ"
rm -f s*.csv

for bad in 2/2 -1/2 1/0 x 1/ 0/100001; do
	st=0
	"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" --shard $bad \
		c2023.csv > /dev/null 2>&1 || st=$?
	[ $st -eq 2 ] || fail "--shard $bad: exit $st, expected 2"
done
st=0
"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" --shard 0/2 - \
	< c2023.csv > /dev/null 2>&1 || st=$?
[ $st -eq 2 ] || fail "--shard on stdin: exit $st, expected 2"
st=0
"$BUILD/angka-normalize" --kind susenas -q --shard 0/2 c2023.csv \
	> /dev/null 2>&1 || st=$?
[ $st -eq 2 ] || fail "--shard on susenas: exit $st, expected 2"

# ---- dedup ----
"$BUILD/angka-ingest" --kind dtks -q -o c.csv \
	"$ROOT/fixtures/dtks/dtks_balangan_2023.csv" \
	"$ROOT/fixtures/dtks/dtks_balangan_2024.csv"
"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" -o n.csv c.csv
OUTS="--duplicates d.csv --review r.csv --households h.csv
 --household-counts hc.csv --perubahan p.csv --perubahan-desa pd.csv
 --wilayah $W --golden g.csv"
printf '[dedup]\nmodel = fixed\n' > fixed.ini
printf '[dedup]\nmax_pairs_per_block = 3\n' > small.ini
printf '[dedup]\nmax_pairs = 300\n' > cap.ini
# dedup_shards NAME N INPUT STDERR(yes|no) [ARGS...]: one process in
# NAME.one, N shards merged in NAME.N; every file and (if yes) stderr
# compared.
dedup_shards() {
	name=$1 n=$2 in=$3 witherr=$4
	shift 4
	one=$tmp/$name.one dir=$tmp/$name.$n
	if [ ! -d "$one" ]; then
		mkdir "$one"
		(cd "$one" && "$BUILD/angka-dedup" -o u.csv $OUTS "$@" "$in" \
			2>err) || fail "$name: one process failed"
	fi
	rm -rf "$dir"
	mkdir "$dir"
	k=0 merge=
	while [ $k -lt $n ]; do
		"$BUILD/angka-dedup" -q "$@" --shard $k/$n \
			--pairs-out "$dir/pairs$k" "$in" || fail "$name: shard $k/$n"
		merge="$merge --merge-pairs $dir/pairs$k"
		k=$((k + 1))
	done
	(cd "$dir" && "$BUILD/angka-dedup" -o u.csv $OUTS "$@" $merge "$in" \
		2>err) || fail "$name: merge of $n failed"
	for f in "$one"/*.csv; do
		cmp -s "$f" "$dir/${f##*/}" ||
			fail "$name: ${f##*/} differs with $n shards"
	done
	[ "$witherr" = no ] || cmp -s "$one/err" "$dir/err" ||
		fail "$name: stderr differs with $n shards"
}
for n in 1 2 7 16; do
	dedup_shards fix $n "$tmp/n.csv" yes
done
dedup_shards fixed 7 "$tmp/n.csv" yes -c "$tmp/fixed.ini"
dedup_shards small 5 "$tmp/n.csv" no -c "$tmp/small.ini"
dedup_shards dec 3 "$ROOT/tests/cases/dedup/0019/in.csv" yes \
	--decisions "$ROOT/tests/cases/dedup/0019/keputusan.csv"
[ "$(wc -l < fix.one/d.csv)" -gt 500 ] || fail "too few duplicates"
grep -q 'blocks over max_pairs_per_block' small.one/err ||
	fail "small: no block skipped"
grep -q 'decisions: 0 sama, 2 beda' dec.one/err || fail "dec: no decision applied"

# Prepared parts (--recs-out, --recs): the normalized file cut into N
# parts by angka-normalize --shard, each read once into its recs; the
# parts' recs give one process's outputs and stderr in a plain run and in
# N shards merged (the shards and the merge read no CSV row).
# recs_parts N: parts part.N.K.csv and recs recs.N.K, K = 0..N-1; the
# arguments in RECS and PARTS.
recs_parts() {
	n=$1 k=0 RECS= PARTS=
	while [ $k -lt $n ]; do
		[ -f "part.$n.$k.csv" ] || {
			"$BUILD/angka-normalize" --kind dtks -q --wilayah "$W" \
				--shard $k/$n -o part.$n.$k.csv c.csv &&
			hf= && { [ $k -eq 0 ] || hf="--header-from part.$n.0.csv"; } &&
			# shellcheck disable=SC2086
			"$BUILD/angka-dedup" -q --recs-out recs.$n.$k $hf \
				part.$n.$k.csv
		} || fail "recs: part $k/$n"
		RECS="$RECS --recs $tmp/recs.$n.$k" PARTS="$PARTS $tmp/part.$n.$k.csv"
		k=$((k + 1))
	done
}
# recs_compare NAME DIR: every file and stderr of fix.one in DIR.
recs_compare() {
	for f in fix.one/*.csv fix.one/err; do
		cmp -s "$f" "$2/${f##*/}" || fail "$1: ${f##*/} differs"
	done
}
for n in 1 2 7 16; do
	recs_parts $n
	rm -rf rp.$n rs.$n
	mkdir rp.$n rs.$n
	# shellcheck disable=SC2086
	(cd rp.$n && "$BUILD/angka-dedup" -o u.csv $OUTS $RECS $PARTS 2>err) ||
		fail "recs: plain run of $n parts failed"
	recs_compare "recs, $n parts" rp.$n
	k=0 merge=
	while [ $k -lt $n ]; do
		# shellcheck disable=SC2086
		"$BUILD/angka-dedup" -q --shard $k/$n --pairs-out rs.$n/pairs$k \
			$RECS $PARTS || fail "recs: shard $k/$n"
		merge="$merge --merge-pairs $tmp/rs.$n/pairs$k"
		k=$((k + 1))
	done
	# shellcheck disable=SC2086
	(cd rs.$n && "$BUILD/angka-dedup" -o u.csv $OUTS $merge $RECS $PARTS \
		2>err) || fail "recs: merge of $n failed"
	recs_compare "recs, $n parts and shards" rs.$n
	# The shards' pair files are those of shards reading the CSV.
	k=0
	while [ $k -lt $n ]; do
		cmp -s rs.$n/pairs$k fix.$n/pairs$k ||
			fail "recs: pairs of shard $k/$n differ"
		k=$((k + 1))
	done
done
[ "$(stat -c %a recs.2.1)" = 600 ] || fail "recs: not mode 0600 (personal data)"
# 3 parts, 5 shards: parts and shards are independent.
recs_parts 3
rm -rf rs.35
mkdir rs.35
k=0 merge=
while [ $k -lt 5 ]; do
	# shellcheck disable=SC2086
	"$BUILD/angka-dedup" -q --shard $k/5 --pairs-out rs.35/pairs$k $RECS \
		$PARTS || fail "recs: shard $k/5 of 3 parts"
	merge="$merge --merge-pairs $tmp/rs.35/pairs$k"
	k=$((k + 1))
done
# shellcheck disable=SC2086
(cd rs.35 && "$BUILD/angka-dedup" -o u.csv $OUTS $merge $RECS $PARTS 2>err) ||
	fail "recs: merge of 5 shards of 3 parts failed"
recs_compare "recs, 3 parts and 5 shards" rs.35
# recs_fails WHY STATUS ARGS...: angka-dedup exits STATUS.
recs_fails() {
	why=$1 want=$2
	shift 2
	st=0
	"$BUILD/angka-dedup" -q -o /dev/null "$@" > /dev/null 2>recs.err || st=$?
	[ $st -eq "$want" ] || fail "recs $why: exit $st, expected $want"
}
P=part.3 R=recs.3
recs_fails "of another part" 1 --recs $R.0 --recs $R.2 --recs $R.1 \
	$P.0.csv $P.1.csv $P.2.csv
grep -q "made of another file" recs.err || fail "recs: no message for another part"
recs_fails "in the wrong order" 1 --recs $R.1 --recs $R.0 --recs $R.2 \
	$P.1.csv $P.0.csv $P.2.csv
grep -q "order of the parts" recs.err || fail "recs: no message for the order"
head -c 1000 $R.1 > cut.recs
recs_fails "cut" 1 --recs $R.0 --recs cut.recs --recs $R.2 \
	$P.0.csv $P.1.csv $P.2.csv
grep -q "recs.1.*cut or grown\|cut.recs" recs.err || fail "recs: no message for a cut file"
cp $P.2.csv changed.csv
echo "x" >> changed.csv
cp $R.2 bad.recs
printf 'X' | dd of=bad.recs bs=1 seek=5000 conv=notrunc 2>/dev/null
recs_fails "damaged" 1 --recs $R.0 --recs $R.1 --recs bad.recs \
	$P.0.csv $P.1.csv $P.2.csv
grep -q "damaged recs file" recs.err || fail "recs: no message for a damaged file"
# A byte changed in the records (read into place, not through the
# mapping) or in the text lengths after them: damaged, in a shard and in
# the merge, and before the part is compared (here another part's file).
sz=$(wc -c < $R.2)
for at in $((sz / 2)) $((sz - 12)); do
	cp $R.2 bad.recs
	printf '\377' | dd of=bad.recs bs=1 seek=$at conv=notrunc 2>/dev/null
	! cmp -s bad.recs $R.2 || fail "recs: byte $at not changed"
	recs_fails "damaged at byte $at (shard)" 1 --shard 1/2 --pairs-out bp \
		--recs $R.0 --recs $R.1 --recs bad.recs $P.0.csv $P.1.csv $P.2.csv
	grep -q "bad.recs': damaged recs file" recs.err ||
		fail "recs: no message for a damaged file (byte $at, shard)"
	recs_fails "damaged at byte $at, another part" 1 --recs $R.0 \
		--recs $R.1 --recs bad.recs $P.0.csv $P.1.csv changed.csv
	grep -q "bad.recs': damaged recs file" recs.err ||
		fail "recs: no message for a damaged file (byte $at, merge)"
done
recs_fails "missing" 1 --recs $R.0 --recs $R.1 --recs nonexistent.recs \
	$P.0.csv $P.1.csv $P.2.csv
recs_fails "not a recs file" 1 --recs $R.0 --recs $R.1 --recs $P.2.csv \
	$P.0.csv $P.1.csv $P.2.csv
recs_fails "a part missing" 2 --recs $R.0 --recs $R.1 $P.0.csv $P.1.csv $P.2.csv
recs_fails "of a changed part" 1 --recs $R.0 --recs $R.1 --recs $R.2 \
	$P.0.csv $P.1.csv changed.csv
recs_fails "on stdin" 2 --recs-out x.recs - < $P.0.csv
# A row written with quotes dedup would not write: refused, no file.
awk 'NR == 2 { sub(/^[^,]*/, "\"&\"") } { print }' $P.0.csv > quoted.csv
recs_fails "of a quoted row" 1 --recs-out quoted.recs quoted.csv
grep -q "quoted.csv':2: the row is not written" recs.err ||
	fail "recs: no file:line for a quoted row"
[ ! -e quoted.recs ] || fail "recs: a refused part left a recs file"

# merge_fails WHY ARGS...: the merge exits 1.
merge_fails() {
	why=$1
	shift
	st=0
	"$BUILD/angka-dedup" -q -o /dev/null "$@" > /dev/null 2>&1 || st=$?
	[ $st -eq 1 ] || fail "merge $why: exit $st, expected 1"
}
P=$tmp/fix.7
merge_fails "missing a shard" --merge-pairs $P/pairs0 --merge-pairs $P/pairs1 n.csv
merge_fails "twice" --merge-pairs $P/pairs0 --merge-pairs $P/pairs0 n.csv
merge_fails "of two counts" --merge-pairs $P/pairs0 --merge-pairs fix.2/pairs1 n.csv
merge_fails "of another input" --merge-pairs fix.1/pairs0 c.csv
head -n 20 fix.1/pairs0 > cut
merge_fails "of a cut file" --merge-pairs cut n.csv
# The work plan: each cell (a job on a partition of its keys) comes once,
# from its shard. pairs_cell FILE AWK-ACTION: FILE with its first cell
# (the rows from its x row to the next) in cell[] handed to the action at
# the end row, the row count redone.
pairs_cell() {
	awk -F, -v act="$2" 'NR == 1 { print; next }
	$1 == "x" { c++ }
	c == 1 && $1 != "end" { cell[++nc] = $0; if (act == "drop") next }
	$1 == "end" {
		if (act == "dup") for (i = 1; i <= nc; i++) { print cell[i]; n++ }
		print "end," n; next
	}
	{ n++; print }' "$1"
}
# merge_says WHY TEXT ARGS...: the merge exits 1 saying TEXT.
merge_says() {
	why=$1 text=$2
	shift 2
	st=0
	"$BUILD/angka-dedup" -q -o /dev/null "$@" > /dev/null 2> merge.err || st=$?
	[ $st -eq 1 ] || fail "merge $why: exit $st, expected 1"
	grep -q "$text" merge.err || fail "merge $why: no message '$text'"
}
rest=
k=1
while [ $k -lt 7 ]; do rest="$rest --merge-pairs $P/pairs$k"; k=$((k + 1)); done
[ "$(grep -c '^x,' $P/pairs0)" -ge 2 ] || fail "shard 0/7 has fewer than 2 cells"
pairs_cell $P/pairs0 drop > drop0
# shellcheck disable=SC2086
merge_says "missing a cell" "cell [0-9]*\.[0-9]* (rule [a-z_]*) missing from shard 0/7" \
	--merge-pairs drop0 $rest n.csv
pairs_cell $P/pairs0 dup > dup0
# shellcheck disable=SC2086
merge_says "with a cell twice" "given twice" --merge-pairs dup0 $rest n.csv
# shard 1's first cell in shard 0's file: not shard 0's.
{ head -n -1 $P/pairs0; awk -F, '$1 == "x" { c++ } c == 1 && $1 != "end"' \
	$P/pairs1; } > other0
echo "end,$(($(wc -l < other0) - 1))" >> other0
# shellcheck disable=SC2086
merge_says "with another shard's cell" "not shard 0's in the plan" \
	--merge-pairs other0 $rest n.csv
sed '1s/^angka-dedup-pairs,3,/angka-dedup-pairs,2,/' $P/pairs0 > v2
# shellcheck disable=SC2086
merge_says "of version 2" "of version 2" --merge-pairs v2 $rest n.csv
# Exact rows in another job's cell.
awk -F, 'NR > 1 && $1 == "x" && $2 != 0 && !done { print; print "g,1"; done = 1; next }
	$1 == "end" { print "end," $2 + done; next } { print }' $P/pairs0 > exact0
grep -q '^g,1$' exact0 || fail "no cell of a blocking rule in shard 0/7"
# shellcheck disable=SC2086
merge_says "with exact rows out of place" "bad row of a pair file" \
	--merge-pairs exact0 $rest n.csv
# Pair files as block_write_shard writes them are split without the CSV
# reader; any other (CRLF line ends, a quoted field) goes through it: the
# same rows, the same outputs and the same refusals.
sed 's/$/\r/' fix.2/pairs0 > crlf0
sed '2s/^x,/"x",/' fix.2/pairs1 > quoted1
grep -q "$(printf '\r')" crlf0 && grep -q '^"x",' quoted1 ||
	fail "no CRLF or quoted pair file"
mkdir csvr
(cd csvr && "$BUILD/angka-dedup" -o u.csv $OUTS --merge-pairs ../crlf0 \
	--merge-pairs ../quoted1 "$tmp/n.csv" 2> err) ||
	fail "merge of a CRLF and a quoted pair file failed"
for f in fix.one/*.csv fix.one/err; do
	cmp -s "$f" "csvr/${f##*/}" ||
		fail "pair files read by the CSV reader: ${f##*/} differs"
done
sed 's/$/\r/' exact0 > exact0crlf
# shellcheck disable=SC2086
merge_says "with exact rows out of place (CRLF)" "bad row of a pair file" \
	--merge-pairs exact0crlf $rest n.csv
# 1 and 2 shards: one cell per job; 2 shards share the 12 jobs.
[ "$(grep -c '^x,' fix.1/pairs0)" -eq 12 ] || fail "1 shard: not 12 cells"
[ "$(cat fix.2/pairs0 fix.2/pairs1 | grep -c '^x,.*,0,1$')" -eq 12 ] ||
	fail "2 shards: not 12 whole jobs"
"$BUILD/angka-dedup" -q -c cap.ini --shard 0/1 --pairs-out capp n.csv
merge_fails "over max_pairs" -c cap.ini --merge-pairs capp n.csv
st=0
"$BUILD/angka-dedup" -q --shard 0/2 n.csv > /dev/null 2>&1 || st=$?
[ $st -eq 2 ] || fail "--shard without --pairs-out: exit $st, expected 2"
# The driver with [engine] shards = 2 or 7 concatenates normalize:dtks's
# outputs while the dedup tasks run, hashing them as it copies (pipeline/
# shard.c): the hashes it records (.angka-state) are those of the bytes it
# publishes, and both steps publish what shards = 1 publishes.
for s in 1 2 7; do
	cat > run$s.ini <<EOF
[angka]
name = check-shard
output_dir = out$s
[input.wilayah]
files = $W
[input.dtks]
files = $ROOT/fixtures/dtks/dtks_balangan_2023.csv $ROOT/fixtures/dtks/dtks_balangan_2024.csv
[registry]
tahun = 2024
[chart]
formats = none
[engine]
shards = $s
EOF
	"$BUILD/angka" run -q --jobs 2 -c run$s.ini 2> run$s.err ||
		fail "angka run with shards = $s: $(cat run$s.err)"
done
grep -q "dedup:dtks\[merge\]" out2/run.log || fail "shards = 2: no merge task"
# Where the time went: each phase's wall time, each command's CPU.
for ph in "0 (1 task)" "1 (2 tasks)" "2 (2 tasks)" "3 (2 tasks)" "4 (1 task)"; do
	grep -q "normalize:dtks: sharded: phase $ph done in [0-9]*\.[0-9] s$" \
		out2/run.log || fail "shards = 2: no time of phase $ph in run.log"
done
grep -q "normalize:dtks: outputs concatenated in [0-9]*\.[0-9] s$" out2/run.log ||
	fail "shards = 2: no time of the concatenation in run.log"
grep -q "dedup:dtks\[merge\]: dedup ended after [0-9.]* s, cpu [0-9.]* s$" \
	out2/run.log || fail "shards = 2: no CPU time of the merge in run.log"
grep -q "dedup:dtks: dedup ended after [0-9.]* s, cpu [0-9.]* s$" out1/run.log ||
	fail "shards = 1: no CPU time of the pipe's dedup in run.log"
grep -q "dedup:dtks\[shard 6/7\]: dedup ended after" out7/run.log ||
	fail "shards = 7: no dedup shard 6/7 in run.log"
cut -f1,3- out1/.angka-state > state1
for s in 2 7; do
	for f in private/normalized/dtks.csv private/quarantine/dtks.ingest.csv \
		private/quarantine/dtks.normalize.csv private/dtks_unik.csv \
		private/duplicates.csv private/review.csv private/households.csv \
		private/dtks_golden.csv private/perubahan.csv \
		indicators/rumah_tangga_desa.csv indicators/perubahan_desa.csv; do
		cmp -s "out1/$f" "out$s/$f" || fail "angka run, shards = $s: $f differs"
		h=$(sha256sum < "out$s/$f" | cut -d' ' -f1)
		grep -q "	.*$f=$h" out$s/.angka-state ||
			fail "angka run, shards = $s: the hash recorded for $f is not its sha256"
	done
	cut -f1,3- out$s/.angka-state > state$s
	cmp -s state1 state$s ||
		fail "angka run, shards = $s: .angka-state differs from shards = 1 (but the step hashes: the config paths differ)"
done
chmod -R u+w out1.runs out2.runs out7.runs
echo "check-shard: normalize and dedup shards 1 2 7 16 identical (CSV and recs; angka run)"
