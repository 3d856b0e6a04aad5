#!/bin/sh
# valgrind-wrap.sh PROGRAM [ARG...] - run one test program under valgrind
# memcheck; the LOG_COMPILER of `make check-valgrind' (tests/hardening.mk).
#
# Fails (exit 99, a hard error for automake) on any memcheck error, on a
# definite or possible leak, and on an fd that the test program itself left
# open at exit (valgrind 3.19's --track-fds only reports; this script reads
# the report).  The program's forked children (Check runs every test in one)
# are traced too: their errors make them exit 99, which fails their test.
#
# Valgrind 3.19 does not know pidfd_open, pidfd_send_signal and
# process_mrelease and answers ENOSYS; tests/vg-syscall.c (LD_PRELOADed
# here) has the kernel run those three natively.  See RELEASE.md.
#
# Environment: VALGRIND, LIBTOOL, VG_SHIM (the shim's .so), VG_SUPPRESSIONS.
set -u
: "${VALGRIND:=valgrind}"
: "${LIBTOOL:=${top_builddir:-.}/libtool}"
: "${VG_SHIM:=${top_builddir:-.}/tests/.libs/libvgsyscall.so}"
: "${VG_SUPPRESSIONS:=${top_srcdir:-.}/tests/valgrind.supp}"

# Test scripts run as they are (automake hands every test without a
# registered extension to LOG_COMPILER): valgrind checks programs, ELF
# files or libtool's wrapper scripts for them, not the shell.
case $(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ') in
*ELF*) ;;
*)	grep -q 'temporary wrapper script for' "$1" 2>/dev/null || exec "$@" ;;
esac

if [ ! -f "$VG_SHIM" ]; then
	echo "valgrind-wrap: no $VG_SHIM (build it: make check-valgrind)" >&2
	exit 99
fi
logs=$(mktemp -d "${TMPDIR:-/tmp}/vg.XXXXXX") || exit 99
trap 'rm -rf "$logs"' EXIT

# Check's per-test timeouts, stretched for the simulated CPU.
CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-5}
export CK_TIMEOUT_MULTIPLIER
LD_PRELOAD="$VG_SHIM${LD_PRELOAD:+:$LD_PRELOAD}"
export LD_PRELOAD

"$LIBTOOL" --mode=execute "$VALGRIND" -q \
	--error-exitcode=99 --exit-on-first-error=no \
	--leak-check=full --show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible \
	--track-fds=yes --suppressions="$VG_SUPPRESSIONS" \
	--log-file="$logs/vg.%p" "$@" &
main=$!
wait $main
rc=$?
unset LD_PRELOAD

# Print every process's report, less the fd listings of the forked
# children (Check's own temporary files); fail on an fd that the program
# left open at exit, or that a child left open and that was opened below an
# mrelease_ function (the library's own).
leak=0
for f in "$logs"/vg.*; do
	[ -s "$f" ] || continue
	pid=${f##*.}
	main_proc=0
	[ "$pid" = "$main" ] && main_proc=1
	out=$(awk -v main_proc=$main_proc '
		function flush() {
			if (blk == "") return
			if (!inh && (main_proc || lib)) { leaks = leaks blk; bad = 1 }
			blk = ""; inh = 0; lib = 0
		}
		/FILE DESCRIPTORS: / { infd = 1; next }
		infd && /Open (file descriptor|[A-Za-z0-9_]+ socket) [0-9]+:/ { flush(); blk = $0 "\n"; next }
		infd && /<inherited from parent>/ { inh = 1; blk = blk $0 "\n"; next }
		infd && /(at|by) 0x/ { if ($0 ~ /mrelease_/) lib = 1; blk = blk $0 "\n"; next }
		infd && /^==[0-9]+== *$/ { next }
		{ flush(); infd = 0; rest = rest $0 "\n" }
		END { flush(); printf "%s", rest
		      if (bad) printf "%s==FDLEAK==\n", leaks }' "$f")
	case $out in
	*==FDLEAK==*) leak=1 ;;
	esac
	if [ -n "$(printf '%s' "$out" | grep -v '^==[0-9]*== *$')" ]; then
		echo "--- valgrind: process $pid" >&2
		printf '%s\n' "$out" >&2
	fi
done
if [ $leak -ne 0 ]; then
	echo "valgrind-wrap: $1 left an fd open at exit (see above)" >&2
	[ $rc -eq 0 ] && rc=99
fi
if grep -q 'unhandled .* syscall' "$logs"/vg.* 2>/dev/null; then
	echo "valgrind-wrap: valgrind met a system call it does not know" \
	     "(see above): extend tests/vg-syscall.c" >&2
	[ $rc -eq 0 ] && rc=99
fi
exit $rc
