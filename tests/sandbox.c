/*
 * sandbox.c - each wrapper under a seccomp filter that answers its system
 * call with ENOSYS (as a kernel without the call, or a sandbox that does
 * not know it), then with EPERM (a sandbox that denies it): -1 with that
 * errno, and the other calls unaffected.
 *
 * SPDX-License-Identifier: MIT
 *
 * Each filter is installed in a forked child: it cannot be removed.
 * Exits 77 where seccomp filters are not available.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "syscall-nr.h"
#include "testlib.h"

enum call { OPEN, KILL, MRELEASE };

static const long call_nr[] = {
	[OPEN] = MRELEASE_NR_pidfd_open,
	[KILL] = MRELEASE_NR_pidfd_send_signal,
	[MRELEASE] = MRELEASE_NR_process_mrelease,
};

/*
 * In a child: filter `which` to answer `err`, then call each wrapper with
 * arguments the kernel would accept (or, for process_mrelease, answer
 * EBADF).  Exit status: 0 when the filtered call gave -1/err, the others
 * their kernel answer, and no fd leaked; else which check failed.
 */
static int run_filtered(enum call which, int err)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int self = tl_raw_pidfd_open(getpid(), 0);
		int fds, r;

		if (self < 0)
			_exit(9);
		fds = tl_fd_count();
		if (tl_seccomp_errno(call_nr[which], err) < 0)
			_exit(10);
		errno = 0;
		r = pidfd_open(getpid(), 0);
		if (which == OPEN ? (r != -1 || errno != err) : r < 0)
			_exit(11);
		if (r >= 0)
			close(r);
		errno = 0;
		r = pidfd_kill(self, 0, 0);
		if (which == KILL ? (r != -1 || errno != err) : r != 0)
			_exit(12);
		errno = 0;
		r = process_mrelease(-1, 0);
		/* Unfiltered, the kernel's answer: EBADF, or ENOSYS where it
		 * lacks the call (Linux 5.15). */
		if (r != -1 || errno != (which == MRELEASE ? err :
					 tl_reap_missing() ? ENOSYS : EBADF))
			_exit(13);
		if (tl_fd_count() != fds)
			_exit(14);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child status 0x%x", status);
	return WEXITSTATUS(status);
}

#define EXPECT(which, err) do {						\
	TL_FD_BEGIN();							\
	int rc_ = run_filtered(which, err);				\
	ck_assert_msg(rc_ == 0, "exit %d (10: filter, 11: pidfd_open, "	\
		      "12: pidfd_kill, 13: process_mrelease, 14: fd leak)",	\
		      rc_);						\
	TL_FD_END();							\
} while (0)

START_TEST(t_mrelease_pidfd_open__ENOSYS__seccomp)
{
	EXPECT(OPEN, ENOSYS);
}
END_TEST

START_TEST(t_mrelease_pidfd_kill__ENOSYS__seccomp)
{
	EXPECT(KILL, ENOSYS);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__ENOSYS__seccomp)
{
	EXPECT(MRELEASE, ENOSYS);
}
END_TEST

START_TEST(t_mrelease_pidfd_open__EPERM__seccomp)
{
	EXPECT(OPEN, EPERM);
}
END_TEST

START_TEST(t_mrelease_pidfd_kill__EPERM__seccomp)
{
	EXPECT(KILL, EPERM);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__EPERM__seccomp)
{
	EXPECT(MRELEASE, EPERM);
}
END_TEST

/* In a child: does a SECCOMP_RET_ERRNO filter answer for a call? */
static int seccomp_answers(void *arg)
{
	(void)arg;
	/* EPERM: a kernel without the call answers ENOSYS by itself. */
	return tl_seccomp_errno(MRELEASE_NR_process_mrelease, EPERM) == 0 &&
	       tl_raw_process_mrelease(-1, 0) == -1 && errno == EPERM ? 0 : 1;
}

/* Before the run: the filters answer for the calls.  pidfd_open and
 * pidfd_send_signal must exist (tl_main's mask); process_mrelease need not:
 * a filter answers for a call the kernel lacks as for any other. */
static void need(void)
{
	int rc = tl_env_run(seccomp_answers, NULL);

	if (rc < 0)
		exit(99);
	if (rc != 0)
		tl_skip("no seccomp filters (SECCOMP_RET_ERRNO) here", "Linux 3.5");
}

TL_MAIN("sandbox", "seccomp", TL_CALLS_KILL, need, 0, 0)
