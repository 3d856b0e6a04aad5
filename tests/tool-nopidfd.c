/*
 * tool-nopidfd.c - run a command where pidfd_open(2) answers ENOSYS, as on
 * Linux before 5.3: tool-nopidfd PROGRAM ARGS...
 *
 * SPDX-License-Identifier: MIT
 *
 * The seccomp filter (tests/testlib.c) survives execve(2), so mrelease(1)
 * run through this sees no pidfds and must fall back to kill(2).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "testlib.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: tool-nopidfd PROGRAM ARGS...\n");
		return 2;
	}
#ifdef SYS_pidfd_open
	if (tl_seccomp_errno(SYS_pidfd_open, ENOSYS) < 0) {
		perror("tool-nopidfd: seccomp");
		return 77;
	}
#else
	return 77;
#endif
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
