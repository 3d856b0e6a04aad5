#!/bin/sh
# guest-init.sh - /init of the kernels stage's guest: mount what the test
# suite needs, run each test of /mr-guest/tests.list as root, report each
# result on the second serial port, power off.
#
# /mr-guest/env.sh (written by mkroot.sh) sets MR_BUILDDIR, MR_SRCDIR,
# MR_TEST_TIMEOUT and MR_TESTS_ENVIRONMENT (make's AM_TESTS_ENVIRONMENT).
# The report on /dev/ttyS1, which ci/kernels/collect.py reads:
#   @@mr-kernel RELEASE
#   @@mr-probe KEY ANSWER     (ci/kernels/probe.c)
#   @@mr-test NAME            then the test's output, base64
#   @@mr-end NAME STATUS SECONDS
#   @@mr-done
# The console (/dev/ttyS0) gets one progress line a test.
#
# SPDX-License-Identifier: MIT
PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
export PATH
umask 022

bb=/usr/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /run /tmp
$bb mount -t devpts devpts /dev/pts
$bb mount -t tmpfs -o mode=1777 tmpfs /dev/shm
$bb mount -t tmpfs -o mode=755 tmpfs /run
chmod 1777 /tmp
# a file system whose files are page cache, not shmem, as a disk's: the
# initramfs root is tmpfs (tests/kill-hostile maps a file and counts it)
mkdir -p /var/tmp
$bb mount -t ramfs -o mode=1777 ramfs /var/tmp
# cgroups as on the machines the suite runs on (Debian 12 hybrid): cgroup2
# at /sys/fs/cgroup/unified, the v1 freezer that holds victims beside it
$bb mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
mkdir -p /sys/fs/cgroup/unified /sys/fs/cgroup/freezer
$bb mount -t cgroup2 cgroup2 /sys/fs/cgroup/unified
$bb mount -t cgroup -o freezer freezer /sys/fs/cgroup/freezer
$bb hostname mr-guest

. /mr-guest/env.sh
report=/dev/ttyS1
kernel=$(uname -r)
echo "@@mr-kernel $kernel" >"$report"
# mr.probe on the command line: the stage only asks whether this
# accelerator gets the kernel as far as its init
case " $(cat /proc/cmdline) " in
*" mr.probe "*) echo "@@mr-done" >"$report"; $bb poweroff -f ;;
esac
# the kernel's own answers, for the table (ci/kernels/probe.c)
[ -x /mr-guest/probe ] && /mr-guest/probe /sys/fs/cgroup/unified >"$report" 2>&1
n=$(grep -c . /mr-guest/tests.list)
i=0
while read -r t; do
	[ -n "$t" ] || continue
	i=$((i + 1))
	log=/tmp/mr-guest-$i.log
	start=$(date +%s)
	# as automake's test driver does: from the build directory, the
	# test found there or else in the source tree, with make's
	# AM_TESTS_ENVIRONMENT; stdin from /dev/null
	(
		cd "$MR_BUILDDIR" || exit 99
		eval "$MR_TESTS_ENVIRONMENT"
		case $t in
		/*) prog=$t ;;
		*) if [ -e "./$t" ]; then prog=./$t; else prog=$MR_SRCDIR/$t; fi ;;
		esac
		exec timeout -k 10 "$MR_TEST_TIMEOUT" "$prog"
	) </dev/null >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	[ $rc -eq 124 ] && echo "kernels stage: $t timed out after $MR_TEST_TIMEOUT s" >>"$log"
	{
		echo "@@mr-test $t"
		base64 -w 76 "$log"
		echo "@@mr-end $t $rc $secs"
	} >"$report"
	printf '[%2d/%d] %-34s exit %3d  %4ds\n' "$i" "$n" "$t" "$rc" "$secs"
	rm -f "$log"
done </mr-guest/tests.list
echo "@@mr-done" >"$report"
sync
$bb poweroff -f
# not reached; with panic=-1 and -no-reboot qemu ends here too
exit 0
