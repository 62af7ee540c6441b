# stop-pid.sh - sourced by slurm-local.sh and ssh-local.sh: stop_pid FILE
# stops the daemon whose pid is in FILE, if it runs (SIGTERM, up to 5 s,
# then SIGKILL), and removes FILE.
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
