#!/bin/sh
# reaper-valgrind.sh - the reaper's machinery under valgrind: no leak, no
# invalid access, every fd closed (memcheck), and no data race (helgrind).
# valgrind does not know the pidfd system calls, so only the tcase that
# needs none runs here (see tests/reaper.c).
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not installed"; exit 77; }
prog=${top_builddir:-.}/tests/reaper
[ -x "$prog" ] || { echo "no $prog"; exit 99; }
export CK_RUN_CASE=machinery CK_FORK=no
set -e
libtool=${top_builddir:-.}/libtool
"$libtool" --mode=execute valgrind -q --error-exitcode=1 --leak-check=full \
	--show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect \
	--track-fds=yes "$prog"
"$libtool" --mode=execute valgrind -q --tool=helgrind --error-exitcode=1 \
	"$prog"
