#!/bin/sh
# abidiff.sh - the built libmrelease.so against the ABI baseline committed
# in abi/ (abidw of the latest release): anything but an addition fails.
#
# SPDX-License-Identifier: MIT
#
# Then proves the comparison would catch a break: a library of the 1.0
# sources is its own baseline, and the same sources linked without one
# symbol must fail against it, and with one more symbol in a new node must
# pass.  Exits 77 without abidiff (Debian: abigail-tools) or when the
# baseline is for another architecture.  `make abi-baseline` rewrites the
# baseline: only ever at a release.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
ABIDIFF=${ABIDIFF:-abidiff}
ABIDW=${ABIDW:-abidw}
so=$top_builddir/lib/.libs/libmrelease.so
baseline=$top_srcdir/abi/libmrelease.so.1.abi
command -v "$ABIDIFF" >/dev/null 2>&1 && command -v "$ABIDW" >/dev/null 2>&1 ||
	{ echo "SKIP: abidiff/abidw not installed (Debian: abigail-tools)"; exit 77; }
[ -e "$so" ] || { echo "SKIP: no shared library built"; exit 77; }
[ -e "$baseline" ] || { echo "FAIL: no baseline $baseline"; exit 1; }
tmp=$top_builddir/tests/abidiff.tmp.$$
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp" || exit 99

arch_of() { sed -n "s/.*<abi-corpus [^>]*architecture='\([^']*\)'.*/\1/p" "$1" | head -n 1; }
"$ABIDW" --no-show-locs --out-file "$tmp/built.abi" "$so" || exit 99
if [ "$(arch_of "$tmp/built.abi")" != "$(arch_of "$baseline")" ]; then
	echo "SKIP: the baseline is for $(arch_of "$baseline"), this build for $(arch_of "$tmp/built.abi")"
	exit 77
fi

fails=0
# The opaque types of <mrelease.h> (declared, never defined there): their
# layout is the library's own, free to change.  abidiff sees it through the
# library's debug info, so it is told.
cat > "$tmp/opaque.supp" <<'SUPP'
[suppress_type]
  type_kind = struct
  name = mrelease_reaper
SUPP
# abidiff's exit status is a bit mask: 1 error, 2 usage, 4 ABI change,
# 8 incompatible change.  Added symbols are filtered out (--no-added-syms).
"$ABIDIFF" --no-added-syms --suppressions "$tmp/opaque.supp" "$baseline" "$so"
rc=$?
if [ $rc -eq 0 ]; then
	echo "ok: libmrelease.so against abi/: no change but additions"
else
	echo "FAIL: abidiff $baseline $so: exit $rc"
	fails=$((fails + 1))
fi

# The same library from the same sources, one symbol removed / one added.
build() {	# build NAME MAPFILE EXTRA-SOURCE...
	name=$1 mapfile=$2
	shift 2
	${CC:-cc} -shared -fPIC -g -O2 -fvisibility=hidden \
		-include "$top_builddir/config.h" -I"$top_builddir/include" \
		-I"$top_srcdir/shared" -I"$top_srcdir/lib" "$top_srcdir/lib/syscall.c" "$@" \
		-Wl,--version-script="$mapfile" -Wl,-soname,libmrelease.so.1 \
		-o "$tmp/$name.so"
}
cat > "$tmp/base.map" <<'MAP'
LIBMRELEASE_1.0 {
global:
	mrelease_pidfd_open;
	mrelease_pidfd_kill;
	mrelease_process_mrelease;
	mrelease_version;
local:
	*;
};
MAP
# The same less one symbol, and the same with a new node of one more.
grep -v mrelease_version "$tmp/base.map" > "$tmp/removed.map"
cat "$tmp/base.map" - > "$tmp/added.map" <<'MAP'
LIBMRELEASE_99.0 {
global:
	mrelease_added_for_the_test;
} LIBMRELEASE_1.0;
MAP
cat > "$tmp/added.c" <<'SRC'
int mrelease_added_for_the_test(int x);
__attribute__((visibility("default"))) int mrelease_added_for_the_test(int x)
{
	return x + 1;
}
SRC
if build base "$tmp/base.map" &&
   "$ABIDW" --no-show-locs --out-file "$tmp/base.abi" "$tmp/base.so" &&
   build removed "$tmp/removed.map" && build added "$tmp/added.map" "$tmp/added.c"; then
	"$ABIDIFF" --no-added-syms "$tmp/base.abi" "$tmp/removed.so" > "$tmp/removed.txt"
	rc=$?
	if [ $((rc & 8)) -ne 0 ]; then
		echo "ok: a library without mrelease_version fails the check (abidiff exit $rc):"
		sed 's/^/    /' "$tmp/removed.txt"
	else
		echo "FAIL: a library without mrelease_version passes the check (abidiff exit $rc)"
		fails=$((fails + 1))
	fi
	"$ABIDIFF" --no-added-syms "$tmp/base.abi" "$tmp/added.so" > "$tmp/added.txt"
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok: a library with one more symbol in a new node passes the check"
	else
		cat "$tmp/added.txt"
		echo "FAIL: an added symbol fails the check (abidiff exit $rc)"
		fails=$((fails + 1))
	fi
else
	echo "FAIL: could not build the modified libraries"
	fails=$((fails + 1))
fi
[ $fails -eq 0 ]
