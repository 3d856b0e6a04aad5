# Old kernel headers: builds whose <asm/unistd.h> lacks the calls still
# compile, and the wrappers reach the right calls through the fallback
# table of shared/syscall-nr.h.
#
#  a) no-mrelease: an overlay asm/unistd.h (#include_next, then #undef
#     __NR_process_mrelease), as kernel headers 5.3 to 5.14 are;
#  b) no-pidfd: the same without any of the three numbers (headers < 5.1);
#     a) and b) build the whole tree and every check program with -Werror,
#     and run the wrappers' and the port tests (the whole suite runs in 10-gcc:
#     nothing else depends on the syscall numbers' origin);
#  c) linux-5.10: Debian 11's real linux-libc-dev 5.10 (no process_mrelease),
#     fetched from the Debian archive with a private apt configuration in
#     the stage directory (the machine's sources are untouched) and unpacked
#     with dpkg-deb -x; the library, the wrappers' and the port tests.  When the
#     archive cannot be reached, c) is counted as one skip.
# In each, tests/syscall-table shows __NR_x as -1 where the overlay hid it,
# and "used" equal to the table.
set -eux
top=$1 dir=$2
cd "$dir"
multiarch=$(gcc -print-multiarch)

overlay() {	# overlay DIR NAME...: asm/unistd.h without __NR_NAME
	local d=$1 n
	shift
	mkdir -p "$d/asm"
	{
		echo "/* old-headers overlay: the real header, minus some calls */"
		echo "#include_next <asm/unistd.h>"
		for n in "$@"; do echo "#undef __NR_$n"; done
	} >"$d/asm/unistd.h"
}

build() {	# build NAME CPPFLAGS [make-check-args...]
	name=$1 flags=$2
	shift 2
	mkdir -p "$dir/$name"
	(cd "$dir/$name" &&
	 "$top/configure" CC=gcc CXX=g++ CPPFLAGS="$flags" --enable-werror &&
	 make && make "$@")
	# The library itself was built without the header's number.
	grep -q 'process_mrelease' "$dir/$name/tests/syscall-table.log"
}

overlay "$dir/hdr-no-mrelease" process_mrelease
port_tests="tests/pidfd-open tests/pidfd-kill tests/process-mrelease tests/syscall-table tests/syscall-table-fallback"
build no-mrelease "-isystem $dir/hdr-no-mrelease" check TESTS="$port_tests"
grep -E '^process_mrelease +448 +-1 +-1 +448 +ok' no-mrelease/tests/syscall-table.log

overlay "$dir/hdr-no-pidfd" process_mrelease pidfd_open pidfd_send_signal
build no-pidfd "-isystem $dir/hdr-no-pidfd" check TESTS="$port_tests"
grep -E '^pidfd_open +434 +-1 +-1 +434 +ok' no-pidfd/tests/syscall-table.log

# c) Debian 11's linux-libc-dev.
mkdir -p apt/lists/partial apt/parts apt/cache
: >apt/status
cat >apt/parts/bullseye.sources <<EOS
Types: deb
URIs: http://deb.debian.org/debian
Suites: bullseye
Components: main
Architectures: $(dpkg --print-architecture)
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
apt_opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$dir/apt/parts
	-o Dir::State::Lists=$dir/apt/lists -o Dir::Cache=$dir/apt/cache
	-o Dir::State::status=$dir/apt/status
	-o APT::Architectures::=$(dpkg --print-architecture) -o APT::Sandbox::User=root"
# shellcheck disable=SC2086
if apt-get $apt_opts -q update && apt-get $apt_opts -q download linux-libc-dev; then
	dpkg-deb -x linux-libc-dev_*.deb linux-5.10
	grep -q __NR_pidfd_open "linux-5.10/usr/include/$multiarch/asm/unistd_64.h"
	if grep __NR_process_mrelease "linux-5.10/usr/include/$multiarch/asm/unistd_64.h"; then
		exit 1
	fi
	build linux-5.10 \
		"-isystem $dir/linux-5.10/usr/include/$multiarch -isystem $dir/linux-5.10/usr/include" \
		check-TESTS TESTS="$port_tests"
	grep -E '^process_mrelease +448 +-1 +-1 +448 +ok' linux-5.10/tests/syscall-table.log
else
	echo "SKIP 1" >"$dir/old-headers.counts"
	echo "linux-5.10: Debian 11's linux-libc-dev could not be fetched: skipped"
fi
