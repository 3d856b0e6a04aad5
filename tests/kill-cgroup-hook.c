/*
 * kill-cgroup-hook.c - a reused pid is never killed
 *
 * SPDX-License-Identifier: MIT
 *
 * Linked with the test build of the library (MRELEASE_TESTING), which adds
 * one internal hook (no exported symbol): mr_test_cgroup_pids() answers in
 * place of cgroup.procs.  It names, beside the two real members, a process
 * outside the cgroup: exactly what a pid reused between the read of
 * cgroup.procs and the kill looks like.  That process must survive.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

static pid_t fake[3];
static size_t nfake;
static int top_ino_set;
static struct stat top_st;

/* The fake list for the top directory, nothing for the others. */
static int fake_pids(int dirfd, pid_t **pids, size_t *n)
{
	struct stat st;

	*n = 0;
	*pids = NULL;
	if (fstat(dirfd, &st) < 0)
		return -errno;
	if (!top_ino_set || st.st_ino != top_st.st_ino ||
	    st.st_dev != top_st.st_dev)
		return 0;
	*pids = malloc(sizeof(fake));
	if (!*pids)
		return -ENOMEM;
	memcpy(*pids, fake, sizeof(fake));
	*n = nfake;
	return 0;
}

static void reused_pid(unsigned int flags)
{
	const char *cg2 = tl_cgroup2_root();
	struct mrelease_result r;
	char dir[1024];
	pid_t in1, in2, out;
	int fd1, fd2, fdo, fds = tl_fd_count();

	if (!cg2)
		tl_skip("no cgroup v2 mounted", "Linux 4.5");
	ck_assert_int_eq(tl_cg_make("kill-cgroup-hook", dir, sizeof(dir)), 0);
	ck_assert_int_eq(stat(dir, &top_st), 0);
	top_ino_set = 1;
	in1 = tl_victim(MiB, -1, &fd1);
	in2 = tl_victim(MiB, -1, &fd2);
	out = tl_victim(MiB, -1, &fdo);	/* not in the cgroup */
	ck_assert_int_eq(tl_cg_move(dir, in1), 0);
	ck_assert_int_eq(tl_cg_move(dir, in2), 0);
	fake[0] = in1;
	fake[1] = out;
	fake[2] = in2;
	nfake = 3;
	mr_test_cgroup_pids = fake_pids;

	ck_assert_int_eq(mrelease_kill_cgroup(AT_FDCWD, dir, flags, &r,
					      sizeof(r)), 0);
	mr_test_cgroup_pids = NULL;
	ck_assert_msg(tl_pidfd_alive(fdo), "the process outside the cgroup died");
	ck_assert_uint_eq(r.killed, 2);
	ck_assert_uint_eq(r.gone, 1);	/* listed, but not a member */
	ck_assert_uint_eq(r.failed, 0);
	ck_assert_int_eq(tl_pidfd_killed(fd1), SIGKILL);
	ck_assert_int_eq(tl_pidfd_killed(fd2), SIGKILL);
	ck_assert(tl_pidfd_alive(fdo));
	tl_victim_reap(out);
	close(fd1);
	close(fd2);
	close(fdo);
	ck_assert_int_eq(tl_rmdir(dir), 0);
	ck_assert_int_eq(tl_fd_count(), fds);
}

START_TEST(t_cgroup_reused_pid_signals)
{
	reused_pid(MRELEASE_NO_KILLFILE);
}
END_TEST

START_TEST(t_cgroup_reused_pid_killfile)
{
	reused_pid(0);
}
END_TEST

/* ---- the freezer: seen from inside the walk ------------------------ */

static char freeze_seen[8];

/* The hook as an observer: what cgroup.freeze says while the call walks
 * the cgroup, then the real list. */
