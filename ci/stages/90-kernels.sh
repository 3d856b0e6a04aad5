# kernels: the test suite on the kernels the library promises to work on,
# Debian's cloud kernels booted under qemu: Linux 5.10 (no
# process_mrelease, no cgroup.kill), 6.1 (no PIDFD_THREAD, no signal
# scopes), 6.12 and 7.3.  The machine's own kernel runs the other stages.
#
#  1. ci/kernels/fetch.sh: the newest kernel of each series, downloaded
#     (apt-get download, a private apt configuration) and unpacked
#     (dpkg-deb -x) into the cache MR_KERNEL_CACHE, by default
#     /var/cache/libmrelease-kernels: it outlives the run on this machine,
#     a new machine fetches afresh;
#  2. one build of the tree (gcc, --enable-werror) and its test programs,
#     and ci/kernels/probe.c, which asks each kernel the raw calls;
#  3. ci/kernels/mkroot.sh: one initramfs with the build, the source tree
#     and what the tests run with; ci/kernels/guest-init.sh is its /init;
#  4. each kernel boots with it (-m 2G -smp 2; TCG, or KVM where the
#     machine has kvm_intel or kvm_amd and a guest boots with it) and runs
#     the tests of the suite that reach the kernel, one after the other,
#     as root.  A test that does not end within MR_TEST_TIMEOUT seconds
#     is stopped by the guest and fails; a guest that reports nothing
#     for longer (hung), or runs past MR_KERNEL_TIMEOUT, is killed and
#     its unfinished tests are errors;
#  5. ci/kernels/collect.py: each kernel's results as automake's
#     (kernels/<series>/test-suite.log, one .log a test), then the table
#     (also in table.txt): a line a test, a column a kernel, what each
#     kernel answered to the raw calls, the totals, every skip with its
#     reason and every failure, last.
#
# Exit 77 only when qemu cannot run a guest at all; a kernel that cannot be
# fetched is a failure.  Environment: MR_KERNELS (the series, default
# "5.10 6.1 6.12 7.3"), MR_KERNEL_CACHE, MR_KERNEL_TIMEOUT (per guest,
# default 2400 s), MR_TEST_TIMEOUT (per test program, default 600 s:
# generous, for a machine loaded with other work; unloaded, a kernel's
# whole run takes a few minutes), MR_KERNEL_ACCEL (tcg or kvm: no probe).
set -u
top=$1 dir=$2
kdir=$top/ci/kernels
series=${MR_KERNELS:-5.10 6.1 6.12 7.3}
cache=${MR_KERNEL_CACHE:-/var/cache/libmrelease-kernels}
guest_timeout=${MR_KERNEL_TIMEOUT:-2400}
test_timeout=${MR_TEST_TIMEOUT:-600}
stall=$((test_timeout + 60))
python=/usr/bin/python3
[ -x $python ] || python=python3
cd "$dir" || exit 2
log() { echo "90-kernels: $*"; }
die() { log "$*"; exit 1; }

# Tests that never reach the kernel (the header, the exports, the manual,
# the errno lists) or need what a TCG guest cannot afford (valgrind): the
# gcc and clang stages run them on this machine.  Every other test of
# `make check` runs in every guest.
host_only='tests/header.sh tests/abi.sh tests/abidiff.sh tests/pkgconfig.sh
	tests/not-provoked.sh tests/reaper-valgrind.sh tests/man-lint.sh
	tests/man-symbols.sh tests/man-xref.sh
	tests/man-errno-coverage-selftest.sh tests/man-errno-coverage.sh
	tests/man-install.sh'

# ---- can qemu run a guest here? ---------------------------------------------
qemu_bin=$(command -v qemu-system-x86_64) ||
	{ echo "SKIP: qemu-system-x86_64 is not installed (Debian: qemu-system-x86)"; exit 77; }
if ! "$qemu_bin" -accel help 2>/dev/null | grep -qx tcg; then
	echo "SKIP: $qemu_bin has no TCG accelerator"
	exit 77
fi
# KVM only where it is a real one: on these machines /dev/kvm can be a
# nested device (kvm_pvm) that Debian's kernels do not boot on.
accel_mode=tcg
if [ -n "${MR_KERNEL_ACCEL:-}" ]; then
	accel_mode=$MR_KERNEL_ACCEL
elif [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
	accel_mode=probe
fi
for c in busybox dpkg-deb apt-get timeout; do
	command -v $c >/dev/null || die "$c is not installed (.ci/packages)"
done

# ---- 1. the kernels ---------------------------------------------------------
log "kernels ($series) into $cache"
# shellcheck disable=SC2086
bash "$kdir/fetch.sh" "$cache" $series >kernels.txt || {
	cat kernels.txt
	die "a kernel could not be fetched (see above)"
}
cat kernels.txt

# ---- 2. the build -------------------------------------------------------------
log "build"
mkdir -p build
(
	set -e
	cd build
	"$top/configure" CC=gcc --enable-werror >configure.log 2>&1 ||
		{ tail -n 30 configure.log; exit 1; }
	make >make.log 2>&1 || { tail -n 40 make.log; exit 1; }
	# the test programs, without running them
	make check TESTS= >make-check.log 2>&1 || { tail -n 40 make-check.log; exit 1; }
	rm -f test-suite.log
) || die "the build failed"
mkvar() {	# the value of a variable of the build's Makefile
	make -s -C build --no-print-directory \
		--eval="mr-print-var: ; @printf '%s\\n' '\$($1)'" mr-print-var
}
mkdir -p guest
# what each kernel answers to the calls themselves, for the table
gcc -O2 -Wall -Wextra -pthread -o guest/probe "$kdir/probe.c" || die "ci/kernels/probe.c does not build"
for t in $(mkvar TESTS); do
	case " $(echo "$host_only" | tr -s ' \t\n' '   ') " in *" $t "*) continue ;; esac
	echo "$t"
