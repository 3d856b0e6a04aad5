#!/bin/sh
# valgrind-wrap.sh PROGRAM [ARG...] - run one test program under valgrind
# memcheck; the LOG_COMPILER of `make check-valgrind' (Makefile.am).
#
# Fails (exit 99, a hard error for automake) on any memcheck error, leak or
# fd left open (valgrind 3.19's --track-fds only reports; this script reads
# every process's report: see below).
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
	--errors-for-leak-kinds=none \
	--track-fds=yes --suppressions="$VG_SUPPRESSIONS" \
	--log-file="$logs/vg.%p" "$@" &
main=$!
wait $main
rc=$?
unset LD_PRELOAD

# Each process's report, record by record (records end at a "==PID== "
# line).  Fails the test:
#  - any memcheck error (a record with a stack that is not a leak or an fd),
#    in any process: a forked child's exit status may be ignored by the test;
#  - a leak or an fd left open at exit in the test program itself, or in a
#    forked child (Check runs every test in one) when allocated or opened
#    below an mrelease_ function: the library's.  Other leaks of children
#    are what fork() copied and _exit() never freed: shown, not failed;
#  - a system call valgrind does not know.
bad=0
for f in "$logs"/vg.*; do
	[ -s "$f" ] || continue
	pid=${f##*.}
	main_proc=0
	[ "$pid" = "$main" ] && main_proc=1
	out=$(awk -v main_proc=$main_proc '
		function flush(   kind) {
			if (blk == "") return
			if (first ~ /Open (file descriptor|[A-Za-z0-9_]+ socket) [0-9]+:/)
				kind = inh ? "INHERITED" : "FD"
			else if (first ~ /are (definitely|indirectly|possibly) lost in loss record/)
				kind = "LEAK"
			else if (first ~ /unhandled .* syscall/)
				kind = "ERROR"
			else if (stack)
				kind = "ERROR"
			if (kind == "ERROR" || ((kind == "FD" || kind == "LEAK") && (main_proc || lib))) {
				printf "%s==FAIL:%s==\n", blk, kind
			} else if (kind != "FD" && kind != "INHERITED") {
				printf "%s", blk
			}
			blk = ""; first = ""; inh = 0; lib = 0; stack = 0
		}
		/FILE DESCRIPTORS: / { next }
		/^==[0-9]+== *$/ { flush(); next }
		{
			if (blk == "") first = $0
			blk = blk $0 "\n"
			if ($0 ~ /<inherited from parent>/) inh = 1
			if ($0 ~ /(at|by) 0x/) { stack = 1; if ($0 ~ /mrelease_|libmrelease/) lib = 1 }
		}
		END { flush() }' "$f")
	[ -n "$out" ] || continue
	echo "--- valgrind: process $pid" >&2
	printf '%s\n' "$out" >&2
	case $out in
	*==FAIL:*) bad=1 ;;
	esac
done
if [ $bad -ne 0 ]; then
	echo "valgrind-wrap: $1: valgrind found the errors, leaks or open fds" \
	     "marked ==FAIL:...== above" >&2
	[ $rc -eq 0 ] || [ $rc -eq 77 ] && rc=99
fi
exit $rc
