#!/bin/sh
# man-install.sh - make install puts the pages where man(1) finds them
#
# Installs the pages alone ("make install-man", no libtool involved) into
# a temporary DESTDIR, then asks man-db for them with -M, as a reader
# would after "make install": "man 2 process_mrelease", "man 3 pidfd_kill"
# (a .so alias, which must resolve) and every other page by its name.
# Checks that pidfd_open.2 and pidfd_send_signal.2 are not installed.
. "$top_srcdir/tests/man-common.sh"
require man

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mrelease-man.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$top_builddir" || exit 99
if ! MAKEFLAGS= MFLAGS= ${MAKE:-make} install-man DESTDIR="$tmp/root" >"$tmp/install.log" 2>&1; then
	echo "FAIL make install-man DESTDIR=..."
	cat "$tmp/install.log"
	exit 1
fi
found=$(find "$tmp/root" -path '*/man2/process_mrelease.2' | head -n 1)
if [ -z "$found" ]; then
	echo "FAIL make install-man installed no man2/process_mrelease.2:"
	find "$tmp/root" -type f | sed 's/^/    /'
	exit 1
fi
mandir=${found%/man2/process_mrelease.2}
echo "installed into ${mandir#$tmp/root}:"
(cd "$mandir" && find . -type f | sort | sed 's,^\./,    ,')

fail=0
bad() { echo "FAIL $*"; fail=1; }

# show SECTION NAME EXPECTED: man -M finds and renders the page, and its
# text has EXPECTED in it.
show() {
	out=$(MANWIDTH=200 LC_ALL=C.UTF-8 man -M "$mandir" "$1" "$2" 2>"$tmp/err")
	rc=$?
	if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then
		bad "man -M ... $1 $2 (exit $rc): $(cat "$tmp/err")"
	elif ! printf '%s\n' "$out" | grep -qF -- "$3"; then
		bad "man -M ... $1 $2 does not show \"$3\""
	else
		echo "ok   man $1 $2: $(man -M "$mandir" -w "$1" "$2" | sed "s,^$mandir/,,")"
	fi
}

show 2 process_mrelease "process_mrelease, mrelease_process_mrelease - free a dying process's memory"
show 3 pidfd_kill "mrelease_pidfd_kill, pidfd_kill - send a signal to a process"
show 3 mrelease_process_mrelease "process_mrelease, mrelease_process_mrelease -"

# Every page, under its file name; an alias shows its target's NAME.
for p in $pages; do
	name=$(basename "$p")
	sec=${name##*.}
	if [ ! -f "$mandir/man$sec/$name" ]; then
		bad "$name is not installed as man$sec/$name"
		continue
	fi
	src=$p
	if is_alias "$p"; then
		target=$(sed -n '1s/^\.so[ 	]*//p' "$p")
		src=$(man_path "man/${target#*/}")
	fi
	first=$(awk '/^\.SH/ { n = ($0 ~ /NAME/); next } n && !/^\.\\"/ { print; exit }' "$src" |
		sed -e 's/\\-.*//' -e 's/[ ,].*//')
	if [ -z "$first" ]; then
		bad "$name: its page has no NAME section"
		continue
	fi
	show "$sec" "${name%.*}" "$first"
done

for f in pidfd_open.2 pidfd_send_signal.2; do
	if [ -n "$(find "$tmp/root" -name "$f*")" ]; then
		bad "$f is installed: the Linux man-pages project owns it"
	fi
done
exit $fail
