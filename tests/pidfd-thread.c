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
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"

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
	close(tfd);
	tl_victim_died(pid, pidfd, SIGKILL);
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
	ck_assert_int_eq(tl_waitpid_killed(pid), SIGKILL);
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

/* ---- mrelease_kill() of a thread pidfd ----------------------------- */

#define THREAD_VICTIM (64 << 20)

enum { TG_PLAIN, TG_NO_GET_INFO, TG_NOTHING, TG_NO_FD };

/* The call, made in an environment child (or here for TG_PLAIN): the
 * result comes back through shared memory. */
struct tg {
	int how;
	int tfd;
	int rc, err;
	struct mrelease_result r;
};

static int tg_call(void *arg)
{
	struct tg *t = arg;

	if (t->how == TG_NOTHING) {
		/* No /proc of ours to read Tgid from. */
		TL_ENV_ASSERT(tl_proc_hide(0) == 0, "tmpfs on /proc: %s",
			      strerror(errno));
	}
	if (t->how == TG_NO_FD) {
		struct rlimit rl = { 64, 64 };

		/* Not one fd left for the process's pidfd. */
		TL_ENV_ASSERT(setrlimit(RLIMIT_NOFILE, &rl) == 0 &&
			      t->tfd < 64, "setrlimit 64");
		while (open("/dev/null", O_RDONLY | O_CLOEXEC) >= 0)
			;
		TL_ENV_ASSERT(errno == EMFILE, "fill: %s", strerror(errno));
	}
	/* No PIDFD_GET_INFO, as before Linux 6.13. */
	if (t->how == TG_NO_GET_INFO || t->how == TG_NOTHING)
		TL_ENV_ASSERT(tl_seccomp_errno(SYS_ioctl, ENOTTY) == 0,
			      "seccomp: %s", strerror(errno));
	memset(&t->r, 0, sizeof(t->r));
	errno = 0;
	t->rc = mrelease_kill(t->tfd, MRELEASE_MEASURE, &t->r, sizeof(t->r));
	t->err = t->rc ? errno : 0;
	return 0;
}

/*
 * A PIDFD_THREAD pidfd of a non-leader thread: killed and reaped through
 * its thread group (PIDFD_GET_INFO, else /proc/<tid>/status), held so
 * that the reap cannot lose to the victim's own exit; or, where neither
 * tells the group, EINVAL before any signal.  Never "freed itself".
 */
static void kill_thread_pidfd(int how)
{
	struct tg *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct tl_hold h;
	int pidfd, sfd, held = 0;
	pid_t tid, pid, s;

	ck_assert(t != MAP_FAILED);
	s = tl_victim(0, -1, &sfd);
	pid = tl_victim_threaded(THREAD_VICTIM, &tid, &pidfd);
	ck_assert_int_ne(tid, pid);
	t->how = how;
	t->tfd = pidfd_open(tid, PIDFD_THREAD);
	ck_assert_int_ge(t->tfd, 0);
	if (how == TG_PLAIN || how == TG_NO_GET_INFO)
		held = tl_hold_start(&h, pid) == 0;
	if (how == TG_PLAIN)
		tg_call(t);
	else
		ck_assert_int_eq(tl_env_run(tg_call, t), 0);
	if (held)
		tl_hold_end(&h);
	fprintf(stderr, "thread pidfd (%d): rc %d (%s) status 0x%x reap_errno "
		"%d pid %d (of %d) rss_anon %llu freed %llu\n", how, t->rc,
		t->rc ? strerror(t->err) : "-", t->r.status, t->r.reap_errno,
		t->r.pid, (int)pid, (unsigned long long)t->r.rss_anon,
		(unsigned long long)t->r.freed);
	if (how == TG_NOTHING || how == TG_NO_FD) {
		int want = how == TG_NOTHING ? EINVAL : EMFILE;

		ck_assert_msg(t->rc == -1 && t->err == want, "rc %d (%s); "
			      "expected %s", t->rc, strerror(t->err),
			      strerror(want));
		ck_assert_msg(tl_pidfd_alive(pidfd) && tl_pidfd_alive(t->tfd),
			      "signalled before the error");
		ck_assert_msg(t->r.pid == 0 || t->r.pid == pid,
			      "result pid %d: the thread's, not the process's",
			      t->r.pid);
		kill(pid, SIGKILL);
	} else {
		ck_assert_msg(t->rc == 0, "rc -1 (%s)", strerror(t->err));
		ck_assert_uint_ne(t->r.status & MRELEASE_KILLED, 0);
		ck_assert_msg(t->r.reap_errno != ESRCH || !held,
			      "held, yet \"freed its memory itself\"");
		ck_assert_int_eq(t->r.pid, pid);
		if (held) {
			ck_assert_uint_ne(t->r.status & MRELEASE_REAPED, 0);
			ck_assert_uint_ne(t->r.status & MRELEASE_MEASURED, 0);
			ck_assert_uint_ge(t->r.rss_anon, THREAD_VICTIM);
			ck_assert_uint_ge(t->r.freed, THREAD_VICTIM -
					  THREAD_VICTIM / 8);
		}
	}
	ck_assert_int_eq(tl_pidfd_killed(pidfd), SIGKILL);
	ck_assert_msg(tl_pidfd_alive(sfd), "the sentinel died");
	tl_victim_reap(s);
	close(sfd);
	close(pidfd);
	close(t->tfd);
	munmap(t, sizeof(*t));
}

START_TEST(t_kill_thread_pidfd_reaps_its_process)
{
	kill_thread_pidfd(TG_PLAIN);
}
END_TEST

START_TEST(t_kill_thread_pidfd_without_get_info)
{
	kill_thread_pidfd(TG_NO_GET_INFO);
}
END_TEST

START_TEST(t_mrelease_kill__EINVAL__thread_pidfd_group_unknown)
{
	kill_thread_pidfd(TG_NOTHING);
}
END_TEST

/* The one fd mrelease_kill() needs: the PID file descriptor of a thread
 * pidfd's process. */
START_TEST(t_mrelease_kill__EMFILE__thread_pidfd_no_fd_left)
{
	kill_thread_pidfd(TG_NO_FD);
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
	/* Only a sandbox takes process_mrelease from a kernel that has
	 * these (a seccomp filter standing in for 5.10). */
	if (tl_reap_missing())
		tl_skip("kernel lacks process_mrelease", "Linux 5.15");
	tl_hold_init("pidfd-thread");
}

int main(void)
{
	/* Under valgrind the limit is not the kernel's: valgrind refuses a
	 * new hard limit (EPERM for {64, 64}) and enforces a soft one only
	 * on the calls it emulates, while the library's pidfd_open runs
	 * natively (tests/vg-syscall.c) under the real limit, and succeeds. */
	if (tl_under_valgrind())
		tl_skip_test(t_mrelease_kill__EMFILE__thread_pidfd_no_fd_left,
			     "valgrind keeps RLIMIT_NOFILE to itself");
	if (geteuid() != 0) {	/* a mount namespace */
		tl_skip_test(t_kill_thread_pidfd_without_get_info, "needs root");
		tl_skip_test(t_mrelease_kill__EINVAL__thread_pidfd_group_unknown,
			     "needs root");
	}
	/* Every kernel with PIDFD_THREAD (6.9) has process_mrelease (5.15):
	 * need() names the feature that is missing. */
	return TL_RUN("pidfd_6.9", "pidfd_thread", TL_CALLS_KILL, need, 0, 0);
}
