/*
 * pidfd-kill.c - pidfd_kill(), that is pidfd_send_signal(2) with no
 * siginfo, through the library: every errno the kernel gives here.
 *
 * SPDX-License-Identifier: MIT
 *
 * The scope flags of Linux 6.9 (PIDFD_SIGNAL_PROCESS_GROUP) are in
 * pidfd-thread.c.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"

/* The victim behind pidfd has not been signalled: alive, not stopped. */
static void assert_untouched(pid_t pid, int pidfd)
{
	char st = tl_state(pid);

	ck_assert_msg(st == 'S' || st == 'R', "victim state %c", st ? st : '0');
	ck_assert_int_eq(pidfd_kill(pidfd, 0, 0), 0);
}

START_TEST(t_pidfd_kill_sigkill)
{
	int pidfd;
	pid_t pid = tl_victim_signalled(SIGKILL, &pidfd);

	tl_victim_died(pid, pidfd, SIGKILL);
	pid = tl_victim(0, -1, &pidfd);
	ck_assert_int_eq(mrelease_pidfd_kill(pidfd, SIGTERM, 0), 0);
	tl_victim_died(pid, pidfd, SIGTERM);
}
END_TEST

/* Signal 0: a liveness probe that changes nothing. */
START_TEST(t_pidfd_kill_signal_zero_probe)
{
	int pidfd;
	pid_t pid = tl_victim(0, -1, &pidfd);

	ck_assert_int_eq(pidfd_kill(pidfd, 0, 0), 0);
	ck_assert_int_eq(pidfd_kill(pidfd, 0, 0), 0);
	assert_untouched(pid, pidfd);
	tl_victim_reap(pid);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, 0, 0), ESRCH);
	close(pidfd);
}
END_TEST

START_TEST(t_mrelease_pidfd_kill__EINVAL__invalid_signal)
{
	int pidfd;
	pid_t pid = tl_victim(0, -1, &pidfd);

	TL_ASSERT_ERRNO(pidfd_kill(pidfd, 65, 0), EINVAL);	/* > _NSIG */
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, -1, 0), EINVAL);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, 1000, 0), EINVAL);
	assert_untouched(pid, pidfd);
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

START_TEST(t_mrelease_pidfd_kill__EINVAL__flags_8)
{
	int pidfd;
	pid_t pid = tl_victim(0, -1, &pidfd);

	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, 8), EINVAL);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, 0x80000000U), EINVAL);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, ~0U), EINVAL);
	/* Flags are checked before the fd. */
	TL_ASSERT_ERRNO(pidfd_kill(-1, SIGKILL, 8), EINVAL);
	assert_untouched(pid, pidfd);
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

START_TEST(t_mrelease_pidfd_kill__EINVAL__two_scope_bits)
{
	int pidfd;
	pid_t pid = tl_victim(0, -1, &pidfd);

	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, PIDFD_SIGNAL_THREAD |
				   PIDFD_SIGNAL_THREAD_GROUP), EINVAL);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, PIDFD_SIGNAL_THREAD_GROUP |
				   PIDFD_SIGNAL_PROCESS_GROUP), EINVAL);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, PIDFD_SIGNAL_THREAD |
				   PIDFD_SIGNAL_PROCESS_GROUP), EINVAL);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, PIDFD_SIGNAL_THREAD |
				   PIDFD_SIGNAL_THREAD_GROUP |
				   PIDFD_SIGNAL_PROCESS_GROUP), EINVAL);
	assert_untouched(pid, pidfd);
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

/* A child that drops to uid/gid 65534 signals a root victim: EPERM, even
 * through a pidfd that root opened.  Root only (skipped otherwise). */
START_TEST(t_mrelease_pidfd_kill__EPERM__other_user)
{
	int pidfd, status;
	pid_t pid = tl_victim(0, -1, &pidfd);
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		int r, e;

		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 ||
		    setuid(65534) < 0)
			_exit(10);
		errno = 0;
		r = pidfd_kill(pidfd, SIGKILL, 0);
		e = errno;
		if (r != -1 || e != EPERM)
			_exit(11);
		errno = 0;
		r = pidfd_kill(pidfd, 0, 0);	/* even the probe */
		if (r != -1 || errno != EPERM)
			_exit(12);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "unprivileged child: status 0x%x (10: setuid failed, "
		      "11: SIGKILL was not EPERM, 12: signal 0 was not EPERM)",
		      status);
	assert_untouched(pid, pidfd);
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

