#!/bin/sh
# check-engines.sh BUILD - the driver's parallel plan and its engines, on a
# fixture config (three SUSENAS years, DTKS, KUBE/UEP, the export):
#  1. --jobs 1, --jobs 2 and --engine parallel (GNU parallel) publish the
#     same bytes and modes (every file but manifest.json and run.log); with
#     ANGKA_TEST_SLURM=1 also --engine slurm on the one-node cluster of
#     scripts/slurm-local.sh (started and stopped here);
#  2. with --jobs 2 each step's lines in run.log are one block;
#  3. a failing step and a step killed by SIGKILL fail the run (exit 1 and
#     137) with the stage's message, under --jobs 2, parallel and slurm,
#     and the published run stays as it was; with ANGKA_TEST_KILL=1 also
#     kill -9 from outside of a running stage and of a task's script;
#     GNU parallel killed while two tasks hold: the first lost task in
#     plan order named, the others listed; two steps failing together
#     under --jobs 2: the first in plan order reported, with its exit
#     status;
#  4. parallel retries a task that fails once with [engine] retries = 1
#     (in 1), and without retries it fails the run;
#  5. an unknown engine, --jobs 0, an unknown [engine] key: exit 2; a GNU
#     parallel that cannot run: exit 1; kill -9 of the driver while GNU
#     parallel runs leaves the published run untouched;
#  6. the DTKS pipe: normalize:dtks and dedup:dtks run as one pipe
#     (ingest | normalize --tee | dedup -) on every engine; dedup failing
#     or killed by SIGKILL, or normalize failing, fails the run naming
#     the step and program that failed (not the SIGPIPE it caused
#     upstream); a changed [dedup] setting reruns dedup alone, on the
#     file, and publishes what a full run of that config publishes;
#  7. [engine] shards = 3: the DTKS steps as sharded tasks publish the
#     bytes of shards = 1 on every engine (Slurm: chained by afterok), are
#     reused by an unchanged rerun, dedup:dtks alone (a [dedup] change)
#     runs sharded too, and a failing or SIGKILLed task fails
#     the run naming it, the published run untouched.
# Failures come from a --bindir of links to the real stages where
# angka-normalize and angka-dedup are wrapper scripts. Every wait is on a
# condition (a file a wrapper writes, a process gone, the queue empty)
# with a deadline of minutes; no assertion depends on which of two
# concurrent things ends first.
set -u
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIX=$ROOT/fixtures
T=$(mktemp -d)
slurm_started=0
cleanup() {
	[ $slurm_started -eq 1 ] && "$ROOT/scripts/slurm-local.sh" stop "$T/slurm"
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
# A signal (a CI timeout, ^C) exits through cleanup too: no daemon of
# this test keeps running (dash runs the EXIT trap on exit only).
trap 'exit 1' INT TERM HUP
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }

cat >"$T/test.ini" <<EOF
[angka]
name = Test Balangan
output_dir = out
[run]
retention = 10
pseudonymize_nik = hmac-sha256
key_file = key.txt
[input.wilayah]
files = $FIX/wilayah/wilayah_kalsel_balangan.csv
[input.penduduk]
files = $FIX/penduduk/penduduk_balangan.csv
[input.garis_kemiskinan]
files = $FIX/garis_kemiskinan/garis_kemiskinan_balangan.csv
[input.terbitan]
files = $FIX/terbitan/terbitan_balangan.csv
[input.susenas]
files = $FIX/susenas/susenas_balangan_2022.csv
        $FIX/susenas/susenas_balangan_2023.csv
        $FIX/susenas/susenas_balangan_2024.csv
[input.dtks]
files = $FIX/dtks/dtks_balangan_2024.csv
[input.kube]
files = $FIX/kube/kube_balangan_2024.csv
[input.uep]
files = $FIX/uep/uep_balangan_2022.csv $FIX/uep/uep_balangan_2024.csv
[normalize]
crosswalk = $FIX/ref/crosswalk_bps_kemendagri_balangan.csv
[chart]
formats = svg
EOF
echo "a-test-key-of-32-bytes-for-hmac!!" >"$T/key.txt"
chmod 600 "$T/key.txt"
cd "$T" || exit 1
have_parallel=0
command -v parallel >/dev/null 2>&1 && have_parallel=1

