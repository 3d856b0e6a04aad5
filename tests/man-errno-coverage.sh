#!/bin/sh
# man-errno-coverage.sh - tests/errno-coverage.sh over the real tree
#
# Every errno of every ERRORS section of every installed page is provoked
# by a named test or listed in tests/errno-not-provoked.txt, and the other
# way round (see tests/errno-coverage.sh).
. "$top_srcdir/tests/man-common.sh"

exec "$top_srcdir/tests/errno-coverage.sh" -m "$top_srcdir/lib/libmrelease.map" \
	-t "$top_srcdir/tests" $pages
