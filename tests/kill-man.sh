#!/bin/sh
# kill-man.sh - the kill-and-reap pages pass mandoc -Tlint (style notes
# aside), every exported 1.1 name has a page, and every .so alias points to
# a page that exists.
command -v mandoc >/dev/null 2>&1 || { echo "SKIP: mandoc not installed"; exit 77; }
src=${top_srcdir:-.}
rc=0
for p in mrelease_probe mrelease_kill mrelease_reaper_new; do
	out=$(mandoc -Tlint -W warning "$src/man/$p.3" 2>&1) || { echo "$out"; rc=1; }
done
for n in $(sed -n '/^LIBMRELEASE_1.1/,/}/s/^[[:space:]]*\(mrelease_[a-z_]*\);/\1/p' "$src/lib/libmrelease.map"); do
	f="$src/man/$n.3"
	[ -f "$f" ] || { echo "no page for $n"; rc=1; continue; }
	t=$(sed -n 's|^\.so man3/||p' "$f")
	[ -z "$t" ] || [ -f "$src/man/$t" ] || { echo "$f: .so $t missing"; rc=1; }
done
exit $rc
