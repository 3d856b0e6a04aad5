/*
 * pidfd-thread.c - the pidfd features of Linux 6.9: PIDFD_THREAD pidfds and
 * the PIDFD_SIGNAL_* scopes, through the library.  Exits 77 on older
 * kernels.
 *
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"

static int reaped_by(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : -1;
}

/* PIDFD_THREAD: a pidfd for a thread that is not the leader. */
START_TEST(t_pidfd_open_thread_non_leader)
{
	TL_FD_BEGIN();
	pid_t tid;
	pid_t pid = tl_victim_threaded(0, &tid, NULL);
	int fd = pidfd_open(tid, PIDFD_THREAD);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(tl_fdinfo_pid(fd), tid);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(pidfd_kill(fd, 0, 0), 0);
	close(fd);
	/* The leader with PIDFD_THREAD, and with PIDFD_NONBLOCK as well. */
	fd = pidfd_open(pid, PIDFD_THREAD | PIDFD_NONBLOCK);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	close(fd);
	tl_victim_reap(pid);
	TL_FD_END();
}
END_TEST

/* process_mrelease looks a pidfd up as a thread group: the PIDFD_THREAD
 * pidfd of a non-leader thread finds none, live or dying. */
START_TEST(t_mrelease_process_mrelease__ESRCH__thread_pidfd)
{
	TL_FD_BEGIN();
	pid_t tid;
	int pidfd;
	pid_t pid = tl_victim_threaded(4 << 20, &tid, &pidfd);
	int tfd = pidfd_open(tid, PIDFD_THREAD);

	ck_assert_int_ge(tfd, 0);
	TL_ASSERT_ERRNO(process_mrelease(tfd, 0), ESRCH);
	/* The process pidfd of the same live process: EINVAL, not dying. */
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), EINVAL);
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	TL_ASSERT_ERRNO(process_mrelease(tfd, 0), ESRCH);
	ck_assert_int_eq(reaped_by(pid), SIGKILL);
	close(tfd);
	close(pidfd);
	TL_FD_END();
}
END_TEST

/*
 * PIDFD_SIGNAL_PROCESS_GROUP: the victim leads a process group that also
 * holds its own child; one call kills both.  The grandchild does not die
 * with its parent (no PR_SET_PDEATHSIG), so its death shows the group was
 * signalled; it leaves by itself only when this test's process is gone
 * (end of file on a pipe), so that it never outlives a failed test.
 */
START_TEST(t_pidfd_kill_process_group)
{
	TL_FD_BEGIN();
	int p[2], life[2], pidfd, gfd;
	pid_t pid, grandchild;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(life, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pid_t g;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(life[1]);
		if (setpgid(0, 0) < 0)
			_exit(2);
		g = fork();
		if (g < 0)
			_exit(3);
		if (g == 0) {
			char c;

			while (read(life[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		if (write(p[1], &g, sizeof(g)) != (ssize_t)sizeof(g))
			_exit(4);
		for (;;)
			pause();
	}
	close(p[1]);
	close(life[0]);
	ck_assert_int_eq(read(p[0], &grandchild, sizeof(grandchild)),
			 sizeof(grandchild));
	close(p[0]);
	pidfd = pidfd_open(pid, 0);
	gfd = pidfd_open(grandchild, 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_ge(gfd, 0);
	ck_assert_int_eq(getpgid(grandchild), pid);
	ck_assert_int_ne(getpgid(0), pid);
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, PIDFD_SIGNAL_PROCESS_GROUP), 0);
	ck_assert_int_eq(reaped_by(pid), SIGKILL);
	/* The grandchild exits too (init reaps it). */
	ck_assert_msg(tl_pidfd_exited(gfd), "the group's other process lives");
	close(life[1]);
	close(gfd);
	close(pidfd);
	TL_FD_END();
}
END_TEST

/* A pidfd whose pid leads no process group: ESRCH for the group scope. */
START_TEST(t_mrelease_pidfd_kill__ESRCH__not_a_group_leader)
{
	TL_FD_BEGIN();
	int pidfd;
	pid_t pid = tl_victim(0, -1, &pidfd);

	ck_assert_int_ne(getpgid(pid), pid);
	TL_ASSERT_ERRNO(pidfd_kill(pidfd, SIGKILL, PIDFD_SIGNAL_PROCESS_GROUP),
			ESRCH);
	ck_assert_int_eq(pidfd_kill(pidfd, 0, 0), 0);
	tl_victim_reap(pid);
	close(pidfd);
	TL_FD_END();
}
END_TEST

/* Before the run: what these tests need beside the calls. */
static void need(void)
{
	int fd = tl_raw_pidfd_open(getpid(), PIDFD_THREAD);

	if (fd < 0 && errno == EINVAL)
		tl_skip("kernel lacks PIDFD_THREAD", "Linux 6.9");
	if (fd >= 0)
		close(fd);
	if (tl_raw_pidfd_kill(-1, 0, PIDFD_SIGNAL_PROCESS_GROUP) < 0 &&
	    errno == EINVAL)
		tl_skip("kernel lacks PIDFD_SIGNAL_PROCESS_GROUP", "Linux 6.9");
}

int main(void)
{
	Suite *s = suite_create("pidfd_6.9");
	TCase *tc = tcase_create("pidfd_thread");

	tcase_add_test(tc, t_pidfd_open_thread_non_leader);
	tcase_add_test(tc, t_mrelease_process_mrelease__ESRCH__thread_pidfd);
	tcase_add_test(tc, t_pidfd_kill_process_group);
	tcase_add_test(tc, t_mrelease_pidfd_kill__ESRCH__not_a_group_leader);
	suite_add_tcase(s, tc);
	return tl_main(s, MRELEASE_HAVE_PIDFD_OPEN | MRELEASE_HAVE_PIDFD_KILL |
			  MRELEASE_HAVE_PROCESS_MRELEASE, need);
}
