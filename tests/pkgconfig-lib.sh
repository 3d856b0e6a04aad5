# pkgconfig-lib.sh - what the tests of an installed copy share; sourced.
#
# SPDX-License-Identifier: MIT
#
# pc_install DEST: installs only the library, the header and the .pc (the
# install targets automake makes for them) under DEST, with a make of its
# own (not the jobserver of the make running the tests), and points
# pkg-config there: PKG_CONFIG_* exported, PC_LIBDIR the directory of the
# installed library.  Exits 1 after the log when the install fails.
pc_install() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s -C "$top_builddir" \
		DESTDIR="$1" install-libLTLIBRARIES install-nodist_includeHEADERS \
		install-pkgconfigDATA > "$1.log" 2>&1 ||
		{ cat "$1.log"; echo "FAIL: make install DESTDIR=$1"; exit 1; }
	pc=$(find "$1" -name libmrelease.pc | head -n 1)
	[ -n "$pc" ] || { echo "FAIL: no libmrelease.pc installed"; exit 1; }
	PKG_CONFIG_LIBDIR=$(dirname "$pc")
	PKG_CONFIG_PATH=$PKG_CONFIG_LIBDIR
	PKG_CONFIG_SYSROOT_DIR=$1
	export PKG_CONFIG_LIBDIR PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
	PC_LIBDIR=$1$(${PKG_CONFIG:-pkg-config} --variable=libdir libmrelease |
		sed "s|^$1||")
}
