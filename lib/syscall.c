/*
 * syscall.c - pidfd_open(2), pidfd_send_signal(2), process_mrelease(2)
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
#include "syscall-nr.h"

#if MRELEASE_NR_pidfd_open < 0 || MRELEASE_NR_pidfd_send_signal < 0 || \
	MRELEASE_NR_process_mrelease < 0
static int no_syscall(void)
{
	errno = ENOSYS;
	return -1;
}
#endif

MRELEASE_EXPORT int mrelease_pidfd_open(pid_t pid, unsigned int flags)
{
#if MRELEASE_NR_pidfd_open < 0
	(void)pid;
	(void)flags;
	return no_syscall();
#else
	return (int)syscall(MRELEASE_NR_pidfd_open, pid, flags);
#endif
}

MRELEASE_EXPORT int mrelease_pidfd_kill(int pidfd, int sig, unsigned int flags)
{
#if MRELEASE_NR_pidfd_send_signal < 0
	(void)pidfd;
	(void)sig;
	(void)flags;
	return no_syscall();
#else
	return (int)syscall(MRELEASE_NR_pidfd_send_signal, pidfd, sig,
			    (void *)NULL, flags);
#endif
}

MRELEASE_EXPORT int mrelease_process_mrelease(int pidfd, unsigned int flags)
{
#if MRELEASE_NR_process_mrelease < 0
	(void)pidfd;
	(void)flags;
	return no_syscall();
#else
	return (int)syscall(MRELEASE_NR_process_mrelease, pidfd, flags);
#endif
}

MRELEASE_EXPORT const char *mrelease_version(void)
{
	return PACKAGE_VERSION;
}
