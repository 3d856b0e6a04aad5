# man-common.sh - sourced by the tests/man-*.sh checks (Makefile.am)
#
# Sets $pages: the path of every page the build installs, one a line, read
# from tests/man-pages.list (written by make from $(dist_man_MANS), so that
# every area's pages are checked, whoever added them).  A page is looked
# for in the build tree first, then in the source tree.
: "${top_srcdir:?run me from make check}" "${top_builddir:?run me from make check}"

man_list=$top_builddir/tests/man-pages.list
if [ ! -r "$man_list" ]; then
	echo "$man_list is missing: run the checks through make check" >&2
	exit 99
fi

# man_path PAGE: where a page of $(dist_man_MANS) is.
man_path() {
	if [ -f "$top_builddir/$1" ]; then
		printf '%s\n' "$top_builddir/$1"
	else
		printf '%s\n' "$top_srcdir/$1"
	fi
}

pages=$(while read -r p; do [ -n "$p" ] && man_path "$p"; done < "$man_list")

# is_alias PAGE: the page is a one-line ".so" alias.
is_alias() {
	head -n 1 "$1" | grep -q '^\.so[ 	]'
}

# require PROGRAM...: skip (77) naming what is missing.
require() {
	for prog in "$@"; do
		if ! command -v "$prog" >/dev/null 2>&1; then
			echo "SKIP: $prog is not installed (.ci/packages lists it)"
			exit 77
		fi
	done
}