# Modes and checksums of everything published but the two files with
# timestamps (.angka-state, the steps' hashes and counts, included).
sums() {
	(cd -P out && find . ! -name manifest.json ! -name run.log -printf '%M %p\n' |
		LC_ALL=C sort &&
		find . -type f ! -name manifest.json ! -name run.log |
		LC_ALL=C sort | xargs sha256sum)
}

# Every run uses a bindir of links to the stages where angka-normalize is
# a wrapper: for UEP (KUBE) it writes its pid to uep.pid (kube.pid) and
# waits while hold-uep (hold-kube) exists, then fails for KUBE (exit 1
# with a message) while fail-kube exists, kills itself for UEP (SIGKILL)
# while kill-uep exists; it fails once for the poverty lines when flaky
# exists.
mkdir bin
for p in "$BUILD"/angka-*; do ln -s "$p" bin/; done
rm bin/angka-normalize
cat >bin/angka-normalize <<EOF
#!/bin/sh
case "\$*" in
*--kind=kube*)
	if [ -e "$T/hold-kube" ]; then
		echo \$\$ >"$T/kube.pid.tmp" && mv "$T/kube.pid.tmp" "$T/kube.pid"
		while [ -e "$T/hold-kube" ]; do sleep 0.05; done
	fi
	if [ -e "$T/fail-kube" ]; then
		cat >/dev/null
		echo "angka-normalize: test: KUBE refused" >&2
		exit 1
	fi ;;
*--kind=uep*)
	if [ -e "$T/hold-uep" ]; then
		echo \$\$ >"$T/uep.pid.tmp" && mv "$T/uep.pid.tmp" "$T/uep.pid"
		while [ -e "$T/hold-uep" ]; do sleep 0.05; done
	fi
	[ -e "$T/kill-uep" ] && kill -9 \$\$ ;;
*--kind=dtks*)
	if [ -e "$T/fail-dtks" ]; then
		echo "angka-normalize: test: DTKS refused" >&2
		exit 1
	fi ;;
*--kind=garis_kemiskinan*)
	if [ -e "$T/flaky" ]; then
		cat >/dev/null
		rm -f "$T/flaky"
		echo "angka-normalize: test: flaky" >&2
		exit 1
	fi ;;
esac
exec "$BUILD/angka-normalize" "\$@"
EOF
chmod +x bin/angka-normalize
# angka-dedup fails at once (exit 1, its input unread) while fail-dedup
# exists, kills itself (SIGKILL) while kill-dedup exists (7.: kill-shard).
rm bin/angka-dedup
cat >bin/angka-dedup <<EOF
#!/bin/sh
if [ -e "$T/fail-dedup" ]; then
	echo "angka-dedup: test: dedup refused" >&2
	exit 1
fi
[ -e "$T/kill-dedup" ] && kill -9 \$\$
# A sharded run's dedup shard 1 of 3 kills itself while kill-shard exists.
case "\$*" in
*--shard=1/3*) [ -e "$T/kill-shard" ] && kill -9 \$\$ ;;
esac
exec "$BUILD/angka-dedup" "\$@"
EOF
chmod +x bin/angka-dedup
angka() { "$BUILD/angka" --bindir="$T/bin" "$@"; }

