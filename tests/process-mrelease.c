/*
 * process-mrelease.c - process_mrelease(2) through the library: every errno
 * the kernel gives for a victim that is not held, and the reap race.
 *
 * SPDX-License-Identifier: MIT
 *
 * The victims held by the freezer (the memory really goes, CLONE_VM and
 * vfork sharers) are in process-mrelease-held.c.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"

#define MiB (1024UL * 1024UL)

START_TEST(t_mrelease_process_mrelease__EINVAL__flags)
{
	int pidfd;
	pid_t pid = tl_victim(0, -1, &pidfd);

	TL_ASSERT_ERRNO(process_mrelease(pidfd, 1), EINVAL);
	TL_ASSERT_ERRNO(process_mrelease(pidfd, UINT_MAX), EINVAL);
	/* Flags are checked first: even a dying process or a bad fd. */
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 1), EINVAL);
	TL_ASSERT_ERRNO(process_mrelease(-1, 1), EINVAL);
	tl_victim_died(pid, pidfd, SIGKILL);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__EBADF__minus_one)
{
	TL_ASSERT_ERRNO(process_mrelease(-1, 0), EBADF);
	TL_ASSERT_ERRNO(mrelease_process_mrelease(-1, 0), EBADF);
	TL_ASSERT_ERRNO(process_mrelease(INT_MAX, 0), EBADF);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__EBADF__closed_fd)
{
	int pidfd;
	pid_t pid = tl_victim_signalled(SIGKILL, &pidfd);

	ck_assert_int_eq(close(pidfd), 0);
	/* The number of the pidfd of a dying process, once closed. */
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), EBADF);
	ck_assert_int_eq(tl_waitpid_killed(pid), SIGKILL);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__EBADF__regular_file)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	TL_ASSERT_ERRNO(process_mrelease(fd, 0), EBADF);
	close(fd);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	TL_ASSERT_ERRNO(process_mrelease(fd, 0), EBADF);
	close(fd);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__EBADF__proc_dir_fd)
{
	char path[64];
	int pidfd, dirfd;
	pid_t pid = tl_victim(0, -1, &pidfd);

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dirfd, 0);
	TL_ASSERT_ERRNO(process_mrelease(dirfd, 0), EBADF);
	/* Not a question of the victim's state: still EBADF once it is
	 * dying (pidfd_send_signal accepts such an fd, this call does not). */
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	TL_ASSERT_ERRNO(process_mrelease(dirfd, 0), EBADF);
	close(dirfd);
	tl_victim_died(pid, pidfd, SIGKILL);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__EINVAL__live)
{
	int pidfd;
	pid_t pid = tl_victim(4 * MiB, -1, &pidfd);
	long before = tl_status_kb(pid, "RssAnon");

	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), EINVAL);
	/* Nothing was taken from the live process. */
	ck_assert_int_ne(tl_state(pid), 'Z');
	ck_assert_int_ge(tl_status_kb(pid, "RssAnon"), before);
	ck_assert_int_eq(pidfd_kill(pidfd, 0, 0), 0);
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__EINVAL__stopped)
{
	int pidfd, status;
	pid_t pid = tl_victim_signalled(SIGSTOP, &pidfd);

	ck_assert_int_eq(waitpid(pid, &status, WUNTRACED), pid);
	ck_assert(WIFSTOPPED(status));
	ck_assert_int_eq(tl_state(pid), 'T');
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), EINVAL);
	ck_assert_int_eq(tl_state(pid), 'T');
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__EINVAL__sigterm_ignored)
{
	int pidfd;
	pid_t pid = tl_victim_ignoring_term(0, &pidfd);

	ck_assert_int_eq(pidfd_kill(pidfd, SIGTERM, 0), 0);
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), EINVAL);
	/* It ignored the signal: still alive. */
	ck_assert_int_eq(pidfd_kill(pidfd, 0, 0), 0);
	ck_assert_int_ne(tl_state(pid), 'Z');
	ck_assert_int_ne(tl_state(pid), 0);
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	tl_victim_died(pid, pidfd, SIGKILL);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__ESRCH__zombie)
{
	int pidfd;
	pid_t pid = tl_victim(4 * MiB, -1, &pidfd);

	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	ck_assert_int_eq(tl_wait_zombie(pid), 0);
	ck_assert_int_eq(tl_state(pid), 'Z');
	/* Exited, not waited for: no thread has an mm any more. */
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), ESRCH);
	ck_assert_int_eq(tl_state(pid), 'Z');
	tl_victim_died(pid, pidfd, SIGKILL);
}
END_TEST

START_TEST(t_mrelease_process_mrelease__ESRCH__waited)
{
	int pidfd;
	pid_t pid = tl_victim_signalled(SIGKILL, &pidfd);

	ck_assert_int_eq(tl_waitpid_killed(pid), SIGKILL);
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), ESRCH);
	close(pidfd);
}
END_TEST

