# musl: the library, the command and the whole test suite built with
# musl-gcc (Debian's musl-tools) and run linked against musl's libc.
#
# Check for musl: Debian's libcheck is built against glibc and cannot be
# linked with musl, and the check binary package ships no sources.  So the
# stage fetches Debian's own check source package (bookworm, deb-src) with
# a private apt configuration kept in the stage directory - the machine's
# sources.list is not touched - and builds the real Check (static, without
# subunit) with musl-gcc into $dir/check-musl: the upstream source as
# Debian ships it, without Debian's patches (they make check.pc name a
# libcheck_pic.a that only Debian's build makes).  musl-gcc sees only
# musl's headers: the kernel's uapi headers (linux/, asm/, asm-generic/)
# are linked into $dir/kernel-headers and added with -isystem.  musl 1.2.3
# (Debian 12) has no SYS_process_mrelease (musl 1.2.5 added it): this build
# takes that number from the fallback table, an old-headers case for free.
set -eux
top=$1 dir=$2
cd "$dir"
command -v musl-gcc

# 1. Check, from Debian's source package, built with musl-gcc.
mkdir -p apt/lists/partial apt/parts src
cat >apt/parts/debian-src.sources <<EOS
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
apt_opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$dir/apt/parts
	-o Dir::State::Lists=$dir/apt/lists -o APT::Sandbox::User=root"
# shellcheck disable=SC2086
apt-get $apt_opts -q update
(cd src && apt-get $apt_opts -q source --download-only check &&
 dpkg-source --skip-patches -x check_*.dsc check)
mkdir -p check-build
(cd check-build &&
 ../src/check/configure CC=musl-gcc --prefix="$dir/check-musl" \
	--disable-shared --enable-static --disable-subunit >configure.log &&
 make SUBDIRS="lib src" >make.log && make SUBDIRS="lib src" install >install.log)
test -f "$dir/check-musl/lib/libcheck.a"
test -f "$dir/check-musl/lib/pkgconfig/check.pc"

# 2. The kernel's uapi headers, and nothing else of /usr/include.
mkdir -p kernel-headers
ln -sfn /usr/include/linux kernel-headers/linux
ln -sfn /usr/include/asm-generic kernel-headers/asm-generic
ln -sfn "/usr/include/$(gcc -print-multiarch)/asm" kernel-headers/asm

# 3. The tree, with musl.  No C++ for musl here: CXX=no (the C++ header
# tests then say so and skip).
mkdir -p build
cd build
PKG_CONFIG_LIBDIR="$dir/check-musl/lib/pkgconfig" \
	"$top/configure" CC=musl-gcc CXX=no \
	CFLAGS="-O2 -g -isystem $dir/kernel-headers" --enable-werror
make
# The library needs musl's libc only: no glibc, no glibc version node.
readelf -d lib/.libs/libmrelease.so | tee needed.txt
grep -q 'NEEDED.*libc\.so' needed.txt
if grep 'libc\.so\.6' needed.txt || objdump -T lib/.libs/libmrelease.so | grep GLIBC; then
	echo "the musl build of the library needs glibc"; exit 1
fi
make check
