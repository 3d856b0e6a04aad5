/*
 * reaper.c - the asynchronous reaper: 100 submissions while another thread
 * polls, every completion once; a full queue; destroy with work in flight;
 * the extensible completion; bad input
 *
 * SPDX-License-Identifier: MIT
 *
 * Linked with the test build of the library (MRELEASE_TESTING): the hook
 * mr_test_reaper_job() lets a test hold every worker busy.  The tcase
 * "machinery" needs no pidfd at all (it submits /dev/null, which each
 * worker answers with EBADF), so it also runs under valgrind, which does
 * not know the pidfd system calls (tests/reaper-valgrind.sh).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"
#include "internal.h"

#define N 100

/* Every job of the reaper's workers waits at the gate, closed until
 * tl_gate_set(0). */
static void workers_held(void)
{
	mr_test_reaper_job = tl_gate;
	tl_gate_set(1);
}

struct poller {
	struct mrelease_reaper *rp;
	int n;			/* completions expected */
	int seen[N];
	int bad;		/* completions with a wrong error or status */
	int expect_error;	/* -1: a real kill (0 and KILLED; not
				   reaped only with ESRCH, or ENOSYS on a
				   kernel without process_mrelease); else any
				   error but 0 (EBADF; ENOSYS under valgrind) */
};

/* A real kill's reap: reaped, or lost the race (ESRCH); where the kernel
 * lacks process_mrelease (Linux 5.15), never, with ENOSYS. */
static int reap_as_expected(const struct mrelease_result *r)
{
	if (tl_reap_missing())
		return !(r->status & MRELEASE_REAPED) &&
		       r->reap_errno == ENOSYS && r->reaped == 0;
	return (r->status & MRELEASE_REAPED) ? r->reap_errno == 0 :
					       r->reap_errno == ESRCH;
}

static void *poll_thread(void *arg)
{
	struct poller *p = arg;
	struct pollfd pfd = { .fd = mrelease_reaper_fd(p->rp),
			      .events = POLLIN };
	int got = 0;

	while (got < p->n) {
		struct mrelease_completion c;

		if (poll(&pfd, 1, 60000) != 1)
			break;
		while (mrelease_reaper_read(p->rp, &c, sizeof(c)) == 0) {
			if (c.cookie >= N) {
				p->bad++;
				continue;
			}
			p->seen[c.cookie]++;
			got++;
			if (p->expect_error < 0 ?
			    (c.error || !(c.result.status & MRELEASE_KILLED) ||
			     !reap_as_expected(&c.result)) :
			    c.error == 0)
				p->bad++;
		}
	}
	return NULL;
}

/* Submit n fds from this thread while a second one polls. */
static void submit_and_poll(struct mrelease_reaper *rp, const int *fds,
			    int n, int expect_error)
{
	static struct poller p;
	pthread_t t;
	int i, again = 0;

	memset(&p, 0, sizeof(p));
	p.rp = rp;
	p.n = n;
	p.expect_error = expect_error;
	ck_assert_int_eq(pthread_create(&t, NULL, poll_thread, &p), 0);
	for (i = 0; i < n; i++) {
		while (mrelease_reaper_submit(rp, fds[i], (uint64_t)i,
					      MRELEASE_MEASURE) < 0) {
			ck_assert_int_eq(errno, EAGAIN);
			again++;
			usleep(1000);
		}
	}
	pthread_join(t, NULL);
	for (i = 0; i < n; i++)
		ck_assert_msg(p.seen[i] == 1, "cookie %d seen %d times", i,
			      p.seen[i]);
	ck_assert_int_eq(p.bad, 0);
	/* Nothing left: the fd is no longer readable. */
	{
		struct pollfd pfd = { .fd = mrelease_reaper_fd(rp),
				      .events = POLLIN };
		struct mrelease_completion c;

		ck_assert_int_eq(poll(&pfd, 1, 0), 0);
		errno = 0;
		ck_assert_int_eq(mrelease_reaper_read(rp, &c, sizeof(c)), -1);
		ck_assert_int_eq(errno, EAGAIN);
	}
	(void)again;
}

/* ---- real victims ---------------------------------------------------- */

START_TEST(t_reaper_100_victims)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(2, 8, 0);
	int fd[N], i;

	ck_assert_ptr_nonnull(rp);
	for (i = 0; i < N; i++)
		tl_victim(MiB, -1, &fd[i]);
	submit_and_poll(rp, fd, N, -1);
	mrelease_reaper_destroy(rp);
	for (i = 0; i < N; i++) {
		ck_assert_int_eq(tl_pidfd_killed(fd[i]), SIGKILL);
		close(fd[i]);
	}
}
END_TEST

