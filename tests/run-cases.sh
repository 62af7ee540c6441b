#!/bin/sh
# run-cases.sh - golden end-to-end cases.
#
# Usage: tests/run-cases.sh [-p] BUILD_DIR [CASE_DIR...]
#
# A case is a directory tests/cases/<stage>/<NNNN>/ with
#   cmd      a shell script, run with sh in a fresh `mktemp -d` scratch dir
#            with LC_ALL=C TZ=UTC and
#              $ANGKA_BIN  absolute path of BUILD_DIR (the angka-* binaries)
#              $CASE       absolute path of the case directory (its inputs)
#              $FIXTURES   absolute path of the repository's fixtures/
#   expout   expected stdout          experr  expected stderr
#   status   expected exit status (absent: 0)
#   files/   optional: the files the command leaves in the scratch dir,
#            compared byte for byte (and no other file may be left).
# Before comparing, the absolute paths in stdout, stderr and the left files
# are replaced by the literal strings $CASE, $FIXTURES, $ANGKA_BIN and
# $SCRATCH, so expected files do not depend on where the tree is checked out.
#
# -p populates: writes expout, experr, status (only if non-zero) and files/
# (only if the command left files) from the actual run, for review with
# git diff. Without CASE_DIRs every tests/cases/*/*/ is run.
#
# Prints a FAIL line with a diff per failing case, then "N passed, N failed";
# exits 1 if any case failed.
set -u

populate=0
if [ "${1:-}" = "-p" ]; then
	populate=1
	shift
fi
if [ $# -lt 1 ]; then
	echo "usage: $0 [-p] BUILD_DIR [CASE_DIR...]" >&2
	exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$1" 2>/dev/null && pwd) || { echo "$0: no build dir '$1'" >&2; exit 2; }
shift
if [ $# -eq 0 ]; then
	set -- "$root"/tests/cases/*/*/
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/angka-cases.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

# Escape a string for use as a literal in a sed s||| pattern.
sed_lit() {
	printf '%s' "$1" | sed 's/[][\\.*^$|]/\\&/g'
}

# Replace absolute paths in file $1 (in place).
normalize() {
	sed -i -e "s|$(sed_lit "$2")|\$CASE|g" \
	       -e "s|$(sed_lit "$root/fixtures")|\$FIXTURES|g" \
	       -e "s|$(sed_lit "$bin")|\$ANGKA_BIN|g" \
	       -e "s|$(sed_lit "$3")|\$SCRATCH|g" "$1"
}

pass=0
fail=0
for c in "$@"; do
	[ -f "$c/cmd" ] || continue
	case_dir=$(cd "$c" && pwd)
	name=${case_dir#"$root"/}
	scratch=$(mktemp -d "$work/scratch.XXXXXX")
	out="$work/stdout"
	err="$work/stderr"
	(cd "$scratch" && env LC_ALL=C TZ=UTC ANGKA_BIN="$bin" CASE="$case_dir" \
		FIXTURES="$root/fixtures" sh "$case_dir/cmd" >"$out" 2>"$err" </dev/null)
	st=$?
	normalize "$out" "$case_dir" "$scratch"
	normalize "$err" "$case_dir" "$scratch"
	for f in $(cd "$scratch" && find . -type f | sort); do
		normalize "$scratch/$f" "$case_dir" "$scratch"
	done

	if [ $populate -eq 1 ]; then
		cp "$out" "$case_dir/expout"
		cp "$err" "$case_dir/experr"
		if [ $st -ne 0 ]; then
			echo "$st" >"$case_dir/status"
		else
			rm -f "$case_dir/status"
		fi
		rm -rf "$case_dir/files"
		if [ -n "$(ls -A "$scratch")" ]; then
			cp -R "$scratch" "$case_dir/files"
		fi
		echo "populated $name (exit $st)"
		pass=$((pass + 1))
		rm -rf "$scratch"
		continue
	fi

	want_st=0
	[ -f "$case_dir/status" ] && want_st=$(cat "$case_dir/status")
	report=""
	if [ "$st" != "$want_st" ]; then
		report="exit status $st, expected $want_st
"
	fi
	for s in out err; do
		exp="$case_dir/exp$s"
		[ -f "$exp" ] || exp=/dev/null
		if ! d=$(diff -u --label "exp$s" --label "actual std$s" "$exp" "$work/std$s"); then
			report="$report$d
"
		fi
	done
	if [ -d "$case_dir/files" ]; then
		if ! d=$(diff -ruN "$case_dir/files" "$scratch" 2>&1 |
			sed -e "s|$(sed_lit "$case_dir/files")|files|g" \
			    -e "s|$(sed_lit "$scratch")|scratch|g"); then
			:
		fi
		# diff -N shows missing and extra files as whole-file diffs;
		# only a difference produces output.
		if [ -n "$d" ]; then
			report="$report$d
"
		fi
	fi
	if [ -z "$report" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		printf '%s' "$report" | sed 's/^/    /'
	fi
	rm -rf "$scratch"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
