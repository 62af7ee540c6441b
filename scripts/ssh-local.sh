#!/bin/sh
# ssh-local.sh start|stop|env [DIR] - an sshd on localhost for testing
# `angka run --engine parallel` with `[engine] hosts = localhost` (GNU
# parallel -S over ssh; the shared directory is this machine's own
# filesystem). sshd is started directly (no systemd), as root, on port
# SSH_LOCAL_PORT (2722), listening on 127.0.0.1 only, with its host key, a
# client key for the current user, authorized_keys, ssh_config, pid file and
# log in DIR (default /tmp/angka-ssh); only that key may log in. Debian
# package: openssh-server (and openssh-client).
#
#   eval "$(scripts/ssh-local.sh start)"  # prints `export PARALLEL_SSH=...`
#   parallel -S localhost echo ::: 1      # GNU parallel uses $PARALLEL_SSH
#   scripts/ssh-local.sh stop
#
# start exits 0 once `ssh localhost true` works through it, 1 if not within
# SSH_LOCAL_WAIT seconds (60: a loaded machine), printing sshd's log.
# SSH_LOCAL_PORT unset: the first free port from 2722 up (an sshd left by
# an earlier run keeps its port).
set -u
cmd=${1:-}
D=${2:-${SSH_LOCAL_DIR:-/tmp/angka-ssh}}
WAIT=${SSH_LOCAL_WAIT:-60}
SSH="ssh -F $D/ssh_config"
. "$(dirname "$0")/stop-pid.sh"

case $cmd in
env)
	echo "export PARALLEL_SSH='$SSH'"
	;;
stop)
	stop_pid "$D/sshd.pid"
	;;
start)
	if [ "$(id -u)" -ne 0 ]; then
		echo "ssh-local.sh: start needs root (sshd)" >&2
		exit 1
	fi
	SSHD=$(command -v sshd || echo /usr/sbin/sshd)
	for p in "$SSHD" ssh ssh-keygen; do
		command -v "$p" >/dev/null 2>&1 || {
			echo "ssh-local.sh: $p not found (apt-get install openssh-server)" >&2
			exit 1
		}
	done
	"$0" stop "$D"
	PORT=${SSH_LOCAL_PORT:-$(free_port 2722 1)}
	mkdir -p "$D"
	chmod 0700 "$D"
	[ -s "$D/host_key" ] ||
		ssh-keygen -q -t ed25519 -N '' -f "$D/host_key" || exit 1
	[ -s "$D/client_key" ] ||
		ssh-keygen -q -t ed25519 -N '' -f "$D/client_key" || exit 1
	cp "$D/client_key.pub" "$D/authorized_keys"
	chmod 0600 "$D/authorized_keys"
	printf 'localhost,127.0.0.1 %s\n' "$(cut -d' ' -f1,2 "$D/host_key.pub")" \
		>"$D/known_hosts"
	cat >"$D/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $D/host_key
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 100:30:200
MaxSessions 100
CONF
	cat >"$D/ssh_config" <<CONF
Host localhost 127.0.0.1
	Port $PORT
	IdentityFile $D/client_key
	IdentitiesOnly yes
	UserKnownHostsFile $D/known_hosts
	StrictHostKeyChecking yes
	BatchMode yes
	LogLevel ERROR
CONF
	# sshd wants its privilege-separation directory.
	mkdir -p /run/sshd
	chmod 0755 /run/sshd
	"$SSHD" -f "$D/sshd_config" -E "$D/sshd.log" || {
		echo "ssh-local.sh: sshd did not start:" >&2
		cat "$D/sshd.log" >&2
		exit 1
	}
	end=$(($(date +%s) + WAIT))
	while :; do
		if $SSH localhost true 2>"$D/ssh.err"; then
			echo "export PARALLEL_SSH='$SSH'"
			exit 0
		fi
		[ "$(date +%s)" -lt $end ] || break
		sleep 0.2
	done
	echo "ssh-local.sh: ssh localhost did not work in ${WAIT}s:" >&2
	cat "$D/ssh.err" >&2
	tail -20 "$D/sshd.log" >&2
	exit 1
	;;
*)
	echo "usage: ssh-local.sh start|stop|env [DIR]" >&2
	exit 2
	;;
esac
