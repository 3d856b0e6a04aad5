/*
 * emfile.c - EMFILE from the kill-and-reap calls: each runs in a forked
 * child whose descriptor table is full (a low RLIMIT_NOFILE, filled with
 * dup()s), and must fail cleanly: -1/EMFILE, and the victim it was pointed
 * at still alive.
 *
 * SPDX-License-Identifier: MIT
 */
#include <sys/resource.h>

#include "killtest.h"

static int fds_at_start;

static void setup(void)
{
	fds_at_start = tl_fd_count();
}

static void teardown(void)
{
	ck_assert_int_eq(tl_fd_count(), fds_at_start);
}

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
	struct mrelease_reaper *reaper;
};

static void kill_pid_full(void *arg, struct kt_outcome *o)
{
	struct target *t = arg;

	o->rc = 99;
	if (fill_fd_table() < 0)
		return;
	errno = 0;
	o->rc = mrelease_kill_pid(t->pid, 0, &o->r, sizeof(o->r));
	o->err = errno;
}

START_TEST(t_mrelease_kill_pid__EMFILE__fd_table_full)
{
	struct kt_outcome o;
	struct target t;

	t.pid = tl_victim(MiB, -1, &t.pidfd);
	ck_assert_int_eq(kt_in_child(-1, 0, -1, kill_pid_full, &t, &o), 0);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EMFILE);
	ck_assert_msg(kt_alive(t.pidfd), "the victim was killed");
	tl_victim_reap(t.pid);
	close(t.pidfd);
}
END_TEST

static void kill_cgroup_full(void *arg, struct kt_outcome *o)
{
	struct target *t = arg;

	o->rc = 99;
	if (fill_fd_table() < 0)
		return;
	errno = 0;
	o->rc = mrelease_kill_cgroup(AT_FDCWD, t->dir, 0, &o->r, sizeof(o->r));
	o->err = errno;
}

START_TEST(t_mrelease_kill_cgroup__EMFILE__fd_table_full)
{
	const char *cg2 = tl_cgroup2_root();
	struct kt_outcome o;
	struct target t;
	char dir[1024];

	if (!cg2)
		tl_skip("no cgroup v2 hierarchy mounted", "Linux 4.5");
	kt_mkdir_under(cg2, dir, sizeof(dir));
	t.dir = dir;
	t.pid = tl_victim(MiB, -1, &t.pidfd);
	ck_assert_int_eq(kt_write_pid(dir, "cgroup.procs", t.pid), 0);
	ck_assert_int_eq(kt_in_child(-1, 0, -1, kill_cgroup_full, &t, &o), 0);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EMFILE);
	ck_assert_uint_eq(o.r.killed, 0);
	ck_assert_msg(kt_alive(t.pidfd), "the victim was killed");
	tl_victim_reap(t.pid);
	close(t.pidfd);
	ck_assert_int_eq(kt_rmdir(dir), 0);
}
END_TEST

static void signal_cgroup_full(void *arg, struct kt_outcome *o)
{
	struct target *t = arg;

	o->rc = 99;
	if (fill_fd_table() < 0)
		return;
	errno = 0;
	o->rc = mrelease_signal_cgroup(AT_FDCWD, t->dir, SIGTERM, 0, &o->r,
				       sizeof(o->r));
	o->err = errno;
}

START_TEST(t_mrelease_signal_cgroup__EMFILE__fd_table_full)
{
	const char *cg2 = tl_cgroup2_root();
	struct kt_outcome o;
	struct target t;
	char dir[1024];

	if (!cg2)
		tl_skip("no cgroup v2 hierarchy mounted", "Linux 4.5");
	kt_mkdir_under(cg2, dir, sizeof(dir));
	t.dir = dir;
	t.pid = tl_victim(MiB, -1, &t.pidfd);
	ck_assert_int_eq(kt_write_pid(dir, "cgroup.procs", t.pid), 0);
	ck_assert_int_eq(kt_in_child(-1, 0, -1, signal_cgroup_full, &t, &o),
			 0);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EMFILE);
	ck_assert_uint_eq(o.r.killed, 0);
	ck_assert_msg(kt_alive(t.pidfd), "the victim was signalled");
	tl_victim_reap(t.pid);
	close(t.pidfd);
	ck_assert_int_eq(kt_rmdir(dir), 0);
}
END_TEST

static void reaper_new_full(void *arg, struct kt_outcome *o)
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
	struct kt_outcome o;

	ck_assert_int_eq(kt_in_child(-1, 0, -1, reaper_new_full, NULL, &o), 0);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EMFILE);
}
END_TEST

static void reaper_submit_full(void *arg, struct kt_outcome *o)
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
	struct kt_outcome o;
	struct target t;

	t.pid = tl_victim(MiB, -1, &t.pidfd);
	ck_assert_int_eq(kt_in_child(-1, 0, -1, reaper_submit_full, &t, &o),
			 0);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EMFILE);
	ck_assert_msg(kt_alive(t.pidfd), "the victim was killed");
	tl_victim_reap(t.pid);
	close(t.pidfd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("emfile");
	TCase *tc = tcase_create("emfile");
	SRunner *sr;
	int failed;

	tl_require(MRELEASE_HAVE_PIDFD_OPEN | MRELEASE_HAVE_PIDFD_KILL);
	if (tl_under_valgrind())
		tl_skip("valgrind keeps descriptors of its own above the "
			"RLIMIT_NOFILE a test lowers, so the table cannot be "
			"filled", NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_mrelease_kill_pid__EMFILE__fd_table_full);
	tcase_add_test(tc, t_mrelease_kill_cgroup__EMFILE__fd_table_full);
	tcase_add_test(tc, t_mrelease_signal_cgroup__EMFILE__fd_table_full);
	tcase_add_test(tc, t_mrelease_reaper_new__EMFILE__fd_table_full);
	tcase_add_test(tc, t_mrelease_reaper_submit__EMFILE__fd_table_full);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