START_TEST(t_mrelease_pidfd_kill__ESRCH__waited)
{
	int pidfd;
	pid_t pid = tl_victim_signalled(SIGKILL, &pidfd);

	ck_assert_int_eq(tl_waitpid_killed(pid), SIGKILL);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, 0), ESRCH);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, 0, 0), ESRCH);
	/* Once reaped, the lookup fails before the signal is checked. */
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, 65, 0), ESRCH);
	close(pidfd);
}
END_TEST

/* A zombie still takes signals: 0. */
START_TEST(t_pidfd_kill_zombie)
{
	int pidfd;
	pid_t pid = tl_victim_signalled(SIGTERM, &pidfd);

	ck_assert_int_eq(tl_wait_zombie(pid), 0);
	ck_assert_int_eq(tl_state(pid), 'Z');
	ck_assert_int_eq(pidfd_kill(pidfd, 0, 0), 0);
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	ck_assert_int_eq(tl_state(pid), 'Z');
	/* It died of the first signal. */
	tl_victim_died(pid, pidfd, SIGTERM);
}
END_TEST

START_TEST(t_mrelease_pidfd_kill__EBADF__minus_one)
{
	TL_ASSERT_ERRNO(pidfd_kill(-1, 0, 0), EBADF);
	TL_ASSERT_ERRNO(pidfd_kill(-1, SIGKILL, 0), EBADF);
}
END_TEST

START_TEST(t_mrelease_pidfd_kill__EBADF__closed_fd)
{
	int pidfd;
	pid_t pid = tl_victim(0, -1, &pidfd);

	ck_assert_int_eq(close(pidfd), 0);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, 0), EBADF);
	ck_assert_int_ne(tl_state(pid), 'Z');
	ck_assert_int_ne(tl_state(pid), 0);
	tl_victim_reap(pid);
}
END_TEST

START_TEST(t_mrelease_pidfd_kill__EBADF__regular_file)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	TL_ASSERT_ERRNO(pidfd_kill(fd, 0, 0), EBADF);
	close(fd);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	TL_ASSERT_ERRNO(pidfd_kill(fd, SIGKILL, 0), EBADF);
	close(fd);
}
END_TEST

/* /proc/<pid>/task/<tid> directories are not accepted... */
START_TEST(t_mrelease_pidfd_kill__EBADF__proc_task_dir_fd)
{
	char path[64];
	int pidfd, dirfd;
	pid_t pid = tl_victim(0, -1, &pidfd);

	snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)pid, (int)pid);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dirfd, 0);
	TL_ASSERT_ERRNO(pidfd_kill(dirfd, SIGKILL, 0), EBADF);
	assert_untouched(pid, pidfd);
	close(dirfd);
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

/* ... but /proc/<pid> directories are (the 5.1 interface). */
START_TEST(t_pidfd_kill_proc_dir_fd)
{
	char path[64];
	int dirfd;
	pid_t pid = tl_victim(0, -1, NULL);

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dirfd, 0);
	ck_assert_int_eq(pidfd_kill(dirfd, SIGKILL, 0), 0);
	ck_assert_int_eq(tl_waitpid_killed(pid), SIGKILL);
	close(dirfd);
}
END_TEST

/* Before Linux 6.9 the kernel knows no scope flag: each one alone is
 * EINVAL, as mrelease_pidfd_kill(3) says of 5.10 and 6.1, and nothing is
 * sent (pidfd-thread.c has them where they exist). */
START_TEST(t_mrelease_pidfd_kill__EINVAL__scope_before_6_9)
{
	int pidfd;
	pid_t pid = tl_victim(0, -1, &pidfd);

	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, PIDFD_SIGNAL_THREAD), EINVAL);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, PIDFD_SIGNAL_THREAD_GROUP),
			EINVAL);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, PIDFD_SIGNAL_PROCESS_GROUP),
			EINVAL);
	assert_untouched(pid, pidfd);
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

int main(void)
{
	if (tl_kernel_version() >= 6009)
		tl_skip_test(t_mrelease_pidfd_kill__EINVAL__scope_before_6_9,
			     "a test of kernels before the scopes, Linux 6.9");
	if (geteuid() != 0)
		tl_skip_test(t_mrelease_pidfd_kill__EPERM__other_user,
			     "needs root to setuid(65534)");
	return TL_RUN("pidfd_kill", "pidfd_kill",
		     TL_CALLS_KILL, NULL, 0, TL_CHECK_FDS);
}
