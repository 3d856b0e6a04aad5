#!/bin/sh
# man-programs.sh - the programs of mrelease-porting(7) and the libseccomp
# program of libmrelease(7) SANDBOXES run and do what the pages say
#
# SPDX-License-Identifier: MIT
#
# make builds each from its page (tests/man-extract-example.sh) against the
# in-tree header and library.  Each kills children of its own only (they
# die with it: PR_SET_PDEATHSIG) and waits for them; those of a cgroup get
# an empty cgroup this script makes under the cgroup v2 root and removes.
: "${top_srcdir:?run me from make check}" "${top_builddir:?run me from make check}"
nfail=0 nok=0 nskip=0
ok() { nok=$((nok + 1)); echo "ok   $*"; }
bad() { nfail=$((nfail + 1)); echo "FAIL $*"; }
skip() { nskip=$((nskip + 1)); echo "SKIP $*"; }

# run NAME PATTERN [ARG]: exit 0, and every line of PATTERN (one regex a
# line) matched by some line of the output.
run() {
	name=$1 want=$2; shift 2
	out=$("$top_builddir/tests/$name" "$@" 2>&1)
	rc=$?
	printf '%s (exit %d):\n%s\n' "$name" "$rc" "$out" | sed '2,$s/^/    /'
	case $out in
	*"Function not implemented"*)
		skip "$name: process_mrelease(2) needs Linux 5.15"; return ;;
	esac
	if [ $rc -ne 0 ]; then
		bad "$name exited $rc"; return
	fi
	missing=$(printf '%s\n' "$want" | while read -r re; do
		printf '%s\n' "$out" | grep -Eq "$re" || echo "$re"; done)
	if [ -n "$missing" ]; then
		bad "$name: no line matches: $missing"
	else
		ok "$name"
	fi
}

root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
# in_cgroup NAME PATTERN: run NAME on a new empty cgroup, then remove it.
in_cgroup() {
	cg=$root/man-programs-$$-$1
	if [ -z "$root" ] || ! mkdir "$cg" 2>/dev/null; then
		skip "$1: no writable cgroup v2 hierarchy (root, Linux 4.5)"; return
	fi
	run "$1" "$2" "$cg"
	rmdir "$cg" || bad "$1 left $cg populated"
}

run porting-earlyoom '^[0-9]+ ignored SIGTERM$
^[0-9]+ killed, (reaped [0-9]+ MiB|not reaped: No such process)$'
in_cgroup porting-oomd '^killed 3, reaped [0-3] \(.*\), freed [0-9]+ MiB, 0 failed$'
run porting-lmkd '^[0-9]+: killed, (not )?reaped$'
[ "$(printf '%s\n' "$out" | grep -Ec '^[0-9]+: killed')" = 3 ] ||
	bad "porting-lmkd: not 3 completions"
in_cgroup porting-systemd-oomd '^killed 2, reaped [0-2]'
run porting-pkill '^[0-9]+: killed, (reaped|freed its memory itself)$'
[ "$(printf '%s\n' "$out" | grep -Ec '^[0-9]+: killed')" = 2 ] ||
	bad "porting-pkill: not 2 kills"

# The libseccomp program, with the list of the tree: SIGSYS (exit 159)
# means the list lacks a call mrelease_kill() made.
if [ ! -x "$top_builddir/tests/mrelease-seccomp-example" ]; then
	skip "mrelease-seccomp-example: libseccomp (libseccomp-dev) not found by configure"
else
	case " ${TOOL_CFLAGS:-} " in
	*-fsanitize*)
		skip "mrelease-seccomp-example: the sanitizers' runtimes make system calls of their own" ;;
	*)
		# Without process_mrelease (Linux 5.15) the kill is what the
		# filter must let through: "killed, not reaped".
		reaped='(reaped|freed its memory itself)'
		"$top_builddir/tools/mrelease" -V 2>/dev/null |
			grep -q 'process_mrelease *yes' || reaped='not reaped'
		run mrelease-seccomp-example \
			"^child [0-9]+ killed, $reaped\$" \
			"$top_srcdir/lib/syscalls.txt" ;;
	esac
fi

echo "man-programs.sh: $nok passed, $nfail failed, $nskip skipped"
[ $nfail -eq 0 ] || exit 1
[ $nok -gt 0 ] || exit 77
exit 0
