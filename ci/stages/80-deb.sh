# The Debian package: dpkg-buildpackage -us -uc -b from a `make dist`
# tarball unpacked in the stage directory (never in the source tree), with
# debian/ copied in as the packaging; lintian without errors; the symbols
# file agrees with lib/libmrelease.map; the packages install, a consumer
# builds with pkg-config against them and runs; then they are purged.
#
# The build runs with DEB_BUILD_OPTIONS=nocheck: make check has run in
# stages 10 and 20 from the same tree.  Counts: deb.counts.
set -eux
top=$1 dir=$2
cd "$dir"
counts=$dir/deb.counts
pass=0
ok() { pass=$((pass + 1)); echo "PASS: $*"; printf 'PASS %d\n' $pass >"$counts"; }

# 1. The tarball, and the unpacked tree to build in.
mkdir -p dist
(cd dist && "$top/configure" >configure.log && make dist >dist.log)
tarball=$(ls dist/libmrelease-*.tar.xz)
version=$(basename "$tarball" .tar.xz)
version=${version#libmrelease-}
rm -rf "libmrelease-$version"
tar -xf "$tarball"
cp -a "$top/debian" "libmrelease-$version/debian"
ok "make dist, unpacked with debian/"

# 2. The binary packages.
(cd "libmrelease-$version" &&
 DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b)
changes=$(ls libmrelease_*.changes)
ls -l ./*.deb
ok "dpkg-buildpackage -us -uc -b"
pkgs="libmrelease1 libmrelease-dev mrelease"
for p in $pkgs; do
	test -f "$(ls "${p}_${version}"-*.deb)"
done
ok "built: $pkgs"

# 3. lintian: no errors (warnings are printed).
lintian --fail-on error --info "$changes"
ok "lintian: no errors"

# 4. The symbols file: every symbol of the map, with the version of its
# node (LIBMRELEASE_1.0 -> 1.0.0, LIBMRELEASE_1.2 -> 1.2.0); and the
# library exports exactly what the map lists.
awk '
	/^LIBMRELEASE_[0-9.]+ *\{/ { node = $1; sub(/ *\{.*/, "", node); next }
	/^[ \t]*mrelease_[a-z_0-9]+;/ { s = $1; sub(/;/, "", s);
		v = node; sub(/LIBMRELEASE_/, "", v);
		print s "@" node " " v ".0" }
' "$top/lib/libmrelease.map" | sort >map-symbols.txt
grep '^ mrelease_' "$top/debian/libmrelease1.symbols" | sed 's/^ //' | sort >deb-symbols.txt
comm -23 map-symbols.txt deb-symbols.txt >missing.txt
test ! -s missing.txt
dpkg-deb -x "$(ls libmrelease1_"$version"-*.deb)" unpacked-lib
objdump -T unpacked-lib/usr/lib/*/libmrelease.so.1 |
	awk '$2 == "g" && $4 == ".text" { print $NF "@" $(NF-1) }' | sort >exported.txt
cut -d' ' -f1 map-symbols.txt | diff - exported.txt
comm -13 map-symbols.txt deb-symbols.txt >extra.txt
test ! -s extra.txt
ok "symbols file == lib/libmrelease.map, with versions"
dpkg-deb -I "$(ls libmrelease1_"$version"-*.deb)" symbols

# 5. The -dev contents: header, .pc, static library, the manual.
dpkg-deb -c "$(ls libmrelease-dev_"$version"-*.deb)" | tee dev-contents.txt
grep -q ' ./usr/include/mrelease.h$' dev-contents.txt
grep -q '/pkgconfig/libmrelease.pc$' dev-contents.txt
grep -q '/libmrelease.so -> libmrelease.so.1' dev-contents.txt
for page in $(cd "$top" && ls man/*.[237] 2>/dev/null); do
	s=${page##*.}
	grep -q "/usr/share/man/man$s/$(basename "$page").gz" dev-contents.txt
done
ok "libmrelease-dev has the header, the .pc and $(cd "$top" && ls man/*.[237] 2>/dev/null | wc -l) man pages"

# 6. Install, build a consumer with pkg-config, run it; purge, always.
# shellcheck disable=SC2086
purge() { dpkg --purge $pkgs >purge.log 2>&1 || cat purge.log; }
trap purge EXIT
debs=""
for p in $pkgs; do
	debs="$debs $(ls "${p}_${version}"-*.deb)"
done
# shellcheck disable=SC2086
dpkg -i $debs
cat >consumer.c <<'EOC'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <mrelease.h>

int main(void)
{
	int fd = pidfd_open(getpid(), 0);

	printf("libmrelease %s\n", mrelease_version());
	if (fd < 0 && errno != ENOSYS)
		return 1;
	if (fd >= 0)
		close(fd);
	if (process_mrelease(-1, 0) != -1 || (errno != EBADF && errno != ENOSYS))
		return 1;
	return strcmp(mrelease_version(), VERSION) != 0;
}
EOC
# shellcheck disable=SC2046
gcc -Wall -Wextra -Werror -DVERSION="\"$version\"" consumer.c -o consumer \
	$(pkg-config --cflags --libs libmrelease)
ldd ./consumer | grep "libmrelease.so.1 => /.*lib/.*/libmrelease.so.1"
./consumer
ok "consumer built with pkg-config against the installed package, ran"
mrelease --version
ok "mrelease --version from the package"
purge
trap - EXIT
for p in $pkgs; do
	if dpkg -s "$p" >/dev/null 2>&1; then
		echo "$p is still installed"; exit 1
	fi
done
test ! -e /usr/include/mrelease.h
ok "purged"
