#!/bin/sh
# man-symbols.sh - every exported symbol has an installed page
#
# Every name in a "global:" part of any node of lib/libmrelease.map must be
# named in the NAME section of an installed page (not an alias): that is
# what whatis(1), apropos(1) and man(1) look names up by.  And a page or
# an alias of its own name is installed in section 3 (man3/<name>.3): what
# man(1) finds without a whatis database.  (man-lint.sh checks that every
# alias names an installed page.)
. "$top_srcdir/tests/man-common.sh"

map=$top_srcdir/lib/libmrelease.map
syms=$(sed -e 's,/\*.*\*/,,g' -e '/\/\*/,/\*\//d' "$map" | awk '
	/global:/ { g = 1; sub(/.*global:/, "") }
	/local:/ || /}/ { g = 0 }
	g { n = split($0, w, /[ \t;]+/)
	    for (i = 1; i <= n; i++) if (w[i] ~ /^[A-Za-z_][A-Za-z0-9_]*$/) print w[i] }')
if [ -z "$syms" ]; then
	echo "FAIL no symbols found in $map"
	exit 1
fi

# "page name name ..." for the NAME section of every page.
names=$(for p in $pages; do
	is_alias "$p" && continue
	awk -v page="$(basename "$p")" '
		/^\.SH/ { insec = ($0 ~ /^\.SH[ \t]+"?NAME"?[ \t]*$/); next }
		/^\.\\"/ { next }
		insec { s = s " " $0 }
		END { i = index(s, "\\-"); if (i) s = substr(s, 1, i - 1)
		      gsub(/\\f[BIRP]|\\&|,/, " ", s); print page, s }' "$p"
done)

files=$(for p in $pages; do basename "$p"; done)

fail=0
for sym in $syms; do
	where=$(printf '%s\n' "$names" | awk -v s="$sym" '
		{ for (i = 2; i <= NF; i++) if ($i == s) { print $1; next } }' | tr '\n' ' ')
	if [ -z "$where" ]; then
		echo "FAIL $sym: exported, but no installed page names it in its NAME section"
		fail=1
	elif ! printf '%s\n' "$files" | grep -qxF "$sym.3"; then
		echo "FAIL $sym: no page or alias $sym.3 is installed"
		fail=1
	else
		echo "ok   $sym: $where"
	fi
done
exit $fail