START_TEST(t_reaper_destroy_in_flight)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(2, 16, 0);
	pid_t pid[12];
	int fd[12], i;

	ck_assert_ptr_nonnull(rp);
	for (i = 0; i < 12; i++)
		pid[i] = tl_victim(4 * MiB, -1, &fd[i]);
	workers_held();
	for (i = 0; i < 12; i++)
		ck_assert_int_eq(mrelease_reaper_submit(rp, fd[i], i, 0), 0);
	/* Our fds are ours: the reaper holds dups. */
	for (i = 0; i < 12; i++)
		close(fd[i]);
	tl_gate_wait_for(2);
	tl_gate_set(0);
	/* Two jobs running, ten queued, none read: destroy runs them all
	 * and closes every dup. */
	mrelease_reaper_destroy(rp);
	mr_test_reaper_job = NULL;
	for (i = 0; i < 12; i++)
		ck_assert_int_eq(tl_waitpid_killed(pid[i]), SIGKILL);
}
END_TEST

START_TEST(t_reaper_completion_sizes)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(1, 0, 0);
	struct {
		struct mrelease_completion c;
		uint64_t later[4];
	} big;
	unsigned char old[MRELEASE_COMPLETION_SIZE_VER0 + 8];
	struct mrelease_completion c;
	struct pollfd pfd;
	pid_t pid[2];
	int fd[2], i;

	ck_assert_ptr_nonnull(rp);
	pfd.fd = mrelease_reaper_fd(rp);
	pfd.events = POLLIN;
	for (i = 0; i < 2; i++) {
		pid[i] = tl_victim(MiB, -1, &fd[i]);
		ck_assert_int_eq(mrelease_reaper_submit(rp, fd[i], 7 + i,
							MRELEASE_MEASURE), 0);
	}
	/* A new caller: the tail it has and we do not know is zeroed. */
	ck_assert_int_eq(poll(&pfd, 1, 60000), 1);
	memset(&big, 0xff, sizeof(big));
	ck_assert_int_eq(mrelease_reaper_read(rp, &big.c, sizeof(big)), 0);
	ck_assert_uint_eq(big.c.cookie, 7);
	ck_assert_int_eq(big.c.error, 0);
	ck_assert_uint_eq(big.c.reserved0, 0);
	ck_assert_int_eq(big.c.result.pid, pid[0]);
	ck_assert_uint_ne(big.c.result.status & MRELEASE_MEASURED, 0);
	ck_assert_msg(reap_as_expected(&big.c.result), "status %#x reap_errno %d",
		      big.c.result.status, big.c.result.reap_errno);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(big.later[i], 0);
	/* An old caller: not one byte past its size. */
	ck_assert_int_eq(poll(&pfd, 1, 60000), 1);
	memset(old, 0x5a, sizeof(old));
	ck_assert_int_eq(mrelease_reaper_read(rp,
			(struct mrelease_completion *)(void *)old,
			MRELEASE_COMPLETION_SIZE_VER0), 0);
	for (i = MRELEASE_COMPLETION_SIZE_VER0; i < (int)sizeof(old); i++)
		ck_assert_uint_eq(old[i], 0x5a);
	memcpy(&c, old, MRELEASE_COMPLETION_SIZE_VER0);
	ck_assert_uint_eq(c.cookie, 8);
	ck_assert_int_eq(c.result.pid, pid[1]);
	mrelease_reaper_destroy(rp);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(tl_pidfd_killed(fd[i]), SIGKILL);
		close(fd[i]);
	}
}
END_TEST

/* ---- machinery (no pidfd: also under valgrind) ----------------------- */

START_TEST(t_reaper_100_submissions_machinery)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(3, 5, 0);
	int fd[N], i, null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ck_assert_ptr_nonnull(rp);
	for (i = 0; i < N; i++)
		fd[i] = null;
	submit_and_poll(rp, fd, N, EBADF);
	mrelease_reaper_destroy(rp);
	close(null);
}
END_TEST

START_TEST(t_mrelease_reaper_submit__EAGAIN__full_queue)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(2, 3, 0);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC), i;
	struct pollfd pfd;
	struct mrelease_completion c;

	ck_assert_ptr_nonnull(rp);
	workers_held();
	/* Two workers busy, three queued: full. */
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(mrelease_reaper_submit(rp, null, i, 0), 0);
	tl_gate_wait_for(2);
	TL_ASSERT_ERRNO(mrelease_reaper_submit(rp, null, 5, 0), EAGAIN);
	tl_gate_set(0);
	pfd.fd = mrelease_reaper_fd(rp);
	pfd.events = POLLIN;
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(poll(&pfd, 1, 60000), 1);
		ck_assert_int_eq(mrelease_reaper_read(rp, &c, sizeof(c)), 0);
		ck_assert_int_ne(c.error, 0);	/* EBADF, or valgrind's ENOSYS */
	}
	/* Room again. */
	ck_assert_int_eq(mrelease_reaper_submit(rp, null, 6, 0), 0);
	mrelease_reaper_destroy(rp);	/* discards the unread completion */
	mr_test_reaper_job = NULL;
	close(null);
}
END_TEST