# Waits on real conditions, each with a deadline of minutes (CI machines
# may be loaded), never on a sleep's length.
# wait_file FILE PID: until FILE is not empty (a wrapper wrote it) or the
# run PID ended; 0 if FILE came.
wait_file() {
	end=$(($(date +%s) + 300))
	while [ ! -s "$1" ]; do
		kill -0 "$2" 2>/dev/null || { [ -s "$1" ]; return; }
		[ "$(date +%s)" -lt $end ] || return 1
		sleep 0.05
	done
}
# procs_in DIR: the pids of the processes whose working directory or
# command line is in DIR (a run directory's tasks).
procs_in() {
	for p in /proc/[0-9]*; do
		c=$(readlink "$p/cwd" 2>/dev/null) || continue
		case $c in
		"$1"|"$1"/*|"$1 (deleted)") echo "${p#/proc/}"; continue ;;
		esac
		case $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) in
		*"$1"/*) echo "${p#/proc/}" ;;
		esac
	done
}
# wait_gone DIR: until no process is in DIR (up to 300 s); 0 if none is.
wait_gone() {
	end=$(($(date +%s) + 300))
	while [ -n "$(procs_in "$1")" ]; do
		[ "$(date +%s)" -lt $end ] || return 1
		sleep 0.2
	done
}
# ppid_of PID: its parent's pid from /proc (no ps: procps may be absent).
ppid_of() {
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	set -- $s
	echo "$2"
}

# 1. The same bytes from every --jobs and engine.
if angka run -q --jobs 1 -c test.ini 2>err1; then ok "--jobs 1 run exits 0"
else bad "--jobs 1 run: $(cat err1)"; fi
sums >sums1
[ -s sums1 ] || bad "nothing published"
if angka run -q --force --jobs 2 -c test.ini 2>err2; then ok "--jobs 2 run exits 0"
else bad "--jobs 2 run: $(cat err2)"; fi
sums >sums2
cmp -s sums1 sums2 && ok "--jobs 2 publishes the bytes of --jobs 1" ||
	bad "--jobs 2 differs from --jobs 1: $(diff sums1 sums2 | head -5)"
# The DTKS pipe (6.): ingest | normalize --tee | dedup - as one task.
pipe_shape() {
	if grep -q "dedup:dtks: runs (runs in one pipe with step 'normalize:dtks'" out/run.log &&
	   grep -q "normalize:dtks: .*/angka-normalize .*--output=private/normalized/dtks.csv .*--tee -\$" out/run.log &&
	   grep -q "dedup:dtks: .*/angka-dedup .* -  (stdin: the pipe above)\$" out/run.log; then
		ok "$1: normalize:dtks and dedup:dtks run as one pipe"
	else
		bad "$1: no DTKS pipe: $(grep 'dtks' out/run.log | head -5)"
	fi
}
pipe_shape "--jobs 2"

# 2. run.log of the --jobs 2 run: after its "runs" line, each step's lines
# (commands, the stages' messages, counts) come as one block.
if awk '$3 == "runs" || $3 == "reused" || $2 !~ /:$/ { next }
        { n++ }
        $2 != cur { if (seen[$2]++) { print $2; bad = 1 } cur = $2 }
        END { exit bad || n < 50 }' out/run.log >split; then
	ok "--jobs 2: each step's log lines are one block"
else
	bad "--jobs 2: the lines of $(head -1 split) are split in run.log"
fi

if [ $have_parallel -eq 1 ]; then
	# With one retry: the poverty lines' task fails once, then succeeds.
	# (The [engine] section is in no step's hash: nothing reruns for it.)
	printf '[engine]\nretries = 1\n' >>test.ini
	touch flaky
	if angka run -q --force --engine parallel --jobs 2 -c test.ini 2>err3 &&
	   [ ! -e flaky ]; then
		ok "--engine parallel run exits 0, the task failing once retried"
	else
		bad "--engine parallel run: $(cat err3)"
	fi
	sums >sums3
	cmp -s sums1 sums3 && ok "--engine parallel publishes the bytes of --jobs 1" ||
		bad "--engine parallel differs: $(diff sums1 sums3 | head -5)"
	pipe_shape parallel
	grep -q 'engine parallel: .*parallel --will-cite .*--retries=2' out/run.log &&
		ok "run.log shows the GNU parallel command" ||
		bad "no GNU parallel command in run.log"
else
	bad "GNU parallel is not installed (scripts/install-deps.sh installs it)"
fi

if [ "${ANGKA_TEST_SLURM:-0}" = 1 ]; then
	if conf=$("$ROOT/scripts/slurm-local.sh" start "$T/slurm" 2>slurm.err); then
		slurm_started=1
		eval "$conf"
		export SLURM_CONF
		if angka run -q --force --engine slurm -c test.ini 2>err4; then
			ok "--engine slurm run exits 0"
		else
			bad "--engine slurm run: $(cat err4)"
		fi
		sums >sums4
		cmp -s sums1 sums4 && ok "--engine slurm publishes the bytes of --jobs 1" ||
			bad "--engine slurm differs: $(diff sums1 sums4 | head -5)"
		pipe_shape slurm
		# submit = plan: a step reading the pipe's outputs is submitted
		# with it, its job waiting on the pipe's (afterok).
		grep -q "indicators:programmes: runs (an upstream step runs: submitted with --dependency=afterok)" out/run.log &&
			ok "slurm: a step after the DTKS pipe is chained to it by afterok" ||
			bad "slurm: the step after the DTKS pipe is not chained: $(grep programmes out/run.log | head -3)"
		grep -q 'engine slurm ingest: .*sbatch --parsable .*--array=0-' out/run.log &&
			ok "slurm: one job array for the ingest | normalize tasks" ||
			bad "slurm: no job array in run.log"
	else
		echo "skip - one-node Slurm did not start: $(tail -3 slurm.err)"
	fi
