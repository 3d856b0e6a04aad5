#!/bin/sh
# pkgconfig.sh - install into a temporary DESTDIR, then build a C and a C++
# consumer with nothing but `pkg-config --cflags --libs libmrelease` and
# run both against the installed library; build every example of
# examples/ the same way, from its one file.
#
# SPDX-License-Identifier: MIT
#
# Installs (tests/pkgconfig-lib.sh) under the build tree, and removes it
# after.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
command -v "$PKG_CONFIG" >/dev/null 2>&1 || { echo "SKIP: no pkg-config"; exit 77; }
tmp=$top_builddir/tests/pkgconfig.tmp.$$
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp" || exit 99
dest=$tmp/dest

. "$top_srcdir/tests/pkgconfig-lib.sh"
pc_install "$dest"
flags=$("$PKG_CONFIG" --cflags --libs libmrelease) ||
	{ echo "FAIL: pkg-config --cflags --libs libmrelease"; exit 1; }
echo "pkg-config --cflags --libs libmrelease: $flags"
libdir=$PC_LIBDIR
fails=0
case " $flags " in
*-D_GNU_SOURCE*|*-D_DEFAULT_SOURCE*)
	echo "FAIL: the .pc sets a feature macro"; fails=$((fails + 1)) ;;
esac
case "$flags" in
*"$dest"*) ;;
*) echo "FAIL: the flags do not point into $dest"; fails=$((fails + 1)) ;;
esac

cat > "$tmp/consumer.c" <<'SRC'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <mrelease.h>

int main(void)
{
	char v[32];
	int fd = pidfd_open(getpid(), 0);

	if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
		printf("pidfd_open: %s\n", strerror(errno));
		return 77;
	}
	if (fd < 0 || pidfd_kill(fd, 0, 0) != 0)
		return 1;
	errno = 0;
	if (process_mrelease(-1, 0) != -1 || (errno != EBADF && errno != ENOSYS))
		return 2;
	snprintf(v, sizeof(v), "%d.%d.%d", MRELEASE_VERSION_MAJOR,
		 MRELEASE_VERSION_MINOR, MRELEASE_VERSION_MICRO);
	if (strcmp(v, mrelease_version()))
		return 3;
	printf("consumer: libmrelease %s, pidfd %d, process_mrelease(-1) %s\n",
	       mrelease_version(), fd, strerror(errno));
	close(fd);
	return 0;
}

/* Which libmrelease.so this process loaded (any libc: /proc/self/maps). */
static void __attribute__((constructor)) print_loaded(void)
{
	char line[4096];
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');

		if (p && strstr(p, "/libmrelease.so")) {
			printf("loaded: %s", p);
			break;
		}
	}
	if (f)
		fclose(f);
}
SRC
cp "$tmp/consumer.c" "$tmp/consumer.cc"

run() {	# run LANG COMPILER SOURCE
	if ! $2 -Wall -Wextra -Werror "$3" -o "$tmp/$1-consumer" $flags 2> "$tmp/err"; then
		cat "$tmp/err"; echo "FAIL: $1 consumer does not build with $2"
		fails=$((fails + 1)); return
	fi
	LD_LIBRARY_PATH=$libdir "$tmp/$1-consumer" > "$tmp/out"
	rc=$?
	cat "$tmp/out"
	if ! grep -q "^loaded: $libdir/libmrelease.so" "$tmp/out"; then
		echo "FAIL: $1 consumer does not load the installed library"
		fails=$((fails + 1)); return
	fi
	case $rc in
	0) echo "ok: $1 consumer ($2) built with pkg-config runs against $libdir" ;;
	77) echo "ok: $1 consumer ($2) runs; the calls are not available here" ;;
	*) echo "FAIL: $1 consumer exits $rc"; fails=$((fails + 1)) ;;
	esac
}
run C "${CC:-cc}" "$tmp/consumer.c"
if [ -n "${CXX:-}" ] && command -v ${CXX%% *} >/dev/null 2>&1; then
	run C++ "$CXX" "$tmp/consumer.cc"
else
	# Only where the build has none on purpose (the musl stage: CXX=no).
	echo "SKIP: C++ consumer: no C++ compiler (CXX=${CXX:-})"
fi

# The examples: each one file that a user copies, built with those flags
# and nothing else (no source or header of the tree).  A sanitizer build's
# library needs its runtime linked too (TOOL_CFLAGS, TOOL_LDFLAGS).
for src in "$top_srcdir"/examples/*.c; do
	name=examples/$(basename "$src")
	if grep -n '^#[[:space:]]*include[[:space:]]*"' "$src"; then
		echo "FAIL: $name includes a file of the tree"
		fails=$((fails + 1)); continue
	fi
	# shellcheck disable=SC2086
	if ${CC:-cc} -Wall -Wextra -Werror ${TOOL_CFLAGS:-} "$src" \
		-o "$tmp/example" $flags ${TOOL_LDFLAGS:-} 2> "$tmp/err"; then
		echo "ok: $name builds with pkg-config --cflags --libs libmrelease alone"
	else
		cat "$tmp/err"; echo "FAIL: $name does not build with pkg-config alone"
		fails=$((fails + 1))
	fi
done
[ $fails -eq 0 ]
