#!/bin/sh
# header.sh - <mrelease.h> with glibc's headers, in C89, C11 and C++, with
# and without the short names, and what a program linked with -lmrelease
# imports ("Header and link tests").
#
# SPDX-License-Identifier: MIT
#
# Every C compiler of {$CC, gcc, clang} and C++ compiler of {$CXX, g++,
# clang++} found is tried; the link test uses $CC only.  Environment
# (Makefile.am): top_srcdir, top_builddir, CC, CXX; NM and OBJDUMP may
# name a cross toolchain's tools.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
inc=$top_builddir/include
tmp=$top_builddir/tests/header.tmp.$$
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp" || exit 99
cd "$tmp" || exit 99

fails=0 checks=0
pass() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }

# Unique compilers that exist; $CC and $CXX may carry flags (-std=gnu11).
list_compilers() {
	seen=
	for c in "$@"; do
		[ -n "$c" ] || continue
		set -- $c
		command -v "$1" >/dev/null 2>&1 || continue
		case " $seen " in *" $c "*) continue ;; esac
		seen="$seen $c"
		printf '%s\n' "$c"
	done
}
ccs=$(list_compilers "${CC:-}" gcc clang)
cxxs=$(list_compilers "${CXX:-}" g++ clang++)
[ -n "$ccs" ] || { echo "SKIP: no C compiler"; exit 77; }
NM=${NM:-nm}
OBJDUMP=${OBJDUMP:-objdump}

# The undefined symbols of an object, less what the toolchain itself
# references (i386 PIC: _GLOBAL_OFFSET_TABLE_, __x86.get_pc_thunk.*).
und() {
	$NM -u "$1" | awk '{ print $NF }' |
		grep -Ev '^(_GLOBAL_OFFSET_TABLE_|__x86\.get_pc_thunk\..*|__stack_chk_fail(_local)?|__stack_chk_guard)$' |
		sort | tr '\n' ' '
}
# imports CC NAME UNDEF: NAME.c compiles (else err.txt says why) and
# imports exactly UNDEF (und's list)
imports() {
	$1 -Wall -Wextra -Werror -I"$inc" -c "$2.c" -o "$2.o" 2>err.txt &&
		[ "$(und "$2.o")" = "$3" ]
}
# The undefined symbols of an object must be exactly the three wrappers
# (and nothing from glibc: no pidfd_open, pidfd_send_signal,
# process_mrelease).
only_wrappers() {
	[ "$(und "$1")" = "mrelease_pidfd_kill mrelease_pidfd_open mrelease_process_mrelease " ]
}

# Whether compiler $1's libc has <sys/pidfd.h> (glibc 2.36 and later; musl
# has none): the cases that mix it with ours are about glibc.
has_pidfd_h() {
	printf '#include <sys/pidfd.h>\n' > has.c
	$1 -E has.c > /dev/null 2>&1
}

calls='int main(void)
{
	int fd = pidfd_open(1, 0);

	if (pidfd_kill(fd, 0, 0) < 0)
		return 1;
	return process_mrelease(fd, 0);
}'

# ---- C: with glibc's <sys/pidfd.h> and <sys/mman.h>, in every order -----
n=0
for order in "sys/pidfd.h sys/mman.h mrelease.h" \
	     "mrelease.h sys/pidfd.h sys/mman.h" \
	     "sys/mman.h mrelease.h sys/pidfd.h" \
	     "mrelease.h" "unistd.h mrelease.h"; do
	n=$((n + 1))
	{
		echo '#define _GNU_SOURCE 1'
		for h in $order; do echo "#include <$h>"; done
		echo "$calls"
	} > order$n.c
	echo "$ccs" | while read -r cc; do
		if ! has_pidfd_h "$cc" && grep -q 'sys/pidfd.h' order$n.c; then
			echo "SKIP: $cc: <$order>: this libc has no <sys/pidfd.h> (glibc >= 2.36 has)"
			continue
		fi
		if $cc -Wall -Wextra -Werror -I"$inc" -c order$n.c -o order$n.o 2>err.txt &&
		   only_wrappers order$n.o; then
			pass "$cc: <$order> compiles warning-free, references mrelease_* only"
		else
			cat err.txt; $NM -u order$n.o 2>/dev/null
			fail "$cc: <$order>"
		fi
	done
done >> results.txt