fi

# Usage errors: an unknown engine, --jobs 0 (exit 2); an unknown [engine]
# key (angka check, exit 2); a GNU parallel that cannot run (exit 1).
angka run -q --engine pbs -c test.ini 2>errx
st=$?
[ $st -eq 2 ] && grep -q "unknown engine 'pbs'" errx && ok "--engine pbs: exit 2" ||
	bad "--engine pbs: exit $st, $(cat errx)"
angka run -q --jobs 0 -c test.ini 2>errx
st=$?
[ $st -eq 2 ] && grep -q "jobs '0'" errx && ok "--jobs 0: exit 2" ||
	bad "--jobs 0: exit $st, $(cat errx)"
{ cat test.ini; printf '[engine]\nqueue = long\n'; } >bad.ini
angka check -c bad.ini >/dev/null 2>errx
st=$?
[ $st -eq 2 ] && grep -q "queue" errx && ok "check names an unknown [engine] key (exit 2)" ||
	bad "unknown [engine] key: exit $st, $(cat errx)"
if [ $have_parallel -eq 1 ]; then
	{ cat test.ini; printf '[engine]\nparallel = %s/no-such-parallel\n' "$T"; } >bad.ini
	angka run -q --force --engine parallel -c bad.ini 2>errx
	st=$?
	[ $st -eq 1 ] && grep -q "cannot run '$T/no-such-parallel'" errx &&
		ok "a GNU parallel that cannot run fails the run (exit 1)" ||
		bad "parallel missing: exit $st, $(cat errx)"
	# kill -9 of the driver while GNU parallel runs its tasks (the UEP
	# task held until the driver is gone). GNU parallel dies with the
	# driver (PR_SET_PDEATHSIG); the tasks it started run on in the dead
	# run's directory until they end: wait for that (the next run
	# removes the directory, 3. checks it does).
	# The driver itself in the background, not the function angka (its
	# subshell would be killed, the driver run on).
	rm -f uep.pid
	touch hold-uep
	"$BUILD/angka" --bindir="$T/bin" run -q --force --engine parallel \
		-c test.ini 2>/dev/null &
	pid=$!
	if wait_file uep.pid $pid; then
		kill -9 $pid
		wait $pid
		st=$?
		rm -f hold-uep
		wait_gone "$T/out.runs/tmp-$pid" ||
			bad "tasks of the killed run still run after 300 s: $(procs_in "$T/out.runs/tmp-$pid")"
		sums >sums_k
		[ $st -eq 137 ] && cmp -s sums1 sums_k &&
			ok "kill -9 of the driver under parallel: published run intact" ||
			bad "kill -9 under parallel (exit $st) changed the published run"
	else
		wait $pid
		rm -f hold-uep
		bad "kill -9 under parallel: the UEP task never started (exit $?)"
	fi
fi

