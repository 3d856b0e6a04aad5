#!/bin/sh
# not-provoked.sh - list the errnos the test suite cannot provoke, with the
# reason (tests/errno-not-provoked.txt), and check that file: every line is
# `<exported-function> <ERRNO> <reason>`, the function is declared in
# include/mrelease.h, the errno exists, no test provokes it after all (no
# t_<F>__<E>__ test in tests/*.c), and the wrappers' entries are there.
#
# SPDX-License-Identifier: MIT
set -u
: "${top_srcdir:?}"
list=$top_srcdir/tests/errno-not-provoked.txt
header=$top_builddir/include/mrelease.h
[ -r "$list" ] || { echo "FAIL: no $list"; exit 1; }
fails=0
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }

echo "Errnos of the exported functions that the tests cannot provoke here:"
n=0
while read -r fn err reason; do
	n=$((n + 1))
	case $fn in ''|'#'*) continue ;; esac
	printf '  %-28s %-8s %s\n' "$fn" "$err" "$reason"
	grep -Eq "[^a-z0-9_]$fn[[:space:]]*\(" "$header" ||
		fail "line $n: $fn is not a function of include/mrelease.h"
	echo "$err" | grep -Eq '^E[A-Z0-9]+$' ||
		fail "line $n: '$err' is not an errno name"
	printf '#include <errno.h>\nint x = %s;\n' "$err" |
		${CC:-cc} -x c -fsyntax-only - 2>/dev/null ||
		fail "line $n: $err is not defined by <errno.h>"
	[ -n "$reason" ] || fail "line $n: no reason given for $fn $err"
	if grep -l "t_${fn}__${err}__" "$top_srcdir"/tests/*.c >/dev/null 2>&1; then
		fail "line $n: $fn $err is provoked by $(grep -ho "t_${fn}__${err}__[a-z0-9_]*" "$top_srcdir"/tests/*.c | head -n 1)"
	fi
done < "$list"

for want in "mrelease_process_mrelease EINTR" "mrelease_process_mrelease EAGAIN" \
	    "mrelease_pidfd_open ENFILE" "mrelease_pidfd_open ENOMEM" \
	    "mrelease_pidfd_open ENODEV"; do
	grep -q "^$want " "$list" || fail "missing: $want"
done
[ $fails -eq 0 ]
