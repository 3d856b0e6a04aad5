/*
 * emfile.c - EMFILE from the kill-and-reap calls: each runs in a forked
 * child whose descriptor table is full (a low RLIMIT_NOFILE, filled with
 * dup()s), and must fail cleanly: -1/EMFILE, and the victim it was pointed
 * at still alive.
 *
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"

/* Fill this process's descriptor table: 0, or -1 when it cannot. */
static int fill_fd_table(void)
{
	struct rlimit rl = { 64, 64 };

	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	while (dup(0) >= 0)
		;
	return errno == EMFILE ? 0 : -1;
}

struct target {
	pid_t pid;
	int pidfd;
	const char *dir;
	int what;
	struct mrelease_reaper *reaper;
};

enum { KILL_PID, KILL_CGROUP, SIGNAL_CGROUP };

/* In the child: the call t->what on the victim, its fd table full. */
static void call_full(void *arg, struct tl_outcome *o)
{
	struct target *t = arg;

	o->rc = 99;
	if (fill_fd_table() < 0)
		return;
	errno = 0;
	if (t->what == KILL_PID)
		o->rc = mrelease_kill_pid(t->pid, 0, &o->r, sizeof(o->r));
	else if (t->what == KILL_CGROUP)
		o->rc = mrelease_kill_cgroup(AT_FDCWD, t->dir, 0, &o->r,
					     sizeof(o->r));
	else
		o->rc = mrelease_signal_cgroup(AT_FDCWD, t->dir, SIGTERM, 0,
					       &o->r, sizeof(o->r));
	o->err = errno;
}

/* The call what fails with EMFILE; its victim (in a cgroup of its own
 * for the cgroup calls) lives. */
static void full_table(int what)
{
	struct tl_outcome o;
	struct target t;
	char dir[1024];

	t.what = what;
	t.dir = NULL;
	if (what != KILL_PID) {
		if (!tl_cgroup2_root())
			tl_skip("no cgroup v2 hierarchy mounted", "Linux 4.5");
		ck_assert_int_eq(tl_cg_make("emfile", dir, sizeof(dir)), 0);
		t.dir = dir;
	}
	t.pid = tl_victim(MiB, -1, &t.pidfd);
	if (t.dir)
		ck_assert_int_eq(tl_cg_move(dir, t.pid), 0);
	ck_assert_int_eq(tl_in_child(-1, 0, -1, call_full, &t, &o), 0);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EMFILE);
	ck_assert_uint_eq(o.r.killed, 0);
	tl_victim_survived(t.pid, t.pidfd, "the victim was signalled");
	if (t.dir)
		ck_assert_int_eq(tl_rmdir(dir), 0);
}

START_TEST(t_mrelease_kill_pid__EMFILE__fd_table_full)
{
	full_table(KILL_PID);
}
END_TEST

START_TEST(t_mrelease_kill_cgroup__EMFILE__fd_table_full)
{
	full_table(KILL_CGROUP);
}
END_TEST

START_TEST(t_mrelease_signal_cgroup__EMFILE__fd_table_full)
{
	full_table(SIGNAL_CGROUP);
}
END_TEST

static void reaper_new_full(void *arg, struct tl_outcome *o)
{
	struct mrelease_reaper *r;

	(void)arg;
	o->rc = 99;
	if (fill_fd_table() < 0)
		return;
	errno = 0;
	r = mrelease_reaper_new(1, 1, 0);
	o->err = errno;
	o->rc = r ? 0 : -1;
	if (r)
		mrelease_reaper_destroy(r);
}

START_TEST(t_mrelease_reaper_new__EMFILE__fd_table_full)
{
	struct tl_outcome o;

	ck_assert_int_eq(tl_in_child(-1, 0, -1, reaper_new_full, NULL, &o), 0);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EMFILE);
}
END_TEST

static void reaper_submit_full(void *arg, struct tl_outcome *o)
{
	struct target *t = arg;
	struct mrelease_reaper *r = mrelease_reaper_new(1, 4, 0);

	o->rc = 99;
	if (!r)
		return;
	if (fill_fd_table() == 0) {
		errno = 0;
		o->rc = mrelease_reaper_submit(r, t->pidfd, 1, 0);
		o->err = errno;
	}
	mrelease_reaper_destroy(r);
}

START_TEST(t_mrelease_reaper_submit__EMFILE__fd_table_full)
{
	struct tl_outcome o;
	struct target t;

	t.pid = tl_victim(MiB, -1, &t.pidfd);
	ck_assert_int_eq(tl_in_child(-1, 0, -1, reaper_submit_full, &t, &o),
			 0);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EMFILE);
	ck_assert_msg(tl_pidfd_alive(t.pidfd), "the victim was killed");
	tl_victim_reap(t.pid);
	close(t.pidfd);
}
END_TEST

/* Before the run: what these tests need beside the calls. */
static void need(void)
{
	if (tl_under_valgrind())
		tl_skip("valgrind keeps descriptors of its own above the "
			"RLIMIT_NOFILE a test lowers, so the table cannot be "
			"filled", NULL);
}

TL_MAIN("emfile", "emfile", TL_CALLS_KILL, need, 0, TL_CHECK_FDS)
