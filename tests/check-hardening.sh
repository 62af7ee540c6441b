#!/bin/sh
# check-hardening.sh BUILD - the driver and the stages under hostile or
# unlucky conditions (issue 14), on a small config of the fixtures:
#  1. signals: a stage killed by signal N makes the driver exit 128+N;
#     SIGTERM/SIGINT to the driver remove its run directory (no private/
#     left), keep failed-run.log 0600 and exit 128+N.
#  2. a stage run by hand writes its outputs 0600 under umask 022, and a
#     stage killed by SIGTERM/SIGINT/SIGHUP mid-output removes its
#     temporary files and exits 128+N.
#  3. directories others control: out.runs a symlink or another account's,
#     a lock symlink, output_dir's parent writable by everyone (refused)
#     or by its group (a warning), a symlink at output_dir angka did not
#     make: refused, nothing outside followed, truncated or deleted.
#  4. a failed publication removes the run (private/ and all) and keeps
#     failed-run.log; an ordinary directory or a mount point or '/' as
#     output_dir is refused by run and check, an old angka output directory
#     (manifest.json) is moved aside.
#  5. verified reuse: an input changed while a step read it (truncated
#     and restored) fails the run; a published output edited in place or
#     swapped is not reused (the step reruns) and the edit reaches no
#     other run; published runs are read-only and share no inodes.
#  6. [run] retention_personal_days: private/ and shared/ of kept runs
#     older than that are removed (aggregates stay, the manifest says so);
#     the published run keeps its private/.
#  7. angka forget NIK: the person's rows leave every private/ and shared/
#     file of every retained run (counted independently with grep and a
#     Python HMAC; the clerk workbooks of private/ are removed), the NIK is never printed, each run's manifest records
#     the edit, the runs stay read-only, the next run does not reuse the
#     edited outputs; a bad argument is not echoed.
# Scenarios that need a second uid (root running as nobody) or a mount
# namespace run when available and say "skip" otherwise.
set -u
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIX=$ROOT/fixtures
T=$(mktemp -d)
# Published runs are read-only: open them up so a non-root user can remove them.
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }
skip() { echo "skip - $1"; }
A="$BUILD/angka"
cd "$T" || exit 1

# A small config: the region table and the first 399 rows of the DTKS
# extract (ingest, normalize, dedup, registry, chart): 0.3 s of CPU a run.
head -n 400 "$FIX/dtks/dtks_balangan_2024.csv" >"$T/dtks.csv"
small_ini() {
	printf '[angka]\noutput_dir = %s\n[input.wilayah]\nfiles = %s\n[input.dtks]\nfiles = %s\n' \
		"$1" "$FIX/wilayah/wilayah_kalsel_balangan.csv" "$T/dtks.csv"
}
# A bindir whose stage $1 is the shell script $2, the others the real ones.
fake_bindir() {
	d=$T/bin-$1
	rm -rf "$d"
	mkdir "$d"
	for b in "$BUILD"/angka-*; do ln -s "$b" "$d/"; done
	rm "$d/angka-$1"
	printf '#!/bin/sh\n%s\n' "$2" >"$d/angka-$1"
	chmod 755 "$d/angka-$1"
	echo "$d"
}
# Wait until file $1 exists while the run $2 lives, up to 300 s (a
# deadline, not a count of polls: a loaded machine, a sanitized build); 0
# if it does.
wait_for() {
	end=$(($(date +%s) + 300))
	while [ ! -e "$1" ] && [ "$(date +%s)" -lt $end ] && kill -0 "$2" 2>/dev/null; do
		sleep 0.01
	done
	[ -e "$1" ]
}
# The pids of the processes whose command line holds $1 (by /proc: pgrep
# is procps', not on every Debian).
procs_with() {
	for p in /proc/[0-9]*; do
		case $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) in
		*"$1"*) echo "${p#/proc/}" ;;
		esac
	done
}

mkdir sig && cd sig || exit 1
small_ini out >s.ini
"$A" run -q -c s.ini 2>err || bad "first run: $(cat err)"
published=$(readlink out)

