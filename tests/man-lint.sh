#!/bin/sh
# man-lint.sh - every installed page is clean and renders
#
# - mandoc -Tlint -Wwarning reports nothing: WARNING, ERROR and UNSUPP
#   messages all mean the page may render wrong somewhere.  STYLE messages
#   are not errors here: the Linux man-pages project's own conventions
#   (lower-case .TH titles, which this manual follows) are STYLE to mandoc.
# - man-db renders it (man -l, groff warnings on) without a word on stderr.
# - .TH names the page's own file name and section.
# - a ".so" alias is that one line, naming an installed page in its
#   section directory ("man3/mrelease_pidfd_kill.3").
# - no page takes a name that the Linux man-pages project owns or that
#   would hide its page: pidfd_open.*, pidfd_send_signal.*, and
#   process_mrelease in any section but 2 (man-db looks in section 3
#   before section 2).
. "$top_srcdir/tests/man-common.sh"
require mandoc man

fail=0 n=0
bad() { echo "FAIL $*"; fail=1; }
names=$(for p in $pages; do basename "$p"; done)

for p in $pages; do
	n=$((n + 1))
	name=$(basename "$p")
	case $name in
	pidfd_open.*|pidfd_send_signal.*|process_mrelease.[!2]*)
		bad "$name: that page belongs to the Linux man-pages project or hides its page"
		continue ;;
	esac
	if is_alias "$p"; then
		target=$(sed -n '1s/^\.so[ 	]*//p' "$p")
		if [ "$(wc -l < "$p")" -ne 1 ]; then
			bad "$name: an alias must be one .so line"
		elif ! printf '%s\n' "$target" | grep -q '^man[1-9][a-z]*/[^/]*\.[1-9][a-z]*$'; then
			bad "$name: .so $target: want .so manN/name.N"
		elif [ "${target%%/*}" != "man${target##*.}" ]; then
			bad "$name: .so $target: the directory is not the page's section"
		elif ! printf '%s\n' "$names" | grep -qxF "${target#*/}"; then
			bad "$name: .so $target: no such page is installed"
		else
			echo "ok   $name -> $target"
		fi
		continue
	fi
	th=$(sed -n 's/^\.TH[ 	]*//p' "$p" | head -n 1)
	set -- $th
	if [ "$#" -lt 2 ] || [ "$1.$2" != "$name" ]; then
		# Case does not matter: "PROCESS_MRELEASE" is fine too.
		if [ "$(printf '%s' "$1.$2" | tr 'A-Z' 'a-z')" != \
		     "$(printf '%s' "$name" | tr 'A-Z' 'a-z')" ]; then
			bad "$name: .TH $th does not name $name"
		fi
	fi
	lint=$(mandoc -Tlint -Wwarning "$p" 2>&1)
	if [ -n "$lint" ]; then
		bad "$name: mandoc -Tlint:"
		printf '%s\n' "$lint" | sed 's/^/    /'
	fi
	out=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$p" 2>"$top_builddir/tests/man-lint.err")
	rc=$?
	if [ $rc -ne 0 ] || [ -s "$top_builddir/tests/man-lint.err" ]; then
		bad "$name: man -l (exit $rc):"
		sed 's/^/    /' "$top_builddir/tests/man-lint.err"
	elif ! printf '%s\n' "$out" | grep -q '^NAME'; then
		bad "$name: man -l rendered no NAME section"
	elif [ -z "$lint" ]; then
		echo "ok   $name: mandoc -Tlint -Wwarning clean, man -l renders $(printf '%s\n' "$out" | wc -l) lines"
	fi
done
rm -f "$top_builddir/tests/man-lint.err"
if [ $n -eq 0 ]; then
	bad "no pages in $man_list"
fi
exit $fail
