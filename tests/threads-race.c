/*
 * threads-race.c - the threaded parts under load, for ThreadSanitizer
 * (stage 35), valgrind and ASan: the asynchronous reaper fed by one thread
 * while another polls and reads, destroyed with work in flight; and
 * mrelease_kill_cgroup() reaping on several threads.
 *
 * SPDX-License-Identifier: MIT
 *
 * Each test asserts real outcomes too (every victim dead, every completion
 * once with its cookie, no fd leaked), so it fails without a sanitizer as
 * well.  Victims are small (64 KiB): the point is the interleavings.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"

#define NVICTIMS 24
#define VICTIM_BYTES (64 << 10)

struct feed {
	struct mrelease_reaper *r;
	int pidfd[NVICTIMS];
	int submitted;
};

static void *submitter(void *arg)
{
	struct feed *f = arg;
	int i;

	for (i = 0; i < NVICTIMS; i++) {
		/* EAGAIN: every worker busy and the queue full; retry. */
		while (mrelease_reaper_submit(f->r, f->pidfd[i], 1000 + (uint64_t)i,
					      MRELEASE_MEASURE) < 0) {
			ck_assert_int_eq(errno, EAGAIN);
			usleep(1000);
		}
		f->submitted++;
	}
	return NULL;
}

START_TEST(t_reaper_submit_while_polling)
{
	struct feed f;
	pid_t pid[NVICTIMS];
	unsigned char seen[NVICTIMS];
	int before, i, got = 0;
	pthread_t t;

	before = tl_fd_count();
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < NVICTIMS; i++)
		pid[i] = tl_victim(VICTIM_BYTES, -1, &f.pidfd[i]);
	f.r = mrelease_reaper_new(3, 2, 0);	/* small queue: EAGAIN happens */
	ck_assert_ptr_nonnull(f.r);
	f.submitted = 0;
	ck_assert_int_eq(pthread_create(&t, NULL, submitter, &f), 0);
	while (got < NVICTIMS) {
		struct pollfd p = { .fd = mrelease_reaper_fd(f.r), .events = POLLIN };
		struct mrelease_completion c;

		ck_assert_int_eq(poll(&p, 1, 60000), 1);
		while (mrelease_reaper_read(f.r, &c, sizeof(c)) == 0) {
			int k = (int)(c.cookie - 1000);

			ck_assert_int_ge(k, 0);
			ck_assert_int_lt(k, NVICTIMS);
			ck_assert_msg(!seen[k], "cookie %d twice", k);
			seen[k] = 1;
			ck_assert_int_eq(c.error, 0);
			ck_assert(c.result.status & MRELEASE_KILLED);
			got++;
		}
		ck_assert_int_eq(errno, EAGAIN);
	}
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(f.submitted, NVICTIMS);
	mrelease_reaper_destroy(f.r);
	for (i = 0; i < NVICTIMS; i++) {
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		ck_assert_int_eq(waitid(P_PID, (id_t)pid[i], &si, WEXITED), 0);
		ck_assert_int_eq(si.si_code, CLD_KILLED);
		ck_assert_int_eq(si.si_status, SIGKILL);
		close(f.pidfd[i]);
	}
	ck_assert_int_eq(tl_fd_count(), before);
}
END_TEST

/* Destroy while the workers are busy and completions are unread. */
START_TEST(t_reaper_destroy_in_flight)
{
	struct mrelease_reaper *r;
	pid_t pid[NVICTIMS];
	int pidfd[NVICTIMS], before, i;

	before = tl_fd_count();
	for (i = 0; i < NVICTIMS; i++)
		pid[i] = tl_victim(VICTIM_BYTES, -1, &pidfd[i]);
	r = mrelease_reaper_new(4, NVICTIMS, 0);
	ck_assert_ptr_nonnull(r);
	for (i = 0; i < NVICTIMS; i++)
		ck_assert_int_eq(mrelease_reaper_submit(r, pidfd[i], (uint64_t)i, 0), 0);
	mrelease_reaper_destroy(r);	/* waits for the work in flight */
	for (i = 0; i < NVICTIMS; i++) {
		int st;

		ck_assert_int_eq(waitpid(pid[i], &st, 0), pid[i]);
		ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		close(pidfd[i]);
	}
	ck_assert_int_eq(tl_fd_count(), before);
}
END_TEST

/* A cgroup of this test (two levels), killed and reaped on 4 threads. */
START_TEST(t_kill_cgroup_threads)
{
	const char *root = tl_cgroup2_root();
	char top[4096], sub[4200], procs[4300];
	struct mrelease_result res;
	pid_t pid[NVICTIMS];
	int before, i;

	if (!root) {
		printf("t_kill_cgroup_threads: skipped, no cgroup v2 mounted\n");
		return;
	}
	snprintf(top, sizeof(top), "%s/hardening-threads-%d", root, (int)getpid());
	snprintf(sub, sizeof(sub), "%s/leaf", top);
	ck_assert_int_eq(mkdir(top, 0755), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	before = tl_fd_count();
	for (i = 0; i < NVICTIMS; i++) {
		char buf[32];
		int fd, n;

		pid[i] = tl_victim(VICTIM_BYTES, -1, NULL);
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", i % 2 ? sub : top);
		fd = open(procs, O_WRONLY | O_CLOEXEC);
		ck_assert_int_ge(fd, 0);
		n = snprintf(buf, sizeof(buf), "%d\n", (int)pid[i]);
		ck_assert_int_eq(write(fd, buf, (size_t)n), n);
		close(fd);
	}
	memset(&res, 0, sizeof(res));
	/* The fallback path (no cgroup.kill) is the one with the threads'
	 * shared state: pid list, pidfds, counts. */
	ck_assert_int_eq(mrelease_kill_cgroup(AT_FDCWD, top,
					      MRELEASE_NO_KILLFILE | MRELEASE_THREADS(4) |
					      MRELEASE_MEASURE, &res, sizeof(res)), 0);
	ck_assert_uint_eq(res.killed + res.gone, NVICTIMS);
	ck_assert_uint_eq(res.failed, 0);
	for (i = 0; i < NVICTIMS; i++) {
		int st;

		ck_assert_int_eq(waitpid(pid[i], &st, 0), pid[i]);
		ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	}
	ck_assert_int_eq(tl_fd_count(), before);
	ck_assert_int_eq(rmdir(sub), 0);
	ck_assert_int_eq(rmdir(top), 0);
}
END_TEST

TL_MAIN("threads-race", "threads", TL_CALLS_KILL, NULL, 120, 0)