# 1a. A stage killed by SIGKILL: exit 137, the run removed.
bin=$(fake_bindir dedup 'kill -KILL $$')
"$A" run -q -c s.ini --bindir "$bin" 2>err
rc=$?
[ $rc -eq 137 ] && ok "stage killed by SIGKILL: driver exits 137" || bad "stage killed by SIGKILL: exit $rc, $(cat err)"
grep -q "killed by signal 9" err && ok "message names the signal" || bad "message: $(cat err)"
[ -z "$(ls out.runs | grep '^tmp-')" ] && ok "killed stage: no tmp- run left" || bad "tmp- left: $(ls out.runs)"
[ "$(readlink out)" = "$published" ] && ok "killed stage: published run unchanged" || bad "published run changed"

# 1b. SIGTERM, SIGINT, SIGHUP to the driver while a stage runs (a stage that
# waits): exit 128+N, no run directory left, failed-run.log 0600.
bin=$(fake_bindir dedup 'touch "$0.started"; exec sleep 30')
for s in TERM:143 INT:130 HUP:129; do
	sig=${s%:*}
	want=${s#*:}
	rm -f "$bin/angka-dedup.started" out.runs/failed-run.log
	env --default-signal="$sig" "$A" run -q -c s.ini --bindir "$bin" 2>err &
	pid=$!
	if wait_for "$bin/angka-dedup.started" $pid; then
		[ -d "out.runs/tmp-$pid/private" ] || bad "SIG$sig: no private/ in the run before the signal"
		kill -"$sig" $pid
		wait $pid
		rc=$?
		[ $rc -eq "$want" ] && ok "SIG$sig to the driver: exit $rc" || bad "SIG$sig to the driver: exit $rc, $(cat err)"
		[ ! -e "out.runs/tmp-$pid" ] && ok "SIG$sig: run directory removed" || bad "SIG$sig: out.runs/tmp-$pid left"
		perm=$(stat -c %a out.runs/failed-run.log 2>/dev/null)
		[ "$perm" = 600 ] && ok "SIG$sig: failed-run.log is 0600" || bad "SIG$sig: failed-run.log mode '$perm'"
		[ "$(readlink out)" = "$published" ] || bad "SIG$sig: published run changed"
		[ -n "$(procs_with "$bin")" ] && bad "SIG$sig: a stage still runs: $(procs_with "$bin")"
	else
		kill $pid
		bad "SIG$sig: the fake stage never started: $(cat err)"
	fi
done
# 1c. The same once the driver wrote a file itself (indicators:poverty,
# through csv_writer, which must not replace the driver's handler).
printf '[angka]\noutput_dir = pov\n[input.garis_kemiskinan]\nfiles = %s\n[input.susenas]\nfiles = %s\n' \
	"$FIX/garis_kemiskinan/garis_kemiskinan_balangan.csv" "$FIX/susenas/susenas_balangan_2024.csv" >p.ini
bin=$(fake_bindir trend 'touch "$0.started"; exec sleep 30')
"$A" run -q -c p.ini --bindir "$bin" 2>err &
pid=$!
if wait_for "$bin/angka-trend.started" $pid; then
	kill -TERM $pid
	wait $pid
	rc=$?
	[ $rc -eq 143 ] && [ ! -e "pov.runs/tmp-$pid" ] && [ -f pov.runs/failed-run.log ] && \
		ok "SIGTERM after a driver-written output: run removed, exit 143" || \
		bad "SIGTERM after indicators:poverty: exit $rc, $(ls pov.runs | tr '\n' ' ')"
else
	kill $pid
	bad "the fake trend never started: $(cat err)"
fi
cd "$T" || exit 1

# 2. Stages by hand: 0600 outputs; a killed stage removes its temp files
# (the whole extract: 300 kB of it go into a FIFO).
mkdir "$T/hand" && cd "$T/hand" || exit 1
(umask 022; "$BUILD/angka-ingest" -q --kind dtks -o dtks.csv --quarantine q.csv \
	"$FIX/dtks/dtks_balangan_2024.csv") || bad "angka-ingest by hand failed"
(umask 022; "$BUILD/angka-normalize" -q --kind dtks --wilayah "$FIX/wilayah/wilayah_kalsel_balangan.csv" \
	-o norm.csv --quarantine nq.csv dtks.csv) || bad "angka-normalize by hand failed"
modes=$(stat -c '%n %a' dtks.csv q.csv norm.csv nq.csv | tr '\n' ' ')
[ "$modes" = "dtks.csv 600 q.csv 600 norm.csv 600 nq.csv 600 " ] && ok "stages by hand write 0600 under umask 022" || \
	bad "modes of stage outputs under umask 022: $modes"
head -c 300000 "$FIX/dtks/dtks_balangan_2024.csv" >part.csv
for s in TERM:143 INT:130 HUP:129; do
	sig=${s%:*}
	want=${s#*:}
	rm -f fifo
	mkfifo fifo
	# ingest reads a FIFO whose writer stays open: it blocks mid-output.
	env --default-signal="$sig" "$BUILD/angka-ingest" -q --kind dtks -o killed.csv \
		--quarantine killedq.csv fifo 2>/dev/null &
	pid=$!
	exec 3>fifo
	cat part.csv >&3
	end=$(($(date +%s) + 300))
	while [ -z "$(ls -A | grep '^\.killed.csv.tmp')" ] && [ "$(date +%s)" -lt $end ]; do
		sleep 0.01
	done
	[ -n "$(ls -A | grep '^\.killed.csv.tmp')" ] || bad "SIG$sig: ingest made no temporary output"
	kill -"$sig" $pid
	wait $pid
	rc=$?
	exec 3>&-
	[ $rc -eq "$want" ] && ok "SIG$sig to a stage: exit $rc" || bad "SIG$sig to a stage: exit $rc"
	left=$(ls -A | grep '^\.killed' | tr '\n' ' ')
	[ -z "$left" ] && ok "SIG$sig to a stage: temporary files removed" || bad "SIG$sig: temporary files left: $left"
done
cd "$T" || exit 1

# 3. Directories others control.
mkdir "$T/own" && cd "$T/own" || exit 1
small_ini out >s.ini
mkdir -p elsewhere/run-20000101T000000Z-1 elsewhere/tmp-1
ln -s elsewhere out.runs
"$A" run -q -c s.ini 2>err
rc=$?
if [ $rc -eq 2 ] && grep -q "out.runs' is not a directory of angka's" err && [ -d elsewhere/run-20000101T000000Z-1 ] &&
	[ -d elsewhere/tmp-1 ] && [ ! -e elsewhere/lock ]; then
	ok "out.runs a symlink: refused, nothing under its target touched"
else
	bad "out.runs a symlink: exit $rc, $(cat err), $(ls elsewhere)"
fi
"$A" check -c s.ini >/dev/null 2>err && bad "check accepts a symlinked out.runs" || ok "check refuses a symlinked out.runs"
rm out.runs
"$A" run -q -c s.ini 2>err || bad "run in a clean directory: $(cat err)"
echo "root only" >victim
chmod 600 victim
rm out.runs/lock
ln -s ../victim out.runs/lock
"$A" run -q -c s.ini 2>err
rc=$?
[ $rc -ne 0 ] && [ "$(cat victim)" = "root only" ] && ok "a lock symlink is not followed (exit $rc), its target intact" || \
	bad "lock symlink: exit $rc, victim now '$(cat victim)'"
rm out.runs/lock
chmod 775 out.runs
"$A" run -q -c s.ini 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "writable by others" err && ok "a group-writable out.runs is refused" || bad "group-writable out.runs: exit $rc, $(cat err)"
chmod 755 out.runs
mkdir pub && chmod 777 pub && small_ini pub/out >pub.ini
"$A" run -q -c pub.ini 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "writable by everyone without the sticky bit" err && [ ! -e pub/out.runs ] && \
	ok "a world-writable parent without sticky bit is refused" || bad "world-writable parent: exit $rc, $(cat err)"
chmod 1777 pub
"$A" run -q -c pub.ini 2>err && ok "a sticky world-writable parent is accepted" || bad "sticky parent: $(cat err)"
mkdir grp && chmod 775 grp && small_ini grp/out >grp.ini
"$A" run -c grp.ini 2>err && grep -q "warning: .* is group-writable" err && ok "a group-writable parent is a warning" || \
	bad "group-writable parent: $(cat err)"
mkdir lnk && ln -s /etc lnk/out && small_ini lnk/out >lnk.ini
"$A" run -q -c lnk.ini 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "symlink angka did not make" err && [ ! -e lnk/out.runs ] && \
	ok "a foreign symlink at output_dir is refused" || bad "foreign symlink at output_dir: exit $rc, $(cat err)"
# ... and another account's: needs root and a second uid.
if [ "$(id -u)" = 0 ] && setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
	chmod 711 "$T" "$T/own"
	nob() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	mkdir sticky && chmod 1777 sticky && small_ini sticky/out >sticky.ini
	nob mkdir sticky/out.runs
	nob mkdir -p sticky/victim/run-20000101T000000Z-1
	"$A" run -q -c sticky.ini 2>err
	rc=$?
	[ $rc -eq 2 ] && grep -q "out.runs' belongs to uid" err && ok "out.runs made by nobody: root refuses it" || \
		bad "out.runs made by nobody: exit $rc, $(cat err)"
	nob rmdir sticky/out.runs
	nob ln -s victim sticky/out.runs
	"$A" run -q -c sticky.ini 2>err
	rc=$?
	[ $rc -eq 2 ] && [ -d sticky/victim/run-20000101T000000Z-1 ] && ok "out.runs symlinked by nobody: refused, target intact" || \
		bad "out.runs symlink by nobody: exit $rc, $(cat err)"
	mkdir theirs && chown nobody theirs && small_ini theirs/out >theirs.ini
	"$A" run -q -c theirs.ini 2>err
	rc=$?
	[ $rc -eq 2 ] && grep -q "belongs to uid" err && ok "a parent owned by nobody: root refuses it" || \
		bad "parent owned by nobody: exit $rc, $(cat err)"
else
	skip "another account's out.runs and parent (needs root and setpriv)"
fi
cd "$T" || exit 1

# 4. Publication that fails or cannot work.
mkdir "$T/pub" && cd "$T/pub" || exit 1
small_ini out >s.ini
"$A" run -q -c s.ini 2>err || bad "first run: $(cat err)"
published=$(readlink out)
if [ -e "$BUILD/tests/libfailwrite.so" ]; then
	ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD="$BUILD/tests/libfailwrite.so" ANGKA_FAILSYMLINK=1 \
		"$A" run -q --force -c s.ini 2>err
	rc=$?
	runs=$(ls out.runs | tr '\n' ' ')
	if [ $rc -eq 1 ] && [ "$(readlink out)" = "$published" ] &&
		[ "$runs" = "failed-run.log lock ${published#out.runs/} " ]; then
		ok "a failed publication leaves only the published run and failed-run.log"
	else
		bad "failed publication: exit $rc, out.runs holds: $runs; $(cat err)"
	fi
	[ "$(stat -c %a out.runs/failed-run.log)" = 600 ] && grep -q "cannot create symlink" out.runs/failed-run.log &&
		ok "failed-run.log (0600) says why the publication failed" || bad "failed-run.log after a failed publication"
else
	bad "no fault-injection shim at $BUILD/tests/libfailwrite.so"
fi
mkdir plain && echo "keep me" >plain/notes.txt && small_ini plain >plain.ini
"$A" run -q -c plain.ini 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "directory angka did not make" err && [ "$(cat plain/notes.txt)" = "keep me" ] && [ ! -e plain.runs ] && \
	ok "run refuses an ordinary directory as output_dir" || bad "ordinary output_dir: exit $rc, $(cat err)"
"$A" check -c plain.ini >/dev/null 2>err
[ $? -eq 2 ] && grep -q "directory angka did not make" err && ok "check refuses it too" || bad "check on an ordinary output_dir: $(cat err)"
mkdir old && echo '{}' >old/manifest.json && small_ini old >old.ini
"$A" run -q -c old.ini 2>err && [ -L old ] && [ -f old.runs/legacy-*/manifest.json ] && \
	ok "an old angka output directory is moved aside" || bad "old output directory: $(cat err)"
small_ini / >root.ini
"$A" check -c root.ini >/dev/null 2>err
[ $? -eq 2 ] && grep -q "output_dir is '/'" err && ok "check refuses output_dir /" || bad "output_dir /: $(cat err)"
mkdir mnt && small_ini mnt >mnt.ini
if unshare -m sh -c "mount -t tmpfs none mnt" 2>/dev/null; then
	unshare -m sh -c "mount -t tmpfs none mnt && echo '{}' >mnt/manifest.json && \"$A\" run -q -c mnt.ini 2>err; echo \$? >rc;
		ls -A mnt >left" 2>/dev/null
	[ "$(cat rc)" = 2 ] && grep -q "is a mount point" err && [ "$(cat left)" = manifest.json ] && [ ! -e mnt.runs ] && \
		ok "a mount point as output_dir is refused, nothing written" || bad "mount point: exit $(cat rc), $(cat err), left: $(cat left)"
else
	skip "output_dir on a mount point (needs unshare -m)"
fi
cd "$T" || exit 1

# 5. Verified reuse.
mkdir "$T/reuse" && cd "$T/reuse" || exit 1
cp "$T/dtks.csv" dtks.csv
printf '[angka]\noutput_dir = out\n[input.wilayah]\nfiles = %s\n[input.dtks]\nfiles = dtks.csv\n' \
	"$FIX/wilayah/wilayah_kalsel_balangan.csv" >r.ini
"$A" run -q -c r.ini 2>err || bad "first run: $(cat err)"
published=$(readlink out)
cp out/manifest.json first.json
# ingest finds its input cut short (as if the extract were being copied),
# and the file is whole again when the step ends: the hash before the
# step matches the file after it, only its ctime tells.
cp dtks.csv dtks.full
bin=$(fake_bindir ingest "head -c 20000 $T/reuse/dtks.full >$T/reuse/dtks.csv
\"$BUILD/angka-ingest\" \"\$@\"; s=\$?; cat $T/reuse/dtks.full >$T/reuse/dtks.csv; exit \$s")
# --jobs 1: the wrapper runs for the wilayah's ingest too, and would cut
# dtks.csv short under a dtks ingest running beside it.
"$A" run -q -c r.ini --jobs 1 --bindir "$bin" 2>err
rc=$?
[ $rc -eq 1 ] && grep -q "dtks.csv' changed while the step ran" err && [ "$(readlink out)" = "$published" ] && \
	ok "an input changed while a step read it fails the run" || bad "input changed during the run: exit $rc, $(cat err)"
cmp -s dtks.csv dtks.full || bad "the fake ingest did not restore the input"
"$A" run -q -c r.ini 2>err || bad "run after the input is whole: $(cat err)"
rows=$(grep -o '"stage": "dedup", "rows_in": [0-9]*' out/manifest.json | grep -o '[0-9]*$')
[ "$rows" = "$(grep -o '"stage": "dedup", "rows_in": [0-9]*' first.json | grep -o '[0-9]*$')" ] && \
	ok "the next run reads the whole input ($rows rows)" || bad "rows after an interrupted input: $rows"
"$A" run -q -c r.ini 2>err || bad "rerun: $(cat err)"
writable=$(find -L out/ -perm /222 | head -3)
[ -z "$writable" ] && ok "the published run is read-only" || bad "writable in the published run: $writable"
shared=$(find out.runs -type f -links +1 | head -3)
[ -z "$shared" ] && ok "runs share no inodes" || bad "hard-linked files across runs: $shared"
old=$(readlink out)
gp=$(cd out/charts && ls *.gp | head -1)
echo "# edited by hand" >>"out/charts/$gp"
"$A" run -c r.ini 2>err || bad "run after an edit: $(cat err)"
grep -q "chart .*done in" err && ok "an edited published chart is not reused: chart reruns" || bad "edited chart reused: $(cat err)"
grep -q "edited by hand" "out/charts/$gp" && bad "the edit was carried into the new run" || ok "the new run has the chart as made"
# a swapped file (new inode) in private/
cp out/private/dtks_unik.csv swap.csv
echo "junk" >>swap.csv
chmod u+w out/private
mv swap.csv out/private/dtks_unik.csv
"$A" run -c r.ini 2>err || bad "run after a swap: $(cat err)"
grep -q "dedup:dtks .*done in" err && ok "a swapped private file is not reused: dedup reruns" || bad "swapped file reused: $(cat err)"
cd "$T" || exit 1

# 6. Retention of personal data.
mkdir "$T/ret" && cd "$T/ret" || exit 1
small_ini out >r.ini
printf '[run]\nretention = 3\nretention_personal_days = 30\n' >>r.ini
"$A" run -q -c r.ini 2>err || bad "first run: $(cat err)"
first=$(readlink out)
"$A" run -q --force -c r.ini 2>err || bad "second run: $(cat err)"
mv "$first" out.runs/run-20200101T000000Z-1
cp -a out.runs/run-20200101T000000Z-1 out.runs/legacy-20200102T000000Z
"$A" run -q --force -c r.ini 2>err || bad "third run: $(cat err)"
old=out.runs/run-20200101T000000Z-1
if [ ! -e "$old/private" ] && [ ! -e out.runs/legacy-20200102T000000Z/private ] && [ -s "$old/indicators/registry.csv" ] &&
	grep -q '"edit": "personal_data_removed"' "$old/manifest.json"; then
	ok "personal data of a run older than retention_personal_days removed, aggregates kept"
else
	bad "retention_personal_days: $(ls "$old" out.runs | tr '\n' ' ')"
fi
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$old/manifest.json" 2>/dev/null && ok "its manifest is still JSON" || \
	bad "manifest after the edit is not JSON"
[ -s out/private/dtks_unik.csv ] && [ -d "$(ls -d out.runs/run-2026* out.runs/run-20[3-9]* 2>/dev/null | head -1)/private" ] && \
	ok "recent runs keep private/" || bad "a recent run lost private/"
[ -z "$(find -L out.runs/run-20200101T000000Z-1 -perm /222)" ] && ok "the edited run stays read-only" || bad "edited run writable"
cd "$T" || exit 1

# 7. angka forget.
mkdir "$T/forget" && cd "$T/forget" || exit 1
small_ini out >f.ini
printf '[run]\npseudonymize_nik = hmac-sha256\nkey_file = key.txt\n' >>f.ini
echo "a-test-key-of-32-bytes-for-hmac!!" >key.txt
chmod 600 key.txt
"$A" run -q -c f.ini 2>err || bad "first run: $(cat err)"
"$A" run -q --force -c f.ini 2>err || bad "second run: $(cat err)"
nik=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "nik") c = i; next } NR == 5 { print $c }' out/private/dtks_unik.csv)
hm=$(python3 -c 'import hmac, hashlib, sys
k = open("key.txt", "rb").read().rstrip(b"\r\n")
print(hmac.new(k, b"nik\0" + sys.argv[1].encode(), hashlib.sha256).hexdigest()[:32])' "$nik" 2>/dev/null)
want=0
files=0
for f in $(find -L out.runs/run-* -path '*/private/*.csv' -o -path '*/shared/*.csv' | LC_ALL=C sort); do
	n=$(grep -c -F -e "$nik" ${hm:+-e "$hm"} "$f")
	[ "$n" -gt 0 ] && { want=$((want + n)); files=$((files + 1)); }
done
books=$(find -L out.runs/run-* -path '*/private/*.xlsx' | wc -l)
"$A" forget -c f.ini "$nik" >fout 2>err
rc=$?
xl=$(find -L out.runs/run-* -path '*/private/*.xlsx' | head -3)
[ "$books" -gt 0 ] && [ -z "$xl" ] && grep -q 'xlsx: removed' fout && \
	ok "forget removes the $books clerk workbooks of the edited runs" || bad "clerk workbooks after forget: $books before, left: $xl"
if [ $rc -eq 0 ] && [ $want -gt 0 ] && grep -q "^NIK #1: $want rows removed from $files files$" fout; then
	ok "forget removes the $want rows in $files files (counted independently)"
else
	bad "forget: exit $rc, expected $want rows in $files files: $(cat fout err)"
fi
[ -z "$hm" ] && bad "no python3 for the HMAC of the shared export"
left=$(grep -rl -F -e "$nik" ${hm:+-e "$hm"} out.runs | head -3)
[ -z "$left" ] && ok "no retained file holds the NIK or its HMAC" || bad "still there: $left"
grep -q -F "$nik" fout err && bad "forget printed the NIK" || ok "forget never prints the NIK"
n=$(grep -l '"edit": "forget"' out.runs/run-*/manifest.json | wc -l)
[ "$n" -eq 2 ] && ok "both runs' manifests record the edit" || bad "manifests with the edit: $n"
[ -z "$(find -L out.runs/run-* -perm /222)" ] && ok "the edited runs stay read-only" || bad "edited runs writable"
"$A" run -c f.ini 2>err || bad "run after forget: $(cat err)"
grep -q "dedup:dtks .*done in" err && ok "the next run reruns the edited steps" || bad "edited outputs reused: $(cat err)"
"$A" forget -c f.ini 12345abc >fout 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "argument 1 is not a 16-digit NIK" err && ! grep -q 12345abc err fout && \
	ok "a bad argument: exit 2, not echoed" || bad "bad argument: exit $rc, $(cat err)"
echo "$nik" | "$A" forget -c f.ini - >fout 2>err
grep -q "^NIK #1: 3 rows removed from 3 files$" fout && ok "forget - reads NIKs from stdin (the new run had them again: normalized, unique, pseudonym; a person of one row has no golden record)" || bad "forget -: $(cat fout err)"
cd "$T" || exit 1

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
