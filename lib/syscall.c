/*
 * syscall.c - pidfd_open(2), pidfd_send_signal(2), process_mrelease(2),
 * the version, and mrelease_probe()
 *
 * SPDX-License-Identifier: MIT
 *
 * Raw syscall(2), never libc's wrappers: the library must load on a glibc
 * older than 2.36 and on musl.  Arguments go to the kernel unchanged, so a
 * flag a later kernel adds works without a new release; the result is the
 * kernel's, -1 with errno on failure.  No state: thread- and
 * async-signal-safe (syscall(2) only writes errno).
 */
#include <errno.h>
#include <stddef.h>
#include <unistd.h>

#include "internal.h"

/*
 * The kernel's results here (-1, an fd, 0) all fit an int.  Where an int
 * and a long come back in the same register with the same bits for those
 * values (LP64 x86-64 and aarch64), call libc's syscall() through a
 * declaration that returns int: then `return sys_int(...)` is a tail call,
 * and each wrapper costs a jump more than syscall() itself.  gcc does not
 * tail-call `return (int)syscall(...)` (it narrows the result first), which
 * costs a stack frame per call.  Elsewhere, the plain cast.
 */
#if (defined(__x86_64__) && !defined(__ILP32__)) || \
	(defined(__aarch64__) && !defined(__ILP32__))
extern int mrelease_sys_int(long nr, ...) __asm__("syscall");
# define SYSCALL_INT(...) mrelease_sys_int(__VA_ARGS__)
#else
# define SYSCALL_INT(...) ((int)syscall(__VA_ARGS__))
#endif

/* A build without a number for a call (headers and fallback table both
 * lack it) gives ENOSYS. */
static inline int no_syscall(void)
{
	errno = ENOSYS;
	return -1;
}

/* The call nr, or no_syscall() where nr is -1: nr is a constant, so only
 * one of the two is compiled into the wrapper. */
#define SYSCALL_OR_ENOSYS(nr, ...) \
	((nr) < 0 ? no_syscall() : SYSCALL_INT((nr), __VA_ARGS__))

MRELEASE_EXPORT int mrelease_pidfd_open(pid_t pid, unsigned int flags)
{
	return SYSCALL_OR_ENOSYS(MRELEASE_NR_pidfd_open, pid, flags);
}

MRELEASE_EXPORT int mrelease_pidfd_kill(int pidfd, int sig, unsigned int flags)
{
	return SYSCALL_OR_ENOSYS(MRELEASE_NR_pidfd_send_signal, pidfd, sig,
				 (void *)NULL, flags);
}

MRELEASE_EXPORT int mrelease_process_mrelease(int pidfd, unsigned int flags)
{
	return SYSCALL_OR_ENOSYS(MRELEASE_NR_process_mrelease, pidfd, flags);
}

MRELEASE_EXPORT const char *mrelease_version(void)
{
	return PACKAGE_VERSION;
}

/* A call given an argument it can only refuse is present unless it
 * answered ENOSYS, or EPERM from a seccomp filter. */
static unsigned int present(int r, unsigned int bit)
{
	return r < 0 && errno != ENOSYS && errno != EPERM ? bit : 0;
}

MRELEASE_EXPORT unsigned int mrelease_probe(void)
{
	unsigned int have = 0;

	have |= present(mrelease_pidfd_open(0, 0), MRELEASE_HAVE_PIDFD_OPEN);
	have |= present(mrelease_pidfd_kill(-1, 0, 0), MRELEASE_HAVE_PIDFD_KILL);
	have |= present(mrelease_process_mrelease(-1, 0),
			MRELEASE_HAVE_PROCESS_MRELEASE);
	return have;
}