done >guest/tests.list
# shellcheck disable=SC2046
printf '%s\n' $(mkvar XFAIL_TESTS) >guest/xfail.list
log "$(wc -l <guest/tests.list) tests run in each guest: $(paste -sd' ' guest/tests.list)"
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
{
	echo "MR_BUILDDIR=$(sq "$dir/build")"
	echo "MR_SRCDIR=$(sq "$top")"
	echo "MR_TEST_TIMEOUT=$test_timeout"
	# make's environment for the tests; Check's timeouts stretched for
	# the emulated CPU
	echo "MR_TESTS_ENVIRONMENT=$(sq "$(mkvar AM_TESTS_ENVIRONMENT) CK_TIMEOUT_MULTIPLIER=4; export CK_TIMEOUT_MULTIPLIER;")"
} >guest/env.sh

# ---- 3. the initramfs -------------------------------------------------------
log "initramfs"
bash "$kdir/mkroot.sh" "$top" "$dir/build" "$dir" || die "mkroot.sh failed"
ls -l initramfs.cpio

# ---- 4, 5. each kernel --------------------------------------------------------
# qemu ACCEL SERIES OUTDIR SECONDS [KERNEL-ARGS]: one guest, killed when its
# report has not grown for SECONDS (a test the guest did not end in time,
# or a hung guest) or after MR_KERNEL_TIMEOUT in all; sets $status.
qemu() {
	local accel=$1 s=$2 out=$3 stall=$4 args=${5:-} pid size=-1 quiet=0 t=0
	# shellcheck disable=SC2054
	local -a cpu=(-accel tcg,thread=multi -cpu max)
	[ "$accel" = kvm ] && cpu=(-accel kvm -cpu host)
	rm -f "$out/console.log" "$out/report.raw"
	: >"$out/report.raw"
	"$qemu_bin" "${cpu[@]}" -m 2G -smp 2 \
		-nodefaults -no-user-config -display none -monitor none \
		-no-reboot -nic none \
		-serial "file:$out/console.log" -serial "file:$out/report.raw" \
		-kernel "$cache/$s/vmlinuz" -initrd "$dir/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 quiet $args" >"$out/qemu.log" 2>&1 &
	pid=$!
	status=""
	while kill -0 $pid 2>/dev/null; do
		sleep 2
		t=$((t + 2))
		if [ "$(stat -c %s "$out/report.raw")" != "$size" ]; then
			size=$(stat -c %s "$out/report.raw") quiet=0
		else
			quiet=$((quiet + 2))
		fi
		if [ $quiet -ge "$stall" ]; then
			status="killed: no progress for $stall s"
		elif [ $t -ge "$guest_timeout" ]; then
			status="killed after $guest_timeout s"
		else
			continue
		fi
		kill $pid 2>/dev/null
		sleep 2
		kill -KILL $pid 2>/dev/null
		break
	done
	wait $pid
	local rc=$?
	if [ -n "$status" ]; then
		:
	elif [ $rc -ne 0 ]; then
		status="qemu exit $rc: $(tail -n 1 "$out/qemu.log")"
	elif ! grep -q '^@@mr-done' "$out/report.raw"; then
		status="the guest stopped before the end"
	else
		status=ok
	fi
}
for s in $series; do
	out=$dir/kernels/$s
	mkdir -p "$out"
	accel=$accel_mode
	# KVM where a short boot shows that it gets the kernel to its init
	# (it may hang or die early, as Debian's kernels do on a nested PVM
	# device); else TCG
	if [ "$accel" = probe ]; then
		qemu kvm "$s" "$out" 60 mr.probe
		accel=kvm
		[ "$status" = ok ] || { log "Linux $s: KVM did not boot it ($status): TCG"; accel=tcg; }
	fi
	log "Linux $s ($(cut -d' ' -f1 "$cache/$s/package")), $accel"
	start=$(date +%s)
	qemu "$accel" "$s" "$out" "$stall"
	status="$accel, $(($(date +%s) - start)) s: $status"
	sed -n 's/^\(\[ *[0-9]*\/[0-9]*\]\)/    \1/p' "$out/console.log"
	$python "$kdir/collect.py" one "$out" "$s" "$out/report.raw" \
		guest/tests.list guest/xfail.list "$status"
	if [ "${status#*: }" != ok ]; then
		log "Linux $s: $status; the console's last lines:"
		tail -n 20 "$out/console.log" | sed 's/^/    /'
	fi
done

echo
echo "=== the test suite on each kernel ($(date -u +%Y-%m-%d); cell: result (Check tests run))"
# shellcheck disable=SC2086
$python "$kdir/collect.py" table "$dir/kernels" $series | tee table.txt
exit "${PIPESTATUS[0]}"