/*
 * SIGKILL, then reap at once, without holding the victim: 0, unless the
 * victim won the race to its own exit_mm() (ESRCH).  As the kernel's
 * selftest (mm/mrelease_test.c) does, retry with a victim twice as large;
 * anything but 0 or ESRCH fails, and so does never getting 0.
 */
START_TEST(t_process_mrelease_after_sigkill)
{
	size_t size = 4 * MiB;
	int reaped = 0, races = 0, i;

	/* The race is to the victim's exit_mm(), which clears its mm before
	 * the unmapping starts, so size helps little: on an idle machine the
	 * victim can win several times in a row.  Try up to 20 times. */
	cpu_set_t all, one;
	int cpu = sched_getcpu() < 0 ? 0 : sched_getcpu();

	/* On a slow machine (a TCG guest) the victim wins every time: every
	 * other try, it shares the killer's CPU as SCHED_IDLE (nice 19 where
	 * that is refused), so that it cannot
	 * run until the killer is in process_mrelease(). */
	ck_assert_int_eq(sched_getaffinity(0, sizeof(all), &all), 0);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	for (i = 0; i < 20 && !reaped; i++, size = size < 256 * MiB ? size * 2 : size) {
		int pidfd, r, e, shared = i % 2;
		pid_t pid;

		if (shared)
			ck_assert_int_eq(sched_setaffinity(0, sizeof(one), &one), 0);
		pid = tl_victim(size, shared ? cpu : -1, &pidfd);
		if (shared) {
			/* SCHED_IDLE: its wakeup by SIGKILL never preempts
			 * the killer (a nice-19 sleeper's lag can, on
			 * EEVDF); nice 19 where that is refused. */
			struct sched_param sp = { .sched_priority = 0 };

			if (syscall(SYS_sched_setscheduler, pid, SCHED_IDLE,
				    &sp) != 0)
				ck_assert_int_eq(setpriority(PRIO_PROCESS,
							     (id_t)pid, 19), 0);
		}
		ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
		errno = 0;
		r = process_mrelease(pidfd, 0);
		e = errno;
		ck_assert_int_eq(tl_waitpid_killed(pid), SIGKILL);
		close(pidfd);
		if (shared)
			ck_assert_int_eq(sched_setaffinity(0, sizeof(all), &all), 0);
		if (r == 0) {
			reaped = 1;
		} else {
			ck_assert_msg(r == -1 && e == ESRCH,
				      "process_mrelease = %d, errno %s", r,
				      strerror(e));
			races++;
		}
	}
	if (races)
		printf("t_process_mrelease_after_sigkill: lost the race to "
		       "the victim's exit %d time(s), retried larger\n", races);
	ck_assert_msg(reaped, "process_mrelease never returned 0");
}
END_TEST

/* Before Linux 5.15 the kernel has no such call: whatever the fd and
 * the state of its process, ENOSYS; the process is left as it was. */
START_TEST(t_mrelease_process_mrelease__ENOSYS__kernel)
{
	int pidfd;
	pid_t pid = tl_victim(4 * MiB, -1, &pidfd);
	long before = tl_status_kb(pid, "RssAnon");

	TL_ASSERT_ERRNO(process_mrelease(-1, 0), ENOSYS);
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 1), ENOSYS);
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), ENOSYS);
	ck_assert_int_ge(tl_status_kb(pid, "RssAnon"), before);
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), ENOSYS);
	tl_victim_died(pid, pidfd, SIGKILL);
}
END_TEST

int main(void)
{
	tl_skip_test_without_reap(t_mrelease_process_mrelease__EINVAL__flags);
	tl_skip_test_without_reap(t_mrelease_process_mrelease__EBADF__minus_one);
	tl_skip_test_without_reap(t_mrelease_process_mrelease__EBADF__closed_fd);
	tl_skip_test_without_reap(t_mrelease_process_mrelease__EBADF__regular_file);
	tl_skip_test_without_reap(t_mrelease_process_mrelease__EBADF__proc_dir_fd);
	tl_skip_test_without_reap(t_mrelease_process_mrelease__EINVAL__live);
	tl_skip_test_without_reap(t_mrelease_process_mrelease__EINVAL__stopped);
	tl_skip_test_without_reap(t_mrelease_process_mrelease__EINVAL__sigterm_ignored);
	tl_skip_test_without_reap(t_mrelease_process_mrelease__ESRCH__zombie);
	tl_skip_test_without_reap(t_mrelease_process_mrelease__ESRCH__waited);
	tl_skip_test_without_reap(t_process_mrelease_after_sigkill);
	tl_skip_test_with_reap(t_mrelease_process_mrelease__ENOSYS__kernel);
	return TL_RUN("process_mrelease", "process_mrelease",
		      TL_CALLS_KILL, NULL, 0, TL_CHECK_FDS);
}
