# tool-lib.sh - what the mrelease(1) and daemon tests share; sourced.
#
# SPDX-License-Identifier: MIT
#
# Victims are children of the test shell (tests/tool-victim), so the test
# can wait for them and see how they died: 137 SIGKILL, 143 SIGTERM.  Every
# victim and cgroup is recorded and removed by the EXIT trap.

set -u
: "${top_builddir:=..}"
: "${top_srcdir:=..}"
VICTIM="$top_builddir/tests/tool-victim"
MRELEASE="$top_builddir/tools/mrelease"
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/tool-test.XXXXXX")
chmod 755 "$TMPD"
VICTIMS=""
CGROUPS=""
NFAIL=0
NPASS=0

cleanup() {
	for p in $VICTIMS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for cg in $CGROUPS; do
		# leaves first
		find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 99' INT TERM HUP

pass() { NPASS=$((NPASS + 1)); echo "PASS: $*"; }
fail() { NFAIL=$((NFAIL + 1)); echo "FAIL: $*"; }
check() {	# check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
finish() {
	echo "$NPASS passed, $NFAIL failed"
	[ "$NFAIL" -eq 0 ] || exit 1
	exit 0
}
skip() { echo "SKIP: $*"; exit 77; }

# victim MIB [ignore-term] -> sets $V to its pid
victim() {
	n=${VICTIM_SEQ:-0}; VICTIM_SEQ=$((n + 1))
	rdy="$TMPD/ready.$n"
	"$VICTIM" "$1" "$rdy" ${2:-} &
	V=$!
	VICTIMS="$VICTIMS $V"
	i=0
	while [ ! -s "$rdy" ]; do
		if ! kill -0 "$V" 2>/dev/null || [ $i -ge 600 ]; then
			echo "victim $V did not start" >&2
			exit 99
		fi
		sleep 0.05
		i=$((i + 1))
	done
}

# how the victim died: its wait status (137 KILL, 143 TERM); 0 if alive
# after giving it up to 30 s to die (a loaded machine).
death() {
	i=0
	while [ $i -lt 600 ]; do
		st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' /proc/$1/status 2>/dev/null)
		if [ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]; then
			wait "$1"
			return $?
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 0
}
alive() {
	st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' /proc/$1/status 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# VmRSS of a pid in kB
vmrss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$1/status; }

# within5 A B: |A - B| <= 5% of B
within5() { [ $(( ($1 > $2 ? $1 - $2 : $2 - $1) * 20 )) -le "$2" ]; }

cgroup2_root() { awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts; }

# new_cgroup NAME -> sets $CG
new_cgroup() {
	root=$(cgroup2_root)
	[ -n "$root" ] || return 1
	CG="$root/tool-$$-$1"
	mkdir "$CG" || return 1
	CGROUPS="$CG $CGROUPS"
}
# json EXPR FILE: evaluate a Python expression on the parsed object j
json() { python3 -c 'import json,sys; j=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$2"; }

# canon PATH: absolute, symlinks resolved, where the directory exists;
# else PATH with repeated and trailing slashes dropped.
canon() {
	if [ -d "$1" ]; then
		(cd "$1" && pwd -P)
	else
		printf '%s\n' "$1" | sed 's://*:/:g; s:\(.\)/$:\1:'
	fi
}
# path_in TREE PATH: PATH is TREE or lies below it, compared by whole
# components: /x/proj-inst is not in /x/proj, /x/proj/lib is.
path_in() {
	pi_t=$(canon "$1") pi_p=$(canon "$2")
	case $pi_p in
	"$pi_t"|"$pi_t"/*) return 0 ;;
	esac
	return 1
}