static int read_freeze(int dirfd, pid_t **pids, size_t *n)
{
	char *buf;
	ssize_t len = mr_read_at(dirfd, "cgroup.freeze", &buf);

	if (len > 0 && !freeze_seen[0])
		freeze_seen[0] = buf[0];
	if (len >= 0)
		free(buf);
	return mr_cg_read_pids(dirfd, pids, n);
}

static char freeze_now(const char *dir)
{
	char path[1100], c = '?';
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.freeze", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, &c, 1), 1);
	close(fd);
	return c;
}

/* Kills a cgroup of two that was frozen (pre = '1') or not, with flags;
 * returns what cgroup.freeze said during the walk. */
static char kill_watching_freeze(unsigned int flags, char pre)
{
	const char *cg2 = tl_cgroup2_root();
	struct mrelease_result r;
	char dir[1024], path[1100];
	pid_t p1, p2;
	int fd1, fd2;

	if (!cg2)
		tl_skip("no cgroup v2 mounted", "Linux 4.5");
	ck_assert_int_eq(tl_cg_make("kill-cgroup-hook", dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/cgroup.freeze", dir);
	if (access(path, F_OK) < 0) {
		tl_rmdir(dir);
		tl_skip("cgroup.freeze", "Linux 5.2");
	}
	p1 = tl_victim(MiB, -1, &fd1);
	p2 = tl_victim(MiB, -1, &fd2);
	ck_assert_int_eq(tl_cg_move(dir, p1), 0);
	ck_assert_int_eq(tl_cg_move(dir, p2), 0);
	if (pre == '1')
		ck_assert_int_eq(tl_write(dir, "cgroup.freeze", "1"), 0);
	memset(freeze_seen, 0, sizeof(freeze_seen));
	mr_test_cgroup_pids = read_freeze;
	ck_assert_int_eq(mrelease_kill_cgroup(AT_FDCWD, dir, flags, &r,
					      sizeof(r)), 0);
	mr_test_cgroup_pids = NULL;
	ck_assert_uint_eq(r.killed, 2);
	ck_assert_int_eq(tl_pidfd_killed(fd1), SIGKILL);
	ck_assert_int_eq(tl_pidfd_killed(fd2), SIGKILL);
	/* Left as it was found. */
	ck_assert_int_eq(freeze_now(dir), pre);
	close(fd1);
	close(fd2);
	ck_assert_int_eq(tl_rmdir(dir), 0);
	return freeze_seen[0];
}

START_TEST(t_cgroup_frozen_while_killed)
{
	ck_assert_int_eq(kill_watching_freeze(0, '0'), '1');
	ck_assert_int_eq(kill_watching_freeze(MRELEASE_NO_KILLFILE, '0'), '1');
}
END_TEST

START_TEST(t_cgroup_no_freeze)
{
	ck_assert_int_eq(kill_watching_freeze(MRELEASE_NO_FREEZE, '0'), '0');
}
END_TEST

START_TEST(t_cgroup_frozen_before_stays_frozen)
{
	ck_assert_int_eq(kill_watching_freeze(0, '1'), '1');
}
END_TEST

/* Before the run: what these tests need beside the calls. */
static void need(void)
{
	if (geteuid() != 0)
		tl_skip("creating a cgroup needs root", NULL);
}

int main(void)
{
	Suite *s = suite_create("kill-cgroup-hook");
	TCase *tc = tcase_create("kill-cgroup-hook");

	tcase_add_test(tc, t_cgroup_reused_pid_signals);
	tcase_add_test(tc, t_cgroup_reused_pid_killfile);
	tcase_add_test(tc, t_cgroup_frozen_while_killed);
	tcase_add_test(tc, t_cgroup_no_freeze);
	tcase_add_test(tc, t_cgroup_frozen_before_stays_frozen);
	suite_add_tcase(s, tc);
	return tl_main(s, MRELEASE_HAVE_PIDFD_OPEN | MRELEASE_HAVE_PIDFD_KILL |
			  MRELEASE_HAVE_PROCESS_MRELEASE, need);
}
