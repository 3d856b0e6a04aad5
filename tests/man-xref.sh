#!/bin/sh
# man-xref.sh - every reference to one of this library's pages resolves
#
# A reference "name(N)" (.BR name (N), or \fBname\fP(N) in a table) to a
# name that starts with mrelease or libmrelease, or to a page of the
# manual, must name an installed page (or alias) of that section.
# References to other projects' pages (kill(2), ...) are not checked.
. "$top_srcdir/tests/man-common.sh"

installed=$(for p in $pages; do basename "$p"; done)
fail=0 missing=
for p in $pages; do
	is_alias "$p" && continue
	refs=$(awk '
		# .BR name (N) ..., with quoted arguments: a name, then "(N)..."
		/^\.(BR|IR|RB|RI)[ \t]/ {
			s = $0; sub(/^\.[A-Z]+[ \t]+/, "", s); n = 0
			while (length(s)) {
				if (substr(s, 1, 1) == "\"") {
					i = index(substr(s, 2), "\"")
					if (!i) i = length(s)
					tok[++n] = substr(s, 2, i - 1); s = substr(s, i + 2)
				} else {
					match(s, /^[^ \t]+/)
					tok[++n] = substr(s, 1, RLENGTH); s = substr(s, RLENGTH + 1)
				}
				sub(/^[ \t]+/, "", s)
			}
			for (i = 1; i < n; i++)
				if (match(tok[i + 1], /^\([1-9][a-z]*\)/))
					print tok[i] "." substr(tok[i + 1], 2, RLENGTH - 2)
		}
		# \fBname\fP(N), as in tables
		{
			s = $0
			while (match(s, /\\fB[A-Za-z0-9_]+\\fP\([1-9][a-z]*\)/)) {
				r = substr(s, RSTART + 3, RLENGTH - 3); s = substr(s, RSTART + RLENGTH)
				sub(/\\fP\(/, ".", r); sub(/\)$/, "", r)
				print r
			}
		}' "$p" | sed 's/\\-/-/g' | sort -u)
	for r in $refs; do
		case $r in
		mrelease*|libmrelease*) ;;
		*) printf '%s\n' "$installed" | grep -qxF "$r" || continue ;;
		esac
		if printf '%s\n' "$installed" | grep -qxF "$r"; then
			echo "ok   $(basename "$p") -> $r"
		else
			echo "FAIL $(basename "$p"): refers to ${r%.*}(${r##*.}), which is not installed"
			missing="$missing ${r%.*}(${r##*.})"
			fail=1
		fi
	done
done
[ $fail -eq 0 ] && exit 0

exit 1