# ---- C89 and C99, -pedantic, the header alone and with NO_SHORT_NAMES ----
for std in c89 c99 gnu89 c11; do
	for def in "" -DMRELEASE_NO_SHORT_NAMES; do
		echo '#include <mrelease.h>' > alone.c
		echo 'int main(void) { return 0; }' >> alone.c
		echo "$ccs" | while read -r cc; do
			if $cc -std=$std -pedantic -Werror -Wall -Wextra $def \
			    -I"$inc" -fsyntax-only alone.c 2>err.txt; then
				pass "$cc -std=$std -pedantic $def: header alone"
			else
				cat err.txt; fail "$cc -std=$std -pedantic $def: header alone"
			fi
		done
	done
done >> results.txt

# ---- MRELEASE_NO_SHORT_NAMES leaves only the prefixed names ---------------
cat > noshort-use.c <<'EOF'
#define MRELEASE_NO_SHORT_NAMES 1
#include <mrelease.h>
int main(void) { return pidfd_open(1, 0); }
EOF
cat > noshort-own.c <<'EOF'
#define MRELEASE_NO_SHORT_NAMES 1
#include <mrelease.h>
#include <unistd.h>
/* A program's own functions of the same names do not clash. */
static int pidfd_open(pid_t pid, unsigned int flags) { return (int)pid + (int)flags; }
static int process_mrelease(int fd, unsigned int flags) { return fd + (int)flags; }
static int pidfd_kill(int fd, int sig, unsigned int flags) { return fd + sig + (int)flags; }
int main(void)
{
	int fd = mrelease_pidfd_open(getpid(), 0);

	return pidfd_open(0, 0) + process_mrelease(0, 0) + pidfd_kill(0, 0, 0) +
	       mrelease_process_mrelease(fd, 0) + mrelease_pidfd_kill(fd, 0, 0);
}
EOF
cat > noshort-glibc.c <<'EOF'
#define _GNU_SOURCE 1
#define MRELEASE_NO_SHORT_NAMES 1
#include <mrelease.h>
#include <sys/pidfd.h>
#include <sys/mman.h>
/* Without the short names, pidfd_open is glibc's again. */
int main(void) { return pidfd_open(1, 0) + process_mrelease(-1, 0) + mrelease_pidfd_kill(-1, 0, 0); }
EOF
echo "$ccs" | while read -r cc; do
	if $cc -Wall -Wextra -Werror -I"$inc" -c noshort-use.c -o noshort-use.o 2>/dev/null; then
		fail "$cc: MRELEASE_NO_SHORT_NAMES still declares pidfd_open"
	else
		pass "$cc: MRELEASE_NO_SHORT_NAMES: using pidfd_open does not compile"
	fi
	if imports "$cc" noshort-own \
	     "getpid mrelease_pidfd_kill mrelease_pidfd_open mrelease_process_mrelease "; then
		pass "$cc: MRELEASE_NO_SHORT_NAMES: a program may define its own pidfd_open"
	else
		cat err.txt; fail "$cc: MRELEASE_NO_SHORT_NAMES with the program's own pidfd_open"
	fi
	if ! has_pidfd_h "$cc"; then
		echo "SKIP: $cc: MRELEASE_NO_SHORT_NAMES with glibc's headers: no <sys/pidfd.h>"
	elif imports "$cc" noshort-glibc "mrelease_pidfd_kill pidfd_open process_mrelease "; then
		pass "$cc: MRELEASE_NO_SHORT_NAMES with glibc's headers: glibc's names"
	else
		cat err.txt; fail "$cc: MRELEASE_NO_SHORT_NAMES with glibc's headers"
	fi
done >> results.txt

# ---- C++ -------------------------------------------------------------------
# The header has extern "C" and glibc's exception specification, so it mixes
# with <sys/mman.h> (whose process_mrelease is extern "C" too) in any order.
# glibc 2.36's <sys/pidfd.h> has no extern "C" (no __BEGIN_DECLS): the
# recipes README.md and libmrelease(7) give for it are the "pidfd" cases
# below, each with what it documents (builds, does not build, does not
# link).
cxx_calls='int main()
{
	int fd = pidfd_open(1, 0);

	if (pidfd_kill(fd, 0, 0) < 0)
		return 1;
	return process_mrelease(fd, 0);
}'
n=0
for order in "mrelease.h" "sys/mman.h mrelease.h" "mrelease.h sys/mman.h" "cstdio mrelease.h" \
	     "mrelease.h sys/pidfd.h sys/mman.h"; do
	n=$((n + 1))
	{
		for h in $order; do echo "#include <$h>"; done
		echo "$cxx_calls"
	} > order$n.cc
