#!/bin/sh
# tool-daemon.sh - the example daemon, built against the INSTALLED library
# with pkg-config only, acts on a cgroup of victims
#
# SPDX-License-Identifier: MIT

. "${top_srcdir:-..}/tests/tool-lib.sh"

[ -n "$(cgroup2_root)" ] || skip "cgroup v2 not mounted"
command -v pkg-config >/dev/null || { echo "no pkg-config"; exit 99; }

echo "== install the library into a temporary DESTDIR"
DEST="$TMPD/dest"
. "$top_srcdir/tests/pkgconfig-lib.sh"
pc_install "$DEST"
cflags=$(pkg-config --cflags libmrelease) || exit 99
libs=$(pkg-config --libs libmrelease) || exit 99
echo "pkg-config: $cflags $libs"
# Into the tree: a -I or -L path that is the source tree, or the build's
# lib/ or include/, or below one of them - by path components, so that an
# install prefix beside the tree (/x/proj-inst beside /x/proj) is no match.
mkdir -p "$TMPD/x/proj/lib" "$TMPD/x/proj-inst/lib"
not() { ! "$@"; }
check "path_in: /x/proj-inst/lib is not in /x/proj" \
	not path_in "$TMPD/x/proj" "$TMPD/x/proj-inst/lib"
check "path_in: -I/x/proj-inst/include (no such dir) is not in /x/proj" \
	not path_in "$TMPD/x/proj" "$TMPD/x/proj-inst/include"
check "path_in: /x/proj/lib is in /x/proj" path_in "$TMPD/x/proj" "$TMPD/x/proj/lib"
check "path_in: /x/proj/ is /x/proj" path_in "$TMPD/x/proj" "$TMPD/x/proj/"
for w in $cflags $libs; do
	case $w in
	-I*|-L*) d=${w#-?} ;;
	*) continue ;;
	esac
	for t in "$top_srcdir" "$top_builddir/lib" "$top_builddir/include"; do
		if path_in "$t" "$d"; then
			fail "pkg-config points into the tree: $w is in $t"; finish
		fi
	done
done

echo "== build the daemon"
OOMD="$TMPD/mrelease-oomd"
# shellcheck disable=SC2086
check "daemon builds with pkg-config --cflags --libs libmrelease" \
	${CC:-cc} -Wall -Wextra -Wno-unused-parameter -Werror ${TOOL_CFLAGS:-} \
	-o "$OOMD" "$top_srcdir/examples/mrelease-oomd.c" \
	$(pkg-config --cflags --libs libmrelease) ${TOOL_LDFLAGS:-}
[ -x "$OOMD" ] || finish
LD_LIBRARY_PATH=$PC_LIBDIR
export LD_LIBRARY_PATH
# (glibc's ldd cannot list a musl program's libraries: check where it can)
if ldd "$OOMD" 2>/dev/null | grep -q libmrelease; then
	check "daemon uses the installed library" sh -c "ldd '$OOMD' | grep -q '$DEST.*libmrelease'"
fi

new_cgroup daemon || skip "cannot create a cgroup under $(cgroup2_root) (read-only?)"

echo "== --max-held: the cgroup holds more than allowed"
victim 32; s=$V; victim 128; l=$V; victim 64; m=$V
for p in $s $m $l; do echo $p >"$CG/cgroup.procs"; done
total=$(( $(vmrss_kb $s) + $(vmrss_kb $m) + $(vmrss_kb $l) ))
echo "victims: $s (32 MiB) $m (64 MiB) $l (128 MiB), $total kB"
# 200 MiB: over it now (224+), under it once the largest is gone (96+)
timeout 60 "$OOMD" --cgroup "$CG" --max-held 200M --oneshot >"$TMPD/log" 2>&1
rc=$?
sed 's/^/  log: /' "$TMPD/log"
check "max-held: daemon exit 0" [ $rc -eq 0 ]
check "max-held: logged the kill of the largest" \
	grep -q "killing pid $l (tool-victim), which holds 1[23][0-9]\.[0-9] MiB" "$TMPD/log"
check "max-held: logged what it freed" \
	grep -Eq "killed pid $l: held 1[23][0-9]\.[0-9] MiB, (reaped .* MiB in|not reaped: )" "$TMPD/log"
check "max-held: exactly one kill" [ "$(grep -c 'killing pid' "$TMPD/log")" -eq 1 ]
death $l; check "max-held: largest died of SIGKILL" [ $? -eq 137 ]
check "max-held: 32 MiB victim alive" alive $s
check "max-held: 64 MiB victim alive" alive $m

echo "== --min-available: MemAvailable below the threshold, victims from the cgroup"
victim 96; l=$V; echo $l >"$CG/cgroup.procs"
timeout 60 "$OOMD" --cgroup "$CG" --min-available 1000000T --max-kills 1 >"$TMPD/log" 2>&1
rc=$?
sed 's/^/  log: /' "$TMPD/log"
check "min-available: daemon exit 0" [ $rc -eq 0 ]
check "min-available: killed the largest" grep -q "MemAvailable .* < .*: killing pid $l (tool-victim)" "$TMPD/log"
death $l; check "min-available: largest died of SIGKILL" [ $? -eq 137 ]
check "min-available: 32 MiB victim alive" alive $s
check "min-available: 64 MiB victim alive" alive $m

echo "== --dry-run kills nothing"
timeout 60 "$OOMD" --cgroup "$CG" --max-held 1M --dry-run --oneshot >"$TMPD/log" 2>&1
sed 's/^/  log: /' "$TMPD/log"
check "dry-run: would kill the largest" grep -q "killing pid $m (tool-victim).*dry run: not killed" "$TMPD/log"
sleep 0.2
check "dry-run: both alive" sh -c "kill -0 $s && kill -0 $m"

echo "== usage errors"
"$OOMD" >/dev/null 2>&1; check "no threshold: exit 2" [ $? -eq 2 ]
"$OOMD" --max-held 1M >/dev/null 2>&1; check "max-held without cgroup: exit 2" [ $? -eq 2 ]
"$OOMD" --min-available 1Q >/dev/null 2>&1; check "bad size: exit 2" [ $? -eq 2 ]

kill -KILL $s $m
death $s; death $m
for p in $VICTIMS; do
	if alive $p; then fail "victim $p still alive"; fi
done
finish
