#!/bin/sh
# engines-national.sh BUILD - the national synthetic configuration
# (scripts/national.sh, small: NATIONAL_ROWS 20000 DTKS rows, NATIONAL_HH
# 20 households per kabupaten and year, NATIONAL_YEARS "2023 2024") run on
# every engine available here, the published trees compared byte for byte
# (modes and contents of every file but manifest.json and run.log):
#   local --jobs 1 (the reference), local --jobs 2, parallel;
#   slurm (submit = plan, then levels) with ANGKA_TEST_SLURM=1 when the
#     one-node cluster of scripts/slurm-local.sh starts;
#   parallel over ssh ([engine] hosts = localhost) with ANGKA_TEST_SSH=1
#     when the sshd of scripts/ssh-local.sh starts.
# Each run is --force (every step runs). Not named check-*.sh: make test
# (tests/run-tests.sh runs every tests/check-*.sh) must not run it (a few
# minutes on this machine); make test-engines does.
set -u
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
NAT=${NATIONAL_DIR:-$T/national}
slurm_started=0
ssh_started=0
cleanup() {
	[ $slurm_started -eq 1 ] && "$ROOT/scripts/slurm-local.sh" stop "$T/slurm"
	[ $ssh_started -eq 1 ] && "$ROOT/scripts/ssh-local.sh" stop "$T/ssh"
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

if ! NATIONAL_DIR=$NAT NATIONAL_ROWS=${NATIONAL_ROWS:-20000} \
     NATIONAL_HH=${NATIONAL_HH:-20} NATIONAL_YEARS=${NATIONAL_YEARS:-2023 2024} \
     NATIONAL_RUN=0 "$ROOT/scripts/national.sh" "$BUILD" 2>"$T/gen.err"; then
	cat "$T/gen.err"
	bad "scripts/national.sh did not generate the configuration"
	echo "$pass passed, $fail failed"
	exit 1
fi
cd "$NAT" || exit 1
rm -rf out out.runs

sums() {
	(cd -P out && find . ! -name manifest.json ! -name run.log -printf '%M %p\n' |
		LC_ALL=C sort &&
		find . -type f ! -name manifest.json ! -name run.log |
		LC_ALL=C sort | xargs sha256sum)
}

# run NAME ARGS...: angka run --force ARGS, its published tree against the
# reference's.
run() {
	name=$1
	shift
	s0=$(date +%s)
	if "$BUILD/angka" run -q --force "$@" -c national.ini 2>"$T/err"; then
		ok "$name: exits 0 ($(($(date +%s) - s0)) s)"
	else
		bad "$name: exit $?: $(tail -3 "$T/err")"
		return
	fi
	sums >"$T/sums"
	if [ ! -s "$T/sums.ref" ]; then
		cp "$T/sums" "$T/sums.ref"
		echo "# reference: $(grep -c ' \./' "$T/sums.ref") files published"
	elif cmp -s "$T/sums.ref" "$T/sums"; then
		ok "$name: publishes the bytes of local --jobs 1"
	else
		bad "$name differs from local --jobs 1: $(diff "$T/sums.ref" "$T/sums" | head -5)"
	fi
}

run "local --jobs 1" --jobs 1
run "local --jobs 2" --jobs 2
if command -v parallel >/dev/null 2>&1; then
	run "parallel" --engine parallel --jobs 2
else
	bad "GNU parallel is not installed (scripts/install-deps.sh installs it)"
fi

if [ "${ANGKA_TEST_SLURM:-0}" = 1 ]; then
	if conf=$("$ROOT/scripts/slurm-local.sh" start "$T/slurm" 2>"$T/slurm.err"); then
		slurm_started=1
		eval "$conf"
		export SLURM_CONF
		cp national.ini national.base
		run "slurm (submit = plan)" --engine slurm
		grep -q 'engine slurm .*--dependency=afterok:' out/run.log &&
			ok "slurm: jobs chained by --dependency=afterok" ||
			bad "slurm: no --dependency=afterok in run.log"
		printf '[engine]\nsubmit = levels\n' >>national.ini
		run "slurm (submit = levels)" --engine slurm
		grep -q 'dependency' out/run.log &&
			bad "slurm levels: a job with --dependency" ||
			ok "slurm levels: no --dependency"
		mv national.base national.ini
	else
		echo "skip - one-node Slurm did not start: $(tail -3 "$T/slurm.err")"
	fi
fi

if [ "${ANGKA_TEST_SSH:-0}" = 1 ]; then
	if conf=$("$ROOT/scripts/ssh-local.sh" start "$T/ssh" 2>"$T/ssh.err"); then
		ssh_started=1
		eval "$conf"
		export PARALLEL_SSH
		cp national.ini national.base
		printf '[engine]\nhosts = localhost\n' >>national.ini
		run "parallel over ssh (hosts = localhost)" --engine parallel --jobs 2
		grep -q 'engine parallel: .* -S localhost ' out/run.log &&
			ok "parallel over ssh: run.log shows -S localhost" ||
			bad "parallel over ssh: no -S localhost in run.log"
		mv national.base national.ini
	else
		echo "skip - sshd on localhost did not start: $(tail -3 "$T/ssh.err")"
	fi
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
