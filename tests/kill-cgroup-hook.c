/*
 * kill-cgroup-hook.c - a reused pid is never killed; what gone means
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

/* ---- what "gone" means: moved, exited, left ------------------------ */

/* What the hook does to one process of the top directory once, after it
 * read the real list and before the call opens the pidfds. */
static struct {
	pid_t pid;
	const char *to;		/* move it there; NULL: kill it */
	int reap;		/* and reap it: its pid is free */
	int done;
	int status;		/* of the reaped */
} act;

static int act_on_read(int dirfd, pid_t **pids, size_t *n)
{
	struct stat st;
	int e = mr_cg_read_pids(dirfd, pids, n);

	if (e < 0 || act.done || fstat(dirfd, &st) < 0 ||
	    st.st_ino != top_st.st_ino || st.st_dev != top_st.st_dev)
		return e;
	act.done = 1;
	if (act.to) {
		if (tl_cg_move(act.to, act.pid) < 0)
			return -errno;
	} else {
		kill(act.pid, SIGKILL);
		if (act.reap ? waitpid(act.pid, &act.status, 0) != act.pid :
		    tl_wait_zombie(act.pid) < 0)
			return -errno;
	}
	return 0;
}

/*
 * Three victims in dir; the hook acts on the third between the call's
 * read of cgroup.procs and its check: moves it to dir/sub (inside the
 * subtree: it must be killed, and counted killed, not gone), or to a
 * cgroup outside (it must live, counted gone: it left), or kills it
 * itself (a zombie: its pidfd says it exited, gone), or kills and reaps
 * it (pidfd_open answers ESRCH: gone).  sig: the same through
 * mrelease_signal_cgroup().
 */
static void moved(unsigned int flags, int where, int sig)
{
	const char *cg2 = tl_cgroup2_root();
	struct mrelease_result r;
	static const char *const what[] = { "moved inside", "moved out",
					    "exited", "reaped" };
	char dir[1024], sub[1100], out[1024];
	pid_t pid[3];
	int fd[3], i, rc, fds = tl_fd_count();

	if (!cg2)
		tl_skip("no cgroup v2 mounted", "Linux 4.5");
	ck_assert_int_eq(tl_cg_make("kill-cgroup-hook", dir, sizeof(dir)), 0);
	ck_assert_int_eq(tl_cg_make("kill-cgroup-hook", out, sizeof(out)), 0);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(stat(dir, &top_st), 0);
	top_ino_set = 1;
	for (i = 0; i < 3; i++) {
		pid[i] = tl_victim(MiB, -1, &fd[i]);
		ck_assert_int_eq(tl_cg_move(dir, pid[i]), 0);
	}
	act.pid = pid[2];
	act.to = where == 0 ? sub : where == 1 ? out : NULL;
	act.reap = where == 3;
	act.done = 0;
	mr_test_cgroup_pids = act_on_read;
	errno = 0;
	if (sig)	/* mrelease_signal_cgroup(), which shares the walk */
		rc = mrelease_signal_cgroup(AT_FDCWD, dir, sig, 0, &r,
					    sizeof(r));
	else
		rc = mrelease_kill_cgroup(AT_FDCWD, dir, flags, &r, sizeof(r));
	mr_test_cgroup_pids = NULL;
	ck_assert_msg(act.done, "the hook did not run");
	printf("%sflags 0x%x, %s: rc %d (%s) killed %u gone %u failed %u\n",
	       sig ? "signal_cgroup, " : "", flags, what[where], rc,
	       rc ? strerror(errno) : "-", r.killed, r.gone, r.failed);
	ck_assert_int_eq(tl_pidfd_killed(fd[0]), SIGKILL);
	ck_assert_int_eq(tl_pidfd_killed(fd[1]), SIGKILL);
	if (where == 1) {
		ck_assert_msg(tl_pidfd_alive(fd[2]), "the process that left "
			      "the subtree was killed");
		tl_victim_reap(pid[2]);
	} else if (where == 3) {
		ck_assert(WIFSIGNALED(act.status) &&
			  WTERMSIG(act.status) == SIGKILL);
	} else {
		ck_assert_int_eq(tl_pidfd_killed(fd[2]), SIGKILL);
	}
	ck_assert_msg(rc == 0, "rc -1 (%s)", strerror(errno));
	ck_assert_uint_eq(r.failed, 0);
	if (where == 0) {
		ck_assert_msg(r.killed == 3 && r.gone == 0, "moved inside the "
			      "subtree: killed %u gone %u, not 3 and 0",
			      r.killed, r.gone);
	} else {
		ck_assert_msg(r.killed == 2 && r.gone == 1, "%s: killed %u "
			      "gone %u, not 2 and 1", what[where], r.killed,
			      r.gone);
	}
	for (i = 0; i < 3; i++)
		close(fd[i]);
	ck_assert_int_eq(tl_rmdir(sub), 0);
	ck_assert_int_eq(tl_rmdir(dir), 0);
	ck_assert_int_eq(tl_rmdir(out), 0);
	ck_assert_int_eq(tl_fd_count(), fds);
}

START_TEST(t_cgroup_moved_inside_is_killed)
{
	moved(0, 0, 0);
	moved(MRELEASE_NO_KILLFILE, 0, 0);
	moved(MRELEASE_NO_FREEZE | MRELEASE_NO_KILLFILE, 0, 0);
	moved(0, 0, SIGKILL);
}
END_TEST

START_TEST(t_cgroup_moved_out_is_gone)
{
	moved(0, 1, 0);
	moved(MRELEASE_NO_KILLFILE, 1, 0);
	moved(0, 1, SIGKILL);
}
END_TEST

START_TEST(t_cgroup_exited_is_gone)
{
	moved(0, 2, 0);
	moved(MRELEASE_NO_KILLFILE, 2, 0);
	moved(0, 2, SIGKILL);
	moved(0, 3, 0);
	moved(MRELEASE_NO_KILLFILE, 3, 0);
}
END_TEST

/* Before the run: what these tests need beside the calls. */
static void need(void)
{
	if (geteuid() != 0)
		tl_skip("creating a cgroup needs root", NULL);
}

/* A survivor makes a kill wait its 5 s, and a test makes several: 60 s.
 * Nothing here asks for a reap: without process_mrelease (Linux 5.15)
 * the kills are the same. */
TL_MAIN("kill-cgroup-hook", "kill-cgroup-hook", TL_CALLS_KILL, need, 60, 0)