START_TEST(t_reaper_destroy_in_flight_machinery)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(1, 10, 0);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC), i;

	ck_assert_ptr_nonnull(rp);
	workers_held();
	for (i = 0; i < 11; i++)
		ck_assert_int_eq(mrelease_reaper_submit(rp, null, i, 0), 0);
	tl_gate_wait_for(1);
	tl_gate_set(0);
	mrelease_reaper_destroy(rp);
	mr_test_reaper_job = NULL;
	close(null);
	mrelease_reaper_destroy(NULL);
}
END_TEST

START_TEST(t_mrelease_reaper_new__EINVAL__bad_arguments)
{
	errno = 0;
	ck_assert_ptr_null(mrelease_reaper_new(65, 0, 0));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(mrelease_reaper_new(1, 0, 1));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(mrelease_reaper_new(1, 1U << 20, 0));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(t_mrelease_reaper_submit__EBADF__negative_fd)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(1, 1, 0);

	ck_assert_ptr_nonnull(rp);
	TL_ASSERT_ERRNO(mrelease_reaper_submit(rp, -1, 0, 0), EBADF);
	TL_ASSERT_ERRNO(mrelease_reaper_submit(rp, 999999, 0, 0), EBADF);
	mrelease_reaper_destroy(rp);
}
END_TEST

START_TEST(t_mrelease_reaper_submit__EINVAL__bad_arguments)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(1, 1, 0);

	ck_assert_ptr_nonnull(rp);
	TL_ASSERT_ERRNO(mrelease_reaper_submit(NULL, 0, 0, 0), EINVAL);
	TL_ASSERT_ERRNO(mrelease_reaper_submit(rp, 0, 0, 0x8000000U), EINVAL);
	mrelease_reaper_destroy(rp);
}
END_TEST

START_TEST(t_mrelease_reaper_read__EAGAIN__nothing_waiting)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(1, 1, 0);
	struct mrelease_completion c;
	struct pollfd pfd;

	ck_assert_ptr_nonnull(rp);
	pfd.fd = mrelease_reaper_fd(rp);
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	TL_ASSERT_ERRNO(mrelease_reaper_read(rp, &c, sizeof(c)), EAGAIN);
	mrelease_reaper_destroy(rp);
}
END_TEST

START_TEST(t_mrelease_reaper_read__EINVAL__bad_arguments)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(1, 1, 0);
	struct mrelease_completion c;

	ck_assert_ptr_nonnull(rp);
	TL_ASSERT_ERRNO(mrelease_reaper_read(rp, &c,
			MRELEASE_COMPLETION_SIZE_VER0 - 1), EINVAL);
	TL_ASSERT_ERRNO(mrelease_reaper_read(rp, NULL, sizeof(c)), EINVAL);
	TL_ASSERT_ERRNO(mrelease_reaper_read(NULL, &c, sizeof(c)), EINVAL);
	mrelease_reaper_destroy(rp);
}
END_TEST

START_TEST(t_mrelease_reaper_fd__EINVAL__null)
{
	TL_ASSERT_ERRNO(mrelease_reaper_fd(NULL), EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reaper");
	TCase *mach = tcase_create("machinery");
	TCase *real = tcase_create("victims");
	unsigned int require = 0;

	tl_check_fds(mach);
	tcase_set_timeout(mach, 300);
	tcase_add_test(mach, t_reaper_100_submissions_machinery);
	tcase_add_test(mach, t_mrelease_reaper_submit__EAGAIN__full_queue);
	tcase_add_test(mach, t_reaper_destroy_in_flight_machinery);
	tcase_add_test(mach, t_mrelease_reaper_new__EINVAL__bad_arguments);
	tcase_add_test(mach, t_mrelease_reaper_submit__EBADF__negative_fd);
	tcase_add_test(mach, t_mrelease_reaper_submit__EINVAL__bad_arguments);
	tcase_add_test(mach, t_mrelease_reaper_read__EAGAIN__nothing_waiting);
	tcase_add_test(mach, t_mrelease_reaper_read__EINVAL__bad_arguments);
	tcase_add_test(mach, t_mrelease_reaper_fd__EINVAL__null);
	suite_add_tcase(s, mach);

	tl_check_fds(real);
	tcase_set_timeout(real, 300);
	tcase_add_test(real, t_reaper_100_victims);
	tcase_add_test(real, t_reaper_destroy_in_flight);
	tcase_add_test(real, t_reaper_completion_sizes);
	suite_add_tcase(s, real);

	/* Only the victims need the calls (valgrind lacks them); without
	 * process_mrelease (Linux 5.15) they still complete: killed, not
	 * reaped, ENOSYS. */
	if (!getenv("CK_RUN_CASE") || !strcmp(getenv("CK_RUN_CASE"),
					      "victims"))
		require = MRELEASE_HAVE_PIDFD_OPEN | MRELEASE_HAVE_PIDFD_KILL;
	return tl_main(s, require, NULL);
}