# 3. Failures.
before=$(readlink out)
sums >sums_before
engines=local
[ $have_parallel -eq 1 ] && engines="$engines parallel"
[ $slurm_started -eq 1 ] && engines="$engines slurm"
for engine in $engines; do
	touch fail-kube
	angka run -q --force --jobs 2 --engine $engine -c test.ini 2>err5
	st=$?
	rm -f fail-kube
	if [ $st -eq 1 ] &&
	   grep -q "step 'normalize:kube': angka-normalize exited with status 1: angka-normalize: test: KUBE refused" err5 &&
	   grep -q 'test: KUBE refused' out.runs/failed-run.log; then
		ok "$engine: a failing step fails the run (exit 1) with its message"
	else
		bad "$engine: failing step: exit $st, $(cat err5)"
	fi
	touch kill-uep
	angka run -q --force --jobs 2 --engine $engine -c test.ini 2>err6
	st=$?
	rm -f kill-uep
	if [ $st -eq 137 ] && grep -q "normalize:uep.*killed by signal 9" err6; then
		ok "$engine: a task killed by SIGKILL fails the run (exit 137)"
	else
		bad "$engine: killed task: exit $st, $(cat err6)"
	fi
	sums >sums_k
	[ "$(readlink out)" = "$before" ] && cmp -s sums_before sums_k &&
		ok "$engine: the failed runs left the published run untouched" ||
		bad "$engine: a failed run changed the published run"
	ls out.runs | grep -q '^tmp-' && bad "$engine: failed run dirs remain: $(ls out.runs)" ||
		ok "$engine: failed runs removed"
	# The failed runs cancelled their dependent jobs: none stays pending
	# (the cluster is this test's own). The driver waits until Slurm no
	# longer lists its jobs, but gives up after 120 s (a job still
	# COMPLETING on a loaded machine): one that then leaves the queue
	# within 120 s more did not stay.
	if [ $engine = slurm ]; then
		end=$(($(date +%s) + 120))
		while left=$(squeue -h -o '%i %j %T %r' 2>&1); [ -n "$left" ] &&
		      [ "$(date +%s)" -lt $end ]; do
			sleep 1
		done
		[ -z "$left" ] && ok "slurm: no job of the failed runs left in the queue" ||
			bad "slurm: jobs left in the queue: $left"
	fi
done

# 3b. (ANGKA_TEST_KILL=1: make test-engines) kill -9 from outside of a
# running task, on every engine: the stage process (angka-normalize for
# UEP, found by the pid it wrote), then for parallel and slurm the task's
# script (the topmost process above it running .engine/task-N.sh: GNU
# parallel itself, whose command line names the scripts; Slurm's job).
# The run fails with the step and the signal named, nothing is
# published, no run dir stays.
# Without retries (a retried task would wait again).
task_of() {
	p=$1
	top=
	while p=$(ppid_of "$p") && [ -n "$p" ] && [ "$p" -gt 1 ]; do
		case $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) in
		*.engine/task-*) top=$p ;;
		*) [ -n "$top" ] && break ;;
		esac
	done
	echo "$top"
}
sed 's/^retries = 1$/retries = 0/' test.ini >kill.ini
# lost_uep FILE: FILE's first line says normalize:uep's task did not
# finish for a signal 9: the step named (Slurm's script runs it alone), or
# as one of the other tasks lost with the one named (GNU parallel runs
# every task of its batch, all lost with it; the driver names the first of
# them in plan order, which ones were still running depends on timing).
lost_uep() {
	head -1 "$1" | grep -q "step 'normalize:uep': .*the task did not finish.*signal 9 (Killed)" ||
	head -1 "$1" | grep -q "step '[^']*': .*the task did not finish.*signal 9 (Killed).*; [0-9]* other tasks\{0,1\} did not finish either: .*'normalize:uep'"
}
if [ "${ANGKA_TEST_KILL:-0}" = 1 ]; then
	for engine in $engines; do
		for what in stage task; do
			[ $engine = local ] && [ $what = task ] && continue
			rm -f uep.pid
			touch hold-uep
			angka run -q --force --jobs 2 --engine $engine -c kill.ini 2>err7 &
			pid=$!
			victim=
			if wait_file uep.pid $pid; then
				victim=$(cat uep.pid)
				[ $what = task ] && victim=$(task_of "$victim")
			fi
			[ -n "$victim" ] && kill -9 "$victim"
			wait $pid
			st=$?
			rm -f hold-uep
			if [ -z "$victim" ]; then
				bad "$engine: no $what process of normalize:uep to kill"
			elif [ $what = stage ] && [ $st -eq 137 ] &&
			     grep -q "normalize:uep.*killed by signal 9" err7; then
				ok "$engine: kill -9 of a running stage fails the run (exit 137)"
			elif [ $what = task ] && [ $st -eq 1 ] && lost_uep err7; then
				ok "$engine: kill -9 of a running task script fails the run: $(cut -c1-150 err7)"
			else
				bad "$engine: kill -9 of the $what: exit $st, $(cat err7)"
			fi
			sums >sums_k
			[ "$(readlink out)" = "$before" ] && cmp -s sums_before sums_k &&
				ok "$engine: kill -9 of the $what left the published run untouched" ||
				bad "$engine: kill -9 of the $what changed the published run"
			ls out.runs | grep -q '^tmp-' &&
				bad "$engine: run dir remains after kill -9 of the $what: $(ls out.runs)" ||
				ok "$engine: run dir removed after kill -9 of the $what"
		done
	done
