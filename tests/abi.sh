#!/bin/sh
# abi.sh - the exported symbols: .so exports == lib/libmrelease.map ==
# the mrelease_* functions include/mrelease.h declares, node by node; and
# the static archive defines no global outside mrelease_ / MRELEASE_.
#
# SPDX-License-Identifier: MIT
#
# The header is cut into sections by its "/* ---- X.Y: ... */" comments;
# the functions of section X.Y must be exactly the global: symbols of map
# node LIBMRELEASE_X.Y, and the .so must export exactly the map's symbols,
# each at its node's version.  A section whose node the map does not have
# yet (the next release being written: the header is the contract, the
# node lands with the code) is reported and allowed only if it is newer
# than every node of the map.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
header=$top_builddir/include/mrelease.h
map=$top_srcdir/lib/libmrelease.map
so=$top_builddir/lib/.libs/libmrelease.so
ar=$top_builddir/lib/.libs/libmrelease.a
NM=${NM:-nm}
OBJDUMP=${OBJDUMP:-objdump}
tmp=$top_builddir/tests/abi.tmp.$$
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp" || exit 99
fails=0
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }

# "X.Y name" for every function the header declares, comments stripped.
awk '
function emit_decls(text,   name) {
	while (match(text, /mrelease_[a-z0-9_]+[ \t]*\(/)) {
		name = substr(text, RSTART, RLENGTH)
		sub(/[ \t]*\($/, "", name)
		if (section != "")
			print section, name
		else
			print "none", name
		text = substr(text, RSTART + RLENGTH)
	}
}
{
	line = $0
	out = ""
	while (line != "") {
		if (incomment) {
			e = index(line, "*/")
			if (!e) { line = ""; break }
			line = substr(line, e + 2)
			incomment = 0
			continue
		}
		s = index(line, "/*")
		if (!s) { out = out line; break }
		out = out substr(line, 1, s - 1)
		rest = substr(line, s)
		if (match(rest, /^\/\* ---- [0-9]+\.[0-9]+/)) {
			section = substr(rest, 9, RLENGTH - 8)
		}
		line = substr(line, s + 2)
		incomment = 1
	}
	if (out ~ /^[ \t]*#/)
		next
	emit_decls(out)
}' "$header" | sort -u > "$tmp/header"

# "X.Y name" for every global symbol of every node of the map.
awk '
{ sub(/\/\*.*\*\//, "") }
/\/\*/ { incomment = 1 }
incomment { if (/\*\//) incomment = 0; next }
/^[ \t]*LIBMRELEASE_[0-9]+\.[0-9]+[ \t]*\{/ {
	node = $1; sub(/^LIBMRELEASE_/, "", node); sub(/\{.*/, "", node)
	scope = ""; next
}
/^[ \t]*global:/ { scope = "global"; next }
/^[ \t]*local:/ { scope = "local"; next }
/^[ \t]*\}/ { node = ""; next }
node != "" && scope == "global" {
	gsub(/[ \t;]/, "")
	if ($0 != "") print node, $0
}' "$map" | sort -u > "$tmp/map"

cut -d' ' -f1 "$tmp/map" | sort -uV > "$tmp/map-nodes"
cut -d' ' -f1 "$tmp/header" | sort -uV > "$tmp/header-sections"
echo "header sections: $(tr '\n' ' ' < "$tmp/header-sections")"
echo "map nodes:       $(tr '\n' ' ' < "$tmp/map-nodes")"
[ -s "$tmp/map" ] || fail "no symbols parsed from $map"
[ -s "$tmp/header" ] || fail "no declarations parsed from $header"
grep -q '^none ' "$tmp/header" &&
	fail "declarations before the first '/* ---- X.Y' section: $(grep '^none ' "$tmp/header" | cut -d' ' -f2 | tr '\n' ' ')"

newest_node=$(tail -n 1 "$tmp/map-nodes")
while read -r sec; do
	[ "$sec" = none ] && continue
	grep "^$sec " "$tmp/header" | sort > "$tmp/h.$sec"
	grep "^$sec " "$tmp/map" | sort > "$tmp/m.$sec"
	if ! grep -qx "$sec" "$tmp/map-nodes"; then
		if [ "$(printf '%s\n%s\n' "$newest_node" "$sec" | sort -V | tail -n 1)" = "$sec" ] &&
		   [ "$sec" != "$newest_node" ]; then
			echo "note: header section $sec is not in the map yet (node LIBMRELEASE_$sec" \
			     "lands with its code); expected missing: $(cut -d' ' -f2 "$tmp/h.$sec" | tr '\n' ' ')"
		else
			fail "header section $sec has no node LIBMRELEASE_$sec in the map, and is not the newest"
		fi
		continue
	fi
	if cmp -s "$tmp/h.$sec" "$tmp/m.$sec"; then
		echo "ok: header section $sec == map node LIBMRELEASE_$sec: $(cut -d' ' -f2 "$tmp/m.$sec" | tr '\n' ' ')"
	else
		fail "header section $sec != map node LIBMRELEASE_$sec:"
		comm -23 "$tmp/h.$sec" "$tmp/m.$sec" | sed 's/^[^ ]* /    declared, not in the map: /'
		comm -13 "$tmp/h.$sec" "$tmp/m.$sec" | sed 's/^[^ ]* /    in the map, not declared: /'
	fi
done < "$tmp/header-sections"
while read -r node; do
	grep -qx "$node" "$tmp/header-sections" ||
		fail "map node LIBMRELEASE_$node has no '/* ---- $node' section in the header"
done < "$tmp/map-nodes"

# The .so: "X.Y name" for each defined dynamic symbol (not the version
# nodes' own absolute symbols).
if [ ! -e "$so" ]; then
	echo "note: no shared library ($so): export checks skipped"
else
	$OBJDUMP -T "$so" | awk '
	$0 ~ /\*UND\*/ || $0 ~ /\*ABS\*/ { next }
	NF >= 6 && $(NF - 1) ~ /LIBMRELEASE_|Base|GLIBC/ {
		v = $(NF - 1); gsub(/[()]/, "", v); sub(/^LIBMRELEASE_/, "", v)
		print v, $NF
	}' | sort -u > "$tmp/so"
	if cmp -s "$tmp/so" "$tmp/map"; then
		echo "ok: the .so exports exactly the map's symbols, each at its node's version"
	else
		fail "the .so exports != the map:"
		comm -23 "$tmp/so" "$tmp/map" | sed 's/^/    exported, not in the map (version name): /'
		comm -13 "$tmp/so" "$tmp/map" | sed 's/^/    in the map, not exported (version name): /'
	fi
	soname=$($OBJDUMP -p "$so" | awk '$1 == "SONAME" { print $2 }')
	if [ "$soname" = libmrelease.so.1 ]; then
		echo "ok: SONAME $soname"
	else
		fail "SONAME is '$soname', not libmrelease.so.1"
	fi
fi

# The static archive: every global it defines is the library's.  gcc's
# i386 PIC helpers (__x86.get_pc_thunk.*) are hidden COMDAT copies that
# every object may carry; they cannot clash.
if [ ! -e "$ar" ]; then
	echo "note: no static archive ($ar): --disable-static"
else
	bad=$($NM -g --defined-only "$ar" | awk 'NF >= 3 { print $3 }' |
		grep -Ev '^(mrelease_|MRELEASE_|__x86\.get_pc_thunk\.)' || true)
	if [ -n "$bad" ]; then
		fail "the static archive defines globals outside mrelease_/MRELEASE_: $(echo $bad)" \
		     "(a program linking libmrelease.a statically may clash with them: make them" \
		     "static, or name them mrelease_* / MRELEASE_*; -fvisibility=hidden does not help there)"
	else
		echo "ok: the static archive defines only mrelease_/MRELEASE_ globals:" \
		     "$($NM -g --defined-only "$ar" | awk 'NF >= 3 { print $3 }' | sort | tr '\n' ' ')"
	fi
fi

echo "abi.sh: $fails failure(s)"
[ "$fails" -eq 0 ]