done
cat > pidfd.cc <<'EOF'
#define MRELEASE_NO_SHORT_NAMES 1
#include <sys/pidfd.h>
#include <mrelease.h>
int main()
{
	int fd = mrelease_pidfd_open(1, 0);

	return mrelease_pidfd_kill(fd, 0, 0) + mrelease_process_mrelease(fd, 0);
}
EOF
[ -n "$cxxs" ] || echo "SKIP: C++ tests: no C++ compiler" >> results.txt
echo "$cxxs" | while read -r cxx; do
	[ -n "$cxx" ] || continue
	for std in c++98 c++11 c++14 c++17 c++20; do
		echo 'int main() { return 0; }' > std.cc
		if ! $cxx -std=$std -c std.cc -o std.o 2>/dev/null; then
			echo "SKIP: $cxx does not know -std=$std"
			continue
		fi
		for f in order1 order2 order3 order4 order5 pidfd; do
			if $cxx -std=$std -pedantic -Wall -Wextra -Werror -I"$inc" \
			    -c $f.cc -o $f.o 2>err.txt && only_wrappers $f.o; then
				pass "$cxx -std=$std: $f.cc ($(grep '#include' $f.cc | tr '\n' ' '))"
			else
				cat err.txt; $NM -u $f.o 2>/dev/null
				fail "$cxx -std=$std: $f.cc"
			fi
		done
	done
done >> results.txt


# ---- C++ with glibc's <sys/pidfd.h>: each documented recipe ----------------
# $1: the file; $2: what the recipe promises: "und:LIST" (compiles, and its
# undefined symbols are exactly LIST), "mangled" (compiles, but glibc's
# pidfd_getfd is referenced with C++ linkage: it cannot link), "error"
# (does not compile).
cxx_pidfd_calls='int main()
{
	int fd = pidfd_open(1, 0);

	if (pidfd_getfd(fd, 0, 0) < 0 || pidfd_send_signal(fd, 0, 0, 0) < 0)
		return 1;
	return pidfd_kill(fd, 0, 0) + process_mrelease(fd, 0);
}'
wrapped='extern "C" {
#include <sys/pidfd.h>
}'
{ echo "$wrapped"; echo '#include <mrelease.h>'; echo "$cxx_pidfd_calls"; } > pidfd-wrap-first.cc
{ echo '#include <mrelease.h>'; echo "$wrapped"; echo "$cxx_pidfd_calls"; } > pidfd-wrap-after.cc
{ echo '#include <mrelease.h>'; echo '#include <sys/pidfd.h>'; echo "$cxx_pidfd_calls"; } > pidfd-bare-after.cc
{ echo '#include <sys/pidfd.h>'; echo '#include <mrelease.h>'; echo "$cxx_pidfd_calls"; } > pidfd-bare-first.cc
{ echo '#define MRELEASE_NO_SHORT_NAMES 1'; echo "$wrapped"; echo '#include <mrelease.h>'
  echo 'int main() { return pidfd_open(1, 0) + mrelease_pidfd_kill(-1, 0, 0); }'; } > pidfd-wrap-noshort.cc
both="mrelease_pidfd_kill mrelease_pidfd_open mrelease_process_mrelease pidfd_getfd pidfd_send_signal "
cxx_recipe() {
	f=$1 want=$2
	what="$cxx: $f ($(grep '#include' $f | tr '\n' ' '))"
	if ! $cxx -Wall -Wextra -Werror -I"$inc" -c $f -o ${f%.cc}.o 2>err.txt; then
		if [ "$want" = error ]; then
			pass "$what: does not compile, as documented ($(grep -m1 -o 'error: .*' err.txt))"
		else
			cat err.txt; fail "$what: does not compile"
		fi
		return
	fi
	got=$(und ${f%.cc}.o)
	case $want in
	error) fail "$what: compiles, but is documented not to" ;;
	mangled)
		if echo "$got" | grep -q '_Z[0-9]*pidfd_getfd'; then
			pass "$what: glibc's pidfd_getfd has C++ linkage, as documented ($got)"
		else
			fail "$what: references $got; documented: pidfd_getfd with C++ linkage"
		fi ;;
	und:*)
		if [ "$got" = "${want#und:}" ]; then
			pass "$what: references $got"
		else
			fail "$what: references '$got', expected '${want#und:}'"
		fi ;;
	esac
}
echo "$cxxs" | while read -r cxx; do
	[ -n "$cxx" ] || continue
	if ! has_pidfd_h "$cxx"; then
		echo "SKIP: $cxx: the <sys/pidfd.h> recipes: this libc has none (glibc >= 2.36 has)"
		continue
	fi
	cxx_recipe pidfd-wrap-first.cc "und:$both"
	cxx_recipe pidfd-wrap-after.cc "und:$both"
	cxx_recipe pidfd-wrap-noshort.cc "und:mrelease_pidfd_kill pidfd_open "
	cxx_recipe pidfd-bare-after.cc mangled
	cxx_recipe pidfd-bare-first.cc error
