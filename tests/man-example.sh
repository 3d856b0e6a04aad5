#!/bin/sh
# man-example.sh - the EXAMPLES programs of the pages work
#
# mrelease_version(3): tests/mrelease_version-example must print the
# version of the library, the same as the header's.
#
# make builds tests/process_mrelease-example from the program extracted
# from the page (tests/man-extract-example.sh) against the in-tree header
# and lib/libmrelease.la.  It must kill its child with SIGKILL, wait for it
# and exit 0 every time.  Its reap may lose the race against the child's
# own exit (ESRCH, "freed its memory itself"), which the program reports
# and accepts; so that the reap itself is proved, one of up to 5 runs must
# really have reaped.  Without process_mrelease (before Linux 5.15) the
# example says so, still kills and waits for its child, and exits 1: that
# is checked instead.
: "${top_builddir:?run me from make check}"
version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")
out=$("$top_builddir/tests/mrelease_version-example" 2>&1)
rc=$?
printf 'mrelease_version example (exit %d):\n%s\n' "$rc" "$out" | sed '2,$s/^/    /'
want="built with $version, running with $version"
if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -qxF "$want"; then
	echo "FAIL the mrelease_version(3) example did not print: $want"
	exit 1
fi

prog=$top_builddir/tests/process_mrelease-example

reaped=0
for run in 1 2 3 4 5; do
	out=$("$prog" 2>&1)
	rc=$?
	printf 'run %d (exit %d):\n%s\n' "$run" "$rc" "$out" | sed '2,$s/^/    /'
	case $out in
	*"process_mrelease: Function not implemented"*)
		if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -q '^child [0-9]* killed by SIGKILL$'; then
			echo "ok   no process_mrelease (Linux 5.15): the example killed its child, said why it did not reap, exited 1"
			exit 0
		fi
		echo "FAIL without process_mrelease the example did not kill its child and exit 1"
		exit 1 ;;
	esac
	if [ $rc -ne 0 ]; then
		echo "FAIL the example exited $rc"
		exit 1
	fi
	if ! printf '%s\n' "$out" | grep -q '^child [0-9]* killed by SIGKILL$'; then
		echo "FAIL the example did not report its child killed by SIGKILL"
		exit 1
	fi
	if printf '%s\n' "$out" | grep -q '^reaped the memory of [0-9]* (64 MiB)$'; then
		reaped=1
		break
	fi
	if ! printf '%s\n' "$out" | grep -q '^[0-9]* freed its memory itself$'; then
		echo "FAIL the example reported neither a reap nor ESRCH"
		exit 1
	fi
done
if [ $reaped -ne 1 ]; then
	echo "FAIL 5 runs, and the example never reaped its child"
	exit 1
fi
echo "ok   the example killed and reaped its child"
