#!/bin/sh
# reaper-valgrind.sh - the reaper's machinery under valgrind: no leak, no
# invalid access, every fd closed (memcheck), and no data race (helgrind).
# valgrind does not know the pidfd system calls, so only the tcase that
# needs none runs here (see tests/reaper.c).
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not installed"; exit 77; }
prog=${top_builddir:-.}/tests/reaper
[ -x "$prog" ] || { echo "no $prog"; exit 99; }
if grep -qa -e __asan_init -e __tsan_init -e __msan_init "$prog"; then
	echo "SKIP: valgrind cannot run a sanitizer build"
	exit 77
fi
export CK_RUN_CASE=machinery CK_FORK=no
libtool=${top_builddir:-.}/libtool
log=${TMPDIR:-/tmp}/reaper-valgrind.$$
trap 'rm -f "$log"' EXIT
run() {
	"$libtool" --mode=execute valgrind -q --error-exitcode=1 "$@" "$prog" \
		>"$log" 2>&1
	rc=$?
	cat "$log"
	if [ $rc -ne 0 ] && grep -q 'debuginfo reader' "$log"; then
		echo "SKIP: this valgrind cannot read the compiler's debug info"
		exit 77
	fi
	[ $rc -eq 0 ] || exit 1
}
# Preflight: the program with no test case selected.  If valgrind fails
# here (a static musl malloc it cannot replace, an i386 build without the
# 32-bit valgrind), no reaper code ran: this build cannot be checked.
if ! CK_RUN_CASE=none "$libtool" --mode=execute valgrind -q \
	--error-exitcode=1 "$prog" >"$log" 2>&1; then
	cat "$log"
	echo "SKIP: valgrind cannot check this build (see above)"
	exit 77
fi
run --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --track-fds=yes
run --tool=helgrind