fi

# untouched LABEL: the published run is as it was ($before, sums_before)
# and no run directory (tmp-*) is left; one result, named LABEL.
untouched() {
	sums >sums_k
	if [ "$(readlink out)" = "$before" ] && cmp -s sums_before sums_k &&
	   ! ls out.runs | grep -q '^tmp-'; then
		ok "$1: the published run untouched, no run dir"
	else
		bad "$1: the published run changed or a run dir left: $(ls out.runs)"
	fi
}

# 3c. GNU parallel killed (kill -9) while --jobs 2 tasks hold, KUBE's and
# UEP's: no other task can start, so the tasks lost are known: these two
# and every one after the later of them (the batch in plan order, GNU
# parallel starting them in that order). The driver names the first of
# them in plan order and lists the others (sched.c: lost_note); exit 1,
# the published run untouched, no run dir.
if [ $have_parallel -eq 1 ]; then
	rm -f uep.pid kube.pid
	touch hold-uep hold-kube
	angka run -q --force --jobs 2 --engine parallel -c kill.ini 2>err12 &
	pid=$!
	victim=
	wait_file uep.pid $pid && wait_file kube.pid $pid &&
		victim=$(task_of "$(cat uep.pid)")
	[ -n "$victim" ] && kill -9 "$victim"
	wait $pid
	st=$?
	rm -f hold-uep hold-kube
	# The batch's tasks in plan order (each task's first step, as
	# run.log lists them at the batch's start): the tasks between the
	# two held ones ran in the other slot before the second started.
	tasks=$(sed -n 's/^[^ ]* \([a-z_]*:[A-Za-z0-9_]*\): runs (.*/\1/p' \
		out.runs/failed-run.log | grep -v '^dedup:dtks$' |
		awk '/^normalize:(kube|uep)$/ { held++; print; next } held == 2')
	first=$(echo "$tasks" | head -1)
	others=$(echo "$tasks" | sed 1d | sed "s/.*/'&'/" | paste -sd, - | sed 's/,/, /g')
	n=$(echo "$tasks" | sed 1d | grep -c .)
	s=s; [ "$n" -eq 1 ] && s=
	want="step '$first': the task did not finish (angka-normalize had no exit status): GNU parallel was killed by signal 9 (Killed)"
	want2="; $n other task$s did not finish either: $others"
	line=$(head -1 err12)
	if [ -z "$victim" ]; then
		bad "parallel, two held tasks: no GNU parallel to kill: $(cat err12)"
	elif [ $st -eq 1 ] && [ "$n" -ge 1 ] &&
	     case $line in "angka: $want"*"$want2") true ;; *) false ;; esac; then
		ok "parallel killed: the first lost task named, the $n others listed: $(echo "$others" | cut -c1-80)"
	else
		bad "parallel killed with two held tasks: exit $st, want '$want ...$want2', got: $line"
	fi
	untouched "parallel killed"
fi

# 3d. Two steps failing together on the local engine (--jobs 2: KUBE's
# and UEP's both held, so both run, then let go at once): KUBE's exits 1,
# UEP's is killed by SIGKILL, in whichever order the machine ends them.
# The driver reports the first in plan order (sched.c: step_done), with
# its exit status (1, not UEP's 137).
first=$(sed -n 's/^[^ ]* \(normalize:\(kube\|uep\)\): runs (.*/\1/p' out/run.log | head -1)
rm -f uep.pid kube.pid
touch hold-uep hold-kube fail-kube kill-uep
angka run -q --force --jobs 2 -c kill.ini 2>err13 &
pid=$!
held=0
wait_file uep.pid $pid && wait_file kube.pid $pid && held=1
rm -f hold-uep hold-kube
wait $pid
st=$?
rm -f fail-kube kill-uep
case $first in
normalize:kube) want=1 msg="angka: step 'normalize:kube': angka-normalize exited with status 1: angka-normalize: test: KUBE refused" ;;
*) want=137 msg="angka: step 'normalize:uep': angka-normalize was killed by signal 9 (Killed)" ;;
esac
if [ $held -eq 1 ] && [ $st -eq $want ] && head -1 err13 | grep -qF "$msg"; then
	ok "two steps failing together: the first in plan order ($first) reported, exit $st"
