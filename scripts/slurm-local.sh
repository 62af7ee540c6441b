#!/bin/sh
# slurm-local.sh start|stop|env [DIR] - a one-node Slurm on this machine for
# testing `angka run --engine slurm`: munged, slurmctld and slurmd started
# directly (no systemd), as root, with their config, key, sockets, state and
# logs in DIR (default /tmp/angka-slurm). Debian packages: slurm-wlm, munge.
#
#   scripts/slurm-local.sh start    # prints `export SLURM_CONF=...`
#   eval "$(scripts/slurm-local.sh env)"; sbatch --wrap true
#   scripts/slurm-local.sh stop
#
# start exits 0 once the node takes jobs (sinfo says idle), 1 if it does not
# within SLURM_LOCAL_WAIT seconds (120: a loaded machine), printing the
# daemons' logs. Ports: SLURM_LOCAL_PORT for slurmctld and the next one for
# slurmd; unset, the first free pair from 6817 up (a slurmctld or slurmd
# left running by an earlier run, whose directory may be gone, keeps its
# port: the new daemons then take the next pair, never talk to it).
set -u
cmd=${1:-}
D=${2:-${SLURM_LOCAL_DIR:-/tmp/angka-slurm}}
WAIT=${SLURM_LOCAL_WAIT:-120}

. "$(dirname "$0")/stop-pid.sh"

case $cmd in
env)
	echo "export SLURM_CONF=$D/slurm.conf"
	;;
stop)
	stop_pid "$D/slurmd.pid"
	stop_pid "$D/slurmctld.pid"
	stop_pid "$D/munged.pid"
	;;
start)
	if [ "$(id -u)" -ne 0 ]; then
		echo "slurm-local.sh: start needs root (slurmd runs jobs as their user)" >&2
		exit 1
	fi
	for p in munged slurmctld slurmd sinfo sbatch; do
		command -v $p >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
		command -v $p >/dev/null 2>&1 || {
			echo "slurm-local.sh: $p not found (apt-get install slurm-wlm munge)" >&2
			exit 1
		}
	done
	"$0" stop "$D"
	PORT=${SLURM_LOCAL_PORT:-$(free_port 6817 2)}
	rm -rf "$D/state" "$D/spool"
	mkdir -p "$D/state" "$D/spool" "$D/munge"
	chmod 0700 "$D" "$D/munge"
	if [ ! -s "$D/munge/munge.key" ]; then
		dd if=/dev/urandom of="$D/munge/munge.key" bs=1024 count=1 2>/dev/null
		chmod 0400 "$D/munge/munge.key"
	fi
	munged --force --socket="$D/munge/munge.socket" \
		--key-file="$D/munge/munge.key" --pid-file="$D/munged.pid" \
		--log-file="$D/munged.log" --seed-file="$D/munge/munge.seed" || {
		echo "slurm-local.sh: munged did not start:" >&2
		cat "$D/munged.log" >&2
		exit 1
	}
	host=$(hostname -s)
	cpus=$(nproc)
	mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 / 2 }' /proc/meminfo)
	cat >"$D/slurm.conf" <<CONF
ClusterName=angka-local
SlurmctldHost=$host
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$D/munge/munge.socket
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
	cat >"$D/cgroup.conf" <<CONF
CgroupPlugin=autodetect
IgnoreSystemd=yes
CONF
	export SLURM_CONF="$D/slurm.conf"
	slurmctld -f "$D/slurm.conf" -i || {
		echo "slurm-local.sh: slurmctld did not start:" >&2
		tail -20 "$D/slurmctld.log" >&2
		exit 1
	}
	slurmd -f "$D/slurm.conf" || {
		echo "slurm-local.sh: slurmd did not start:" >&2
		tail -20 "$D/slurmd.log" >&2
		exit 1
	}
	# Until the deadline, not a count of tries (each sinfo is slower on a
	# loaded machine). A state with a suffix is not ready: idle* is a
	# node not responding.
	end=$(($(date +%s) + WAIT))
	while :; do
		state=$(sinfo -h -o %t 2>/dev/null | head -1)
		case $state in
		idle|mix|alloc)
			echo "export SLURM_CONF=$D/slurm.conf"
			exit 0
			;;
		esac
		[ "$(date +%s)" -lt $end ] || break
		sleep 0.2
	done
	echo "slurm-local.sh: the node did not become idle in ${WAIT}s (state '${state:-}'):" >&2
	tail -20 "$D/slurmctld.log" "$D/slurmd.log" >&2
	exit 1
	;;
*)
	echo "usage: slurm-local.sh start|stop|env [DIR]" >&2
	exit 2
	;;
esac
