#!/bin/sh
# install-deps.sh - install what angka needs from Debian, only what is missing.
# Idempotent. --check: exit 1 if something is missing, install nothing.
# --slurm: also Slurm and munge, for make test-slurm (scripts/slurm-local.sh).
# --engines: Slurm, munge and the OpenSSH server and client, for make
# test-engines (scripts/slurm-local.sh, scripts/ssh-local.sh: GNU parallel
# over ssh to localhost).
set -eu
PKGS="build-essential pkg-config libcsv-dev libgsl-dev zlib1g-dev libisal-dev gnuplot-nox libinih-dev nettle-dev help2man libreadstat-dev libminizip-dev libexpat1-dev poppler-utils python3 time parallel"
if [ "${1:-}" = "--slurm" ]; then
	PKGS="$PKGS slurm-wlm munge"
	shift
elif [ "${1:-}" = "--engines" ]; then
	PKGS="$PKGS slurm-wlm munge openssh-server openssh-client"
	shift
fi
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	echo "missing:$missing" >&2
	exit 1
fi
echo "install-deps: installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# shellcheck disable=SC2086
$SUDO apt-get install -y --no-install-recommends $missing
