# stop-pid.sh - sourced by slurm-local.sh and ssh-local.sh: stop_pid FILE
# stops the daemon whose pid is in FILE, if it runs (SIGTERM, up to 5 s,
# then SIGKILL), and removes FILE; free_port PORT N prints the first port
# from PORT up (in steps of N) such that no TCP socket listens on any of
# it and the N-1 ports after it.
stop_pid() {
	[ -s "$1" ] || return 0
	pid=$(cat "$1")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
	fi
	rm -f "$1"
}

# A daemon left by an earlier run (its directory gone, or another one's)
# holds its port, and a new daemon on that port would not start, or its
# clients would talk to the old one. LISTEN sockets by /proc/net/tcp and
# tcp6 (state 0A, the port in hex): no ss or netstat needed. Up to 100
# tries; PORT itself if none is free.
free_port() {
	fp=$1
	while [ $fp -lt $(($1 + 100 * $2)) ]; do
		fk=0
		while [ $fk -lt $2 ] &&
		      ! grep -q "^ *[0-9]*: [0-9A-F]*:$(printf '%04X' $((fp + fk))) [0-9A-F]*:[0-9A-F]* 0A " \
			/proc/net/tcp /proc/net/tcp6 2>/dev/null; do
			fk=$((fk + 1))
		done
		if [ $fk -eq $2 ]; then
			echo $fp
			return 0
		fi
		fp=$((fp + $2))
	done
	echo "$1"
}
