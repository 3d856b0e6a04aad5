#!/bin/sh
# reap-child.sh - run examples/reap-child with a 64 MiB child: it must say
# that it reaped the child and that the child is gone.
#
# SPDX-License-Identifier: MIT
#
# Killing and reaping at once races the child's own exit: process_mrelease
# then says ESRCH (the example says "not reaped: ... first").  That is not
# a failure; as the kernel's selftest does, try again, a few times.
# Without process_mrelease (before Linux 5.15) the example still kills and
# waits for its child, and says why nothing was reaped: that is checked.
set -u
: "${top_builddir:?}"
prog=$top_builddir/examples/reap-child
[ -x "$prog" ] || { echo "FAIL: $prog not built"; exit 1; }
i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	out=$("$prog" --size 64M)
	rc=$?
	echo "$out" | sed "s/^/[$i] /"
	[ $rc -eq 0 ] || { echo "FAIL: reap-child exits $rc"; exit 1; }
	pid=$(echo "$out" | sed -n 's/^child \([0-9]*\)$/\1/p')
	echo "$out" | grep -q "^child $pid gone (killed by SIGKILL, waited for)$" ||
		{ echo "FAIL: the child is not reported gone"; exit 1; }
	# (reported after waitpid() returned it: it no longer exists)
	case $out in
	*"not reaped: process_mrelease unavailable (Function not implemented: kernel < 5.15"*)
		echo "ok: killed and gone, not reaped: no process_mrelease (Linux 5.15)"
		exit 0 ;;
	*"not reaped: process_mrelease unavailable"*)
		echo "SKIP: process_mrelease is refused by a sandbox here"; exit 77 ;;
	*"pidfd_open: "*)
		echo "SKIP: pidfd_open is not available here"; exit 77 ;;
	esac
	if echo "$out" | grep -q '^reaped: '; then
		before=$(echo "$out" | sed -n 's/^RssAnon before the kill: \([0-9]*\) kB.*/\1/p')
		[ -n "$before" ] && [ "$before" -ge 60000 ] ||
			{ echo "FAIL: RssAnon before the kill is '$before' kB, not ~64 MiB"; exit 1; }
		echo "ok: reaped and gone (attempt $i)"
		exit 0
	fi
	echo "$out" | grep -q '^not reaped: the child got to its own exit first (ESRCH)' ||
		{ echo "FAIL: neither reaped nor the ESRCH race"; exit 1; }
done
echo "FAIL: lost the race to the child's exit $i times in a row"
exit 1
