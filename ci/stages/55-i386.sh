# i386: the library and the whole test suite built with gcc -m32
# (gcc-multilib) and run on this x86-64 kernel (the 32-bit syscall entry:
# int 0x80 numbers 424/434/448 from asm/unistd_32.h).
#
# Check for i386 is Debian's own check:i386 through multiarch.  This stage
# enables i386 (dpkg --add-architecture i386) and installs check:i386
# itself: it runs as root in CI, and the architecture cannot be listed in
# .ci/packages, which is installed before any foreign architecture exists.
# The machine keeps i386 enabled afterwards (harmless: nothing else is
# installed for it).
set -eux
top=$1 dir=$2
cd "$dir"

if ! dpkg -s check:i386 >/dev/null 2>&1; then
	dpkg --add-architecture i386
	# A partial index failure (one mirror out of sync) is not fatal as long
	# as the install below finds the packages.
	apt-get update -q || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends check:i386
fi
pcdir=/usr/lib/i386-linux-gnu/pkgconfig
test -f "$pcdir/check.pc"

# gcc -m32 finds <asm/*.h> through /usr/include/asm, a link that only the
# gcc-multilib metapackage makes - and gcc-multilib conflicts with every
# Debian cross compiler (stage 70 needs them), so CI installs
# gcc-12-multilib and g++-12-multilib instead and this stage points -m32 at
# the x86 uapi asm headers (they serve i386 and x86-64 alike).
mkdir -p i386-headers
ln -sfn "/usr/include/x86_64-linux-gnu/asm" i386-headers/asm

# C++ header tests: g++ -m32 where g++-multilib is there, else none.
cxx=no
if echo 'int main() { return 0; }' | g++ -m32 -x c++ - -o cxx-probe; then
	cxx="g++ -m32 -isystem $dir/i386-headers"
fi
PKG_CONFIG_LIBDIR="$pcdir:/usr/share/pkgconfig" \
	"$top/configure" --host=i686-linux-gnu CC="gcc -m32 -isystem $dir/i386-headers" CXX="$cxx" \
	--enable-werror
make
file lib/.libs/libmrelease.so.1.* | tee file.txt
grep -q 'ELF 32-bit.*Intel 80386' file.txt
make check
