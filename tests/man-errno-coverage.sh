#!/bin/sh
# man-errno-coverage.sh - tests/errno-coverage.sh over the real tree
#
# Every errno of every ERRORS section of every installed page is provoked
# by a named test or listed in tests/errno-not-provoked.txt, and the other
# way round (see tests/errno-coverage.sh).
. "$top_srcdir/tests/man-common.sh"

"$top_srcdir/tests/errno-coverage.sh" -m "$top_srcdir/lib/libmrelease.map" \
	-t "$top_srcdir/tests" $pages
rc=$?
[ $rc -eq 0 ] && exit 0

# GATE - remove once the wrapper tests (issue 2, the core-tests branch) are
# merged.  Until then the only errno test is the placeholder in
# tests/smoke.c, and the run above can only report what is missing: SKIP
# rather than FAIL while no other test file provokes an errno.
if ! grep -l 'START_TEST[ 	]*([ 	]*t_[A-Za-z0-9_]*__E[A-Z0-9]*__' \
	"$top_srcdir"/tests/*.c 2>/dev/null | grep -qv '/smoke\.c$'; then
	echo "SKIP: the wrapper tests of issue 2 have not landed (only tests/smoke.c"
	echo "      provokes an errno); the mismatches above are reported, not failed"
	exit 77
fi
exit $rc