done >> results.txt
# The wrapped recipe links, with the compiler of the build.
if [ -n "$cxxs" ] && [ -e "$top_builddir/lib/.libs/libmrelease.so" ] &&
   has_pidfd_h "$(echo "$cxxs" | head -n 1)"; then
	cxx=$(echo "$cxxs" | head -n 1)
	if $cxx -I"$inc" pidfd-wrap-first.cc -o pidfd-wrap \
	    -L"$top_builddir/lib/.libs" -lmrelease 2>err.txt; then
		pass "$cxx: pidfd-wrap-first.cc links with -lmrelease and glibc"
	else
		cat err.txt; fail "$cxx: pidfd-wrap-first.cc does not link with -lmrelease"
	fi >> results.txt
fi

# ---- Linked with -lmrelease ------------------------------------------------
libdir=$top_builddir/lib/.libs
so=$libdir/libmrelease.so
if [ ! -e "$so" ]; then
	echo "SKIP: no shared library built ($so)" >> results.txt
else
	cat > linked.c <<'EOF'
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__has_include)
# if __has_include(<sys/pidfd.h>)
#  include <sys/pidfd.h>	/* glibc's declarations of the short names */
# endif
#endif
#include <mrelease.h>
int main(void)
{
	int fd = pidfd_open(getpid(), 0);

	if (fd < 0 && errno == ENOSYS)
		return 77;
	if (fd < 0 || pidfd_kill(fd, 0, 0) != 0)
		return 1;
	if (process_mrelease(-1, 0) != -1 || (errno != EBADF && errno != ENOSYS))
		return 2;
	printf("%s\n", mrelease_version());
	return 0;
}
EOF
	# Only the compiler the library was built with ($CC): another one
	# may not even target the same architecture.
	echo "$ccs" | head -n 1 | while read -r cc; do
		if ! $cc -Wall -Wextra -Werror -I"$inc" linked.c -o linked \
		    -L"$libdir" -lmrelease 2>err.txt; then
			cat err.txt; fail "$cc: linking with -lmrelease"; continue
		fi
		dyn=$($OBJDUMP -T linked)
		if echo "$dyn" | grep -Eq '[[:space:]](pidfd_open|pidfd_send_signal|process_mrelease)$'; then
			echo "$dyn"; fail "$cc: the program imports glibc's pidfd calls"
		elif echo "$dyn" | grep -q 'GLIBC_2\.36'; then
			echo "$dyn"; fail "$cc: the program needs GLIBC_2.36"
		elif [ "$(echo "$dyn" | grep -c 'LIBMRELEASE_1\.0)\{0,1\}[[:space:]]*mrelease_\(pidfd_open\|pidfd_kill\|process_mrelease\|version\)$')" != 4 ]; then
			echo "$dyn"; fail "$cc: the program does not import the four mrelease_* symbols @LIBMRELEASE_1.0"
		else
			pass "$cc: a program linked with -lmrelease imports mrelease_*@LIBMRELEASE_1.0, nothing of glibc's pidfd calls"
		fi
		LD_LIBRARY_PATH=$libdir ./linked > out.txt
		rc=$?
		if [ $rc = 126 ] || [ $rc = 127 ]; then
			echo "SKIP: $cc: the linked program cannot run on this machine"
		elif [ $rc = 0 ] || [ $rc = 77 ]; then
			pass "$cc: the linked program runs (exit $rc, version $(cat out.txt))"
		else
			fail "$cc: the linked program exits $rc"
		fi
	done >> results.txt
	newer=$($OBJDUMP -T "$so" | grep -E 'GLIBC_2\.(3[6-9]|[4-9][0-9])' || true)
	if [ -n "$newer" ]; then
		echo "$newer" >> results.txt
		fail "libmrelease.so requires GLIBC_2.36 or newer" >> results.txt
	else
		pass "libmrelease.so requires nothing newer than GLIBC_2.35 (highest: $($OBJDUMP -T "$so" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1))" >> results.txt
	fi
fi

cat results.txt
nfail=$(grep -c '^FAIL' results.txt)
nok=$(grep -c '^ok' results.txt)
echo "header.sh: $nok passed, $nfail failed"
[ "$nok" -gt 0 ] || exit 99
[ "$nfail" -eq 0 ]
