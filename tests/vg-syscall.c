/*
 * vg-syscall.c - let valgrind 3.19 run pidfd_open, pidfd_send_signal and
 * process_mrelease (LD_PRELOADed by tests/valgrind-wrap.sh only)
 *
 * SPDX-License-Identifier: MIT
 *
 * Valgrind 3.19 (Debian 12) has no wrappers for system calls 424, 434 and
 * 448: it prints "WARNING: unhandled amd64-linux syscall" and answers ENOSYS
 * without asking the kernel.  Run under it as is, every test would take its
 * ENOSYS path (or skip), and memcheck would check the wrong code.
 *
 * This shim interposes libc's syscall() - which the library and tests/testlib
 * use for exactly these three calls - and, only when running under valgrind,
 * has the valgrind core execute those three numbers natively on the real CPU
 * (VALGRIND_NON_SIMD_CALL1: the function runs outside the simulated CPU, so
 * its `syscall' instruction reaches the kernel).  The three calls take no
 * pointer (the library always passes a NULL siginfo), so memcheck misses no
 * memory access by not seeing them; what it cannot do is track the pidfd
 * that pidfd_open returns for --track-fds: the tests count their fds
 * themselves (tl_fd_count).  Every other number, and every call made
 * outside valgrind, goes to libc's syscall() unchanged.
 *
 * The native function runs on valgrind's stack with valgrind's thread
 * pointer, so it must not touch libc (errno is thread-local): it is inline
 * assembly and returns the raw -errno, which the caller turns into errno.
 * Architectures without that assembly here get a plain pass-through.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include "syscall-nr.h"

#ifdef HAVE_VALGRIND_VALGRIND_H
# include <valgrind/valgrind.h>
#endif

long syscall(long nr, ...);

struct native_call {
	long nr;
	long arg[6];
	long ret;
};

#if defined(HAVE_VALGRIND_VALGRIND_H) && defined(__x86_64__) && !defined(__ILP32__)
# define HAVE_NATIVE 1
static long native(long tid, struct native_call *c)
{
	register long r10 __asm__("r10") = c->arg[3];
	register long r8 __asm__("r8") = c->arg[4];
	register long r9 __asm__("r9") = c->arg[5];
	long ret;

	(void)tid;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(c->nr), "D"(c->arg[0]), "S"(c->arg[1]),
			   "d"(c->arg[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	c->ret = ret;
	return 0;
}
#elif defined(HAVE_VALGRIND_VALGRIND_H) && defined(__aarch64__)
# define HAVE_NATIVE 1
static long native(long tid, struct native_call *c)
{
	register long x8 __asm__("x8") = c->nr;
	register long x0 __asm__("x0") = c->arg[0];
	register long x1 __asm__("x1") = c->arg[1];
	register long x2 __asm__("x2") = c->arg[2];
	register long x3 __asm__("x3") = c->arg[3];
	register long x4 __asm__("x4") = c->arg[4];
	register long x5 __asm__("x5") = c->arg[5];

	(void)tid;
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	c->ret = x0;
	return 0;
}
#endif

static int unhandled_by_valgrind(long nr)
{
	return nr == MRELEASE_NR_pidfd_open ||
	       nr == MRELEASE_NR_pidfd_send_signal ||
	       nr == MRELEASE_NR_process_mrelease;
}

long syscall(long nr, ...)
{
	static long (*next)(long, ...);
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);

#ifdef HAVE_NATIVE
	if (RUNNING_ON_VALGRIND && unhandled_by_valgrind(nr)) {
		struct native_call c = {
			.nr = nr,
			.arg = { a[0], a[1], a[2], a[3], a[4], a[5] },
		};

		VALGRIND_NON_SIMD_CALL1(native, &c);
		if (c.ret < 0 && c.ret > -4096) {
			errno = (int)-c.ret;
			return -1;
		}
		return c.ret;
	}
#else
	(void)unhandled_by_valgrind;
#endif
	if (!next) {
		next = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
		if (!next) {
			errno = ENOSYS;
			return -1;
		}
	}
	return next(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