else
	bad "two steps failing together: held $held, exit $st (want $want for $first), $(head -1 err13)"
fi
untouched "two steps failing together"

# fail_case LABEL ENGINE WHAT WANT MSG FAILS: a --force --jobs 2 run on
# ENGINE while the file WHAT exists (the wrappers then fail or kill a
# stage) exits WANT with MSG in the first line of its stderr ("LABEL
# FAILS"), and leaves the published run as it was with no run dir
# (untouched).
fail_case() {
	touch "$3"
	angka run -q --force --jobs 2 --engine "$2" -c test.ini 2>err_fail
	st=$?
	rm -f "$3"
	if [ $st -eq "$4" ] && head -1 err_fail | grep -qF "$5"; then
		ok "$1 $6"
	else
		bad "$1: exit $st (want $4), $(cat err_fail)"
	fi
	untouched "$1"
}

# 6. The DTKS pipe, on every engine: failures inside the pipe (published
# run untouched, no run dir left); the step shape was checked in 1. Every
# failure on local and slurm, the SIGKILL on parallel (time).
before=$(readlink out)
for engine in $engines; do
	whats="fail-dedup kill-dedup fail-dtks"
	[ $engine = parallel ] && whats=kill-dedup
	for what in $whats; do
		case $what in
		fail-dedup) want=1
			msg="step 'dedup:dtks': angka-dedup exited with status 1: angka-dedup: test: dedup refused" ;;
		kill-dedup) want=137
			msg="step 'dedup:dtks': angka-dedup was killed by signal 9 (Killed); its log: $T/out.runs/failed-run.log" ;;
		fail-dtks) want=1
			msg="step 'normalize:dtks': angka-normalize exited with status 1: angka-normalize: test: DTKS refused" ;;
		esac
		fail_case "$engine: $what" $engine $what $want "$msg" \
			"in the DTKS pipe fails the run (exit $want) naming it"
	done
done
# A changed [dedup] setting (the config file's path is on every command
# line: the same file): dedup:dtks alone reruns, on the file, and
# publishes what a full run of that config publishes.
cp test.ini test.ini.orig
printf '[dedup]\nreview_threshold = 0.80\n' >>test.ini
angka run -q -c test.ini 2>err10
if grep -q "normalize:dtks: reused" out/run.log &&
   grep -q "dedup:dtks: runs (inputs, config or version changed)" out/run.log &&
   grep -q "dedup:dtks: .*/angka-dedup .* private/normalized/dtks.csv\$" out/run.log; then
	ok "a changed [dedup] setting reruns dedup:dtks alone, on the file"
else
	bad "[dedup] change: $(cat err10; grep dtks out/run.log | head -5)"
fi
sums >sums_d1
angka run -q --force -c test.ini 2>err10 || bad "--force with [dedup] change: $(cat err10)"
sums >sums_d2
cmp -s sums_d1 sums_d2 && ok "dedup alone on the file publishes the bytes of the piped run" ||
	bad "dedup alone differs from the piped run: $(diff sums_d1 sums_d2 | head -5)"
mv test.ini.orig test.ini

# 4. parallel without retries: the task failing once fails the run.
if [ $have_parallel -eq 1 ]; then
	sed -i 's/^retries = 1$/retries = 0/' test.ini
	touch flaky
	angka run -q --force --engine parallel -c test.ini 2>err8
	st=$?
	[ $st -eq 1 ] && grep -q "test: flaky" err8 &&
		ok "parallel: without retries the failing task fails the run" ||
		bad "parallel without retries: exit $st, $(cat err8)"
fi

