/*
 * pidfd-open.c - pidfd_open(2) through the library: every errno the kernel
 * gives here, and the flags of the fd it returns.
 *
 * SPDX-License-Identifier: MIT
 *
 * PIDFD_THREAD (Linux 6.9) is in pidfd-thread.c.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"

/* The "Pid:" line of /proc/self/fdinfo/<fd>, or -2. */
START_TEST(t_pidfd_open_self)
{
	int fd = pidfd_open(getpid(), 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(tl_fdinfo_pid(fd), getpid());
	/* Always close-on-exec; blocking unless PIDFD_NONBLOCK. */
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
	fd = mrelease_pidfd_open(getpid(), 0);
	ck_assert_int_ge(fd, 0);
	close(fd);
}
END_TEST

START_TEST(t_pidfd_open_nonblock)
{
	int fd;

	if (tl_kernel_version() < 5010) {
		/* PIDFD_NONBLOCK came in Linux 5.10. */
		TL_ASSERT_ERRNO(pidfd_open(getpid(), PIDFD_NONBLOCK), EINVAL);
	} else {
		fd = pidfd_open(getpid(), PIDFD_NONBLOCK);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
		ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
		close(fd);
	}
}
END_TEST

START_TEST(t_mrelease_pidfd_open__EINVAL__unknown_flags)
{
	TL_ASSERT_ERRNO(pidfd_open(getpid(), 1), EINVAL);
	TL_ASSERT_ERRNO(pidfd_open(getpid(), PIDFD_NONBLOCK | 1), EINVAL);
	TL_ASSERT_ERRNO(pidfd_open(getpid(), O_CLOEXEC), EINVAL);
	TL_ASSERT_ERRNO(pidfd_open(getpid(), O_RDWR), EINVAL);
	TL_ASSERT_ERRNO(pidfd_open(getpid(), UINT_MAX), EINVAL);
	/* Flags are checked before the pid. */
	TL_ASSERT_ERRNO(pidfd_open(0, 1), EINVAL);
}
END_TEST

START_TEST(t_mrelease_pidfd_open__EINVAL__pid_zero)
{
	TL_ASSERT_ERRNO(pidfd_open(0, 0), EINVAL);
}
END_TEST

START_TEST(t_mrelease_pidfd_open__EINVAL__negative_pid)
{
	TL_ASSERT_ERRNO(pidfd_open(-1, 0), EINVAL);
	TL_ASSERT_ERRNO(pidfd_open(-(pid_t)getpid(), 0), EINVAL);
	TL_ASSERT_ERRNO(pidfd_open(INT_MIN, 0), EINVAL);
}
END_TEST

START_TEST(t_mrelease_pidfd_open__ESRCH__no_such_pid)
{
	long pid_max = 4194304;	/* PID_MAX_LIMIT: the largest pid_max */
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");

	if (f) {
		ck_assert_int_eq(fscanf(f, "%ld", &pid_max), 1);
		fclose(f);
	}
	/* Pids are below pid_max: pid_max itself never exists. */
	TL_ASSERT_ERRNO(pidfd_open((pid_t)pid_max, 0), ESRCH);
	TL_ASSERT_ERRNO(pidfd_open(INT_MAX, 0), ESRCH);
}
END_TEST

START_TEST(t_mrelease_pidfd_open__ESRCH__waited)
{
	pid_t pid = tl_victim(0, -1, NULL);

	tl_victim_reap(pid);
	TL_ASSERT_ERRNO(pidfd_open(pid, 0), ESRCH);
}
END_TEST

/* A zombie (exited, not yet waited for) still gets a pidfd. */
START_TEST(t_pidfd_open_zombie)
{
	pid_t pid = tl_victim(0, -1, NULL);
	int fd;

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(tl_wait_zombie(pid), 0);
	fd = pidfd_open(pid, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(tl_fdinfo_pid(fd), pid);
	tl_victim_reap(pid);
	/* Once reaped, the pidfd says so. */
	ck_assert_int_eq(tl_fdinfo_pid(fd), -1);
	close(fd);
}
END_TEST

/*
 * The id of a thread that is not its process's leader, without
 * PIDFD_THREAD: ENOENT since Linux 6.16 ("pidfd: improve uapi when task
 * isn't found", 8cf4b738f6d8), EINVAL on 5.3-6.15.  The wrapper passes the
 * kernel's errno through, so either is right, nothing else is.
 */
START_TEST(t_mrelease_pidfd_open__ENOENT__non_leader_tid)
{
	pid_t tid;
	pid_t pid = tl_victim_threaded(0, &tid, NULL);
	int r, e;

	ck_assert_int_ne(tid, pid);
	errno = 0;
	r = pidfd_open(tid, 0);
	e = errno;
	ck_assert_int_eq(r, -1);
	/* As mrelease_pidfd_open(3) says, kernel by kernel. */
	if (tl_kernel_version() >= 6016)
		ck_assert_msg(e == ENOENT, "errno %s, expected ENOENT", strerror(e));
	else
		ck_assert_msg(e == EINVAL, "errno %s, expected EINVAL (before "
			      "Linux 6.16)", strerror(e));
	/* The leader works. */
	r = pidfd_open(pid, 0);
	ck_assert_int_ge(r, 0);
	close(r);
	tl_victim_reap(pid);
}
END_TEST

START_TEST(t_mrelease_pidfd_open__EMFILE__rlimit_nofile)
{
	struct rlimit old, lim;
	int *fds, n = 0, i, r, e = 0, top = 0, cap;

	/* The limit is on fd numbers: just above the highest open one. */
	for (i = 0; i < 4096; i++)
		if (fcntl(i, F_GETFD) >= 0)
			top = i;
	cap = top + 8;
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	lim = old;
	lim.rlim_cur = (rlim_t)cap;
	ck_assert(lim.rlim_cur <= old.rlim_max);
	fds = calloc((size_t)cap, sizeof(*fds));
	ck_assert_ptr_nonnull(fds);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &lim), 0);
	while (n < cap) {
		errno = 0;
		r = pidfd_open(getpid(), 0);
		e = errno;
		if (r < 0)
			break;
		fds[n++] = r;
	}
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	ck_assert_msg(n < cap, "%d pidfds opened under RLIMIT_NOFILE %d", n, cap);
	ck_assert_msg(e == EMFILE, "errno %s, expected EMFILE", strerror(e));
	ck_assert_int_gt(n, 0);
}
END_TEST