# 7. Sharded DTKS ([engine] shards = 3): the tasks ingest (with the raw
# table's record index), normalize K/3 (reading it),
# dedup --recs-out K/3, dedup --shard K/3 and the merge publish the bytes
# of shards = 1 (hashes and counts in .angka-state included) on every
# engine; a rerun reuses both steps; dedup:dtks alone runs sharded; a
# failing or SIGKILLed task fails the run naming it and leaves the
# published run untouched.
printf '[engine]\nshards = 3\n' >>test.ini
for engine in $engines; do
	if angka run -q --force --jobs 2 --engine $engine -c test.ini 2>err11; then
		ok "$engine: shards = 3 run exits 0"
	else
		bad "$engine: shards = 3 run: $(cat err11)"
	fi
	sums >sums_s
	cmp -s sums1 sums_s && ok "$engine: shards = 3 publishes the bytes of shards = 1" ||
		bad "$engine: shards = 3 differs: $(diff sums1 sums_s | head -5)"
	if grep -q "normalize:dtks\[ingest\]: .*/angka-ingest .*--output=\.shards/dtks\.csv .*--index=\.shards/dtks\.idx\$" out/run.log &&
	   grep -q "normalize:dtks\[2/3\]: .*/angka-normalize .*--shard=2/3 --page-cache --index=\.shards/dtks\.idx \.shards/dtks.csv\$" out/run.log &&
	   grep -q "dedup:dtks\[shard 1/3\]: .*--pairs-out=\.shards/pairs.1 --shard=1/3 " out/run.log &&
	   grep -q "dedup:dtks\[merge\]: .*--merge-pairs=\.shards/pairs.0 " out/run.log; then
		ok "$engine: shards = 3 runs the DTKS tasks"
	else
		bad "$engine: no sharded tasks in run.log: $(grep dtks out/run.log | head -5)"
	fi
	# Slurm: the phases at once, each job waiting on the ones before.
	if [ $engine = slurm ]; then
		[ "$(grep -c 'engine slurm dedup: .*sbatch .*--dependency=afterok:' out/run.log)" -eq 3 ] &&
		grep -q 'engine slurm normalize: .*sbatch .*--array=0-2 --dependency=afterok:' out/run.log &&
			ok "slurm: shards = 3 submits the phases chained by afterok" ||
			bad "slurm: sharded jobs not chained: $(grep 'engine slurm' out/run.log | head -8)"
	fi
done
angka run -q -c test.ini 2>err11
grep -q "normalize:dtks: reused" out/run.log && grep -q "dedup:dtks: reused" out/run.log &&
	ok "shards = 3: an unchanged rerun reuses normalize:dtks and dedup:dtks" ||
	bad "shards = 3 rerun: $(grep 'dtks' out/run.log | head -3)"
# dedup:dtks alone (a changed [dedup]), sharded: the table read once
# (--recs-out), 3 shards, the merge; the bytes of the full shards = 1 run
# of that config (sums_d2, 6.).
cp test.ini test.ini.orig
printf '[dedup]\nreview_threshold = 0.80\n' >>test.ini
angka run -q --jobs 2 -c test.ini 2>err11
if grep -q "normalize:dtks: reused" out/run.log &&
   grep -q "dedup:dtks\[recs\]: .*--recs-out=\.shards/recs.0 private/normalized/dtks.csv\$" out/run.log &&
   grep -q "dedup:dtks\[shard 2/3\]: " out/run.log; then
	ok "shards = 3: dedup:dtks alone runs as its shards' tasks"
else
	bad "shards = 3, dedup alone: $(cat err11; grep 'dedup:dtks' out/run.log | head -3)"
fi
sums >sums_s
cmp -s sums_d2 sums_s && ok "shards = 3: dedup alone publishes the bytes of shards = 1" ||
	bad "shards = 3: dedup alone differs: $(diff sums_d2 sums_s | head -5)"
mv test.ini.orig test.ini
before=$(readlink out)
sums >sums_before
for engine in $engines; do
	whats=kill-shard
	[ $engine = local ] && whats="fail-dedup kill-shard"
	for what in $whats; do
		case $what in
		fail-dedup) want=1
			msg="step 'dedup:dtks[recs 0/3]': angka-dedup exited with status 1: angka-dedup: test: dedup refused" ;;
		kill-shard) want=137
			msg="step 'dedup:dtks[shard 1/3]': angka-dedup was killed by signal 9 (Killed)" ;;
		esac
		fail_case "$engine: shards = 3, $what" $engine $what $want "$msg" \
			"fails the run (exit $want) naming the task"
	done
done
angka check -c test.ini >/dev/null 2>&1 || bad "check with shards = 3 fails"
{ cat test.ini; printf '[engine]\nshards = 0\n'; } >bad.ini
angka check -c bad.ini >/dev/null 2>errx
st=$?
[ $st -eq 2 ] && grep -q "shards: '0' is not a count" errx && ok "shards = 0: exit 2" ||
	bad "shards = 0: exit $st, $(cat errx)"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