/* Before Linux 6.9 the kernel knows no PIDFD_THREAD: EINVAL, as
 * mrelease_pidfd_open(3) says of 5.10 and 6.1 (pidfd-thread.c has the
 * flag where it exists). */
START_TEST(t_mrelease_pidfd_open__EINVAL__thread_before_6_9)
{
	pid_t tid;
	pid_t pid = tl_victim_threaded(0, &tid, NULL);

	TL_ASSERT_ERRNO(pidfd_open(pid, PIDFD_THREAD), EINVAL);
	TL_ASSERT_ERRNO(pidfd_open(tid, PIDFD_THREAD), EINVAL);
	TL_ASSERT_ERRNO(pidfd_open(getpid(), PIDFD_THREAD | PIDFD_NONBLOCK),
			EINVAL);
	tl_victim_reap(pid);
}
END_TEST

int main(void)
{
	if (tl_kernel_version() >= 6009)
		tl_skip_test(t_mrelease_pidfd_open__EINVAL__thread_before_6_9,
			     "a test of kernels before PIDFD_THREAD, Linux 6.9");
	if (tl_under_valgrind())
		tl_skip_test(t_mrelease_pidfd_open__EMFILE__rlimit_nofile,
			     "valgrind keeps RLIMIT_NOFILE to itself");
	return TL_RUN("pidfd_open", "pidfd_open",
		     MRELEASE_HAVE_PIDFD_OPEN, NULL, 0, TL_CHECK_FDS);
}
